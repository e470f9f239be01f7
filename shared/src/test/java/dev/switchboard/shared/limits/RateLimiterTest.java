package dev.switchboard.shared.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.store.LocalStateStore;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Limiters sharing one store, as gateway instances share Redis (here the embedded {@link LocalStateStore}), on a
 * clock the test moves. Rates are low enough that the store's own clock adds no visible refill.
 */
@ExtendWith(VertxExtension.class)
class RateLimiterTest {
  private static final double SLOW = 0.001;
  private final long[] now = {1_000_000};
  private Reports store;

  /** The real store, counting report calls and failing them on demand. */
  private static final class Reports implements StateStore {
    final StateStore real;
    int calls;
    boolean down;

    Reports(StateStore real) {
      this.real = real;
    }

    @Override
    public Future<double[]> spendTokens(List<Spend> spends) {
      calls++;
      return down ? Future.failedFuture(new IllegalStateException("store down")) : real.spendTokens(spends);
    }

    @Override
    public Future<String> get(String key) {
      return real.get(key);
    }

    @Override
    public Future<Void> set(String key, String value, long ttlMs) {
      return real.set(key, value, ttlMs);
    }

    @Override
    public Future<Boolean> setIfAbsent(String key, String value, long ttlMs) {
      return real.setIfAbsent(key, value, ttlMs);
    }

    @Override
    public Future<Boolean> delete(String key) {
      return real.delete(key);
    }

    @Override
    public Future<Long> incrBy(String key, long delta) {
      return real.incrBy(key, delta);
    }

    @Override
    public Future<Long> takeTokens(String key, int count, double perSecond, int burst) {
      return real.takeTokens(key, count, perSecond, burst);
    }

    @Override
    public Future<Void> hset(String key, String field, String value) {
      return real.hset(key, field, value);
    }

    @Override
    public Future<Boolean> hdel(String key, String field) {
      return real.hdel(key, field);
    }

    @Override
    public Future<Map<String, String>> hgetall(String key) {
      return real.hgetall(key);
    }

    @Override
    public Future<Void> close() {
      return real.close();
    }
  }

  @BeforeEach
  void store(Vertx vertx) {
    store = new Reports(LocalStateStore.shared(vertx, "test-" + UUID.randomUUID() + ":"));
  }

  private RateLimiter limiter() {
    return new RateLimiter(store, 1_000, () -> now[0]);
  }

  private static void await(Future<?> f) throws Exception {
    f.await(5, TimeUnit.SECONDS);
  }

  private static int admitted(RateLimiter l, String key, int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (l.take(key, SLOW, 10, 1) == 0) {
        n++;
      }
    }
    return n;
  }

  @Test
  void oneInstanceIsExactWithoutAnyReport() {
    RateLimiter a = limiter();
    assertEquals(10, admitted(a, "u1", 25));
    assertEquals(0, store.calls, "no shared-state call per take");
    ImException e = assertThrows(ImException.class, () -> a.require("u1", SLOW, 10, 1, "sending too fast"));
    assertEquals(ErrorCode.RATE_LIMITED, e.code());
    assertEquals("sending too fast", e.getMessage());
    assertEquals(1_000_000L, e.details().getLong("retryAfterMs"), "one token at 0.001/s");
  }

  @Test
  void twoInstancesShareTheBudgetAfterOneReport() throws Exception {
    RateLimiter a = limiter();
    RateLimiter b = limiter();
    // Within one interval each instance sees only its own consumption: the overshoot bound is one burst here.
    assertEquals(10, admitted(a, "u1", 10));
    assertEquals(10, admitted(b, "u1", 10));
    await(a.report());
    await(b.report());
    assertEquals(2, store.calls);
    assertEquals(0, admitted(a, "u1", 5), "the shared bucket is 10 below zero: both refuse");
    assertEquals(0, admitted(b, "u1", 5));
    long wait = b.take("u1", SLOW, 10, 1);
    assertTrue(wait >= 10_000_000L, "retryAfterMs covers the overdraft, got " + wait);
  }

  @Test
  void anInstanceSeesOtherInstancesConsumptionAfterItsOwnNextReport() throws Exception {
    RateLimiter a = limiter();
    RateLimiter b = limiter();
    assertEquals(8, admitted(a, "u1", 8));
    await(a.report());
    assertEquals(1, admitted(b, "u1", 1));
    await(b.report());
    assertEquals(1, admitted(b, "u1", 5), "8 + 1 reported, one token left in the shared bucket");
  }

  @Test
  void oneReportPerIntervalWhateverTheNumberOfUsers() throws Exception {
    RateLimiter a = limiter();
    for (int u = 0; u < 500; u++) {
      for (int i = 0; i < 3; i++) {
        a.take("u" + u, SLOW, 10, 1);
      }
    }
    await(a.report());
    assertEquals(1, store.calls);
    await(a.report());
    assertEquals(1, store.calls, "nothing taken since: no call");
  }

  @Test
  void aFailedReportKeepsLimitingLocallyAndIsSentLater() throws Exception {
    RateLimiter a = limiter();
    RateLimiter b = limiter();
    store.down = true;
    assertEquals(10, admitted(a, "u1", 10));
    await(a.report());
    assertEquals(0, admitted(a, "u1", 3), "the local bucket still holds");
    store.down = false;
    await(a.report());
    assertEquals(1, admitted(b, "u1", 1));
    await(b.report());
    assertEquals(0, admitted(b, "u1", 1), "a's 10 arrived with its second report");
  }

  @Test
  void idleBucketsAreForgotten() throws Exception {
    RateLimiter a = new RateLimiter(store, 1_000, () -> now[0]);
    for (int u = 0; u < 100; u++) {
      a.take("u" + u, 10.0, 10, 1);
    }
    assertEquals(100, a.size());
    await(a.report());
    now[0] += 999;
    await(a.report());
    assertEquals(100, a.size(), "used within the interval");
    a.take("u7", 10.0, 10, 1);
    now[0] += 1;
    await(a.report());
    assertEquals(1, a.size(), "every bucket but the one just used is full and quiet");
    now[0] += 1_000;
    await(a.report());
    assertEquals(0, a.size());
  }
}
