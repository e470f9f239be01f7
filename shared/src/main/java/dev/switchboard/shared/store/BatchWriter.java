package dev.switchboard.shared.store;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: items queue up while one write is in flight, and the next write takes up to {@code maxBatch} of them
 * at once. A lone item waits at most {@code flushDelayMs} for company. The queue is bounded ({@code maxPending}); past
 * it items fail {@code unavailable} at once instead of piling up.
 *
 * <p>The write function runs one transaction for a batch and answers one outcome per item, in order: an {@code R}, or
 * a {@link Throwable} for that item alone. A failed transaction (a deadlock, or a duplicate that another instance
 * committed meanwhile) is retried whole, a few times, before its items fail {@code unavailable}: the client retries
 * with the same {@code cid}, which is safe. Confined to the owning verticle's event loop.
 *
 * @param <I> an item to write
 * @param <R> its outcome when written
 */
public final class BatchWriter<I, R> {
  private static final Logger LOG = Logger.getLogger(BatchWriter.class.getName());
  private static final int ATTEMPTS = 4;

  private record Pending<I, R>(I item, Promise<R> promise) {
  }

  private final Vertx vertx;
  private final Function<List<I>, Future<List<Object>>> store;
  private final int maxBatch;
  private final long flushDelayMs;
  private final int maxPending;
  private final ArrayDeque<Pending<I, R>> queue = new ArrayDeque<>();
  private final DistributionSummary sizes;
  private final Timer latencyOk;
  private final Timer latencyFailed;
  private boolean writing;
  private long timer = -1;

  /**
   * @param name names the writer in the meters {@code switchboard.db.batch.size} and {@code switchboard.db.batch}
   *             (transaction latency, with {@code outcome})
   */
  public BatchWriter(Vertx vertx, String name, Function<List<I>, Future<List<Object>>> store, int maxBatch,
                     long flushDelayMs, int maxPending) {
    this.vertx = vertx;
    this.sizes = DistributionSummary.builder("switchboard.db.batch.size").tag("writer", name)
        .description("items per batched transaction").register(Metrics.globalRegistry);
    this.latencyOk = Timer.builder("switchboard.db.batch").tag("writer", name).tag("outcome", "ok")
        .description("batched transaction latency").register(Metrics.globalRegistry);
    this.latencyFailed = Timer.builder("switchboard.db.batch").tag("writer", name).tag("outcome", "failed")
        .register(Metrics.globalRegistry);
    this.store = store;
    this.maxBatch = maxBatch;
    this.flushDelayMs = flushDelayMs;
    this.maxPending = maxPending;
  }

  public Future<R> submit(I item) {
    if (queue.size() >= maxPending) {
      return Future.failedFuture(new ImException(ErrorCode.UNAVAILABLE, "overloaded; retry"));
    }
    Promise<R> promise = Promise.promise();
    queue.add(new Pending<>(item, promise));
    if (!writing) {
      if (queue.size() >= maxBatch || flushDelayMs <= 0) {
        flush();
      } else if (timer < 0) {
        timer = vertx.setTimer(flushDelayMs, id -> {
          timer = -1;
          flush();
        });
      }
    }
    return promise.future();
  }

  private void flush() {
    if (writing || queue.isEmpty()) {
      return;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    List<Pending<I, R>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      batch.add(queue.poll());
    }
    List<I> items = batch.stream().map(Pending::item).toList();
    writing = true;
    sizes.record(items.size());
    long started = System.nanoTime();
    write(items, 1).onComplete(ar -> {
      writing = false;
      (ar.succeeded() ? latencyOk : latencyFailed).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      if (ar.succeeded()) {
        List<Object> outcomes = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          Object o = outcomes.get(i);
          if (o instanceof Throwable t) {
            batch.get(i).promise.fail(t);
          } else {
            @SuppressWarnings("unchecked")
            R r = (R) o;
            batch.get(i).promise.complete(r);
          }
        }
      } else {
        LOG.log(Level.WARNING, "writing a batch of " + batch.size() + " failed", ar.cause());
        ImException e = new ImException(ErrorCode.UNAVAILABLE, "not stored; retry with the same cid");
        batch.forEach(p -> p.promise.fail(e));
      }
      // Whatever queued meanwhile has waited a whole transaction already: write it now.
      flush();
    });
  }

  private Future<List<Object>> write(List<I> items, int attempt) {
    return store.apply(items).recover(t -> {
      if (attempt >= ATTEMPTS) {
        return Future.failedFuture(t);
      }
      Promise<List<Object>> retry = Promise.promise();
      vertx.setTimer(5L * attempt, id -> write(items, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

}
