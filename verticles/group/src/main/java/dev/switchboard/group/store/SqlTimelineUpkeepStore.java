package dev.switchboard.group.store;

import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.shared.ids.MidGenerator;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@link TimelineUpkeepStore} on the group verticle's tables {@code group_messages} and {@code im_groups}. */
public final class SqlTimelineUpkeepStore implements TimelineUpkeepStore {
  private static final String SENT = "SELECT gid, seq, mid, cid, sender, ts, type, body, recalled FROM group_messages "
      + "WHERE sender = ? AND kind = 0 AND mid > ? ORDER BY mid LIMIT ?";
  /**
   * The oldest entries past their group's retention. A mid is its age in ms since the mid epoch times
   * {@link MidGenerator#MS_FACTOR}, so each group's cutoff is computed in the query. The numbers are written into
   * the statement (two longs the server computes): H2 would type parameters in this arithmetic as INT.
   */
  private static final String EXPIRED = "SELECT m.gid, m.seq, m.mid, m.sender, m.type FROM group_messages m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.mid < %d - COALESCE(g.retention_days, %d) * " + 86_400_000L * MidGenerator.MS_FACTOR
      + " ORDER BY m.mid LIMIT ?";
  /**
   * What "kept" means in the cutoff arithmetic: 20,000 days, whose mids (7.2e18) still fit in 64 bits and put the
   * cutoff before the mid epoch. Retention limits are at most 10,000 days.
   */
  private static final int FOREVER_DAYS = 20_000;

  private final Pool pool;

  public SqlTimelineUpkeepStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<SyncPage> sentBy(long uid, long after, int limit, boolean erase) {
    if (!erase) {
      return pool.preparedQuery(SENT).execute(Tuple.of(uid, after, limit + 1)).map(rows -> page(rows, limit, false));
    }
    return pool.withTransaction(conn -> conn.preparedQuery(SENT + " FOR UPDATE").execute(Tuple.of(uid, after,
            limit + 1))
        .compose(rows -> {
          List<Tuple> erased = new ArrayList<>();
          List<Tuple> mids = new ArrayList<>();
          int i = 0;
          for (Row r : rows) {
            if (i++ < limit && r.getInteger("recalled") == 0) {
              erased.add(Tuple.of(r.getLong("gid"), r.getLong("seq")));
              mids.add(gone(r));
            }
          }
          SyncPage page = page(rows, limit, true);
          return erased.isEmpty() ? Future.succeededFuture(page)
              : conn.preparedQuery("UPDATE group_messages SET recalled = 1, body = NULL WHERE gid = ? AND seq = ?")
                  .executeBatch(erased).compose(v -> forget(conn, erased, mids)).map(page);
        }));
  }

  private static SyncPage page(Iterable<Row> rows, int limit, boolean erased) {
    List<SyncEntry> entries = new ArrayList<>();
    boolean more = false;
    long last = 0;
    for (Row r : rows) {
      if (entries.size() == limit) {
        more = true;
        break;
      }
      String body = erased ? null : r.getString("body");
      last = r.getLong("mid");
      entries.add(SyncEntry.groupMessage(last, r.getString("cid"), r.getLong("sender"), r.getLong("gid"),
          r.getLong("seq"), r.getLong("ts"), r.getString("type"),
          body == null ? null : body.getBytes(StandardCharsets.UTF_8), erased || r.getInteger("recalled") != 0));
    }
    return new SyncPage(0, entries, more, last);
  }

  @Override
  public Future<Boolean> setRetention(long gid, Integer days) {
    return pool.preparedQuery("UPDATE im_groups SET retention_days = ? WHERE gid = ? AND dissolved = 0")
        .execute(Tuple.of(days, gid)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Integer> deleteExpired(int globalDays, int limit) {
    long nowMid = MidGenerator.firstAt(System.currentTimeMillis());
    String sql = String.format(java.util.Locale.ROOT, EXPIRED, nowMid, globalDays > 0 ? globalDays : FOREVER_DAYS);
    return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(Tuple.of(limit))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(0);
          }
          List<Tuple> keys = new ArrayList<>();
          List<Tuple> mids = new ArrayList<>();
          rows.forEach(r -> {
            keys.add(Tuple.of(r.getLong("gid"), r.getLong("seq")));
            mids.add(gone(r));
          });
          return conn.preparedQuery("DELETE FROM group_messages WHERE gid = ? AND seq = ?").executeBatch(keys)
              .compose(v -> forget(conn, keys, mids))
              .map(keys.size());
        }));
  }

  /** {@code (mid, snapshot)} of a message that is gone: what {@link #forget} needs of it. */
  private static Tuple gone(Row r) {
    return Tuple.of(r.getLong("mid"), ReplySnapshot.recalled(r.getLong("mid"), r.getLong("sender"),
        r.getString("type")));
  }

  /**
   * For messages that are gone ({@code keys}: (gid, seq); {@code gone}: (mid, snapshot) each): deletes their earlier
   * bodies, reactions and mentions, and clears the snapshots of the replies quoting them.
   */
  private static Future<Void> forget(SqlConnection conn, List<Tuple> keys, List<Tuple> gone) {
    if (gone.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> mids = new ArrayList<>(gone.size());
    List<Tuple> replies = new ArrayList<>(gone.size());
    for (Tuple t : gone) {
      mids.add(Tuple.of(t.getLong(0)));
      replies.add(Tuple.of(t.getString(1), t.getLong(0)));
    }
    return conn.preparedQuery("DELETE FROM group_message_edits WHERE mid = ?").executeBatch(mids)
        .compose(v -> conn.preparedQuery("DELETE FROM group_reactions WHERE mid = ?").executeBatch(mids))
        .compose(v -> conn.preparedQuery("DELETE FROM group_mentions WHERE gid = ? AND seq = ?").executeBatch(keys))
        .compose(v -> conn.preparedQuery("UPDATE group_messages SET reply = ? WHERE reply_to = ?")
            .executeBatch(replies))
        .mapEmpty();
  }
}
