package dev.switchboard.node;

import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: the home-made migrations that main ran before Flyway, kept as they were (with their SQL, frozen in
 * {@code legacy-sql/}) so tests can make a database exactly as that code left it and upgrade it in place. Not used
 * by any running code; do not edit the SQL (it stands for databases that exist).
 *
 * <p>Applies the versioned schema migrations in {@code legacy-sql/} (MySQL dialect, shipped on the classpath) that the
 * database has not recorded yet. {@code legacy-sql/migrations.list} gives their order; version N is the N-th line.
 *
 * <p>Idempotent: every statement is written to be safe to run twice ({@code CREATE TABLE IF NOT EXISTS}), and the
 * applied versions are recorded in {@code schema_version}, so two nodes starting at once both succeed.
 *
 * <p>Dialect variants: where MySQL 8, MariaDB and H2 need different statements for the same change, the file
 * {@code legacy-sql/<dialect>/<name>} ({@code h2} or {@code mariadb}) replaces {@code legacy-sql/<name>} there. A
 * migration's statements run in order on one connection.
 */
final class LegacyMigrations {
  private static final String DIR = "legacy-sql/";
  private static final String LIST = DIR + "migrations.list";

  private LegacyMigrations() {
  }

  /**
   * Makes the database of {@code config} as the old code left it after its step {@code upTo}, and returns a pool on it
   * (the caller closes it).
   */
  static Pool made(Vertx vertx, DbConfig config, int upTo) throws Exception {
    Pool pool = Database.pool(vertx, config);
    int applied = apply(pool, config, upTo).await(30, TimeUnit.SECONDS);
    if (applied != upTo) {
      throw new IllegalStateException("the old code applied " + applied + " steps, not " + upTo);
    }
    return pool;
  }

  /** Applies what is missing up to version {@code upTo} (tests make a database as an older release left it). */
  private static Future<Integer> apply(Pool pool, DbConfig config, int upTo) {
    List<String> all = lines(read(LIST));
    List<String> files = all.subList(0, Math.min(upTo, all.size()));
    return dialect(pool, config).compose(dialect -> apply(pool, dialect, files));
  }

  /** {@code h2} (the embedded database), {@code mariadb} or {@code mysql}. */
  static Future<String> dialect(Pool pool, DbConfig config) {
    if (config.embedded()) {
      return Future.succeededFuture("h2");
    }
    return pool.query("SELECT VERSION()").execute()
        .map(rows -> rows.iterator().next().getString(0).contains("MariaDB") ? "mariadb" : "mysql");
  }

  private static Future<Integer> apply(Pool pool, String dialect, List<String> files) {
    return pool.query("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, "
            + "name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)").execute()
        .compose(v -> pool.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> done = new HashSet<>();
          for (Row r : rows) {
            done.add(r.getInteger(0));
          }
          Future<Integer> chain = Future.succeededFuture(0);
          for (int i = 0; i < files.size(); i++) {
            int version = i + 1;
            String file = files.get(i);
            if (!done.contains(version)) {
              chain = chain.compose(n -> applyOne(pool, dialect, version, file).map(n + 1));
            }
          }
          return chain;
        });
  }

  private static Future<Void> applyOne(Pool pool, String dialect, int version, String file) {
    List<String> statements = statements(script(dialect, file));
    // One connection: a variant may switch a setting for its own statements (H2's IGNORECASE, see legacy-sql/h2/V006).
    Future<Void> applied = pool.withConnection(conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (String sql : statements) {
        chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
      }
      return chain;
    });
    return applied.compose(v -> pool.preparedQuery("INSERT IGNORE INTO schema_version (version, name, applied_at) "
        + "VALUES (?, ?, ?)").execute(Tuple.of(version, file, System.currentTimeMillis()))).mapEmpty();
  }

  /** The text of migration {@code file} for {@code dialect}: its variant when there is one. */
  static String script(String dialect, String file) {
    String variant = DIR + dialect + "/" + file;
    return LegacyMigrations.class.getClassLoader().getResource(variant) != null ? read(variant) : read(DIR + file);
  }

  /** Splits a script on semicolons that end a line, dropping {@code --} comment lines. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private static String read(String resource) {
    try (InputStream in = LegacyMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
