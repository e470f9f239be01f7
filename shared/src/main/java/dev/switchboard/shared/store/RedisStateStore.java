package dev.switchboard.shared.store;

import dev.switchboard.shared.config.StateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link StateStore} on Redis, shared by every node of a cluster. */
public final class RedisStateStore implements StateStore {
  /** Token bucket on the server's clock, so nodes with skewed clocks agree. Returns 0 or the wait in ms. */
  private static final String TAKE_TOKEN = """
      local rate = tonumber(ARGV[1]) / 1000.0
      local burst = tonumber(ARGV[2])
      local n = tonumber(ARGV[3]) or 1
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
      local tokens = tonumber(s[1]) or burst
      local ts = tonumber(s[2]) or now
      tokens = math.min(burst, tokens + (now - ts) * rate)
      local wait = 0
      if tokens >= n then tokens = tokens - n else wait = math.ceil((n - tokens) / rate) end
      redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
      redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
      return wait
      """;

  private volatile String takeTokenSha;
  private final Redis client;
  private final RedisAPI redis;
  private final String prefix;

  public RedisStateStore(Vertx vertx, StateConfig config) {
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
        .setMaxPoolSize(16).setMaxPoolWaiting(4096));
    this.redis = RedisAPI.api(client);
    this.prefix = config.prefix();
  }

  private String k(String key) {
    return prefix + key;
  }

  @Override
  public Future<String> get(String key) {
    return redis.get(k(key)).map(r -> r == null ? null : r.toString());
  }

  @Override
  public Future<Void> set(String key, String value, long ttlMs) {
    List<String> args = ttlMs > 0 ? List.of(k(key), value, "PX", Long.toString(ttlMs)) : List.of(k(key), value);
    return redis.set(args).mapEmpty();
  }

  @Override
  public Future<Boolean> setIfAbsent(String key, String value, long ttlMs) {
    List<String> args = ttlMs > 0 ? List.of(k(key), value, "NX", "PX", Long.toString(ttlMs))
        : List.of(k(key), value, "NX");
    return redis.set(args).map(r -> r != null);
  }

  @Override
  public Future<Boolean> delete(String key) {
    return redis.del(List.of(k(key))).map(r -> r.toLong() > 0);
  }

  @Override
  public Future<Long> incrBy(String key, long delta) {
    return redis.incrby(k(key), Long.toString(delta)).map(Response::toLong);
  }

  /** EVALSHA of the loaded script; loads it first, and again when Redis answers NOSCRIPT (e.g. after a restart). */
  @Override
  public Future<Long> takeTokens(String key, int count, double perSecond, int burst) {
    List<String> args = List.of("1", k(key), Double.toString(perSecond), Integer.toString(burst),
        Integer.toString(count));
    String sha = takeTokenSha;
    Future<String> loaded = sha != null ? Future.succeededFuture(sha) : loadScript();
    return loaded.compose(s -> evalsha(s, args)).recover(t -> String.valueOf(t.getMessage()).startsWith("NOSCRIPT")
        ? loadScript().compose(s -> evalsha(s, args)) : Future.failedFuture(t));
  }

  private Future<String> loadScript() {
    return redis.script(List.of("LOAD", TAKE_TOKEN)).map(r -> {
      takeTokenSha = r.toString();
      return takeTokenSha;
    });
  }

  private Future<Long> evalsha(String sha, List<String> args) {
    List<String> all = new java.util.ArrayList<>(args.size() + 1);
    all.add(sha);
    all.addAll(args);
    return redis.evalsha(all).map(Response::toLong);
  }

  @Override
  public Future<Void> hset(String key, String field, String value) {
    return redis.hset(List.of(k(key), field, value)).mapEmpty();
  }

  @Override
  public Future<Boolean> hdel(String key, String field) {
    return redis.hdel(List.of(k(key), field)).map(r -> r.toLong() > 0);
  }

  @Override
  public Future<Map<String, String>> hgetall(String key) {
    return redis.hgetall(k(key)).map(r -> {
      Map<String, String> fields = new HashMap<>();
      if (r != null) {
        for (String f : r.getKeys()) {
          fields.put(f, r.get(f).toString());
        }
      }
      return fields;
    });
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
