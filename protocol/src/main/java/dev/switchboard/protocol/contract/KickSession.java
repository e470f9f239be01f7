package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.user.<uid>}: session {@code session} is closed after {@code kicked {reason, by}};
 * {@code reason} null means {@code "removed"} (the user closed it from another device), {@code by} is the session or
 * {@code "api"} that asked.
 */
public record KickSession(String session, String by, String reason) implements Contract {
  public static final ContractType<KickSession> TYPE =
      new ContractType<>(41, "KickSession", 1, KickSession.class, KickSession::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putString(1, session).putString(2, by).putString(3, reason);
  }

  static KickSession decode(ContractReader r) {
    String session = null;
    String by = null;
    String reason = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> session = r.readString();
        case 2 -> by = r.readString();
        case 3 -> reason = r.readString();
        default -> r.skip();
      }
    }
    return new KickSession(session, by, reason);
  }
}
