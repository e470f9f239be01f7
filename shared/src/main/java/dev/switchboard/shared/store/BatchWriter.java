package dev.switchboard.shared.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.DatabaseException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit: items queue up while one write is in flight, and the next write takes up to {@code maxBatch} of them
 * at once. A lone item waits at most {@code flushDelayMs} for company. The queue is bounded ({@code maxPending}); past
 * it items fail {@code unavailable} at once instead of piling up.
 *
 * <p>The write function runs one transaction for a batch and answers one outcome per item, in order: an {@code R}, or
 * a {@link Throwable} for that item alone.
 *
 * <p>A row that fails fails only its own item. When the database refuses a batch's transaction (a statement failed: a
 * key it would violate, a value it can't hold, a deadlock), the writer does not know which row is at fault, so it
 * writes each half of the batch as its own transaction, recursively: the rows that can commit do, and a row refused
 * alone, after a few attempts (a duplicate another instance committed meanwhile is found by the next attempt's
 * lookup), fails {@code internal} by itself. The cost is about two transactions per halving, only on the failing
 * path; the normal path stays one transaction per batch. A transaction that fails for another reason (the database
 * unreachable, a lost connection) is retried whole a few times before its items fail {@code unavailable}: the client
 * retries with the same {@code cid}, which is safe. Confined to the owning verticle's event loop.
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
  private final Counter refused;
  private boolean writing;
  private long timer = -1;

  /**
   * @param name names the writer in the meters {@code switchboard.db.batch.size}, {@code switchboard.db.batch}
   *             (transaction latency, with {@code outcome}) and {@code switchboard.db.batch.refused}
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
    this.refused = Counter.builder("switchboard.db.batch.refused").tag("writer", name)
        .description("items the database refused alone (after isolating them from their batch)")
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

  /**
   * The outcomes of {@code items}, in order. Fails (the whole batch) only when the database could not be reached after
   * {@link #ATTEMPTS}; a transaction it refused is split instead (see the class comment).
   */
  private Future<List<Object>> write(List<I> items, int attempt) {
    Future<List<Object>> written;
    try {
      written = store.apply(items);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    return written.recover(t -> {
      boolean refusedByDatabase = refusedByDatabase(t);
      if (refusedByDatabase && items.size() > 1) {
        return isolate(items);
      }
      if (attempt >= ATTEMPTS) {
        if (!refusedByDatabase) {
          return Future.failedFuture(t);
        }
        refused.increment();
        LOG.log(Level.WARNING, "the database refused one item of a batch; it fails alone", t);
        return Future.succeededFuture(List.of(new ImException(ErrorCode.INTERNAL,
            "not stored: the database refused this message")));
      }
      Promise<List<Object>> retry = Promise.promise();
      vertx.setTimer(5L * attempt, id -> write(items, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  /** Writes each half of {@code items} as its own transaction, in order, and joins their outcomes. */
  private Future<List<Object>> isolate(List<I> items) {
    int half = items.size() / 2;
    return settled(items.subList(0, half)).compose(first -> settled(items.subList(half, items.size())).map(second -> {
      List<Object> all = new ArrayList<>(items.size());
      all.addAll(first);
      all.addAll(second);
      return all;
    }));
  }

  /** The outcomes of a part; when it can't be written at all, each of its items fails {@code unavailable}. */
  private Future<List<Object>> settled(List<I> part) {
    return write(part, 1).recover(t -> {
      LOG.log(Level.WARNING, "writing part of a batch (" + part.size() + " items) failed", t);
      return Future.succeededFuture(Collections.nCopies(part.size(),
          new ImException(ErrorCode.UNAVAILABLE, "not stored; retry with the same cid")));
    });
  }

  /**
   * Whether the database answered the transaction with an error (SQL or vendor error: a constraint, a value, a
   * deadlock), as opposed to not answering (SQLSTATE class 08, connection exceptions, a lost connection, a timeout).
   */
  static boolean refusedByDatabase(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String state;
      if (c instanceof DatabaseException d) {
        state = d.getSqlState();
      } else if (c instanceof SQLException e) {
        state = e.getSQLState();
      } else {
        continue;
      }
      return state == null || !state.startsWith("08");
    }
    return false;
  }
}
