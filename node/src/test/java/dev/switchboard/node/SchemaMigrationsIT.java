package dev.switchboard.node;

import static dev.switchboard.node.SchemaHistories.ALL;
import static dev.switchboard.node.SchemaHistories.count;
import static dev.switchboard.node.SchemaHistories.insert;
import static dev.switchboard.node.SchemaHistories.ran;
import static dev.switchboard.node.SchemaHistories.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ApiVerticle;
import dev.switchboard.group.GroupVerticle;
import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.router.RouterVerticle;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each verticle's Flyway history on a fresh database, and the upgrade in place of a database made by the code before
 * Flyway ({@link LegacyMigrations}): its rows stay, each history is baselined where the old steps left it, and only
 * what came after runs. On both backends.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class SchemaMigrationsIT {
  /** One row in every table, as the code before Flyway could have written them. */
  private static final Map<String, String> ROWS = Map.ofEntries(
      Map.entry("users", "INSERT INTO users (username, password_hash, created_at) VALUES ('alice', 'h', 1)"),
      Map.entry("user_profiles", "INSERT INTO user_profiles (uid, avatar, updated_at) VALUES (1, 'a.png', 1)"),
      Map.entry("user_privacy", "INSERT INTO user_privacy (uid, group_add, updated_at) VALUES (1, 1, 1)"),
      Map.entry("contacts", "INSERT INTO contacts (uid, peer, state, message, updated_at) VALUES (1, 2, 2, 'hi', 1)"),
      Map.entry("blocks", "INSERT INTO blocks (owner, blocked, created_at) VALUES (1, 3, 1)"),
      Map.entry("messages", "INSERT INTO messages (mid, sender, recipient, cid, type, ts, sender_seq, recipient_seq, "
          + "recv_no) VALUES (10, 1, 2, 'c1', 'text', 1, 1, 1, 1)"),
      Map.entry("inbox", "INSERT INTO inbox (uid, seq, kind, mid) VALUES (1, 1, 0, 10)"),
      Map.entry("inbox_seq", "INSERT INTO inbox_seq (uid, seq) VALUES (1, 1)"),
      Map.entry("device_cursors", "INSERT INTO device_cursors (uid, device, delivered) VALUES (1, 'phone', 1)"),
      Map.entry("conversations", "INSERT INTO conversations (uid, peer, last_mid) VALUES (1, 2, 10)"),
      Map.entry("im_groups", "INSERT INTO im_groups (name, owner, max_members, created_at) VALUES ('g', 1, 100, 1)"),
      Map.entry("group_members", "INSERT INTO group_members (gid, uid, joined_seq) VALUES (1, 1, 0)"),
      Map.entry("group_messages", "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, ts) "
          + "VALUES (1, 1, 0, 11, 1, 'c1', 1)"),
      Map.entry("group_invitations", "INSERT INTO group_invitations (uid, gid, inviter, created_at) VALUES (2, 1, 1, 1)"));

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aFreshDatabaseGetsEveryVersionOfEveryVerticleOnce(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = db(storage);
      assertEquals(SchemaHistories.TOTAL, SchemaMigrations.apply(db, ALL));
      assertEquals(0, SchemaMigrations.apply(db, ALL), "a second start applies nothing");
      Pool pool = Database.pool(vertx, db);
      try {
        for (Schema schema : ALL) {
          assertEquals(SchemaHistories.VERSIONS.get(schema), ran(pool, schema), schema.historyTable());
        }
        for (String table : ROWS.keySet()) {
          assertEquals(0L, count(pool, table), table);
        }
        assertEquals(0L, tables(pool, "schema_version"), "no old history on a database Flyway made");
      } finally {
        pool.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aDatabaseMadeBeforeFlywayIsUpgradedInPlaceByANodeStart(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = db(storage);
      Pool pool = LegacyMigrations.made(vertx, db, 6);
      for (String sql : ROWS.values()) {
        insert(pool, sql);
      }
      pool.close().await(10, TimeUnit.SECONDS);

      Node node = Node.start(vertx, new NodeConfig(nodeConfig(storage)), Main.VERTICLES).await(60, TimeUnit.SECONDS);
      node.stop().await(30, TimeUnit.SECONDS);
      assertEquals(0, SchemaMigrations.apply(db, ALL), "a second start applies nothing");

      pool = Database.pool(vertx, db);
      try {
        assertEquals(List.of("BASELINE 2", "SQL 3", "SQL 4", "SQL 5", "SQL 6"), rows(pool, RouterVerticle.SCHEMA));
        assertEquals(List.of("BASELINE 3", "SQL 4", "SQL 5", "SQL 6", "SQL 7"), rows(pool, GroupVerticle.SCHEMA));
        assertEquals(List.of("BASELINE 4", "SQL 5", "SQL 6", "SQL 7"), rows(pool, ApiVerticle.SCHEMA));
        for (String table : ROWS.keySet()) {
          assertEquals(1L, count(pool, table), table + " keeps its row");
        }
        assertEquals("alice", pool.query("SELECT username FROM users").execute().await(10, TimeUnit.SECONDS)
            .iterator().next().getString("username"));
        assertEquals(6L, count(pool, "schema_version"), "the old history stays as it was");
      } finally {
        pool.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Issue 14, now across the split: ids compare byte-exactly. A database the old code left before its step 6
   * (case-insensitive ids) is upgraded in place: the router's V2 and the group's V3 run, its rows stay, its unique keys
   * still refuse an exact repeat, and ids differing in case or a trailing space are distinct keys.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void idColumnsCompareByteExactlyAfterTheUpgrade(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = db(storage);
      Pool pool = LegacyMigrations.made(vertx, db, 5);
      String message = "INSERT INTO messages (mid, sender, recipient, cid, type, ts, sender_seq, recipient_seq, "
          + "recv_no) VALUES (?, 1, 2, ?, 't', 0, ?, ?, 0)";
      String groupMessage = "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, ts) "
          + "VALUES (1, ?, 0, ?, 1, ?, 0)";
      String cursor = "INSERT INTO device_cursors (uid, device, delivered) VALUES (1, ?, 0)";
      insert(pool, message, 1L, "abc", 1L, 1L);
      insert(pool, groupMessage, 1L, 1L, "abc");
      insert(pool, cursor, "Phone");
      assertTrue(fails(pool, message, 2L, "ABC", 2L, 2L), "before the upgrade, ids ignore case (the defect)");

      assertEquals(13, SchemaMigrations.apply(db, ALL), "the router's V2 and the group's V3 (old step 6) run, and the "
          + "versions added since (router V3-V6, group V4-V7, api V5-V7)");
      assertEquals(List.of("BASELINE 1", "SQL 2", "SQL 3", "SQL 4", "SQL 5", "SQL 6"), rows(pool, RouterVerticle.SCHEMA));
      assertEquals(List.of("BASELINE 2", "SQL 3", "SQL 4", "SQL 5", "SQL 6", "SQL 7"), rows(pool, GroupVerticle.SCHEMA));
      assertEquals(List.of("BASELINE 4", "SQL 5", "SQL 6", "SQL 7"), rows(pool, ApiVerticle.SCHEMA));
      insert(pool, message, 2L, "ABC", 2L, 2L);
      insert(pool, message, 3L, "abc ", 3L, 3L);
      assertTrue(fails(pool, message, 4L, "abc", 4L, 4L), "the unique key (sender, cid) still holds");
      insert(pool, groupMessage, 2L, 2L, "ABC");
      insert(pool, groupMessage, 3L, 3L, "abc ");
      assertTrue(fails(pool, groupMessage, 4L, 4L, "abc"), "the unique key (gid, sender, cid) still holds");
      insert(pool, cursor, "phone");
      assertTrue(fails(pool, cursor, "Phone"), "the primary key (uid, device) still holds");

      List<String> found = new ArrayList<>();
      pool.preparedQuery("SELECT cid FROM messages WHERE (sender, cid) IN ((?, ?)) ORDER BY mid")
          .execute(Tuple.of(1L, "ABC")).await(10, TimeUnit.SECONDS).forEach(r -> found.add(r.getString("cid")));
      assertEquals(List.of("ABC"), found, "a lookup by id finds that id only");
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  static DbConfig db(Backend.Storage storage) {
    return DbConfig.from(storage.config().getJsonObject("db"));
  }

  /** A node that deploys the three verticles that own tables, on {@code storage}. */
  private static JsonObject nodeConfig(Backend.Storage storage) {
    return new JsonObject().put("storage", storage.config())
        .put("auth", new JsonObject().put("secret", "test-secret-" + UUID.randomUUID() + UUID.randomUUID())
            .put("argon2", TestNode.fastArgon2()))
        .put("verticles", new JsonObject().put("router", new JsonObject()).put("group", new JsonObject())
            .put("api", new JsonObject().put("host", "127.0.0.1").put("port", TestNode.freePort())
                .put("apiKeys", new JsonArray()).put("media", new JsonObject().put("dir", "target/media-test"))));
  }

  /** How many tables named {@code name} the current schema has (0 or 1). */
  private static long tables(Pool pool, String name) throws Exception {
    return pool.preparedQuery("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = SCHEMA() "
        + "AND table_name = ?").execute(Tuple.of(name)).await(10, TimeUnit.SECONDS).iterator().next().getLong("n");
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
}
