package dev.switchboard.protocol.contract;

/**
 * {@code im.router.sync} request: one page of user {@code uid}'s inbox, the entries with a seq greater than
 * {@code after}, at most {@code limit} of them (the router caps it at its page size). Reply: {@link SyncPage}.
 */
public record SyncRequest(long uid, long after, int limit) implements Contract {
  public static final ContractType<SyncRequest> TYPE =
      new ContractType<>(80, "SyncRequest", 1, SyncRequest.class, SyncRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putLong(2, after).putInt(3, limit);
  }

  static SyncRequest decode(ContractReader r) {
    long uid = 0;
    long after = 0;
    int limit = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> after = r.readLong();
        case 3 -> limit = r.readInt();
        default -> r.skip();
      }
    }
    return new SyncRequest(uid, after, limit);
  }
}
