package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SQL features the stores rely on behave the same on both backends, over the tables the migrations make. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class SqlDialectIT {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void theSameSqlWorksOnBothBackends(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig config = DbConfig.from(storage.config().getJsonObject("db"));
      SchemaMigrations.apply(config, SchemaHistories.ALL);
      Pool pool = Database.pool(vertx, config);
      pool.preparedQuery("INSERT IGNORE INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")
          .execute(Tuple.of("dup", "h", 1L)).await(10, TimeUnit.SECONDS);
      int again = pool.preparedQuery("INSERT IGNORE INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")
          .execute(Tuple.of("dup", "h", 1L)).await(10, TimeUnit.SECONDS).rowCount();
      assertEquals(0, again, "INSERT IGNORE of a duplicate affects no row");
      Row row = pool.preparedQuery("SELECT id, username FROM users WHERE username = ? LIMIT ?")
          .execute(Tuple.of("dup", 1)).await(10, TimeUnit.SECONDS).iterator().next();
      assertTrue(row.getLong("id") > 0);

      // Batched counter bumps: one upsert for many keys, then read back inside the same transaction.
      List<Row> seqs = pool.withTransaction(conn -> conn.query(
              "INSERT INTO inbox_seq (uid, seq) VALUES (1, 2), (2, 1) ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)")
          .execute()
          .compose(v -> conn.query("INSERT INTO inbox_seq (uid, seq) VALUES (1, 3) "
              + "ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)").execute())
          .compose(v -> conn.preparedQuery("SELECT uid, seq FROM inbox_seq WHERE uid IN (?, ?) ORDER BY uid FOR UPDATE")
              .execute(Tuple.of(1L, 2L)))
          .map(rows -> {
            List<Row> out = new ArrayList<>();
            rows.forEach(out::add);
            return out;
          }))
          .await(10, TimeUnit.SECONDS);
      assertEquals(5L, seqs.get(0).getLong("seq"));
      assertEquals(1L, seqs.get(1).getLong("seq"));

      // Row-value IN, used to look up many (sender, cid) pairs at once.
      pool.preparedQuery("INSERT INTO blocks (owner, blocked, created_at) VALUES (?, ?, ?)")
          .executeBatch(List.of(Tuple.of(1L, 2L, 0L), Tuple.of(3L, 4L, 0L))).await(10, TimeUnit.SECONDS);
      int hits = pool.preparedQuery("SELECT owner FROM blocks WHERE (owner, blocked) IN ((?, ?), (?, ?), (?, ?))")
          .execute(Tuple.of(1L, 2L, 3L, 4L, 2L, 1L)).await(10, TimeUnit.SECONDS).size();
      assertEquals(2, hits);
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Regression: a plain write after a transaction on the same pooled connection must commit by itself. */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void writesAfterATransactionAreCommitted(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig config = DbConfig.from(storage.config().getJsonObject("db").copy().put("poolSize", 1));
      SchemaMigrations.apply(config, SchemaHistories.ALL);
      Pool pool = Database.pool(vertx, config);
      pool.withTransaction(c -> c.query("INSERT INTO blocks (owner, blocked, created_at) VALUES (7, 8, 0)").execute())
          .await(10, TimeUnit.SECONDS);
      pool.query("INSERT INTO blocks (owner, blocked, created_at) VALUES (7, 9, 0)").execute()
          .await(10, TimeUnit.SECONDS);
      pool.withTransaction(c -> c.query("INSERT INTO blocks (owner, blocked, created_at) VALUES (7, 10, 0)").execute()
          .compose(v -> Future.failedFuture("roll back this one only"))).otherwiseEmpty()
          .await(10, TimeUnit.SECONDS);
      // Closing the pool ends its connection: anything not committed is gone. A new pool must find both rows.
      pool.close().await(10, TimeUnit.SECONDS);
      Pool reopened = Database.pool(vertx, config);
      long seen = reopened.query("SELECT COUNT(*) AS n FROM blocks WHERE owner = 7").execute()
          .await(10, TimeUnit.SECONDS).iterator().next().getLong("n");
      assertEquals(2L, seen);
      reopened.close().await(10, TimeUnit.SECONDS);
    }
  }
}
