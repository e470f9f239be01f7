package dev.switchboard.protocol.contract;

/**
 * Control on {@code im.room.<name>} of a room that counts its members: gateway instance {@code instance} holds
 * {@code count} member sessions of the room (0: it left the room). {@code ask}: the sender just subscribed to the room
 * and asks every other instance holding it to publish its own count. Each instance sums the latest count of every
 * instance into the room's {@code room.count} frame.
 */
public record RoomCount(String instance, long count, boolean ask) implements Contract {
  public static final ContractType<RoomCount> TYPE =
      new ContractType<>(122, "RoomCount", 1, RoomCount.class, RoomCount::decode);

  @Override
  public ContractType<?> type() {
    return TYPE;
  }

  @Override
  public void write(ContractWriter w) {
    w.putString(1, instance).putLong(2, count).putBool(3, ask);
  }

  static RoomCount decode(ContractReader r) {
    String instance = null;
    long count = 0;
    boolean ask = false;
    for (int f; (f = r.next()) != 0; ) {
      switch (f) {
        case 1 -> instance = r.readString();
        case 2 -> count = r.readLong();
        case 3 -> ask = r.readBool();
        default -> r.skip();
      }
    }
    return new RoomCount(instance, count, ask);
  }
}
