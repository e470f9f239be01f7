package dev.switchboard.protocol.contract;

/**
 * {@code im.router.read} request: user {@code uid} read the conversation with {@code peer} up to its own inbox seq
 * {@code upTo} ({@code msg.read}); {@code session} is the reading session, which is not told of its own read. Reply:
 * {@link ReadReply}.
 */
public record ReadRequest(long uid, String session, long peer, long upTo) implements Contract {
  public static final ContractType<ReadRequest> TYPE =
      new ContractType<>(20, "ReadRequest", 1, ReadRequest.class, ReadRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, session).putLong(3, peer).putLong(4, upTo);
  }

  static ReadRequest decode(ContractReader r) {
    long uid = 0;
    String session = null;
    long peer = 0;
    long upTo = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> peer = r.readLong();
        case 4 -> upTo = r.readLong();
        default -> r.skip();
      }
    }
    return new ReadRequest(uid, session, peer, upTo);
  }
}
