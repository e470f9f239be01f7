package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.user.<uid>}: session {@code session} of device kind {@code device} came online at
 * {@code since} (epoch ms); every other session of that device kind that came online earlier (ties broken by the
 * greater session id) is sent {@code kicked {reason: "same_device"}} and closed.
 */
public record Kick(String device, String session, long since) implements Contract {
  public static final ContractType<Kick> TYPE = new ContractType<>(40, "Kick", 1, Kick.class, Kick::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putString(1, device).putString(2, session).putLong(3, since);
  }

  static Kick decode(ContractReader r) {
    String device = null;
    String session = null;
    long since = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> device = r.readString();
        case 2 -> session = r.readString();
        case 3 -> since = r.readLong();
        default -> r.skip();
      }
    }
    return new Kick(device, session, since);
  }
}
