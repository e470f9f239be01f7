package dev.switchboard.protocol.contract;

/**
 * {@code im.group.sync} request: one page of group {@code group}'s timeline for member {@code uid}, the entries with a
 * seq greater than {@code after} (and than the seq at which the member joined), at most {@code limit} of them. Reply:
 * {@link SyncPage} with {@code group} set; fails {@code not_member} for anyone else.
 */
public record GroupSyncRequest(long uid, long group, long after, int limit) implements Contract {
  public static final ContractType<GroupSyncRequest> TYPE =
      new ContractType<>(81, "GroupSyncRequest", 1, GroupSyncRequest.class, GroupSyncRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putLong(2, group).putLong(3, after).putInt(4, limit);
  }

  static GroupSyncRequest decode(ContractReader r) {
    long uid = 0;
    long group = 0;
    long after = 0;
    int limit = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> group = r.readLong();
        case 3 -> after = r.readLong();
        case 4 -> limit = r.readInt();
        default -> r.skip();
      }
    }
    return new GroupSyncRequest(uid, group, after, limit);
  }
}
