package dev.switchboard.protocol.contract;

/**
 * {@code im.api.users} request: the account named {@code username} (as stored: lower case). Reply: {@link UserInfo};
 * fails {@code not_found} when there is none, {@code unavailable} when no API instance answers.
 */
public record UserLookup(String username) implements Contract {
  public static final ContractType<UserLookup> TYPE =
      new ContractType<>(62, "UserLookup", 1, UserLookup.class, UserLookup::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putString(1, username);
  }

  static UserLookup decode(ContractReader r) {
    String username = null;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        username = r.readString();
      } else {
        r.skip();
      }
    }
    return new UserLookup(username);
  }
}
