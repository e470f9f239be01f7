package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.user.<uid>}: every token of the user issued before {@code before} (epoch ms) was revoked
 * (logout everywhere, password change): sessions authenticated with one get {@code kicked {reason: "logged_out"}}
 * and close.
 */
public record RevokeAll(long before) implements Contract {
  public static final ContractType<RevokeAll> TYPE =
      new ContractType<>(43, "RevokeAll", 1, RevokeAll.class, RevokeAll::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, before);
  }

  static RevokeAll decode(ContractReader r) {
    long before = 0;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        before = r.readLong();
      } else {
        r.skip();
      }
    }
    return new RevokeAll(before);
  }
}
