package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.room.<name>}: the room's own flags changed. {@code membersMaySend} true or false, or null when
 * cleared (the gateway's default applies); {@code counts} likewise (v2): whether members get {@code room.count}
 * frames. On the wire fields 1 and 2 are each 0 (cleared), 1 (true) or 2 (false); a v1 sender's message has no
 * field 2 and reads as {@code counts} null.
 */
public record RoomFlags(Boolean membersMaySend, Boolean counts) implements Contract {
  public static final ContractType<RoomFlags> TYPE =
      new ContractType<>(47, "RoomFlags", 2, RoomFlags.class, RoomFlags::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putInt(1, wire(membersMaySend)).putInt(2, wire(counts));
  }

  private static int wire(Boolean flag) {
    return flag == null ? 0 : flag ? 1 : 2;
  }

  private static Boolean flag(int v) {
    return v == 1 ? Boolean.TRUE : v == 2 ? Boolean.FALSE : null;
  }

  static RoomFlags decode(ContractReader r) {
    Boolean send = null;
    Boolean counts = null;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> send = flag(r.readInt());
        case 2 -> counts = flag(r.readInt());
        default -> r.skip();
      }
    }
    return new RoomFlags(send, counts);
  }
}
