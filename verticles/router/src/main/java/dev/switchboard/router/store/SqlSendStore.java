package dev.switchboard.router.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SendRequest;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SendStore} on the router's tables: one transaction of a few multi-row statements, whatever the batch size:
 * one lookup of duplicates (by sender and {@code cid}), then (once the judge has spoken) reserve inbox seqs
 * ({@link Seqs}), bump the conversations, insert the messages and the inbox entries.
 */
public final class SqlSendStore implements SendStore {
  /** A repeat, within the batch, of the item at {@code index}: it gets that item's outcome as a duplicate. */
  private record SameAs(int index) {
  }

  private final Pool pool;
  private final Dialect dialect;

  public SqlSendStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  @Override
  public Future<List<Object>> write(List<Send> items, Future<Judge> judge) {
    return pool.withTransaction(conn -> {
      Object[] outcome = new Object[items.size()];
      return duplicates(conn, items, outcome)
          .compose(v -> judge.compose(j -> {
            refuse(j, outcome);
            return quotes(conn, items, outcome).compose(replies -> store(conn, items, outcome, replies));
          }))
          .map(v -> List.of(resolveRepeats(outcome)));
    });
  }

  /**
   * Marks each send whose (sender, cid) is already stored, or repeated earlier in the batch; one statement (padded to
   * a power-of-two number of keys, like every multi-row statement here).
   */
  private static Future<Void> duplicates(SqlConnection conn, List<Send> items, Object[] outcome) {
    List<List<Object>> keys = new ArrayList<>(items.size());
    for (Send it : items) {
      keys.add(List.of(it.request().from(), it.request().cid()));
    }
    return SqlChunks.select(conn, "SELECT sender, cid, mid, ts, sender_seq, recipient_seq, reply FROM messages "
        + "WHERE (sender, cid) IN (", "(?, ?)", ")", keys).map(rows -> {
          Map<String, Stored> stored = new HashMap<>();
          for (Row r : rows) {
            stored.put(key(r.getLong(0), r.getString(1)), new Stored(r.getLong(2), r.getLong(3), r.getLong(4),
                r.getLong(5), true, r.getString(6)));
          }
          Map<String, Integer> firstInBatch = new HashMap<>();
          for (int i = 0; i < items.size(); i++) {
            SendRequest r = items.get(i).request();
            String key = key(r.from(), r.cid());
            Stored original = stored.get(key);
            Integer first = firstInBatch.putIfAbsent(key, i);
            if (original != null) {
              outcome[i] = original;
            } else if (first != null) {
              outcome[i] = new SameAs(first);
            }
          }
          return null;
        });
  }

