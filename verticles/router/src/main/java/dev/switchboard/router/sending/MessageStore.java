package dev.switchboard.router.sending;

import dev.switchboard.router.inbox.Seqs;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a batch of one-to-one sends in one transaction of a fixed number of statements, whatever the batch size:
 * look up duplicates (same sender and {@code cid}), unknown recipients and blocks; reserve inbox seqs; bump the
 * conversations; insert the messages and the inbox entries. Nothing is visible, and no seq is used, unless all of it
 * commits.
 */
final class MessageStore {
  /** One send of a batch: its request and the mid and time it was given when it arrived. */
  record Item(SendRequest request, long mid, long ts) {
  }

  private final Pool pool;

  MessageStore(Pool pool) {
    this.pool = pool;
  }

  /** Outcomes in batch order: a {@link Stored} or an {@link ImException} (not_found, blocked) per item. */
  Future<List<Object>> write(List<Item> items) {
    return pool.withTransaction(conn -> write(conn, items));
  }

  private Future<List<Object>> write(SqlConnection conn, List<Item> items) {
    Object[] outcome = new Object[items.size()];
    return duplicates(conn, items, outcome)
        .compose(v -> rejections(conn, items, outcome))
        .compose(v -> store(conn, items, outcome))
        .map(v -> List.of(outcome));
  }

