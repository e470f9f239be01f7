package dev.switchboard.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
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
      DbConfig config = DbConfig.from(storage.config().getJsonObject("db"));
      Pool pool = Database.pool(vertx, config);
      int first = Migrations.apply(pool, config).await(30, TimeUnit.SECONDS);
      assertTrue(first >= 1, "the first start applies every migration");
      assertEquals(0, Migrations.apply(pool, config).await(30, TimeUnit.SECONDS), "the second applies none");

      // The dialect features the stores rely on behave the same on both backends.
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
          .map(rows -> { List<Row> out = new java.util.ArrayList<>(); rows.forEach(out::add); return out; }))
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
      Pool pool = Database.pool(vertx, config);
      Migrations.apply(pool, config).await(30, TimeUnit.SECONDS);
      pool.withTransaction(c -> c.query("INSERT INTO blocks (owner, blocked, created_at) VALUES (7, 8, 0)").execute())
          .await(10, TimeUnit.SECONDS);
      pool.query("INSERT INTO blocks (owner, blocked, created_at) VALUES (7, 9, 0)").execute()
          .await(10, TimeUnit.SECONDS);
      pool.withTransaction(c -> c.query("INSERT INTO blocks (owner, blocked, created_at) VALUES (7, 10, 0)").execute()
          .compose(v -> io.vertx.core.Future.failedFuture("roll back this one only"))).otherwiseEmpty()
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

  /**
   * Issue 14: ids compare byte-exactly. A database created before V006 (case-insensitive ids) is upgraded in place:
   * its rows stay, its unique keys still refuse an exact repeat, and ids differing in case or a trailing space are
   * distinct keys.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void idColumnsCompareByteExactlyAfterTheUpgrade(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig config = DbConfig.from(storage.config().getJsonObject("db"));
      Pool pool = Database.pool(vertx, config);
      assertEquals(5, Migrations.apply(pool, config, 5).await(30, TimeUnit.SECONDS));
      String message = "INSERT INTO messages (mid, sender, recipient, cid, type, ts, sender_seq, recipient_seq, "
          + "recv_no) VALUES (?, 1, 2, ?, 't', 0, ?, ?, 0)";
      String groupMessage = "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, ts) "
          + "VALUES (1, ?, 0, ?, 1, ?, 0)";
      String cursor = "INSERT INTO device_cursors (uid, device, delivered) VALUES (1, ?, 0)";
      insert(pool, message, 1L, "abc", 1L, 1L);
      insert(pool, groupMessage, 1L, 1L, "abc");
      insert(pool, cursor, "Phone");
      assertTrue(fails(pool, message, 2L, "ABC", 2L, 2L), "before the upgrade, ids ignore case (the defect)");

      assertEquals(1, Migrations.apply(pool, config).await(30, TimeUnit.SECONDS), "the upgrade applies V006");
      assertEquals(0, Migrations.apply(pool, config).await(30, TimeUnit.SECONDS));
      insert(pool, message, 2L, "ABC", 2L, 2L);
      insert(pool, message, 3L, "abc ", 3L, 3L);
      assertTrue(fails(pool, message, 4L, "abc", 4L, 4L), "the unique key (sender, cid) still holds");
      insert(pool, groupMessage, 2L, 2L, "ABC");
      insert(pool, groupMessage, 3L, 3L, "abc ");
      assertTrue(fails(pool, groupMessage, 4L, 4L, "abc"), "the unique key (gid, sender, cid) still holds");
      insert(pool, cursor, "phone");
      assertTrue(fails(pool, cursor, "Phone"), "the primary key (uid, device) still holds");

      List<String> found = new java.util.ArrayList<>();
      pool.preparedQuery("SELECT cid FROM messages WHERE (sender, cid) IN ((?, ?)) ORDER BY mid")
          .execute(Tuple.of(1L, "ABC")).await(10, TimeUnit.SECONDS).forEach(r -> found.add(r.getString("cid")));
      assertEquals(List.of("ABC"), found, "a lookup by id finds that id only");
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void insert(Pool pool, String sql, Object... values) throws Exception {
    pool.preparedQuery(sql).execute(Tuple.wrap(values)).await(10, TimeUnit.SECONDS);
  }

  /** Whether the insert is refused as a duplicate key (SQLSTATE class 23, integrity constraint violation). */
  private static boolean fails(Pool pool, String sql, Object... values) {
    try {
      insert(pool, sql, values);
      return false;
    } catch (Exception e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        String state = c instanceof DatabaseException d ? d.getSqlState()
            : c instanceof java.sql.SQLException s ? s.getSQLState() : null;
        if (state != null && state.startsWith("23")) {
          return true;
        }
      }
      throw new AssertionError("refused, but not as a duplicate key", e);
    }
  }

  @Test
  void splitsScriptsOnLineEndingSemicolons() {
    assertEquals(java.util.List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"),
        Migrations.statements("-- comment\nCREATE TABLE a (x INT);\n\nINSERT INTO a VALUES (1);\n"));
  }
}
