package dev.switchboard.protocol.contract;

/**
 * {@code im.api.identities} request: the user the app's identity provider calls {@code externalId} in tokens issued by
 * {@code issuer}; made on first use with the token's profile claims ({@code name}, {@code avatar}: either may be
 * null). Reply: {@link IdentityReply}; fails {@code banned} for a banned user, {@code unavailable} when no API
 * instance answers.
 */
public record IdentityRequest(String issuer, String externalId, String name, String avatar) implements Contract {
  public static final ContractType<IdentityRequest> TYPE =
      new ContractType<>(90, "IdentityRequest", 1, IdentityRequest.class, IdentityRequest::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putString(1, issuer).putString(2, externalId).putString(3, name).putString(4, avatar);
  }

  static IdentityRequest decode(ContractReader r) {
    String issuer = null;
    String externalId = null;
    String name = null;
    String avatar = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> issuer = r.readString();
        case 2 -> externalId = r.readString();
        case 3 -> name = r.readString();
        case 4 -> avatar = r.readString();
        default -> r.skip();
      }
    }
    return new IdentityRequest(issuer, externalId, name, avatar);
  }
}
