package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.user.<uid>}: every token of the user issued before {@code before} (epoch ms) was revoked
 * (logout everywhere, password change, ban): sessions authenticated with one get {@code kicked {reason}} and close;
 * {@code reason} is {@code logged_out} (close {@code revoked}) or {@code banned} (close {@code banned}; a ban sends
 * {@code before} {@link Long#MAX_VALUE}: every session closes, whatever its token).
 */
public record RevokeAll(long before, String reason) implements Contract {
  public static final String LOGGED_OUT = "logged_out";
  public static final String BANNED = "banned";

  /** A logout everywhere or a password change. */
  public RevokeAll(long before) {
    this(before, LOGGED_OUT);
  }

  public static final ContractType<RevokeAll> TYPE =
      new ContractType<>(43, "RevokeAll", 2, RevokeAll.class, RevokeAll::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, before).putString(2, reason);
  }

  static RevokeAll decode(ContractReader r) {
    long before = 0;
    String reason = LOGGED_OUT;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> before = r.readLong();
        case 2 -> reason = r.readString();
        default -> r.skip();
      }
    }
    return new RevokeAll(before, reason);
  }
}
