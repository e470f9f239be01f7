package dev.switchboard.router.store;

import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.ReplySnapshot;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@link InboxUpkeepStore} on the router's tables {@code messages} and {@code inbox}. */
public final class SqlInboxUpkeepStore implements InboxUpkeepStore {
  private static final String SENT = "SELECT mid, cid, sender, recipient, ts, type, body, recalled FROM messages "
      + "WHERE sender = ? AND mid > ? ORDER BY mid LIMIT ?";
  private static final String OLD = "SELECT mid, sender, recipient, type, sender_seq, recipient_seq FROM messages "
      + "WHERE mid < ? ORDER BY mid LIMIT ?";

  private final Pool pool;

  public SqlInboxUpkeepStore(Pool pool) {
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
          List<Object> mids = new ArrayList<>();
          List<Tuple> quotes = new ArrayList<>();
          int i = 0;
          for (Row r : rows) {
            if (i++ < limit && r.getInteger("recalled") == 0) {
              mids.add(r.getLong("mid"));
              quotes.add(gone(r));
            }
          }
          SyncPage page = page(rows, limit, true);
          return mids.isEmpty() ? Future.succeededFuture(page)
              : conn.preparedQuery("UPDATE messages SET recalled = 1, body = NULL WHERE mid IN ("
                  + marks(mids.size()) + ")").execute(Tuple.tuple(mids))
                  .compose(v -> forget(conn, mids, quotes)).map(page);
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
      entries.add(SyncEntry.message(last, r.getString("cid"), r.getLong("sender"), r.getLong("recipient"), 0,
          r.getLong("ts"), r.getString("type"), body == null ? null : body.getBytes(StandardCharsets.UTF_8),
          erased || r.getInteger("recalled") != 0));
    }
    return new SyncPage(0, entries, more, last);
  }

  @Override
  public Future<Integer> deleteBefore(long cutoffMid, int limit) {
    return pool.withTransaction(conn -> conn.preparedQuery(OLD).execute(Tuple.of(cutoffMid, limit))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(0) : delete(conn, rows).map(rows.size())));
  }

  private static Future<Void> delete(SqlConnection conn, Iterable<Row> rows) {
    List<Tuple> entries = new ArrayList<>();
    List<Object> mids = new ArrayList<>();
    List<Tuple> quotes = new ArrayList<>();
    for (Row r : rows) {
      mids.add(r.getLong("mid"));
      quotes.add(gone(r));
      entries.add(Tuple.of(r.getLong("sender"), r.getLong("sender_seq")));
      if (r.getLong("recipient").longValue() != r.getLong("sender").longValue()) {
        entries.add(Tuple.of(r.getLong("recipient"), r.getLong("recipient_seq")));
      }
    }
    return conn.preparedQuery("DELETE FROM inbox WHERE uid = ? AND seq = ?").executeBatch(entries)
        .compose(v -> conn.preparedQuery("DELETE FROM messages WHERE mid IN (" + marks(mids.size()) + ")")
            .execute(Tuple.tuple(mids)))
        .compose(v -> forget(conn, mids, quotes));
  }

  /** The update that marks the replies quoting message {@code r} as quoting a message that is gone. */
  private static Tuple gone(Row r) {
    return Tuple.of(ReplySnapshot.recalled(r.getLong("mid"), r.getLong("sender"), r.getString("type")),
        r.getLong("mid"));
  }

  /**
   * Deletes the earlier bodies and the reactions of messages {@code mids}, and clears the snapshots of the replies
   * that quote them ({@code quotes}: one {@link #gone} per message).
   */
  private static Future<Void> forget(SqlConnection conn, List<Object> mids, List<Tuple> quotes) {
    return conn.preparedQuery("DELETE FROM message_edits WHERE mid IN (" + marks(mids.size()) + ")")
        .execute(Tuple.tuple(mids))
        .compose(v -> conn.preparedQuery("DELETE FROM reactions WHERE mid IN (" + marks(mids.size()) + ")")
            .execute(Tuple.tuple(mids)))
        .compose(v -> conn.preparedQuery("UPDATE messages SET reply = ? WHERE reply_to = ?").executeBatch(quotes))
        .mapEmpty();
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
