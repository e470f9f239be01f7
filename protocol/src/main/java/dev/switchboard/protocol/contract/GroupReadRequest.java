package dev.switchboard.protocol.contract;

/**
 * {@code im.group.read} request: member {@code uid} read group {@code gid} up to seq {@code upTo}. Reply:
 * {@link ReadReply}; {@code not_member} otherwise.
 */
public record GroupReadRequest(long uid, long gid, long upTo) implements Contract {
  public static final ContractType<GroupReadRequest> TYPE =
      new ContractType<>(24, "GroupReadRequest", 1, GroupReadRequest.class, GroupReadRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putLong(2, gid).putLong(3, upTo);
  }

  static GroupReadRequest decode(ContractReader r) {
    long uid = 0;
    long gid = 0;
    long upTo = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> gid = r.readLong();
        case 3 -> upTo = r.readLong();
        default -> r.skip();
      }
    }
    return new GroupReadRequest(uid, gid, upTo);
  }
}
