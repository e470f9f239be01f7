package dev.switchboard.gateway.rooms;

import dev.switchboard.gateway.config.RoomConfig;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.RoomCount;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * Member counts of the rooms that count them ({@code room.count}), for one gateway instance's {@link Rooms}. Each
 * instance publishes its own member count of a counting room on the room's address ({@link RoomCount}), at most once
 * per {@link RoomConfig#countIntervalMs()} (the latest count), and keeps every instance's latest count; it writes the
 * sum to its members, again at most once per interval. The first local member of a room asks the other instances for
 * their counts. Counts are re-reported every {@link #REFRESH_INTERVALS} intervals and forgotten after three times
 * that without a report, so the count of an instance that died stops counting. Confined to the instance's event loop.
 */
final class RoomCounts {
  /** Count intervals between re-reports. */
  private static final int REFRESH_INTERVALS = 10;

  private final Vertx vertx;
  private final RoomConfig config;
  /** The instance's rooms (its {@link Rooms}' map, read only here). */
  private final Map<String, Room> rooms;
  /** This instance in {@link RoomCount}s. */
  private final String id = UUID.randomUUID().toString();
  private long refreshTimer = -1;

  RoomCounts(Vertx vertx, RoomConfig config, Map<String, Room> rooms) {
    this.vertx = vertx;
    this.config = config;
    this.rooms = rooms;
  }

  /** Whether {@code room} counts: its own flag, else the gateway's default. */
  boolean on(Room room) {
    return room.counts != null ? room.counts : config.counts();
  }

  /** {@code room} was just subscribed here and its flags read: report, asking the other instances for theirs. */
  void created(Room room) {
    if (on(room)) {
      report(room, true);
    }
  }

  /** The room's local members changed: report the count (throttled). */
  void changed(Room room) {
    if (on(room) && room.ready.succeeded()) {
      room.reports.hit(vertx, () -> report(room, false));
    }
  }

  /** The room's last local member left: report 0 at once (nothing of the room is left here to report later). */
  void gone(Room room) {
    room.reports.cancel(vertx);
    room.frames.cancel(vertx);
    if (on(room) && room.ready.succeeded()) {
      vertx.eventBus().publish(Addresses.room(room.name), new RoomCount(id, 0, false));
    }
  }

  /** The room's counts flag changed ({@code RoomFlags}); turned on, this instance reports and asks. */
  void flags(Room room, Boolean counts) {
    boolean was = on(room);
    room.counts = counts;
    if (!was && on(room)) {
      report(room, true);
    }
  }

  /** A room is held here: re-report counting rooms every {@link #REFRESH_INTERVALS} intervals while any is. */
  void held() {
    if (refreshTimer != -1) {
      return;
    }
    refreshTimer = vertx.setPeriodic(config.countIntervalMs() * REFRESH_INTERVALS, t -> {
      if (rooms.isEmpty()) {
        vertx.cancelTimer(refreshTimer);
        refreshTimer = -1;
        return;
      }
      rooms.values().forEach(this::changed);
    });
  }

  /** A {@link RoomCount}: keeps the instance's count, answers an ask, and tells the members (throttled). */
  void received(Room room, RoomCount count) {
    if (count.count() == 0) {
      room.instanceCounts.remove(count.instance());
    } else {
      room.instanceCounts.put(count.instance(), new long[] {count.count(), System.currentTimeMillis()});
    }
    if (!on(room)) {
      return;
    }
    if (count.ask() && !count.instance().equals(id)) {
      room.reports.hit(vertx, () -> report(room, false));
    }
    room.frames.hit(vertx, () -> {
      if (rooms.get(room.name) == room) {
        Rooms.write(room, frame(room));
      }
    });
  }

  /** Publishes this instance's member count of {@code room} to every instance holding it. */
  private void report(Room room, boolean ask) {
    if (rooms.get(room.name) == room) {
      vertx.eventBus().publish(Addresses.room(room.name), new RoomCount(id, room.members.size(), ask));
    }
  }

  /** {@code room.count {room, count}}: the sum of every instance's fresh count. */
  private OutFrame frame(Room room) {
    long now = System.currentTimeMillis();
    long stale = config.countIntervalMs() * REFRESH_INTERVALS * 3;
    room.instanceCounts.values().removeIf(c -> now - c[1] > stale);
    long sum = 0;
    for (long[] c : room.instanceCounts.values()) {
      sum += c[0];
    }
    return OutFrame.of(new JsonObject().put("op", OpNames.ROOM_COUNT).put("room", room.name).put("count", sum));
  }
}
