package dev.switchboard.gateway.connection;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The write window of one gateway instance: connections with frames waiting are marked dirty, and all of them are
 * flushed together, once per window ({@code windowMs}) or, with a window of 0, at the end of the current event-loop
 * turn (a task queued behind the work already waiting, so a backlog of deliveries is flushed once, after all of it).
 * One timer or task per instance at a time, never one per connection.
 *
 * <p>Confined to the instance's event loop: {@link #dirty} must be called there, and the flush runs there.
 *
 * @param <T> what is flushed (a {@link Connection})
 */
final class Flusher<T> {
  private final Vertx vertx;
  private final long windowMs;
  private final Consumer<T> flush;
  private Context context;
  private ArrayList<T> dirty = new ArrayList<>();
  private ArrayList<T> spare = new ArrayList<>();
  private long timer = -1;
  private boolean scheduled;
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

  /** Marks {@code t} to be flushed with the next batch; call once per batch for each (when its first frame waits). */
  void dirty(T t) {
    if (stopped) {
      flush.accept(t);
      return;
    }
    dirty.add(t);
    if (!scheduled) {
      scheduled = true;
      if (windowMs == 0) {
        context.runOnContext(v -> flushAll());
      } else {
        timer = vertx.setTimer(windowMs, id -> flushAll());
      }
    }
  }

  /** Flushes every dirty target now, in the order they became dirty. */
  void flushAll() {
    scheduled = false;
    timer = -1;
    // Swapped, not iterated in place: a flush may make another target dirty (for the next batch).
    ArrayList<T> batch = dirty;
    dirty = spare;
    spare = batch;
    for (int i = 0; i < batch.size(); i++) {
      flush.accept(batch.get(i));
    }
    batch.clear();
  }

  /** Flushes what waits and schedules nothing more (the instance is stopping). */
  void stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    flushAll();
  }

  /** Targets waiting for the next flush. */
  int pending() {
    return dirty.size();
  }
}
