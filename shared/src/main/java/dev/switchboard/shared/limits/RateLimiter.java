package dev.switchboard.shared.limits;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.store.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Per-user rate limits held where the sessions live, reported to shared state once per interval instead of asking it
 * once per message. Each bucket ({@code key}, a {@code StateKeys} name: one user, one kind of work) is a local token
 * bucket ({@link Budget}); every {@code intervalMs} the limiter sends what each bucket active in the interval took,
 * all in one {@link StateStore#spendTokens} call, and caps each local bucket by the shared bucket's answer. So the
 * budget is one per user across devices, gateway instances and nodes, eventually: a user active on k instances can
 * exceed it by at most {@code (k − 1) × (burst + perSecond × interval)} before the reports catch up, and that excess
 * leaves the shared bucket below zero, so every instance refuses until it is repaid (the long-run rate holds). When
 * shared state fails, each instance keeps limiting on its own and reports the count later.
 *
 * <p>Memory: a bucket is forgotten once it is idle (nothing to report, unused for an interval, full again), so the
 * limiter holds only users active within about their refill time. Confined to one event loop (one limiter per
 * verticle instance): {@link #take} and the timer run there.
 */
public final class RateLimiter {
  private static final Counter REPORTS_OK = reports("ok");
  private static final Counter REPORTS_FAILED = reports("failed");

  private static Counter reports(String outcome) {
    return Counter.builder("switchboard.ratelimit.reports").tag("outcome", outcome)
        .description("rate-limit reports to shared state (one per interval per instance)")
        .register(Metrics.globalRegistry);
  }

  private final StateStore state;
  private final long intervalMs;
  private final LongSupplier clock;
  /** In access order: the least recently used first, where idle budgets are looked for. */
  private final LinkedHashMap<String, Budget> budgets = new LinkedHashMap<>(64, 0.75f, true);
  private List<Budget> toReport = new ArrayList<>();
  private boolean reporting;
  private Vertx vertx;
  private long timer = -1;

  public RateLimiter(StateStore state, long intervalMs, LongSupplier clock) {
    if (intervalMs < 1) {
      throw new IllegalArgumentException("the rate-limit report interval must be at least 1 ms");
    }
    this.state = state;
    this.intervalMs = intervalMs;
    this.clock = clock;
  }

  public RateLimiter(StateStore state, long intervalMs) {
    this(state, intervalMs, System::currentTimeMillis);
  }

  /** Reports every {@code intervalMs} on the caller's context until {@link #stop()}. */
  public void start(Vertx vertx) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(intervalMs, t -> report());
  }

  /** Stops the timer and sends what is still unreported (so a restart loses no consumption). */
  public Future<Void> stop() {
    if (vertx != null && timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return report();
  }

  /**
   * Takes {@code n} tokens from the bucket {@code key} (refill {@code perSecond}, at most {@code burst}): 0 when taken,
   * else the milliseconds until they will be there (nothing is taken then).
   */
  public long take(String key, double perSecond, int burst, int n) {
    long now = clock.getAsLong();
    Budget b = budgets.get(key);
    if (b == null) {
      b = new Budget(key, perSecond, burst, now);
      budgets.put(key, b);
    }
    long wait = b.take(n, now);
    if (wait == 0 && !b.listed) {
      b.listed = true;
      toReport.add(b);
    }
    return wait;
  }

  /**
   * Takes {@code n} tokens like {@link #take}, or throws {@code rate_limited} with {@code message} and
   * {@code retryAfterMs} (the frame clients already get for a refused send).
   */
  public void require(String key, double perSecond, int burst, int n, String message) {
    long wait = take(key, perSecond, burst, n);
    if (wait > 0) {
      throw new ImException(ErrorCode.RATE_LIMITED, message, new JsonObject().put("retryAfterMs", wait));
    }
  }

  /** Buckets held (for tests and stats). */
  public int size() {
    return budgets.size();
  }

  /**
   * Forgets idle budgets, then sends one report of every bucket used since the last report (none when nothing was,
   * or while the previous report is still in flight). The future completes when the answers are applied; a failed
   * report succeeds too, its counts kept for the next one.
   */
  public Future<Void> report() {
    evictIdle(clock.getAsLong());
    if (reporting || toReport.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Budget> batch = toReport;
    toReport = new ArrayList<>();
    List<StateStore.Spend> spends = new ArrayList<>(batch.size());
    for (Budget b : batch) {
      b.listed = false;
      spends.add(new StateStore.Spend(b.key, b.startReport(), b.perSecond, b.burst));
    }
    reporting = true;
    Future<double[]> answer;
    try {
      answer = state.spendTokens(spends);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.transform(ar -> {
      reporting = false;
      long now = clock.getAsLong();
      if (ar.succeeded()) {
        REPORTS_OK.increment();
        double[] left = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          if (Double.isNaN(left[i])) {
            relist(batch.get(i)); // its part of the report was not counted
          } else {
            batch.get(i).reported(left[i], now);
          }
        }
      } else {
        REPORTS_FAILED.increment();
        batch.forEach(this::relist);
      }
      return Future.succeededFuture();
    });
  }

  /** A report of {@code b} was not counted: its count goes back to pending, for the next report. */
  private void relist(Budget b) {
    b.reportFailed();
    if (!b.listed) {
      b.listed = true;
      toReport.add(b);
    }
  }

  private void evictIdle(long now) {
    Iterator<Budget> it = budgets.values().iterator();
    while (it.hasNext()) {
      Budget b = it.next();
      if (now - b.lastUsed < intervalMs) {
        return; // access order: everything after it was used more recently
      }
      if (b.idle(now, intervalMs)) {
        it.remove();
      }
    }
  }
}
