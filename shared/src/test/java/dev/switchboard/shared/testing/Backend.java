package dev.switchboard.shared.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.SqlClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The two storage backends every storage test runs against: the embedded default (H2 file database + in-process
 * state) and real MariaDB/MySQL + Redis. Each {@link #open} gives an isolated storage config (its own database or
 * directory and its own key prefix) and {@link Storage#close()} removes it.
 *
 * <p>MariaDB and Redis addresses come from {@code SB_TEST_MYSQL_HOST/PORT/USER/PASSWORD} and {@code SB_TEST_REDIS_URL}
 * (defaults: 127.0.0.1:3306, user switchboard/switchboard, redis://127.0.0.1:6379); scripts/test.sh makes them exist.
 */
public enum Backend {
  EMBEDDED, MARIADB;

  private static final long WAIT_S = 30;

  /** An isolated storage section ({@code db} and {@code state}) for a node config, and how to remove it. */
  public interface Storage extends AutoCloseable {
    JsonObject config();

    @Override
    void close();
  }

  private record Opened(JsonObject config, Runnable cleanup) implements Storage {
    @Override
    public void close() {
      cleanup.run();
    }
  }

  public Storage open(Vertx vertx) {
    String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return this == EMBEDDED ? embedded(tag) : external(vertx, tag);
  }

  private static Storage embedded(String tag) {
    Path dir;
    try {
      dir = Files.createTempDirectory("sb-test-" + tag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject config = new JsonObject()
        .put("db", new JsonObject().put("kind", "h2").put("path", dir.resolve("switchboard").toString()))
        .put("state", new JsonObject().put("kind", "local").put("prefix", "test:" + tag + ":"));
    return new Opened(config, () -> deleteTree(dir));
  }

  private static Storage external(Vertx vertx, String tag) {
    String database = "sb_test_" + tag;
    String prefix = "sbtest:" + tag + ":";
    String redisUrl = env("SB_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    admin(vertx, "CREATE DATABASE " + database);
    JsonObject config = new JsonObject()
        .put("db", new JsonObject().put("kind", "mysql").put("host", env("SB_TEST_MYSQL_HOST", "127.0.0.1"))
            .put("port", Integer.parseInt(env("SB_TEST_MYSQL_PORT", "3306"))).put("database", database)
            .put("user", env("SB_TEST_MYSQL_USER", "switchboard"))
            .put("password", env("SB_TEST_MYSQL_PASSWORD", "switchboard")).put("poolSize", 4))
        .put("state", new JsonObject().put("kind", "redis").put("redisUrl", redisUrl).put("prefix", prefix));
    return new Opened(config, () -> {
      admin(vertx, "DROP DATABASE IF EXISTS " + database);
      deleteRedisKeys(vertx, redisUrl, prefix);
    });
  }

  private static void admin(Vertx vertx, String sql) {
    MySQLConnectOptions options = new MySQLConnectOptions().setHost(env("SB_TEST_MYSQL_HOST", "127.0.0.1"))
        .setPort(Integer.parseInt(env("SB_TEST_MYSQL_PORT", "3306")))
        .setUser(env("SB_TEST_MYSQL_USER", "switchboard"))
        .setPassword(env("SB_TEST_MYSQL_PASSWORD", "switchboard"));
    SqlClient client = MySQLBuilder.client().connectingTo(options).using(vertx).build();
    try {
      client.query(sql).execute().eventually(client::close).await(WAIT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("MariaDB/MySQL at " + options.getHost() + ":" + options.getPort()
          + " failed '" + sql + "' (run scripts/test.sh, which starts it): " + e.getMessage(), e);
    }
  }

  private static void deleteRedisKeys(Vertx vertx, String url, String prefix) {
    Redis client = Redis.createClient(vertx, url);
    RedisAPI redis = RedisAPI.api(client);
    try {
      scanDelete(redis, "0", prefix).eventually(() -> {
        client.close();
        return Future.succeededFuture();
      }).await(WAIT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cleaning Redis keys " + prefix + "*: " + e.getMessage(), e);
    }
  }

  private static Future<Void> scanDelete(RedisAPI redis, String cursor, String prefix) {
    return redis.scan(List.of(cursor, "MATCH", prefix + "*", "COUNT", "1000")).compose(r -> {
      String next = r.get(0).toString();
      List<String> keys = r.get(1).stream().map(Object::toString).toList();
      Future<?> del = keys.isEmpty() ? Future.succeededFuture() : redis.del(keys);
      return del.compose(v -> next.equals("0") ? Future.succeededFuture() : scanDelete(redis, next, prefix));
    });
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
