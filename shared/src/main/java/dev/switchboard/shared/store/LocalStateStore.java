package dev.switchboard.shared.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process state for the single-node default: a concurrent map with per-key expiry; expired keys are purged by the
 * writes themselves, at most every few seconds (no timer, so nothing depends on which verticle created the store).
 * Never use it in a cluster: other nodes would not see it (the launcher refuses that configuration).
 */
public final class LocalStateStore implements StateStore, Shareable {
  private static final long PURGE_EVERY_MS = 5_000;

  private record Entry(String value, long expiresAt, double tokens, long refilledAt) {
    boolean live(long now) {
      return expiresAt <= 0 || expiresAt > now;
    }
  }

  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> hashes = new ConcurrentHashMap<>();
  private final String prefix;
  private final AtomicLong lastPurge = new AtomicLong(System.currentTimeMillis());

  private LocalStateStore(String prefix) {
    this.prefix = prefix;
  }

  /** The store of this Vert.x instance for {@code prefix}, created on first use. */
  public static LocalStateStore shared(Vertx vertx, String prefix) {
    return (LocalStateStore) vertx.sharedData().<String, Shareable>getLocalMap("switchboard.state")
        .computeIfAbsent(prefix, LocalStateStore::new);
  }

  /** Called by writes: drops expired keys when the last purge is older than {@link #PURGE_EVERY_MS}. */
  private void maybePurge(long now) {
    long last = lastPurge.get();
    if (now - last > PURGE_EVERY_MS && lastPurge.compareAndSet(last, now)) {
      map.values().removeIf(e -> !e.live(now));
    }
  }

  private Entry live(String key) {
    Entry e = map.get(prefix + key);
    return e != null && e.live(System.currentTimeMillis()) ? e : null;
  }

  private static long expiry(long ttlMs) {
    return ttlMs > 0 ? System.currentTimeMillis() + ttlMs : 0;
  }

  @Override
  public Future<String> get(String key) {
    Entry e = live(key);
    return Future.succeededFuture(e == null ? null : e.value);
  }

  @Override
  public Future<Void> set(String key, String value, long ttlMs) {
    maybePurge(System.currentTimeMillis());
    map.put(prefix + key, new Entry(value, expiry(ttlMs), 0, 0));
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> setIfAbsent(String key, String value, long ttlMs) {
    long now = System.currentTimeMillis();
    maybePurge(now);
    boolean[] set = {false};
    map.compute(prefix + key, (k, old) -> {
      if (old != null && old.live(now)) {
        return old;
      }
      set[0] = true;
      return new Entry(value, expiry(ttlMs), 0, 0);
    });
    return Future.succeededFuture(set[0]);
  }

  @Override
  public Future<Boolean> delete(String key) {
    Entry old = map.remove(prefix + key);
    return Future.succeededFuture(old != null && old.live(System.currentTimeMillis()));
  }

  @Override
  public Future<Long> incrBy(String key, long delta) {
    long now = System.currentTimeMillis();
    Entry e = map.compute(prefix + key, (k, old) -> {
      long base = old != null && old.live(now) ? parse(old.value) : 0;
      return new Entry(Long.toString(base + delta), old != null && old.live(now) ? old.expiresAt : 0, 0, 0);
    });
    return Future.succeededFuture(Long.parseLong(e.value));
  }

  private static long parse(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("value is not an integer");
    }
  }

  @Override
  public Future<Long> takeTokens(String key, int count, double perSecond, int burst) {
    long now = System.currentTimeMillis();
    maybePurge(now);
    long[] wait = {0};
    map.compute(prefix + key, (k, old) -> {
      double tokens = old == null || !old.live(now) ? burst
          : Math.min(burst, old.tokens + (now - old.refilledAt) * perSecond / 1000.0);
      if (tokens >= count) {
        tokens -= count;
      } else {
        wait[0] = (long) Math.ceil((count - tokens) * 1000.0 / perSecond);
      }
      long idleExpiry = now + (long) Math.ceil(burst * 1000.0 / perSecond) + 1000;
      return new Entry(null, idleExpiry, tokens, now);
    });
    return Future.succeededFuture(wait[0]);
  }

  @Override
  public Future<double[]> spendTokens(java.util.List<Spend> spends) {
    long now = System.currentTimeMillis();
    maybePurge(now);
    double[] left = new double[spends.size()];
    for (int i = 0; i < left.length; i++) {
      Spend s = spends.get(i);
      int at = i;
      map.compute(prefix + s.key(), (k, old) -> {
        double tokens = (old == null || !old.live(now) ? s.burst()
            : Math.min(s.burst(), old.tokens + Math.max(0, now - old.refilledAt) * s.perSecond() / 1000.0))
            - s.count();
        left[at] = tokens;
        long untilFull = (long) Math.ceil((s.burst() - Math.min(tokens, s.burst())) * 1000.0 / s.perSecond());
        return new Entry(null, now + untilFull + 1000, tokens, now);
      });
    }
    return Future.succeededFuture(left);
  }

  @Override
  public Future<Void> hset(String key, String field, String value) {
    hashes.computeIfAbsent(prefix + key, k -> new ConcurrentHashMap<>()).put(field, value);
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> hdel(String key, String field) {
    boolean[] removed = {false};
    hashes.computeIfPresent(prefix + key, (k, fields) -> {
      removed[0] = fields.remove(field) != null;
      return fields.isEmpty() ? null : fields;
    });
    return Future.succeededFuture(removed[0]);
  }

  @Override
  public Future<Map<String, String>> hgetall(String key) {
    Map<String, String> fields = hashes.get(prefix + key);
    return Future.succeededFuture(fields == null ? new HashMap<>() : new HashMap<>(fields));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
