package dev.switchboard.protocol.contract;

/**
 * Gateway → API on {@code im.api.presence} (send, no reply): one session of user {@code uid} came online
 * ({@code online} true, written to the user's presence hash already) or ended ({@code online} false, removed from it
 * already) at {@code at} (epoch ms). The API judges from the presence hash whether the user as a whole changed, and
 * tells the user's contacts once per change (debounced).
 */
public record PresenceChange(long uid, boolean online, long at) implements Contract {
  public static final ContractType<PresenceChange> TYPE =
      new ContractType<>(120, "PresenceChange", 1, PresenceChange.class, PresenceChange::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putLong(1, uid).putBool(2, online).putLong(3, at);
  }

  static PresenceChange decode(ContractReader r) {
    long uid = 0;
    boolean online = false;
    long at = 0;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> uid = r.readLong();
        case 2 -> online = r.readBool();
        case 3 -> at = r.readLong();
        default -> r.skip();
      }
    }
    return new PresenceChange(uid, online, at);
  }
}
