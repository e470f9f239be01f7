package dev.switchboard.router.sending;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.config.RouterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for sends: sends queue up while one transaction is in flight, and the next transaction takes up to
 * {@code maxBatch} of them at once. A lone send waits at most {@code flushDelayMs} for company. The queue is bounded
 * ({@code maxPending}); past it sends fail {@code unavailable} at once instead of piling up.
 *
 * <p>Confined to the owning verticle's event loop. A failed transaction (a deadlock, or a duplicate {@code cid} that
 * another router committed meanwhile) is retried whole, a few times, before its sends fail {@code unavailable}: the
 * client retries with the same {@code cid}, which is safe.
 */
final class BatchWriter {
  private static final Logger LOG = Logger.getLogger(BatchWriter.class.getName());
  private static final int ATTEMPTS = 4;

  private record Pending(MessageStore.Item item, Promise<Stored> promise) {
  }

  private final Vertx vertx;
  private final MessageStore store;
  private final RouterConfig config;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean writing;
  private long timer = -1;

  BatchWriter(Vertx vertx, MessageStore store, RouterConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
  }

  Future<Stored> submit(MessageStore.Item item) {
    if (queue.size() >= config.maxPending()) {
      return Future.failedFuture(new ImException(ErrorCode.UNAVAILABLE, "router overloaded; retry"));
    }
    Promise<Stored> promise = Promise.promise();
    queue.add(new Pending(item, promise));
    if (!writing) {
      if (queue.size() >= config.maxBatch() || config.flushDelayMs() <= 0) {
        flush();
      } else if (timer < 0) {
        timer = vertx.setTimer(config.flushDelayMs(), id -> {
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
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), config.maxBatch()));
    while (!queue.isEmpty() && batch.size() < config.maxBatch()) {
      batch.add(queue.poll());
    }
    List<MessageStore.Item> items = batch.stream().map(Pending::item).toList();
    writing = true;
    write(items, 1).onComplete(ar -> {
      writing = false;
      if (ar.succeeded()) {
        List<Object> outcomes = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          Object o = outcomes.get(i);
          if (o instanceof Stored s) {
            batch.get(i).promise.complete(s);
          } else {
            batch.get(i).promise.fail((Throwable) o);
          }
        }
      } else {
        LOG.log(Level.WARNING, "writing a batch of " + batch.size() + " messages failed", ar.cause());
        ImException e = new ImException(ErrorCode.UNAVAILABLE, "message not stored; retry with the same cid");
        batch.forEach(p -> p.promise.fail(e));
      }
      // Whatever queued meanwhile has waited a whole transaction already: write it now.
      flush();
    });
  }

  private Future<List<Object>> write(List<MessageStore.Item> items, int attempt) {
    return store.write(items).recover(t -> {
      if (attempt >= ATTEMPTS) {
        return Future.failedFuture(t);
      }
      Promise<List<Object>> retry = Promise.promise();
      vertx.setTimer(5L * attempt, id -> write(items, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  int pending() {
    return queue.size();
  }
}
