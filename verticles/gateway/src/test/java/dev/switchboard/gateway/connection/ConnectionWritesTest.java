package dev.switchboard.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.OpRegistry;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connection's outbound queue over a transport that records what it is asked to write: order across flushes, the
 * bound, close, an idle connection holding nothing, and when a batch leaves. Each test body runs as one event-loop
 * task and flushes by hand, so each batch is exactly what the test delivered; the scheduled flushes come after.
 */
@ExtendWith(VertxExtension.class)
class ConnectionWritesTest {
  /** An in-memory wire: each write call is one batch. */
  static final class RecordingTransport implements Transport {
    final List<List<String>> writes = new ArrayList<>();
    CloseReason closed;
    boolean full;

    @Override
    public void write(OutFrame[] frames, int count) {
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        batch.add(frames[i].toString());
      }
      writes.add(batch);
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void close(CloseReason reason) {
      closed = reason;
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public String remoteAddress() {
      return "127.0.0.1";
    }

    @Override
    public String kind() {
      return "tcp";
    }

    @Override
    public WireCodec codec() {
      return WireCodec.JSON;
    }
  }

  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} as one task on an event loop, as the gateway does; the automatic flushes come after it. */
  private static void onLoop(Vertx vertx, VertxTestContext ctx, Body body) {
    vertx.runOnContext(v -> {
      try {
        body.run();
        ctx.completeNow();
      } catch (Throwable t) {
        ctx.failNow(t);
      }
    });
  }

  /** A gateway shard with a long window; call on the event loop. */
  private static Connections connections(Vertx vertx, int writeQueueBytes) {
    return connections(vertx, writeQueueBytes, 1_000);
  }

  private static Connections connections(Vertx vertx, int writeQueueBytes, long windowMs) {
    GatewayConfig config = GatewayConfig.from(new JsonObject().put("writeQueueBytes", writeQueueBytes)
        .put("writeWindowMs", windowMs), 0);
    StateStore state = StateStore.create(vertx, StateConfig.from(null));
    Tokens tokens = Tokens.create(vertx, AuthConfig.from(new JsonObject()
        .put("secret", "connection-writes-test-secret-0123456789abcdef")), state);
    RateLimiter limiter = new RateLimiter(state, 1_000);
    Connections owner = new Connections(vertx, config, tokens, new OpRegistry(List.of()), 64,
        new Asks(vertx.eventBus(), 1_000), new Rooms(vertx, config.rooms(), state, limiter), state, "test");
    owner.flusher().start();
    return owner;
  }

  private static OutFrame frame(int n) {
    return OutFrame.of(new JsonObject().put("op", "msg").put("n", n));
  }

