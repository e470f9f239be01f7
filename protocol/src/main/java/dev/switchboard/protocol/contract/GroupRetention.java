package dev.switchboard.protocol.contract;

/**
 * {@code im.group.retention} request (the server API): group {@code gid} keeps its messages {@code days} days (0: it
 * follows the global {@code verticles.group.retentionDays} again). Reply {@link Ack}; fails {@code not_found} for no
 * such group.
 */
public record GroupRetention(long gid, int days) implements Contract {
  public static final ContractType<GroupRetention> TYPE =
      new ContractType<>(93, "GroupRetention", 1, GroupRetention.class, GroupRetention::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, gid).putInt(2, days);
  }

  static GroupRetention decode(ContractReader r) {
    long gid = 0;
    int days = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> gid = r.readLong();
        case 2 -> days = r.readInt();
        default -> r.skip();
      }
    }
    return new GroupRetention(gid, days);
  }
}
