package dev.switchboard.group.timeline;

import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group's timeline inside the caller's transaction: seqs come from the group row's counter, bumped in gid order
 * (so concurrent transactions lock alike and cannot deadlock) and read back; a rolled-back transaction uses none, so
 * each group's seqs are strictly increasing and gap-free across any number of group-verticle instances.
 */
public final class Timeline {
  /** Entry kinds in {@code group_messages.kind}. */
  public static final int MESSAGE = 0;
  public static final int EVENT = 1;
  public static final int RECALL = 2;

  private Timeline() {
  }

  /** Reserves {@code counts.get(gid)} seqs per group; completes with the first reserved seq of each group. */
  public static Future<Map<Long, Long>> reserve(Dialect dialect, SqlConnection conn, Map<Long, Integer> counts) {
    List<List<Object>> bumps = new ArrayList<>();
    List<List<Object>> gids = new ArrayList<>();
    new TreeMap<>(counts).forEach((gid, n) -> {
      // The group row exists (callers checked membership); the upsert is an update that adds n.
      bumps.add(List.of(gid, (long) n));
      gids.add(List.of(gid));
    });
    long last = (Long) bumps.get(bumps.size() - 1).get(0);
    return SqlChunks.upsert(conn, "INSERT INTO im_groups (gid, seq, name, owner, max_members, created_at) VALUES ",
            "(?, ?, '', 0, 0, 0)", dialect.onDuplicateKey(dialect.increment("seq")), bumps, List.of(last, 0L))
        .compose(v -> SqlChunks.select(conn, "SELECT gid, seq FROM im_groups WHERE gid IN (", "?", ")", gids))
        .map(rows -> {
          Map<Long, Long> first = new HashMap<>();
          for (Row r : rows) {
            long gid = r.getLong("gid");
            first.put(gid, r.getLong("seq") - counts.get(gid) + 1);
          }
          return first;
        });
  }

  /** One timeline row: {@code (gid, seq, kind, mid, sender, cid, type, body, ts)}. */
  public static List<Object> row(long gid, long seq, int kind, long mid, long sender, String cid, String type,
                                 String body, long ts) {
    List<Object> r = new ArrayList<>(9);
    r.add(gid);
    r.add(seq);
    r.add(kind);
    r.add(mid);
    r.add(sender);
    r.add(cid);
    r.add(type);
    r.add(body);
    r.add(ts);
    return r;
  }

  public static Future<Void> insert(SqlConnection conn, List<List<Object>> rows) {
    return SqlChunks.insert(conn, "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, type, body, ts) "
        + "VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?, ?)", rows).mapEmpty();
  }

  /** Appends one entry to one group; completes with its seq. */
  public static Future<Long> append(Dialect dialect, SqlConnection conn, long gid, int kind, long mid, long sender,
                                    String type, String body, long ts) {
    return reserve(dialect, conn, Map.of(gid, 1)).compose(first -> {
      long seq = first.get(gid);
      return insert(conn, List.of(row(gid, seq, kind, mid, sender, null, type, body, ts))).map(seq);
    });
  }
}
