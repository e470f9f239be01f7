package dev.switchboard.node;

import dev.switchboard.api.ApiVerticle;
import dev.switchboard.group.GroupVerticle;
import dev.switchboard.router.RouterVerticle;
import dev.switchboard.shared.store.Schema;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Every verticle's schema, in the order a node applies them, and what the migration tests read of their histories. */
final class SchemaHistories {
  static final List<Schema> ALL = List.of(RouterVerticle.SCHEMA, GroupVerticle.SCHEMA, ApiVerticle.SCHEMA);
  /** The versions each schema has today. */
  static final Map<Schema, List<String>> VERSIONS = Map.of(
      RouterVerticle.SCHEMA, List.of("1", "2", "3", "4", "5", "6"),
      GroupVerticle.SCHEMA, List.of("1", "2", "3", "4", "5", "6", "7"),
      ApiVerticle.SCHEMA, List.of("1", "2", "3", "4", "5", "6", "7"));
  /** How many migrations a fresh database runs. */
  static final int TOTAL = VERSIONS.values().stream().mapToInt(List::size).sum();

  private SchemaHistories() {
  }

  /** The versions of {@code schema}'s history whose SQL ran, in the order they ran; fails on a failed row. */
  static List<String> ran(Pool pool, Schema schema) throws Exception {
    List<String> versions = new ArrayList<>();
    for (String row : rows(pool, schema)) {
      if (row.startsWith("SQL ")) {
        versions.add(row.substring(4));
      }
    }
    return versions;
  }

  /** {@code schema}'s history as "TYPE version" rows ("BASELINE 4", "SQL 1") in rank order; fails on a failed row. */
  static List<String> rows(Pool pool, Schema schema) throws Exception {
    List<String> out = new ArrayList<>();
    // success is BOOLEAN on H2 and TINYINT(1) on MariaDB: read it the same way on both. On H2 Flyway also writes a
    // row of type TABLE when it creates the history, which it skips when it reads it: so do we.
    for (Row row : pool.query("SELECT type, version, CASE WHEN success THEN 1 ELSE 0 END AS ok FROM "
        + schema.historyTable() + " WHERE type <> 'TABLE' ORDER BY installed_rank").execute()
        .await(10, TimeUnit.SECONDS)) {
      if (row.getLong("ok") != 1L) {
        throw new AssertionError(schema.historyTable() + " records a failed migration: " + row.toJson());
      }
      out.add(row.getString("type") + " " + row.getString("version"));
    }
    return out;
  }

  /** The number of rows of {@code table}. */
  static long count(Pool pool, String table) throws Exception {
    return pool.query("SELECT COUNT(*) AS n FROM " + table).execute().await(10, TimeUnit.SECONDS).iterator().next()
        .getLong("n");
  }

  static void insert(Pool pool, String sql, Object... values) throws Exception {
    pool.preparedQuery(sql).execute(Tuple.wrap(values)).await(10, TimeUnit.SECONDS);
  }
}
