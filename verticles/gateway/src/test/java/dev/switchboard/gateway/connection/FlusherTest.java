package dev.switchboard.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The instance's flush schedule on a real event loop: one batch per turn or window, in the order targets got dirty. */
@ExtendWith(VertxExtension.class)
class FlusherTest {
  @Test
  void windowZeroFlushesEverythingOfTheTurnOnceAfterItBusyOrNot(Vertx vertx, VertxTestContext ctx) {
    List<List<String>> batches = new ArrayList<>();
    List<String> current = new ArrayList<>();
    vertx.runOnContext(v -> {
      Flusher<String> flusher = new Flusher<>(vertx, 0, current::add);
      flusher.start();
      flusher.dirty("a", false);
      flusher.dirty("b", true);
      flusher.dirty("c", false);
      ctx.verify(() -> assertTrue(current.isEmpty(), "nothing flushed during the turn"));
      ctx.verify(() -> assertEquals(3, flusher.pending()));
      vertx.runOnContext(w -> {
        // The flush task was queued first: it ran before this one.
        batches.add(new ArrayList<>(current));
        current.clear();
        flusher.dirty("d", true);
        vertx.runOnContext(x -> {
          batches.add(new ArrayList<>(current));
          ctx.verify(() -> {
            assertEquals(List.of(List.of("a", "b", "c"), List.of("d")), batches);
            assertEquals(0, flusher.pending());
          });
          ctx.completeNow();
        });
      });
    });
  }

  @Test
  void aWindowHoldsTheBusyBatchUntilItEndsAndATargetDirtiedDuringAFlushWaitsForTheNext(Vertx vertx,
                                                                                     VertxTestContext ctx) {
    long window = 50;
    List<Long> flushedAfter = new ArrayList<>();
    List<String> flushed = new ArrayList<>();
    vertx.runOnContext(v -> {
      long started = System.nanoTime();
      Flusher<String>[] self = new Flusher[1];
      self[0] = new Flusher<>(vertx, window, t -> {
        flushed.add(t);
        flushedAfter.add((System.nanoTime() - started) / 1_000_000);
        if (t.equals("a")) {
          self[0].dirty("again", true);
        }
        if (t.equals("again")) {
          ctx.verify(() -> {
            assertEquals(List.of("a", "b", "again"), flushed);
            assertTrue(flushedAfter.get(0) >= window, "flushed after " + flushedAfter.get(0) + " ms");
            assertTrue(flushedAfter.get(2) >= 2 * window, "the next batch waits its own window");
          });
          ctx.completeNow();
        }
      });
      self[0].start();
      self[0].dirty("a", true);
      self[0].dirty("b", true);
    });
  }

  @Test
  void stopFlushesWhatWaitsAndAfterItATargetIsFlushedAtOnce(Vertx vertx, VertxTestContext ctx) {
    List<String> flushed = new ArrayList<>();
    vertx.runOnContext(v -> {
      Flusher<String> flusher = new Flusher<>(vertx, 10_000, flushed::add);
      flusher.start();
      flusher.dirty("a", true);
      flusher.dirty("c", false);
      flusher.stop();
      flusher.dirty("b", true);
      ctx.verify(() -> assertEquals(List.of("c", "a", "b"), flushed));
      ctx.completeNow();
    });
  }
}
