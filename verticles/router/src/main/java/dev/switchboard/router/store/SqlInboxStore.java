package dev.switchboard.router.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link InboxStore} on the router's tables: {@code inbox} (uid, seq, kind 0 message or 1 recall, mid) joined with
 * {@code messages}, the per-user counter and delivered cursor {@code inbox_seq}, and {@code device_cursors}.
 */
public final class SqlInboxStore implements InboxStore {
  private final Pool pool;
  private final Dialect dialect;

  public SqlInboxStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<SyncPage> page(long uid, long after, int limit) {
    Future<Long> head = pool.preparedQuery("SELECT seq FROM inbox_seq WHERE uid = ?").execute(Tuple.of(uid))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("seq"));
    return head.compose(latest -> pool.preparedQuery("SELECT i.seq, i.kind, m.mid, m.cid, m.sender, m.recipient, "
            + "m.ts, m.type, m.body, m.recalled FROM inbox i JOIN messages m ON m.mid = i.mid "
            + "WHERE i.uid = ? AND i.seq > ? ORDER BY i.seq LIMIT ?")
        .execute(Tuple.of(uid, after, limit + 1))
        .map(rows -> new SyncPage(0, entries(rows, limit), rows.size() > limit, latest)));
  }

  /** The first {@code limit} rows (the query asks for one more, which only tells that there is more). */
  private static List<SyncEntry> entries(RowSet<Row> rows, int limit) {
    List<SyncEntry> out = new ArrayList<>(Math.min(rows.size(), limit));
    for (Row r : rows) {
      if (out.size() == limit) {
        break;
      }
      out.add(entry(r));
    }
    return out;
  }

  private static SyncEntry entry(Row r) {
    long seq = r.getLong("seq");
    long mid = r.getLong("mid");
    if (r.getInteger("kind") == 1) {
      return SyncEntry.recall(mid, r.getLong("sender"), seq, 0);
    }
    String body = r.getString("body");
    return SyncEntry.message(mid, r.getString("cid"), r.getLong("sender"), r.getLong("recipient"), seq,
        r.getLong("ts"), r.getString("type"), body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        r.getInteger("recalled") != 0);
  }

  @Override
  public Future<Map<Long, List<Long>>> recv(long uid, String device, long upTo) {
    return pool.withTransaction(conn -> recv(conn, uid, device, upTo));
  }

  private Future<Map<Long, List<Long>>> recv(SqlConnection conn, long uid, String device, long upTo) {
    return conn.preparedQuery("INSERT INTO device_cursors (uid, device, delivered) VALUES (?, ?, ?)"
            + dialect.onDuplicateKey(dialect.raise("delivered")))
        .execute(Tuple.of(uid, device, upTo))
        .compose(v -> conn.preparedQuery("SELECT seq, delivered FROM inbox_seq WHERE uid = ? FOR UPDATE")
            .execute(Tuple.of(uid)))
        .compose(rows -> {
          Map<Long, List<Long>> bySender = new LinkedHashMap<>();
          if (rows.size() == 0) {
            return Future.succeededFuture(bySender);
          }
          Row row = rows.iterator().next();
          long from = row.getLong("delivered");
          long to = Math.min(upTo, row.getLong("seq"));
          if (to <= from) {
            return Future.succeededFuture(bySender);
          }
          return conn.preparedQuery("UPDATE inbox_seq SET delivered = ? WHERE uid = ?").execute(Tuple.of(to, uid))
              .compose(v -> conn.preparedQuery("SELECT m.mid, m.sender FROM inbox i JOIN messages m ON m.mid = i.mid "
                      + "WHERE i.uid = ? AND i.seq > ? AND i.seq <= ? AND i.kind = 0 AND m.recipient = ? "
                      + "AND m.sender <> ? AND m.delivered = 0")
                  .execute(Tuple.of(uid, from, to, uid, uid)))
              .compose(found -> {
                List<Tuple> marks = new ArrayList<>();
                for (Row m : found) {
                  Long mid = m.getLong("mid");
                  bySender.computeIfAbsent(m.getLong("sender"), k -> new ArrayList<>()).add(mid);
                  marks.add(Tuple.of(mid));
                }
                return marks.isEmpty() ? Future.succeededFuture(bySender)
                    : conn.preparedQuery("UPDATE messages SET delivered = 1 WHERE mid = ?").executeBatch(marks)
                        .map(bySender);
              });
        });
  }

  @Override
  public Future<Recalled> recall(long uid, long mid, long windowMs) {
    return pool.withTransaction(conn -> recall(conn, uid, mid, windowMs));
  }

  private Future<Recalled> recall(SqlConnection conn, long uid, long mid, long windowMs) {
    return conn.preparedQuery("SELECT sender, recipient, ts, recalled FROM messages WHERE mid = ? FOR UPDATE")
        .execute(Tuple.of(mid))
        .compose(rows -> {
          Row m = rows.size() == 0 ? null : rows.iterator().next();
          boolean server = uid == RecallRequest.SERVER;
          if (m == null || (!server && m.getLong("sender") != uid && m.getLong("recipient") != uid)) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid));
          }
          long sender = m.getLong("sender");
          long recipient = m.getLong("recipient");
          if (sender != uid && !server) {
            return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "only the sender may recall a message"));
          }
          if (m.getInteger("recalled") != 0) {
            return Future.succeededFuture(null);
          }
          if (!server && System.currentTimeMillis() - m.getLong("ts") > windowMs) {
            return Future.failedFuture(new ImException(ErrorCode.RECALL_EXPIRED,
                "messages can be recalled for " + windowMs / 1000 + " s after sending"));
          }
          Map<Long, Integer> counts = new HashMap<>();
          counts.put(sender, 1);
          counts.put(recipient, 1);
          return conn.preparedQuery("UPDATE messages SET recalled = 1, body = NULL WHERE mid = ?")
              .execute(Tuple.of(mid))
              .compose(v -> Seqs.reserve(dialect, conn, counts))
              .compose(seqs -> {
                Recalled done = new Recalled(sender, recipient, seqs.get(sender), seqs.get(recipient));
                List<Tuple> rowsToAdd = sender == recipient ? List.of(Tuple.of(sender, done.senderSeq(), 1, mid))
                    : List.of(Tuple.of(sender, done.senderSeq(), 1, mid), Tuple.of(recipient, done.recipientSeq(), 1,
                        mid));
                return conn.preparedQuery("INSERT INTO inbox (uid, seq, kind, mid) VALUES (?, ?, ?, ?)")
                    .executeBatch(rowsToAdd).map(done);
              });
        });
  }
}
