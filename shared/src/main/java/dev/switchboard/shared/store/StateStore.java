package dev.switchboard.shared.store;

import dev.switchboard.shared.config.StateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Fast shared state: presence, sequence counters, dedup keys, token revocation, rate-limit counters.
 *
 * <p>Two implementations: {@link RedisStateStore} (any number of nodes) and {@link LocalStateStore} (in-process, only
 * for the single-node default). Keys are given without the deployment prefix; the store adds it. Key names are built
 * in {@link StateKeys} only. Every future completes on the caller's context; a backend failure fails it.
 */
public interface StateStore {

  /** The value, or null when absent or expired. */
  Future<String> get(String key);

  /** Sets the value; {@code ttlMs <= 0} keeps it until deleted. */
  Future<Void> set(String key, String value, long ttlMs);

  /** Sets the value only when the key is absent; true when it was set. {@code ttlMs <= 0} keeps it. */
  Future<Boolean> setIfAbsent(String key, String value, long ttlMs);

  /** Deletes the key; true when it existed. */
  Future<Boolean> delete(String key);

  /** Adds {@code delta} to a counter (absent counts as 0) and returns the new value. */
  Future<Long> incrBy(String key, long delta);

  /**
   * Token bucket: takes one token from the bucket {@code key} that refills at {@code perSecond} up to {@code burst}.
   * Returns 0 when a token was taken, else the milliseconds until one will be available.
   */
  default Future<Long> takeToken(String key, double perSecond, int burst) {
    return takeTokens(key, 1, perSecond, burst);
  }

  /**
   * {@link #takeToken} for {@code count} tokens at once (all or none; {@code count <= burst}): one request that
   * costs several units of work, such as a sync of many groups. Returns 0 when taken, else the milliseconds until
   * {@code count} tokens will be available.
   */
  Future<Long> takeTokens(String key, int count, double perSecond, int burst);

  /** Tokens one caller took from the bucket {@code key} since it last reported; see {@link #spendTokens}. */
  record Spend(String key, int count, double perSecond, int burst) {
  }

  /**
   * Adds several callers' consumption to their buckets in one request: each bucket refills at its {@code perSecond} up
   * to its {@code burst} (on the store's clock, like {@link #takeTokens}, and in the same keys, so both may share a
   * bucket), then loses its {@code count} whatever it held: a bucket may go below zero, and then takes that long to
   * refill. Returns each bucket's tokens afterwards, in the order given (negative: overspent). Used by the gateways'
   * local rate limiters, which report once per interval instead of asking once per message.
   */
  Future<double[]> spendTokens(java.util.List<Spend> spends);

  /** Sets one field of the hash {@code key}. Hashes do not expire. */
  Future<Void> hset(String key, String field, String value);

  /** Deletes one field of the hash {@code key}; true when it existed. */
  Future<Boolean> hdel(String key, String field);

  /** Every field of the hash {@code key} (empty when absent). */
  Future<Map<String, String>> hgetall(String key);

  Future<Void> close();

  /** The store the config names. The local store is one per Vert.x instance, shared by its verticles. */
  static StateStore create(Vertx vertx, StateConfig config) {
    return config.kind().equals("redis") ? new RedisStateStore(vertx, config) : LocalStateStore.shared(vertx,
        config.prefix());
  }
}
