package dev.switchboard.gateway.rooms;

import dev.switchboard.gateway.config.RoomConfig;
import dev.switchboard.gateway.session.Member;
import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.RoomName;
import dev.switchboard.protocol.contract.RoomCount;
import dev.switchboard.protocol.contract.RoomFlags;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.SendLimits;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Live rooms of one gateway instance: what {@code room.join}, {@code room.leave} and {@code room.send}
 * ({@link RoomJoin}, {@link RoomLeave}, {@link RoomSend}) do, one reference-counted consumer per room with local members,
 * the batching window, and member counts for rooms that count them ({@link RoomCounts}). Rooms have no database rows:
 * a room exists while someone is in it. Confined to the instance's event loop.
 *
 * <p>Fan-out: a message published once to {@code im.room.<name>} reaches this instance once; it joins the room's batch,
 * which is flushed as one {@code room.msgs} frame when the window ({@link RoomConfig#batchMs()}) ends or the batch is
 * full ({@link RoomConfig#batchMax()}), so a member socket sees at most one write per window however fast pushes
 * come. Messages keep their arrival order. A member whose outbound queue is full is cut off by its own
 * {@link Member#deliver}, never waited for.
 */
public final class Rooms {
  private final Vertx vertx;
  private final RoomConfig config;
  private final StateStore state;
  /** This gateway instance's: the room-send budget per user, reported to shared state once per interval. */
  private final RateLimiter limiter;
  private final Map<String, Room> rooms = new HashMap<>();
  /** The rooms each member session is in (only members of at least one room have an entry). */
  private final Map<Member, String[]> memberships = new IdentityHashMap<>();

  /** The before-send hook for room sends; null when none covers them. */
  private final BeforeSendHook hook;
  /** Member counts of the rooms that count them. */
  private final RoomCounts counts;

  public Rooms(Vertx vertx, RoomConfig config, StateStore state, RateLimiter limiter) {
    this(vertx, config, state, limiter, null);
  }

  /** Rooms whose sends {@code hook} sees first (null: none). */
  public Rooms(Vertx vertx, RoomConfig config, StateStore state, RateLimiter limiter, BeforeSendHook hook) {
    this.hook = hook;
    this.vertx = vertx;
    this.config = config;
    this.state = state;
    this.limiter = limiter;
    this.counts = new RoomCounts(vertx, config, rooms);
  }

  /** The frame's {@code room} field, a valid room name; throws {@code invalid_field} otherwise. */
  static String room(Frame frame) {
    return RoomName.require(frame.json().getValue("room") instanceof String s ? s : null, "room");
  }

  /** A room op's reply, {@code ok {id, room}}. */
  static JsonObject ok(Frame frame, String room) {
    return Frames.reply(OpNames.OK, frame.id()).put("room", room);
  }

  /**
   * Adds {@code c} to room {@code name}, subscribing this instance to the room when it is the first local member;
   * completes once the subscription is registered and the room's send flag is known. Throws {@code too_many_rooms}
   * beyond {@link RoomConfig#maxPerSession()}; joining a room again is a no-op.
   */
  Future<Void> join(Member c, String name) {
    String[] mine = memberships.get(c);
    if (mine != null && indexOf(mine, name) >= 0) {
      return rooms.get(name).ready;
    }
    if (mine != null && mine.length >= config.maxPerSession()) {
      throw new ImException(ErrorCode.TOO_MANY_ROOMS, "a session may be in at most " + config.maxPerSession()
          + " rooms");
    }
    memberships.put(c, mine == null ? new String[] {name} : append(mine, name));
    Room room = rooms.get(name);
    if (room == null) {
      Room created = new Room(name, vertx.eventBus().consumer(Addresses.room(name)), config.batchMax());
      created.consumer.handler(m -> onMessage(created, m));
      created.reports = new Throttle(config.countIntervalMs());
      created.frames = new Throttle(config.countIntervalMs());
      created.ready = created.consumer.completion()
          .compose(v -> Future.all(state.get(StateKeys.roomSend(name)), state.get(StateKeys.roomCounts(name))))
          .map(flags -> {
            created.membersMaySend = flag(flags.resultAt(0));
            created.counts = flag(flags.resultAt(1));
            if (rooms.get(name) == created) {
              counts.created(created);
            }
            return null;
          });
      rooms.put(name, created);
      room = created;
      counts.held();
    }
    room.members.add(c);
    counts.changed(room);
    return room.ready;
  }

  private static Boolean flag(String stored) {
    return stored == null ? null : Boolean.valueOf(stored);
  }

  /** Takes {@code c} out of room {@code name} (nothing when it is not in it). */
  void leave(Member c, String name) {
    String[] mine = memberships.get(c);
    int at = mine == null ? -1 : indexOf(mine, name);
    if (at < 0) {
      return;
    }
    if (mine.length == 1) {
      memberships.remove(c);
    } else {
      String[] rest = new String[mine.length - 1];
      System.arraycopy(mine, 0, rest, 0, at);
      System.arraycopy(mine, at + 1, rest, at, mine.length - at - 1);
      memberships.put(c, rest);
    }
    release(c, name);
  }

  /** Leaves every room of {@code c}; part of the connection's close path. */
  public void leaveAll(Member c) {
    String[] mine = memberships.remove(c);
    if (mine != null) {
      for (String name : mine) {
        release(c, name);
      }
    }
  }

  /**
   * Removes a member; the last one out unregisters the room's consumer and drops its pending batch (and, in a
   * counting room, reports 0 at once: nothing of the room is left here to report later).
   */
  private void release(Member c, String name) {
    Room room = rooms.get(name);
    if (room == null || !room.members.remove(c)) {
      return;
    }
    if (!room.members.isEmpty()) {
      counts.changed(room);
      return;
    }
    rooms.remove(name);
    vertx.cancelTimer(room.timer);
    room.consumer.unregister();
    counts.gone(room);
  }

  /**
   * Publishes a member's message to room {@code name} (every instance with members batches it); fails
   * {@code not_member}, {@code forbidden} (members may not send there), {@code invalid_field}, {@code body_too_large}
   * or {@code rate_limited} (the user's room-send budget), in that order of checks; then, with a before-send hook,
   * {@code rejected} or a replaced body ({@code body_too_large} applies to it too). Checks before the hook throw;
   * the future holds the hook's outcome.
   */
  Future<Void> send(Member c, Session session, Frame frame, String name) {
    String[] mine = memberships.get(c);
    if (mine == null || indexOf(mine, name) < 0) {
      throw new ImException(ErrorCode.NOT_MEMBER, "join room '" + name + "' before sending to it");
    }
    Room room = rooms.get(name);
    boolean allowed = room.membersMaySend != null ? room.membersMaySend : config.membersMaySend();
    if (!allowed) {
      throw new ImException(ErrorCode.FORBIDDEN, "members may not send in room '" + name + "'");
    }
    String type = frame.optString("type", "text", 32);
    String body = SendLimits.encodeBody(frame.requireValue("body"), config.maxBodyBytes());
    limiter.require(StateKeys.roomSendRate(session.uid()), config.sendRate(), config.sendBurst(), 1,
        "sending too fast");
    if (hook == null) {
      vertx.eventBus().publish(Addresses.room(name), MessageJson.roomMessage(session.uid(), type, body));
      return Future.succeededFuture();
    }
    return hook.check("room", new JsonObject().put("from", session.uid()).put("room", name).put("type", type),
            body.getBytes(StandardCharsets.UTF_8))
        .map(verdict -> {
          String sent = verdict.body() == null ? body : SendLimits.checkBody(verdict.body(), config.maxBodyBytes());
          vertx.eventBus().publish(Addresses.room(name), MessageJson.roomMessage(session.uid(), type, sent));
          return null;
        });
  }

  /** A room message ({@link OutFrame}) joins the batch; a {@link RoomFlags} control sets the room's send flag. */
  private void onMessage(Room room, Message<Object> m) {
    if (m.body() instanceof RoomFlags flags) {
      room.membersMaySend = flags.membersMaySend();
      counts.flags(room, flags.counts());
      return;
    }
    if (m.body() instanceof RoomCount count) {
      counts.received(room, count);
      return;
    }
    if (!(m.body() instanceof OutFrame frame)) {
      return;
    }
    byte[] msg = frame.jsonBytes();
    if (config.batchMs() == 0) {
      write(room, room.single(msg));
    } else if (room.add(msg)) {
      flush(room);
    } else if (room.timer == -1) {
      room.timer = vertx.setTimer(config.batchMs(), t -> {
        room.timer = -1;
        flush(room);
      });
    }
  }

  private void flush(Room room) {
    if (room.timer != -1) {
      vertx.cancelTimer(room.timer);
      room.timer = -1;
    }
    if (room.hasPending()) {
      write(room, room.drain());
    }
  }

  static void write(Room room, OutFrame frame) {
    // A write may cut off a slow member, which leaves the set: iterate over a snapshot.
    for (Member c : room.members.toArray(new Member[0])) {
      c.deliver(frame, true);
    }
  }

  /** Local member sessions per room. */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>();
    rooms.forEach((name, room) -> counts.put(name, (long) room.members.size()));
    return counts;
  }

  /** Rooms with a consumer on this instance. */
  public int subscribed() {
    return rooms.size();
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String[] append(String[] names, String name) {
    String[] more = Arrays.copyOf(names, names.length + 1);
    more[names.length] = name;
    return more;
  }
}
