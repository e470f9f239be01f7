package dev.switchboard.shared.store;

import dev.switchboard.shared.config.RetentionConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bounded background deletion of old messages: every {@code intervalSeconds}, the instance that takes the job's
 * lock in shared state (one per cluster per interval) deletes batches through {@code step} until a batch comes back
 * short or {@code maxPerRun} are gone. Each batch is the step's own transaction; nothing waits on the job. Deletions
 * are counted in {@code switchboard.retention.deleted{job}}; a failed batch ends the run (logged) and the next run
 * starts over.
 */
public final class RetentionJob {
  private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

  private final Vertx vertx;
  private final StateStore state;
  private final String name;
  private final RetentionConfig config;
  private final IntFunction<Future<Integer>> step;
  private final String holder = UUID.randomUUID().toString();
  private final Counter deleted;
  private long timer = -1;
  private boolean running;

  /** {@code step} deletes up to its argument's messages in one transaction and completes with how many it deleted. */
  public RetentionJob(Vertx vertx, StateStore state, String name, RetentionConfig config,
                      IntFunction<Future<Integer>> step) {
    this.vertx = vertx;
    this.state = state;
    this.name = name;
    this.config = config;
    this.step = step;
    this.deleted = Counter.builder("switchboard.retention.deleted").tag("job", name)
        .description("Messages deleted by the retention job").register(Metrics.globalRegistry);
  }

  /** Starts the periodic runs (the first one interval after now). Call on the owning verticle's context. */
  public void start() {
    timer = vertx.setPeriodic(config.intervalSeconds() * 1000, t -> run());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One run, if this instance takes the lock; completes with how many messages it deleted (0 without the lock). */
  public Future<Integer> run() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    long lockMs = Math.max(1_000, config.intervalSeconds() * 1000 - 500);
    return state.setIfAbsent(StateKeys.retentionLock(name), holder, lockMs)
        .compose(mine -> mine ? batches(0) : Future.succeededFuture(0))
        .onComplete(ar -> {
          running = false;
          if (ar.failed()) {
            LOG.log(Level.WARNING, "retention (" + name + ") stopped for this run: " + ar.cause(), ar.cause());
          }
        });
  }

  private Future<Integer> batches(int done) {
    int size = Math.min(config.batch(), config.maxPerRun() - done);
    if (size <= 0) {
      return Future.succeededFuture(done);
    }
    return step.apply(size).compose(n -> {
      deleted.increment(n);
      return n < size ? Future.succeededFuture(done + n) : batches(done + n);
    });
  }
}
