package dev.switchboard.protocol.contract;

/**
 * Reply of {@code im.api.users} ({@link UserLookup}): the account's id, username and kind ({@code user} or
 * {@code bot}).
 */
public record UserInfo(long uid, String username, String kind) implements Contract {
  public static final ContractType<UserInfo> TYPE =
      new ContractType<>(63, "UserInfo", 1, UserInfo.class, UserInfo::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putString(2, username).putString(3, kind);
  }

  static UserInfo decode(ContractReader r) {
    long uid = 0;
    String username = null;
    String kind = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> username = r.readString();
        case 3 -> kind = r.readString();
        default -> r.skip();
      }
    }
    return new UserInfo(uid, username, kind);
  }
}
