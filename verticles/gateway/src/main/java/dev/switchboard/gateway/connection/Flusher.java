package dev.switchboard.gateway.connection;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The write schedule of one gateway instance. A connection with frames waiting is marked dirty once, and dirty
 * connections are flushed together in one of two batches:
 * <ul>
 *   <li>at the end of the current event-loop turn (a task queued behind the work already waiting): a connection that
 *       was not written in the last window, so a quiet session's frame leaves at once;</li>
 *   <li>at the next window tick ({@code windowMs} after the batch's first connection): a connection written less than
 *       a window ago (it is busy), so it gets at most about one write per window, carrying everything that came in
 *       the meantime.</li>
 * </ul>
 * With a window of 0 every batch is the end of the turn. One task and one timer per instance at most, never one per
 * connection.
 *
 * <p>Confined to the instance's event loop: {@link #dirty} must be called there, and the flushes run there.
 *
 * @param <T> what is flushed (a {@link Connection})
 */
final class Flusher<T> {
  private final Vertx vertx;
  private final long windowMs;
  private final Consumer<T> flush;
  private Context context;
  /** Dirty targets for the end of the turn, and for the next window tick. */
  private ArrayList<T> turn = new ArrayList<>();
  private ArrayList<T> window = new ArrayList<>();
  /** An empty list to swap in while a batch is flushed (a flush may mark targets dirty for the next batch). */
  private ArrayList<T> spare = new ArrayList<>();
  private boolean turnScheduled;
  private long timer = -1;
  private boolean stopped;

  Flusher(Vertx vertx, long windowMs, Consumer<T> flush) {
    this.vertx = vertx;
    this.windowMs = windowMs;
    this.flush = flush;
  }

  /** Binds to the calling context: call on the instance's event loop before the first {@link #dirty}. */
  void start() {
    context = vertx.getOrCreateContext();
  }

  long windowMs() {
    return windowMs;
  }

  /**
   * Marks {@code t} to be flushed: with the next window tick when {@code busy} (and the window is not 0), else at the
   * end of this turn. Call once per batch for each target (when its first frame waits).
   */
  void dirty(T t, boolean busy) {
    if (stopped) {
      flush.accept(t);
    } else if (busy && windowMs > 0) {
      window.add(t);
      if (timer == -1) {
        timer = vertx.setTimer(windowMs, id -> {
          timer = -1;
          ArrayList<T> batch = window;
          window = takeSpare();
          run(batch);
        });
      }
    } else {
      turn.add(t);
      if (!turnScheduled) {
        turnScheduled = true;
        context.runOnContext(v -> {
          turnScheduled = false;
          ArrayList<T> batch = turn;
          turn = takeSpare();
          run(batch);
        });
      }
    }
  }

  private ArrayList<T> takeSpare() {
    ArrayList<T> s = spare;
    spare = null;
    return s != null ? s : new ArrayList<>();
  }

  private void run(ArrayList<T> batch) {
    for (int i = 0; i < batch.size(); i++) {
      flush.accept(batch.get(i));
    }
    batch.clear();
    spare = batch;
  }

  /** Flushes what waits in both batches and schedules nothing more (the instance is stopping). */
  void stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    ArrayList<T> first = turn;
    ArrayList<T> second = window;
    turn = new ArrayList<>();
    window = new ArrayList<>();
    run(first);
    run(second);
  }

  /** Targets waiting for a flush. */
  int pending() {
    return turn.size() + window.size();
  }
}
