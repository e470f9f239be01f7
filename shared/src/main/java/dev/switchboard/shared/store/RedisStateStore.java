package dev.switchboard.shared.store;

import dev.switchboard.shared.config.StateConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
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

  /**
   * {@link StateStore#spendTokens}: KEYS are the buckets, ARGV three per bucket (count, perSecond, burst); returns
   * each bucket's tokens afterwards as a string (fractional, may be negative). Same fields as {@link #TAKE_TOKEN}.
   */
  private static final String SPEND_TOKENS = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local out = {}
      for i, key in ipairs(KEYS) do
        local n = tonumber(ARGV[3 * i - 2])
        local rate = tonumber(ARGV[3 * i - 1]) / 1000.0
        local burst = tonumber(ARGV[3 * i])
        local s = redis.call('HMGET', key, 'tokens', 'ts')
        local tokens = tonumber(s[1]) or burst
        local ts = tonumber(s[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - ts) * rate) - n
        redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', now)
        redis.call('PEXPIRE', key, math.ceil((burst - math.min(tokens, burst)) / rate) + 1000)
        out[i] = tostring(tokens)
      end
      return out
      """;
  /** Most buckets in one script call, so one call never holds Redis for long; larger reports go as several. */
  static final int SPEND_CHUNK = 1024;

  private volatile String takeTokenSha;
  private volatile String spendTokensSha;
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
    return script(TAKE_TOKEN, true, args).map(Response::toLong);
  }

  /**
   * One EVALSHA per {@link #SPEND_CHUNK} buckets, all sent at once (the client pipelines them). A chunk that fails
   * while others succeed answers {@code NaN} for its buckets (not counted: report them again); fails when all fail.
   */
  @Override
  public Future<double[]> spendTokens(List<Spend> spends) {
    List<Future<Response>> chunks = new ArrayList<>();
    for (int from = 0; from < spends.size(); from += SPEND_CHUNK) {
      List<Spend> chunk = spends.subList(from, Math.min(spends.size(), from + SPEND_CHUNK));
      List<String> args = new ArrayList<>(1 + chunk.size() * 4);
      args.add(Integer.toString(chunk.size()));
      for (Spend s : chunk) {
        args.add(k(s.key()));
      }
      for (Spend s : chunk) {
        args.add(Integer.toString(s.count()));
        args.add(Double.toString(s.perSecond()));
        args.add(Integer.toString(s.burst()));
      }
      chunks.add(script(SPEND_TOKENS, false, args));
    }
    return Future.join(chunks).recover(t -> chunks.stream().anyMatch(Future::succeeded)
        ? Future.succeededFuture() : Future.failedFuture(t)).map(done -> {
      double[] left = new double[spends.size()];
      int i = 0;
      for (int c = 0; c < chunks.size(); c++) {
        Future<Response> chunk = chunks.get(c);
        int size = Math.min(SPEND_CHUNK, spends.size() - c * SPEND_CHUNK);
        for (int j = 0; j < size; j++) {
          left[i++] = chunk.succeeded() ? Double.parseDouble(chunk.result().get(j).toString()) : Double.NaN;
        }
      }
      return left;
    });
  }

  private Future<Response> script(String source, boolean take, List<String> args) {
    String sha = take ? takeTokenSha : spendTokensSha;
    Future<String> loaded = sha != null ? Future.succeededFuture(sha) : loadScript(source, take);
    return loaded.compose(s -> evalsha(s, args)).recover(t -> String.valueOf(t.getMessage()).startsWith("NOSCRIPT")
        ? loadScript(source, take).compose(s -> evalsha(s, args)) : Future.failedFuture(t));
  }

  private Future<String> loadScript(String source, boolean take) {
    return redis.script(List.of("LOAD", source)).map(r -> {
      String sha = r.toString();
      if (take) {
        takeTokenSha = sha;
      } else {
        spendTokensSha = sha;
      }
      return sha;
    });
  }

  private Future<Response> evalsha(String sha, List<String> args) {
    List<String> all = new ArrayList<>(args.size() + 1);
    all.add(sha);
    all.addAll(args);
    return redis.evalsha(all);
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
