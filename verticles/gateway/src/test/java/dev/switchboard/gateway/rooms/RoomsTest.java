package dev.switchboard.gateway.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.gateway.config.RoomConfig;
import dev.switchboard.gateway.session.Member;
import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.frame.Frame;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.OutFrameCodec;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rooms of one gateway instance on a real event bus, with members that record what they are given: one subscription
 * per room while it has members, one batch frame to each member, and the limits a room op checks. Every call runs on
 * the event loop, as in the gateway.
 */
@ExtendWith(VertxExtension.class)
class RoomsTest {
  /** A member that keeps the frames delivered to it and runs {@code onFrame} after each. */
  private static final class Recorder implements Member {
    final List<OutFrame> frames = new ArrayList<>();
    Runnable onFrame = () -> { };

    @Override
    public void deliver(OutFrame frame, boolean urgent) {
      frames.add(frame);
      onFrame.run();
    }

    @Override
    public String sessionId() {
      return "s-" + System.identityHashCode(this);
    }

    @Override
    public void leftGroup(long gid) {
    }
  }

  private static Rooms rooms(Vertx vertx, JsonObject config) {
    OutFrameCodec.register(vertx.eventBus());
    StateStore state = StateStore.create(vertx, StateConfig.from(null));
    return new Rooms(vertx, RoomConfig.from(config), state, new RateLimiter(state, 1_000));
  }

  private static Frame roomSend(String room) {
    return Frame.of(new JsonObject().put("op", "room.send").put("room", room).put("body", "hi"));
  }

  @Test
  void aRoomIsSubscribedWhileItHasMembersAndEachMemberGetsTheBatchOnce(Vertx vertx, VertxTestContext ctx) {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    vertx.runOnContext(v -> {
      Rooms rooms = rooms(vertx, new JsonObject().put("batchMs", 60_000).put("batchMax", 2));
      Runnable check = () -> {
        if (a.frames.size() == 1 && b.frames.size() == 1) {
          ctx.verify(() -> {
            assertEquals(a.frames.get(0), b.frames.get(0), "one frame, encoded once, to every member");
            JsonObject batch = new JsonObject(new String(a.frames.get(0).jsonBytes()));
            assertEquals("room.msgs", batch.getString("op"));
            assertEquals(List.of(1, 2), List.of(batch.getJsonArray("msgs").getJsonObject(0).getInteger("body"),
                batch.getJsonArray("msgs").getJsonObject(1).getInteger("body")));
            rooms.leave(a, "r");
            assertEquals(Map.of("r", 1L), rooms.counts());
            rooms.leaveAll(b);
            assertEquals(0, rooms.subscribed(), "the last one out drops the room's subscription");
            assertEquals(Map.of(), rooms.counts());
          });
          ctx.completeNow();
        }
      };
      a.onFrame = check;
      b.onFrame = check;
      Future.all(rooms.join(a, "r"), rooms.join(b, "r")).onComplete(ctx.succeeding(joined -> {
        ctx.verify(() -> {
          assertEquals(1, rooms.subscribed(), "one consumer per room, however many members");
          assertEquals(Map.of("r", 2L), rooms.counts());
        });
        vertx.eventBus().publish(Addresses.room("r"), MessageJson.roomMessage(null, "n", "1"));
        vertx.eventBus().publish(Addresses.room("r"), MessageJson.roomMessage(null, "n", "2"));
      }));
    });
  }

  @Test
  void aSessionJoinsAtMostMaxPerSessionRoomsAndSendsOnlyWhereItIsAMemberAndMayTalk(Vertx vertx,
                                                                                 VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      Rooms rooms = rooms(vertx, new JsonObject().put("maxPerSession", 2));
      Recorder m = new Recorder();
      Session session = new Session(7, "web", "s1", 1, "127.0.0.1", 1, 0, Long.MAX_VALUE);
      ctx.verify(() -> {
        rooms.join(m, "one");
        rooms.join(m, "two");
        rooms.join(m, "one");
        assertEquals(ErrorCode.TOO_MANY_ROOMS, assertThrows(ImException.class, () -> rooms.join(m, "three")).code());
        assertEquals(ErrorCode.NOT_MEMBER,
            assertThrows(ImException.class, () -> rooms.send(m, session, roomSend("three"), "three")).code());
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ImException.class,
            () -> rooms.send(m, session, roomSend("one"), "one")).code(), "rooms are push-only by default");
        rooms.leave(m, "one");
        rooms.join(m, "three");
        assertEquals(Map.of("two", 1L, "three", 1L), rooms.counts());
      });
      ctx.completeNow();
    });
  }
}
