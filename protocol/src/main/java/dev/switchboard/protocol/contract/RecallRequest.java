package dev.switchboard.protocol.contract;

/**
 * {@code im.router.recall} request: user {@code uid} recalls one-to-one message {@code mid}; {@code session} is the
 * recalling session (not told again), {@code "http"} for the HTTP API. {@code uid} {@link #SERVER} is the server
 * API deleting the message for everyone (no sender check, no window). Reply: {@link RecallReply}.
 */
public record RecallRequest(long uid, String session, long mid) implements Contract {
  /** The {@code uid} of a recall by the server API (uid 0 is never a user). */
  public static final long SERVER = 0;

  public static final ContractType<RecallRequest> TYPE =
      new ContractType<>(22, "RecallRequest", 1, RecallRequest.class, RecallRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, session).putLong(3, mid);
  }

  static RecallRequest decode(ContractReader r) {
    long uid = 0;
    String session = null;
    long mid = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> mid = r.readLong();
        default -> r.skip();
      }
    }
    return new RecallRequest(uid, session, mid);
  }
}
