package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.user.<uid>}: the token whose id hash is {@code tokenHash} was revoked. With {@code until} 0
 * (logout) its sessions get {@code kicked {reason: "logged_out"}} and close; otherwise it was replaced by a refresh and
 * works until {@code until} (epoch ms): its sessions end then unless they move to the new token.
 */
public record Revoke(long tokenHash, long until) implements Contract {
  public static final ContractType<Revoke> TYPE = new ContractType<>(42, "Revoke", 1, Revoke.class, Revoke::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, tokenHash).putLong(2, until);
  }

  static Revoke decode(ContractReader r) {
    long tokenHash = 0;
    long until = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> tokenHash = r.readLong();
        case 2 -> until = r.readLong();
        default -> r.skip();
      }
    }
    return new Revoke(tokenHash, until);
  }
}