  /** Marks sends whose (sender, cid) is already stored, or repeated earlier in this batch. */
  private Future<Void> duplicates(SqlConnection conn, List<Item> items, Object[] outcome) {
    StringBuilder sql = new StringBuilder(
        "SELECT sender, cid, mid, ts, sender_seq, recipient_seq FROM messages WHERE (sender, cid) IN (");
    List<Object> params = new ArrayList<>();
    for (Item it : items) {
      sql.append(params.isEmpty() ? "(?, ?)" : ", (?, ?)");
      params.add(it.request().from());
      params.add(it.request().cid());
    }
    sql.append(")");
    return conn.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
      Map<String, Stored> stored = new HashMap<>();
      for (Row r : rows) {
        stored.put(key(r.getLong("sender"), r.getString("cid")), new Stored(r.getLong("mid"), r.getLong("ts"),
            r.getLong("sender_seq"), r.getLong("recipient_seq"), true));
      }
      Map<String, Integer> firstInBatch = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        String key = key(items.get(i).request().from(), items.get(i).request().cid());
        Stored original = stored.get(key);
        if (original != null) {
          outcome[i] = original;
        } else if (firstInBatch.putIfAbsent(key, i) != null) {
          outcome[i] = new SameAs(firstInBatch.get(key));
        }
      }
      return null;
    });
  }

  /** A repeat, within the batch, of the item at {@code index}: it gets that item's outcome as a duplicate. */
  private record SameAs(int index) {
  }

  private static String key(long sender, String cid) {
    return sender + ":" + cid;
  }

  /** Marks sends to users that do not exist or that blocked the sender. */
  private Future<Void> rejections(SqlConnection conn, List<Item> items, Object[] outcome) {
    Set<Long> recipients = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      if (outcome[i] == null) {
        recipients.add(items.get(i).request().to());
      }
    }
    if (recipients.isEmpty()) {
      return Future.succeededFuture();
    }
    StringBuilder users = new StringBuilder("SELECT id FROM users WHERE id IN (");
    StringBuilder blocks = new StringBuilder("SELECT owner, blocked FROM blocks WHERE (owner, blocked) IN (");
    List<Object> blockParams = new ArrayList<>();
    int n = 0;
    for (int k = 0; k < recipients.size(); k++) {
      users.append(n++ == 0 ? "?" : ", ?");
    }
    for (int i = 0; i < items.size(); i++) {
      if (outcome[i] == null) {
        blocks.append(blockParams.isEmpty() ? "(?, ?)" : ", (?, ?)");
        blockParams.add(items.get(i).request().to());
        blockParams.add(items.get(i).request().from());
      }
    }
    Future<Set<Long>> existing = conn.preparedQuery(users.append(")").toString())
        .execute(Tuple.from(new ArrayList<>(recipients))).map(rows -> {
          Set<Long> found = new HashSet<>();
          rows.forEach(r -> found.add(r.getLong("id")));
          return found;
        });
    return existing.compose(found -> conn.preparedQuery(blocks.append(")").toString())
        .execute(Tuple.from(blockParams)).map(rows -> {
          Set<String> blocked = new HashSet<>();
          rows.forEach(r -> blocked.add(r.getLong("owner") + ":" + r.getLong("blocked")));
          for (int i = 0; i < items.size(); i++) {
            SendRequest r = items.get(i).request();
            if (outcome[i] != null) {
              continue;
            }
            if (!found.contains(r.to())) {
              outcome[i] = new ImException(ErrorCode.NOT_FOUND, "no user " + r.to());
            } else if (blocked.contains(r.to() + ":" + r.from())) {
              outcome[i] = new ImException(ErrorCode.BLOCKED, "the recipient does not accept your messages");
            }
          }
          return null;
        }));
  }

  /** Reserves seqs, bumps conversations and inserts the accepted sends (those with no outcome yet). */
  private Future<Void> store(SqlConnection conn, List<Item> items, Object[] outcome) {
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
      return resolveRepeats(outcome);
    }
    return Seqs.reserve(conn, seqCounts).compose(firstSeq ->
        conversations(conn, items, accepted).compose(firstRecvNo -> {
          List<Tuple> messages = new ArrayList<>();
          List<Tuple> inbox = new ArrayList<>();
          for (int i : accepted) {
            Item it = items.get(i);
            SendRequest r = it.request();
            long recipientSeq = firstSeq.merge(r.to(), 1L, Long::sum) - 1;
            long senderSeq = r.toSelf() ? recipientSeq : firstSeq.merge(r.from(), 1L, Long::sum) - 1;
            long recvNo = r.toSelf() ? 0 : firstRecvNo.merge(pair(r.to(), r.from()), 1L, Long::sum) - 1;
            messages.add(Tuple.from(List.of(it.mid(), r.from(), r.to(), r.cid(), r.type(), r.bodyJson(), it.ts(),
                senderSeq, recipientSeq, recvNo)));
            inbox.add(Tuple.of(r.to(), recipientSeq, 0, it.mid()));
            if (!r.toSelf()) {
              inbox.add(Tuple.of(r.from(), senderSeq, 0, it.mid()));
            }
            outcome[i] = new Stored(it.mid(), it.ts(), senderSeq, recipientSeq, false);
          }
          return conn.preparedQuery("INSERT INTO messages (mid, sender, recipient, cid, type, body, ts, sender_seq, "
                  + "recipient_seq, recv_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").executeBatch(messages)
              .compose(v -> conn.preparedQuery("INSERT INTO inbox (uid, seq, kind, mid) VALUES (?, ?, ?, ?)")
                  .executeBatch(inbox))
              .compose(v -> resolveRepeats(outcome));
        }));
  }

  private static Future<Void> resolveRepeats(Object[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] instanceof SameAs same) {
        Object first = outcome[same.index()];
        outcome[i] = first instanceof Stored s ? new Stored(s.mid(), s.ts(), s.senderSeq(), s.recipientSeq(), true)
            : first;
      }
    }
    return Future.succeededFuture();
  }

  private static String pair(long uid, long peer) {
    return uid + ":" + peer;
  }

  /**
   * Bumps both sides' conversation rows (last message; the recipient's received count) and completes with, per
   * (recipient, sender) pair, the first received-number reserved in this batch.
   */
  private Future<Map<String, Long>> conversations(SqlConnection conn, List<Item> items, List<Integer> accepted) {
    // (uid, peer) → [last mid, received increment], in key order so concurrent batches lock rows alike.
    TreeMap<String, long[]> rows = new TreeMap<>();
    for (int i : accepted) {
      Item it = items.get(i);
      SendRequest r = it.request();
      bump(rows, r.to(), r.from(), it.mid(), r.toSelf() ? 0 : 1);
      if (!r.toSelf()) {
        bump(rows, r.from(), r.to(), it.mid(), 0);
      }
    }
    StringBuilder sql = new StringBuilder("INSERT INTO conversations (uid, peer, last_mid, received) VALUES ");
    StringBuilder select = new StringBuilder("SELECT uid, peer, received FROM conversations WHERE (uid, peer) IN (");
    List<Object> params = new ArrayList<>();
    List<Object> selectParams = new ArrayList<>();
    for (Map.Entry<String, long[]> e : rows.entrySet()) {
      long[] v = e.getValue();
      sql.append(params.isEmpty() ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
      params.add(v[2]);
      params.add(v[3]);
      params.add(v[0]);
      params.add(v[1]);
      select.append(selectParams.isEmpty() ? "(?, ?)" : ", (?, ?)");
      selectParams.add(v[2]);
      selectParams.add(v[3]);
    }
    sql.append(" ON DUPLICATE KEY UPDATE last_mid = GREATEST(last_mid, VALUES(last_mid)), "
        + "received = received + VALUES(received)");
    return conn.preparedQuery(sql.toString()).execute(Tuple.from(params))
        .compose(v -> conn.preparedQuery(select.append(")").toString()).execute(Tuple.from(selectParams)))
        .map(result -> {
          Map<String, Long> first = new HashMap<>();
          for (Row r : result) {
            String key = pair(r.getLong("uid"), r.getLong("peer"));
            first.put(key, r.getLong("received") - rows.get(sortKey(r.getLong("uid"), r.getLong("peer")))[1] + 1);
          }
          return first;
        });
  }

  private static String sortKey(long uid, long peer) {
    return String.format("%020d:%020d", uid, peer);
  }

  private static void bump(TreeMap<String, long[]> rows, long uid, long peer, long mid, int received) {
    long[] v = rows.computeIfAbsent(sortKey(uid, peer), k -> new long[] {0, 0, uid, peer});
    v[0] = Math.max(v[0], mid);
    v[1] += received;
  }
}
