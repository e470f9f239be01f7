package dev.switchboard.protocol.contract;

/** Reply of {@code im.api.identities} ({@link IdentityRequest}): the user's uid, and whether it was made just now. */
public record IdentityReply(long uid, boolean created) implements Contract {
  public static final ContractType<IdentityReply> TYPE =
      new ContractType<>(91, "IdentityReply", 1, IdentityReply.class, IdentityReply::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putBool(2, created);
  }

  static IdentityReply decode(ContractReader r) {
    long uid = 0;
    boolean created = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> created = r.readBool();
        default -> r.skip();
      }
    }
    return new IdentityReply(uid, created);
  }
}