  @Test
  void framesLeaveInDeliveryOrderAcrossFlushesAndAnIdleConnectionHoldsNothing(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, ctx, () -> {
      RecordingTransport wire = new RecordingTransport();
      Connection c = connections(vertx, 1 << 20).open(wire);
      assertNull(c.outbox(), "a new connection holds no queue");
      c.flush();
      assertTrue(wire.writes.isEmpty(), "nothing waiting, nothing written");

      c.deliver(frame(1));
      c.deliver(frame(2));
      c.deliver(frame(3));
      assertTrue(wire.writes.isEmpty(), "frames wait for the flush");
      c.flush();
      assertNull(c.outbox(), "a flushed connection drops its queue");
      for (int n = 4; n <= 10; n++) {
        c.deliver(frame(n));
      }
      c.flush();
      c.deliver(frame(11));
      c.flush();

      assertEquals(3, wire.writes.size(), "one write per flush");
      assertEquals(List.of(frame(1).toString(), frame(2).toString(), frame(3).toString()), wire.writes.get(0));
      List<String> all = new ArrayList<>();
      wire.writes.forEach(all::addAll);
      for (int n = 1; n <= 11; n++) {
        assertEquals(frame(n).toString(), all.get(n - 1));
      }
    });
  }

  @Test
  void whatWaitsIsBoundedByAnEarlyFlushAndASlowReaderIsClosedWithItsQueueDropped(Vertx vertx,
                                                                                   VertxTestContext ctx) {
    onLoop(vertx, ctx, () -> {
      OutFrame f = frame(1);
      long cost = Outbox.cost(f);
      // Room for exactly three frames.
      RecordingTransport wire = new RecordingTransport();
      Connections owner = connections(vertx, (int) (cost * 3));
      Connection c = owner.open(wire);
      c.deliver(f);
      c.deliver(f);
      c.deliver(f);
      assertTrue(wire.writes.isEmpty());
      assertEquals(3 * cost, c.outbox().bytes());
      c.deliver(frame(4));
      assertNull(wire.closed, "a burst to a reader that keeps up does not cut it off");
      assertEquals(1, wire.writes.size(), "the full queue went to the socket first");
      assertEquals(3, wire.writes.get(0).size());
      assertEquals(cost, c.outbox().bytes(), "the frame that did not fit waits alone");
      c.flush();
      assertEquals(List.of(frame(4).toString()), wire.writes.get(1));

      // The socket's queue is full: the reader does not keep up.
      c.deliver(f);
      wire.full = true;
      c.deliver(f);
      assertEquals(CloseReason.SLOW_CONSUMER, wire.closed);
      assertEquals(1, owner.slowConsumerDrops());
      assertNull(c.outbox(), "the queue of a reader that does not read is dropped");
      c.flush();
      c.deliver(f);
      assertEquals(2, wire.writes.size(), "nothing more is written to a slow consumer");
    });
  }

  @Test
  void aFullSocketQueueClosesAtOnceButAFrameAloneIsTakenWhateverItsSize(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, ctx, () -> {
      RecordingTransport wire = new RecordingTransport();
      Connection c = connections(vertx, 16).open(wire);
      c.deliver(frame(1));
      c.flush();
      assertEquals(1, wire.writes.size(), "a frame alone is written even over the bound, as before coalescing");
      assertNull(wire.closed);
      wire.full = true;
      c.deliver(frame(2));
      assertEquals(CloseReason.SLOW_CONSUMER, wire.closed);
    });
  }

  @Test
  void aCloseWritesWhatWaitsFirstUnlessTheClientIsGone(Vertx vertx, VertxTestContext ctx) {
    onLoop(vertx, ctx, () -> {
      Connections owner = connections(vertx, 1 << 20);
      RecordingTransport kicked = new RecordingTransport();
      Connection c = owner.open(kicked);
      c.deliver(frame(1));
      c.send(new JsonObject().put("op", "kicked").put("reason", "same_device"));
      c.close(CloseReason.KICKED);
      assertEquals(1, kicked.writes.size());
      assertEquals(2, kicked.writes.get(0).size());
      assertTrue(kicked.writes.get(0).get(1).contains("\"kicked\""));
      assertEquals(CloseReason.KICKED, kicked.closed);

      RecordingTransport gone = new RecordingTransport();
      Connection d = owner.open(gone);
      d.deliver(frame(1));
      d.close(CloseReason.CLIENT_CLOSED);
      d.flush();
      assertTrue(gone.writes.isEmpty(), "nothing is written to a client that closed");
      assertFalse(owner.size() > 0);
    });
  }

  @Test
  void aQuietConnectionIsWrittenAtTheEndOfTheTurnAndABusyOneAtTheWindowTick(Vertx vertx, VertxTestContext ctx) {
    RecordingTransport wire = new RecordingTransport();
    vertx.runOnContext(v -> {
      Connection c = connections(vertx, 1 << 20, 200).open(wire);
      c.deliver(frame(1), false);
      vertx.runOnContext(turn -> {
        // The flush queued with the first frame ran before this task.
        ctx.verify(() -> assertEquals(1, wire.writes.size(), "a quiet connection's frame leaves at the end of the turn"));
        c.deliver(frame(2), false);
        c.deliver(frame(3), false);
        vertx.runOnContext(next -> {
          ctx.verify(() -> assertEquals(1, wire.writes.size(),
              "written a moment ago: fan-out frames wait for the window"));
          long[] poll = new long[1];
          poll[0] = vertx.setPeriodic(10, id -> {
            if (wire.writes.size() == 2) {
              vertx.cancelTimer(poll[0]);
              ctx.verify(() -> assertEquals(List.of(frame(2).toString(), frame(3).toString()), wire.writes.get(1)));
              ctx.completeNow();
            }
          });
        });
      });
    });
  }

  @Test
  void aFrameForTheSessionAloneLeavesAtTheEndOfTheTurnAndTakesWaitingFanoutFramesAlong(Vertx vertx,
                                                                                      VertxTestContext ctx) {
    RecordingTransport wire = new RecordingTransport();
    vertx.runOnContext(v -> {
      Connection c = connections(vertx, 1 << 20, 1_000).open(wire);
      c.deliver(frame(1));
      vertx.runOnContext(turn -> {
        ctx.verify(() -> assertEquals(1, wire.writes.size()));
        c.deliver(frame(2), false); // busy: would wait a second for the window
        c.deliver(frame(3));        // urgent: leaves this turn, after frame 2
        vertx.runOnContext(next -> {
          ctx.verify(() -> {
            assertEquals(2, wire.writes.size(), "an urgent frame does not wait for the window, even when busy");
            assertEquals(List.of(frame(2).toString(), frame(3).toString()), wire.writes.get(1));
          });
          ctx.completeNow();
        });
      });
    });
  }
}
