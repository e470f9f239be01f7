package dev.switchboard.protocol.contract;

/**
 * {@code im.group.recall} request: user {@code uid} recalls message {@code mid} of group {@code gid}; {@code session}
 * is the recalling session (skipped by the live {@code msg.recalled}), {@code "http"} for the HTTP API. Reply:
 * {@link RecallReply} with {@code gid}.
 */
public record GroupRecallRequest(long uid, String session, long gid, long mid) implements Contract {
  public static final ContractType<GroupRecallRequest> TYPE =
      new ContractType<>(25, "GroupRecallRequest", 1, GroupRecallRequest.class, GroupRecallRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, session).putLong(3, gid).putLong(4, mid);
  }

  static GroupRecallRequest decode(ContractReader r) {
    long uid = 0;
    String session = null;
    long gid = 0;
    long mid = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> session = r.readString();
        case 3 -> gid = r.readLong();
        case 4 -> mid = r.readLong();
        default -> r.skip();
      }
    }
    return new GroupRecallRequest(uid, session, gid, mid);
  }
}
