package dev.switchboard.shared.store;

/** Every shared-state key name, in one place. */
public final class StateKeys {
  private StateKeys() {
  }

  /** A claimed node id (for time-ordered message ids): value is the claimer's instance id. */
  public static String nodeId(int id) {
    return "node:" + id;
  }

  /** The send rate-limit bucket of a user. */
  public static String sendRate(long uid) {
    return "rate:send:" + uid;
  }

  /** The room-send rate-limit bucket of a user. */
  public static String roomSendRate(long uid) {
    return "rate:room:" + uid;
  }

  /** A room's own send flag ({@code true}/{@code false}); absent: the gateway default applies. */
  public static String roomSend(String room) {
    return "room:send:" + room;
  }
}