  /** Gives the new sends (no outcome yet) that the judge refuses their refusal. */
  private static void refuse(Judge judge, Object[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] == null) {
        outcome[i] = judge.refusal(i);
      }
    }
  }

  private static String key(long sender, String cid) {
    return sender + ":" + cid;
  }

  /**
   * The snapshots of the messages the batch's new sends quote, by index in the batch; a send whose quoted message is
   * not in its conversation, or recalled, gets {@code not_found} as its outcome. One statement, only when a send quotes.
   */
  private static Future<Map<Integer, String>> quotes(SqlConnection conn, List<Send> items, Object[] outcome) {
    List<List<Object>> mids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (outcome[i] == null && items.get(i).request().replyTo() != 0) {
        mids.add(List.of(items.get(i).request().replyTo()));
      }
    }
    if (mids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return SqlChunks.select(conn, "SELECT mid, sender, recipient, type, body, recalled FROM messages WHERE mid IN (",
        "?", ")", mids).map(rows -> {
          Map<Long, Row> quoted = new HashMap<>();
          rows.forEach(r -> quoted.put(r.getLong("mid"), r));
          Map<Integer, String> replies = new HashMap<>();
          for (int i = 0; i < items.size(); i++) {
            SendRequest r = items.get(i).request();
            if (outcome[i] != null || r.replyTo() == 0) {
              continue;
            }
            Row q = quoted.get(r.replyTo());
            boolean sameConversation = q != null
                && ((q.getLong("sender") == r.from() && q.getLong("recipient") == r.to())
                || (q.getLong("sender") == r.to() && q.getLong("recipient") == r.from()));
            if (!sameConversation || q.getInteger("recalled") != 0) {
              outcome[i] = new ImException(ErrorCode.NOT_FOUND, "no message " + r.replyTo()
                  + " in this conversation to reply to");
            } else {
              replies.put(i, ReplySnapshot.of(r.replyTo(), q.getLong("sender"), q.getString("type"),
                  q.getString("body")));
            }
          }
          return replies;
        });
  }

  /** Reserves seqs, bumps conversations and inserts the accepted sends (those with no outcome yet). */
  private Future<Void> store(SqlConnection conn, List<Send> items, Object[] outcome, Map<Integer, String> replies) {
    List<Integer> accepted = new ArrayList<>();
    Map<Long, Integer> seqCounts = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      if (outcome[i] == null) {
        accepted.add(i);
        SendRequest r = items.get(i).request();
        seqCounts.merge(r.to(), 1, Integer::sum);
        if (!r.toSelf()) {
          seqCounts.merge(r.from(), 1, Integer::sum);
        }
      }
    }
    if (accepted.isEmpty()) {
      return Future.succeededFuture();
    }
    return Seqs.reserve(dialect, conn, seqCounts).compose(firstSeq ->
        conversations(conn, items, accepted).compose(firstRecvNo -> {
          List<List<Object>> messages = new ArrayList<>(accepted.size());
          List<List<Object>> inbox = new ArrayList<>(accepted.size() * 2);
          for (int i : accepted) {
            Send it = items.get(i);
            SendRequest r = it.request();
            long recipientSeq = firstSeq.merge(r.to(), 1L, Long::sum) - 1;
            long senderSeq = r.toSelf() ? recipientSeq : firstSeq.merge(r.from(), 1L, Long::sum) - 1;
            long recvNo = r.toSelf() ? 0 : firstRecvNo.merge(pair(r.to(), r.from()), 1L, Long::sum) - 1;
            String reply = replies.get(i);
            messages.add(Arrays.asList(it.mid(), r.from(), r.to(), r.cid(), r.msgType(), it.bodyText(), it.ts(),
                senderSeq, recipientSeq, recvNo, r.replyTo() == 0 ? null : r.replyTo(), reply));
            inbox.add(List.of(r.to(), recipientSeq, it.mid()));
            if (!r.toSelf()) {
              inbox.add(List.of(r.from(), senderSeq, it.mid()));
            }
            outcome[i] = new Stored(it.mid(), it.ts(), senderSeq, recipientSeq, false, reply);
          }
          return SqlChunks.insert(conn, "INSERT INTO messages (mid, sender, recipient, cid, type, body, ts, "
                  + "sender_seq, recipient_seq, recv_no, reply_to, reply) VALUES ",
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", messages)
              .compose(v -> SqlChunks.insert(conn, "INSERT INTO inbox (uid, seq, kind, mid) VALUES ", "(?, ?, 0, ?)",
                  inbox))
              .mapEmpty();
        }));
  }

  private static Object[] resolveRepeats(Object[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] instanceof SameAs same) {
        Object first = outcome[same.index()];
        outcome[i] = first instanceof Stored s
            ? new Stored(s.mid(), s.ts(), s.senderSeq(), s.recipientSeq(), true, s.reply()) : first;
      }
    }
    return outcome;
  }

  private static String pair(long uid, long peer) {
    return uid + ":" + peer;
  }

  /**
   * Bumps both sides' conversation rows (last message; the recipient's received count) and completes with, per
   * (recipient, sender) pair, the first received-number reserved in this batch.
   */
  private Future<Map<String, Long>> conversations(SqlConnection conn, List<Send> items, List<Integer> accepted) {
    // (uid, peer) → {last mid, received increment, uid, peer}, in key order so concurrent batches lock rows alike.
    TreeMap<UidPeer, long[]> rows = new TreeMap<>();
    for (int i : accepted) {
      Send it = items.get(i);
      SendRequest r = it.request();
      bump(rows, r.to(), r.from(), it.mid(), r.toSelf() ? 0 : 1);
      if (!r.toSelf()) {
        bump(rows, r.from(), r.to(), it.mid(), 0);
      }
    }
    List<List<Object>> upserts = new ArrayList<>(rows.size());
    List<List<Object>> keys = new ArrayList<>(rows.size());
    Map<String, Long> increments = new HashMap<>();
    for (long[] v : rows.values()) {
      upserts.add(List.of(v[2], v[3], v[0], v[1]));
      keys.add(List.of(v[2], v[3]));
      increments.put(pair(v[2], v[3]), v[1]);
    }
    List<Object> last = upserts.get(upserts.size() - 1);
    return SqlChunks.upsert(conn, "INSERT INTO conversations (uid, peer, last_mid, received) VALUES ", "(?, ?, ?, ?)",
            dialect.onDuplicateKey(dialect.raise("last_mid") + ", " + dialect.increment("received")),
            upserts, List.of(last.get(0), last.get(1), 0L, 0L))
        .compose(v -> SqlChunks.select(conn, "SELECT uid, peer, received FROM conversations WHERE (uid, peer) IN (",
            "(?, ?)", ")", keys))
        .map(result -> {
          Map<String, Long> first = new HashMap<>();
          for (Row r : result) {
            String key = pair(r.getLong("uid"), r.getLong("peer"));
            first.putIfAbsent(key, r.getLong("received") - increments.get(key) + 1);
          }
          return first;
        });
  }

  /** A conversation row's key, ordered by (uid, peer) so concurrent batches lock rows in the same order. */
  private record UidPeer(long uid, long peer) implements Comparable<UidPeer> {
    @Override
    public int compareTo(UidPeer o) {
      int c = Long.compare(uid, o.uid);
      return c != 0 ? c : Long.compare(peer, o.peer);
    }
  }

  private static void bump(TreeMap<UidPeer, long[]> rows, long uid, long peer, long mid, int received) {
    long[] v = rows.computeIfAbsent(new UidPeer(uid, peer), k -> new long[] {0, 0, uid, peer});
    v[0] = Math.max(v[0], mid);
    v[1] += received;
  }
}
