package dev.switchboard.protocol.contract;

/** {@code im.group.memberships} request: the groups of user {@code uid}. Reply: {@link MembershipsReply}. */
public record MembershipsRequest(long uid) implements Contract {
  public static final ContractType<MembershipsRequest> TYPE =
      new ContractType<>(28, "MembershipsRequest", 1, MembershipsRequest.class, MembershipsRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid);
  }

  static MembershipsRequest decode(ContractReader r) {
    long uid = 0;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        uid = r.readLong();
      } else {
        r.skip();
      }
    }
    return new MembershipsRequest(uid);
  }
}
