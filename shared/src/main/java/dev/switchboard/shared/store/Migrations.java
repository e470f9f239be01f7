package dev.switchboard.shared.store;

import io.vertx.core.Future;
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

/**
 * Applies the versioned schema migrations in {@code sql/} (MySQL dialect, shipped on the classpath) that the database
 * has not recorded yet. {@code sql/migrations.list} gives their order; version N is the N-th line.
 *
 * <p>Idempotent: every statement is written to be safe to run twice ({@code CREATE TABLE IF NOT EXISTS}), and the
 * applied versions are recorded in {@code schema_version}, so two nodes starting at once both succeed.
 */
public final class Migrations {
  private static final String LIST = "sql/migrations.list";

  private Migrations() {
  }

  /** Applies what is missing; the future holds how many migrations were applied now. */
  public static Future<Integer> apply(Pool pool) {
    List<String> files = lines(read(LIST));
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
              chain = chain.compose(n -> applyOne(pool, version, file).map(n + 1));
            }
          }
          return chain;
        });
  }

  private static Future<Void> applyOne(Pool pool, int version, String file) {
    List<String> statements = statements(read("sql/" + file));
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> pool.query(sql).execute().mapEmpty());
    }
    return chain.compose(v -> pool.preparedQuery("INSERT IGNORE INTO schema_version (version, name, applied_at) "
        + "VALUES (?, ?, ?)").execute(Tuple.of(version, file, System.currentTimeMillis()))).mapEmpty();
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
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
