package dev.switchboard.router.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.ReactionsJson;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link InboxStore} on the router's tables: {@code inbox} (uid, seq, kind 0 message, 1 recall, 2 edit or 3 change of
 * reactions, mid) joined with {@code messages}, the per-user counter and delivered cursor {@code inbox_seq},
 * {@code device_cursors}, the earlier bodies of edited messages {@code message_edits} and {@code reactions}.
 */
public final class SqlInboxStore implements InboxStore {
  /** Inbox entry kinds ({@code inbox.kind}) besides 0, a message. */
  private static final int RECALL = 1;
  private static final int EDIT = 2;
  private static final int REACTIONS = 3;

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
            + "m.ts, m.type, m.body, m.recalled, m.edited_at, m.reaction_count, m.reply FROM inbox i "
            + "JOIN messages m ON m.mid = i.mid WHERE i.uid = ? AND i.seq > ? ORDER BY i.seq LIMIT ?")
        .execute(Tuple.of(uid, after, limit + 1))
        .compose(rows -> withReactions(uid, entries(rows, limit))
            .map(entries -> new SyncPage(0, entries, rows.size() > limit, latest))));
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
    String body = r.getString("body");
    byte[] bodyBytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    Long editedAt = r.getLong("edited_at");
    switch (r.getInteger("kind")) {
      case RECALL -> {
        return SyncEntry.recall(mid, r.getLong("sender"), seq, 0);
      }
      case EDIT -> {
        return SyncEntry.edited(mid, r.getLong("sender"), seq, 0, bodyBytes, editedAt == null ? 0 : editedAt);
      }
      case REACTIONS -> {
        return SyncEntry.reactions(mid, seq, 0, null);
      }
      default -> {
        boolean recalled = r.getInteger("recalled") != 0;
        SyncEntry e = SyncEntry.message(mid, r.getString("cid"), r.getLong("sender"), r.getLong("recipient"), seq,
            r.getLong("ts"), r.getString("type"), bodyBytes, recalled);
        String reply = r.getString("reply");
        if (reply != null && !recalled) {
          e = e.withReply(ReplySnapshot.bytes(reply), null, false);
        }
        // A message with reactions gets them in withReactions: the empty array marks it until then.
        return editedAt == null && (recalled || r.getInteger("reaction_count") == 0) ? e
            : e.with(editedAt == null ? 0 : editedAt, recalled || r.getInteger("reaction_count") == 0 ? null : NONE);
      }
    }
  }

  /** An empty reactions array: the placeholder of entries whose reactions are still to be read. */
  private static final byte[] NONE = {'[', ']'};

  /**
   * The entries with the reactions of their messages (as {@code uid} sees them: {@code me} on its own), read in one
   * query for the page, and only when some entry has any.
   */
  private Future<List<SyncEntry>> withReactions(long uid, List<SyncEntry> entries) {
    List<Object> mids = new ArrayList<>();
    for (SyncEntry e : entries) {
      if (e.kind() == SyncEntry.REACTIONS || e.reactions() == NONE) {
        mids.add(e.mid());
      }
    }
    if (mids.isEmpty()) {
      return Future.succeededFuture(entries);
    }
    return reactionsOf(pool, uid, mids).map(byMid -> {
      List<SyncEntry> out = new ArrayList<>(entries.size());
      for (SyncEntry e : entries) {
        boolean wanted = e.kind() == SyncEntry.REACTIONS || e.reactions() == NONE;
        out.add(wanted ? e.with(e.editedAt(), ReactionsJson.of(byMid.getOrDefault(e.mid(), List.of()))) : e);
      }
      return out;
    });
  }

  /** The reactions of messages {@code mids} by emoji, in the order each emoji was first used; {@code me}: uid's. */
  static Future<Map<Long, List<ReactionsJson.Count>>> reactionsOf(SqlClient client, long uid,
                                                                           List<Object> mids) {
    List<Object> args = new ArrayList<>(mids.size() + 1);
    args.add(uid);
    args.addAll(mids);
    return client.preparedQuery("SELECT mid, emoji, COUNT(*) AS n, MAX(CASE WHEN uid = ? THEN 1 ELSE 0 END) AS me, "
            + "MIN(ts) AS first FROM reactions WHERE mid IN (" + marks(mids.size()) + ") "
            + "GROUP BY mid, emoji ORDER BY mid, first, emoji")
        .execute(Tuple.from(args))
        .map(rows -> {
          Map<Long, List<ReactionsJson.Count>> byMid = new HashMap<>();
          for (Row r : rows) {
            byMid.computeIfAbsent(r.getLong("mid"), k -> new ArrayList<>()).add(new ReactionsJson.Count(
                r.getString("emoji"), r.getLong("n"), r.getInteger("me") != 0));
          }
          return byMid;
        });
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
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
    return conn.preparedQuery("SELECT sender, recipient, ts, recalled, type FROM messages WHERE mid = ? FOR UPDATE")
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
              .compose(v -> conn.preparedQuery("DELETE FROM message_edits WHERE mid = ?").execute(Tuple.of(mid)))
              .compose(v -> conn.preparedQuery("DELETE FROM reactions WHERE mid = ?").execute(Tuple.of(mid)))
              .compose(v -> conn.preparedQuery("UPDATE messages SET reply = ? WHERE reply_to = ?")
                  .execute(Tuple.of(ReplySnapshot.recalled(mid, sender, m.getString("type")), mid)))
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

  /** Reserves a seq in both parties' inboxes and adds an entry of {@code kind} for message {@code mid} to each. */
  private Future<long[]> entries(SqlConnection conn, long sender, long recipient, int kind, long mid) {
    Map<Long, Integer> counts = new HashMap<>();
    counts.put(sender, 1);
    counts.put(recipient, 1);
    return Seqs.reserve(dialect, conn, counts).compose(seqs -> {
      long senderSeq = seqs.get(sender);
      long recipientSeq = seqs.get(recipient);
      List<Tuple> rows = sender == recipient ? List.of(Tuple.of(sender, senderSeq, kind, mid))
          : List.of(Tuple.of(sender, senderSeq, kind, mid), Tuple.of(recipient, recipientSeq, kind, mid));
      return conn.preparedQuery("INSERT INTO inbox (uid, seq, kind, mid) VALUES (?, ?, ?, ?)").executeBatch(rows)
          .map(v -> new long[] {senderSeq, recipientSeq});
    });
  }

  /** The message row, locked, when {@code uid} is one of its parties and it is not recalled; else not_found. */
  private static Future<Row> readable(SqlConnection conn, long uid, long mid, String columns) {
    return conn.preparedQuery("SELECT sender, recipient, recalled, " + columns + " FROM messages WHERE mid = ? "
            + "FOR UPDATE").execute(Tuple.of(mid))
        .compose(rows -> {
          Row m = rows.size() == 0 ? null : rows.iterator().next();
          if (m == null || (m.getLong("sender") != uid && m.getLong("recipient") != uid)) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid));
          }
          if (m.getInteger("recalled") != 0) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "message " + mid + " was recalled"));
          }
          return Future.succeededFuture(m);
        });
  }

  @Override
  public Future<Edited> edit(long uid, long mid, String body, long windowMs, int maxEdits) {
    return pool.withTransaction(conn -> readable(conn, uid, mid, "ts, body, edited_at, type").compose(m -> {
      long sender = m.getLong("sender");
      long recipient = m.getLong("recipient");
      if (sender != uid) {
        return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "only the sender may edit a message"));
      }
      long now = System.currentTimeMillis();
      if (now - m.getLong("ts") >= windowMs) {
        return Future.failedFuture(new ImException(ErrorCode.EDIT_EXPIRED,
            "messages can be edited for " + windowMs / 1000 + " s after sending"));
      }
      Long previous = m.getLong("edited_at");
      long written = previous == null ? m.getLong("ts") : previous;
      long editedAt = Math.max(now, written + 1);
      return conn.preparedQuery("SELECT COUNT(*) AS n FROM message_edits WHERE mid = ?").execute(Tuple.of(mid))
          .compose(rows -> {
            int edits = rows.iterator().next().getInteger("n");
            if (edits >= maxEdits) {
              return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN,
                  "a message can be edited at most " + maxEdits + " times"));
            }
            return conn.preparedQuery("INSERT INTO message_edits (mid, version, body, ts) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(mid, edits + 1, m.getString("body"), written));
          })
          .compose(v -> conn.preparedQuery("UPDATE messages SET body = ?, edited_at = ? WHERE mid = ?")
              .execute(Tuple.of(body, editedAt, mid)))
          .compose(v -> conn.preparedQuery("UPDATE messages SET reply = ? WHERE reply_to = ?")
              .execute(Tuple.of(ReplySnapshot.of(mid, sender, m.getString("type"), body), mid)))
          .compose(v -> entries(conn, sender, recipient, EDIT, mid))
          .map(seqs -> new Edited(sender, recipient, seqs[0], seqs[1], editedAt));
    }));
  }

  @Override
  public Future<Reacted> react(long uid, long mid, String emoji, boolean add, int maxEmoji, int maxPerUser) {
    return pool.withTransaction(conn -> readable(conn, uid, mid, "mid").compose(m -> reactionsOf(conn, uid,
        List.of(mid)).compose(byMid -> {
          List<ReactionsJson.Count> after = ReactionsJson.after(byMid.getOrDefault(mid, List.of()), emoji, add,
              maxEmoji, maxPerUser);
          if (after == null) {
            return Future.succeededFuture((Reacted) null);
          }
          long sender = m.getLong("sender");
          long recipient = m.getLong("recipient");
          Future<?> change = add
              ? conn.preparedQuery("INSERT INTO reactions (mid, uid, emoji, ts) VALUES (?, ?, ?, ?)")
                  .execute(Tuple.of(mid, uid, emoji, System.currentTimeMillis()))
                  .compose(v -> conn.preparedQuery("UPDATE messages SET reaction_count = reaction_count + 1 "
                      + "WHERE mid = ?").execute(Tuple.of(mid)))
              : conn.preparedQuery("DELETE FROM reactions WHERE mid = ? AND uid = ? AND emoji = ?")
                  .execute(Tuple.of(mid, uid, emoji))
                  .compose(v -> conn.preparedQuery("UPDATE messages SET reaction_count = reaction_count - 1 "
                      + "WHERE mid = ?").execute(Tuple.of(mid)));
          return change.compose(v -> entries(conn, sender, recipient, REACTIONS, mid))
              .map(seqs -> new Reacted(sender, recipient, seqs[0], seqs[1], ReactionsJson.of(after)));
        })));
  }

  @Override
  public Future<SyncPage> versions(long mid) {
    return pool.preparedQuery("SELECT mid, cid, sender, recipient, ts, type, body, recalled, edited_at FROM messages "
            + "WHERE mid = ?").execute(Tuple.of(mid))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid));
          }
          Row m = rows.iterator().next();
          return pool.preparedQuery("SELECT body, ts FROM message_edits WHERE mid = ? ORDER BY version")
              .execute(Tuple.of(mid))
              .map(edits -> {
                List<SyncEntry> out = new ArrayList<>();
                for (Row e : edits) {
                  out.add(version(m, e.getString("body"), e.getLong("ts"), false));
                }
                Long editedAt = m.getLong("edited_at");
                out.add(version(m, m.getString("body"), editedAt == null ? m.getLong("ts") : editedAt,
                    m.getInteger("recalled") != 0));
                return new SyncPage(0, out, false, 0);
              });
        });
  }

  @Override
  public Future<SyncEntry> find(long mid) {
    return pool.preparedQuery("SELECT mid, cid, sender, recipient, ts, type, body, recalled, edited_at FROM messages "
            + "WHERE mid = ?").execute(Tuple.of(mid))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row m = rows.iterator().next();
          return version(m, m.getString("body"), m.getLong("ts"), m.getInteger("recalled") != 0);
        });
  }

  private static SyncEntry version(Row m, String body, long ts, boolean recalled) {
    return SyncEntry.message(m.getLong("mid"), m.getString("cid"), m.getLong("sender"), m.getLong("recipient"), 0, ts,
        m.getString("type"), body == null ? null : body.getBytes(StandardCharsets.UTF_8), recalled);
  }
}
