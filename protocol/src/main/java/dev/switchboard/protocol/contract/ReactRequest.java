package dev.switchboard.protocol.contract;

/**
 * {@code im.router.react} ({@code group} 0) and {@code im.group.react} request: user {@code uid} adds ({@code add}) or
 * removes its reaction {@code emoji} (validated by the gateway) on message {@code mid}, which it can read.
 * {@code session} is the reacting session (not told again). Reply: {@link ReactReply}.
 */
public record ReactRequest(long uid, String session, long group, long mid, String emoji, boolean add)
    implements Contract {
  public static final ContractType<ReactRequest> TYPE =
      new ContractType<>(102, "ReactRequest", 1, ReactRequest.class, ReactRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, session).putLong(3, group).putLong(4, mid).putString(5, emoji).putBool(6, add);
  }

  static ReactRequest decode(ContractReader r) {
    long uid = 0;
    String session = null;
    long group = 0;
    long mid = 0;
    String emoji = null;
    boolean add = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> group = r.readLong();
        case 4 -> mid = r.readLong();
        case 5 -> emoji = r.readString();
        case 6 -> add = r.readBool();
        default -> r.skip();
      }
    }
    return new ReactRequest(uid, session, group, mid, emoji, add);
  }
}
