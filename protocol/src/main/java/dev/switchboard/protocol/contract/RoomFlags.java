package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.room.<name>}: the room's own send flag changed. {@code membersMaySend} true or false, or null
 * when cleared (the gateway's default applies). On the wire field 1 is 0 (cleared), 1 (true) or 2 (false).
 */
public record RoomFlags(Boolean membersMaySend) implements Contract {
  public static final ContractType<RoomFlags> TYPE =
      new ContractType<>(47, "RoomFlags", 1, RoomFlags.class, RoomFlags::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putInt(1, membersMaySend == null ? 0 : membersMaySend ? 1 : 2);
  }

  static RoomFlags decode(ContractReader r) {
    Boolean send = null;
    for (int f; (f = r.next()) != 0; ) {
      if (f == 1) {
        int v = r.readInt();
        send = v == 1 ? Boolean.TRUE : v == 2 ? Boolean.FALSE : null;
      } else {
        r.skip();
      }
    }
    return new RoomFlags(send);
  }
}
