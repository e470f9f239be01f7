package dev.switchboard.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(VertxExtension.class)
class MigrationsIT {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void appliesOnceAndTheSameSqlWorksOnBothBackends(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      Pool pool = Database.pool(vertx, DbConfig.from(storage.config().getJsonObject("db")));
      int first = Migrations.apply(pool).await(30, TimeUnit.SECONDS);
      assertTrue(first >= 1, "the first start applies every migration");
      assertEquals(0, Migrations.apply(pool).await(30, TimeUnit.SECONDS), "the second applies none");

      // The dialect features the stores rely on behave the same on both backends.
      pool.preparedQuery("INSERT IGNORE INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")
          .execute(Tuple.of("dup", "h", 1L)).await(10, TimeUnit.SECONDS);
      int again = pool.preparedQuery("INSERT IGNORE INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")
          .execute(Tuple.of("dup", "h", 1L)).await(10, TimeUnit.SECONDS).rowCount();
      assertEquals(0, again, "INSERT IGNORE of a duplicate affects no row");
      Row row = pool.preparedQuery("SELECT id, username FROM users WHERE username = ? LIMIT ?")
          .execute(Tuple.of("dup", 1)).await(10, TimeUnit.SECONDS).iterator().next();
      assertTrue(row.getLong("id") > 0);
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void splitsScriptsOnLineEndingSemicolons() {
    assertEquals(java.util.List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"),
        Migrations.statements("-- comment\nCREATE TABLE a (x INT);\n\nINSERT INTO a VALUES (1);\n"));
  }
}
