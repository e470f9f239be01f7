package dev.switchboard.router.store;

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
 * Inbox seq allocation inside the caller's transaction: one upsert bumps every user's counter, one select reads the
 * new values. The counter rows stay locked until the transaction ends, so seqs are handed out in commit order and a
 * rolled-back transaction hands out none: per user they are strictly increasing and gap-free. Users are bumped in uid
 * order so concurrent transactions lock rows in the same order and cannot deadlock each other. Shared by the two
 * stores that add inbox entries: {@link SqlSendStore} (messages) and {@link SqlInboxStore} (recalls).
 */
final class Seqs {
  private Seqs() {
  }

  /**
   * Reserves {@code counts.get(uid)} seqs for each user; completes with the first reserved seq of each user (its
   * reserved seqs are {@code first .. first + count - 1}).
   */
  static Future<Map<Long, Long>> reserve(Dialect dialect, SqlConnection conn, Map<Long, Integer> counts) {
    List<List<Object>> bumps = new ArrayList<>();
    List<List<Object>> uids = new ArrayList<>();
    new TreeMap<>(counts).forEach((uid, n) -> {
      bumps.add(List.of(uid, (long) n));
      uids.add(List.of(uid));
    });
    long lastUid = (Long) bumps.get(bumps.size() - 1).get(0);
    return SqlChunks.upsert(conn, "INSERT INTO inbox_seq (uid, seq) VALUES ", "(?, ?)",
            dialect.onDuplicateKey(dialect.increment("seq")), bumps, List.of(lastUid, 0L))
        .compose(v -> SqlChunks.select(conn, "SELECT uid, seq FROM inbox_seq WHERE uid IN (", "?", ")", uids))
        .map(rows -> {
          Map<Long, Long> first = new HashMap<>();
          for (Row r : rows) {
            long uid = r.getLong("uid");
            first.put(uid, r.getLong("seq") - counts.get(uid) + 1);
          }
          return first;
        });
  }
}
