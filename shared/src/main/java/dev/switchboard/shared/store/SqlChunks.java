package dev.switchboard.shared.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multi-row statements ({@code INSERT ... VALUES (..), (..)}, {@code WHERE (a, b) IN ((..), (..))}) over a list of
 * rows, in statements of a power-of-two number of rows (at most {@link #MAX_CHUNK}). A batch of any size then uses at
 * most nine distinct SQL texts per statement, which the client's prepared-statement cache keeps, so no batch
 * re-prepares. Statements run one after another on the caller's connection, in list order (so row locks are taken in
 * that order).
 *
 * <ul>
 *   <li>{@link #insert}: cut into chunks of power-of-two sizes (rows cannot be repeated).</li>
 *   <li>{@link #select} and {@link #upsert}: padded up to the next power of two with a harmless row (a repeat of the
 *   last key; for upserts a row the caller gives that changes nothing), so up to 256 rows take one statement.</li>
 * </ul>
 */
public final class SqlChunks {
  public static final int MAX_CHUNK = 256;

  private SqlChunks() {
  }

  public static Future<List<Row>> insert(SqlConnection conn, String head, String rowSql, List<List<Object>> rows) {
    List<Row> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    int from = 0;
    while (from < rows.size()) {
      int size = Integer.highestOneBit(Math.min(MAX_CHUNK, rows.size() - from));
      chain = chain.compose(execute(conn, head, rowSql, "", rows.subList(from, from + size), out));
      from += size;
    }
    return chain.map(out);
  }

  /** A {@code SELECT ... IN (...)}; repeated keys in the padding match nothing new. */
  public static Future<List<Row>> select(SqlConnection conn, String head, String rowSql, String tail,
                                         List<List<Object>> keys) {
    return padded(conn, head, rowSql, tail, keys, keys.get(keys.size() - 1));
  }

  /** An upsert; {@code neutral} is a row whose upsert changes nothing (e.g. adds 0 to an existing counter). */
  public static Future<List<Row>> upsert(SqlConnection conn, String head, String rowSql, String tail,
                                         List<List<Object>> rows, List<Object> neutral) {
    return padded(conn, head, rowSql, tail, rows, neutral);
  }

  private static Future<List<Row>> padded(SqlConnection conn, String head, String rowSql, String tail,
                                          List<List<Object>> rows, List<Object> pad) {
    List<Row> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < rows.size(); from += MAX_CHUNK) {
      List<List<Object>> chunk = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + MAX_CHUNK)));
      int size = chunk.size() == 1 ? 1 : Integer.highestOneBit(chunk.size() - 1) << 1;
      while (chunk.size() < size) {
        chunk.add(pad);
      }
      chain = chain.compose(execute(conn, head, rowSql, tail, chunk, out));
    }
    return chain.map(out);
  }

  /**
   * One {@code SELECT ... IN (...)} per part, joined with {@code UNION ALL} into one statement: several lookups of a
   * batch in one round trip. Every part's key list is padded (with a repeat of its last key) to the same power of two,
   * so a statement has at most nine texts whatever the lists' sizes; lists longer than {@link #MAX_CHUNK} take several
   * statements. A part with no keys is left out. Each part's head must select the same columns; tell them apart by a
   * constant column.
   */
  public static Future<List<Row>> selectAll(SqlConnection conn, List<Part> parts) {
    List<Part> present = parts.stream().filter(p -> !p.keys().isEmpty()).toList();
    if (present.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int longest = present.stream().mapToInt(p -> p.keys().size()).max().getAsInt();
    List<Row> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < longest; from += MAX_CHUNK) {
      int start = from;
      List<Part> chunk = new ArrayList<>();
      int widest = 1;
      for (Part p : present) {
        if (p.keys().size() > start) {
          List<List<Object>> keys = p.keys().subList(start, Math.min(p.keys().size(), start + MAX_CHUNK));
          chunk.add(new Part(p.head(), p.rowSql(), p.tail(), keys));
          widest = Math.max(widest, keys.size());
        }
      }
      int size = widest == 1 ? 1 : Integer.highestOneBit(widest - 1) << 1;
      StringBuilder key = new StringBuilder().append(size);
      List<Object> params = new ArrayList<>();
      for (Part p : chunk) {
        key.append('\u0000').append(p.head()).append(p.rowSql()).append(p.tail());
        for (int i = 0; i < size; i++) {
          params.addAll(p.keys().get(Math.min(i, p.keys().size() - 1)));
        }
      }
      // Not computeIfAbsent: building the text calls sql(), which updates TEXTS too ("Recursive update").
      String sql = TEXTS.get(key.toString());
      if (sql == null) {
        StringBuilder sb = new StringBuilder();
        for (Part p : chunk) {
          sb.append(sb.length() == 0 ? "" : " UNION ALL ").append(sql(p.head(), p.rowSql(), p.tail(), size));
        }
        TEXTS.putIfAbsent(key.toString(), sb.toString());
        sql = sb.toString();
      }
      String text = sql;
      chain = chain.compose(v -> conn.preparedQuery(text).execute(Tuple.wrap(params)).map(result -> {
        result.forEach(out::add);
        return null;
      }));
    }
    return chain.map(out);
  }

  /** One lookup of {@link #selectAll}: {@code head + rowSql, rowSql, ... + tail} with the keys' values. */
  public record Part(String head, String rowSql, String tail, List<List<Object>> keys) {
  }

  private static java.util.function.Function<Void, Future<Void>> execute(SqlConnection conn, String head,
      String rowSql, String tail, List<List<Object>> rows, List<Row> out) {
    return v -> conn.preparedQuery(sql(head, rowSql, tail, rows.size())).execute(Tuple.wrap(flatten(rows)))
        .map(result -> {
          result.forEach(out::add);
          return null;
        });
  }

  private static final Map<String, String> TEXTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The statement text for {@code n} rows; built once per (statement, n) and kept (at most nine per statement). */
  private static String sql(String head, String rowSql, String tail, int n) {
    return TEXTS.computeIfAbsent(n + "\u0000" + head + rowSql + tail, k -> {
      StringBuilder sb = new StringBuilder(head.length() + tail.length() + n * (rowSql.length() + 2));
      sb.append(head);
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ", ").append(rowSql);
      }
      return sb.append(tail).toString();
    });
  }

  private static List<Object> flatten(List<List<Object>> rows) {
    List<Object> params = new ArrayList<>(rows.size() * rows.get(0).size());
    rows.forEach(params::addAll);
    return params;
  }
}
