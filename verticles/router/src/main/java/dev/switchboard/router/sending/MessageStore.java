package dev.switchboard.router.sending;

import dev.switchboard.router.inbox.Seqs;
import dev.switchboard.shared.contract.SendRequest;
import dev.switchboard.shared.store.SqlChunks;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a batch of one-to-one sends in one transaction of a few multi-row statements, whatever the batch size: look
 * up duplicates (same sender and {@code cid}), unknown recipients and blocks; reserve inbox seqs; bump the
 * conversations; insert the messages and the inbox entries. Nothing is visible, and no seq is used, unless all of it
 * commits.
 */
final class MessageStore {
  /** One send of a batch: its request, its body as text for the database, and the mid and time it was given. */
  record Item(SendRequest request, String bodyText, long mid, long ts) {
  }

  /** A repeat, within the batch, of the item at {@code index}: it gets that item's outcome as a duplicate. */
  private record SameAs(int index) {
  }

  private final Pool pool;
  private final boolean contactsOnly;

  MessageStore(Pool pool, boolean contactsOnly) {
    this.pool = pool;
    this.contactsOnly = contactsOnly;
  }

  /** Outcomes in batch order: a {@link Stored} or an {@link ImException} (not_found, blocked) per item. */
  Future<List<Object>> write(List<Item> items) {
    return pool.withTransaction(conn -> {
      Object[] outcome = new Object[items.size()];
      return duplicates(conn, items, outcome)
          .compose(v -> rejections(conn, items, outcome))
          .compose(v -> store(conn, items, outcome))
          .map(v -> List.of(resolveRepeats(outcome)));
    });
  }

  /** Marks sends whose (sender, cid) is already stored, or repeated earlier in this batch. */
  private Future<Void> duplicates(SqlConnection conn, List<Item> items, Object[] outcome) {
    List<List<Object>> keys = new ArrayList<>(items.size());
    items.forEach(it -> keys.add(List.of(it.request().from(), it.request().cid())));
    return SqlChunks.select(conn, "SELECT sender, cid, mid, ts, sender_seq, recipient_seq FROM messages "
        + "WHERE (sender, cid) IN (", "(?, ?)", ")", keys).map(rows -> {
          Map<String, Stored> stored = new HashMap<>();
          for (Row r : rows) {
            stored.put(key(r.getLong("sender"), r.getString("cid")), new Stored(r.getLong("mid"), r.getLong("ts"),
                r.getLong("sender_seq"), r.getLong("recipient_seq"), true));
          }
          Map<String, Integer> firstInBatch = new HashMap<>();
          for (int i = 0; i < items.size(); i++) {
            String key = key(items.get(i).request().from(), items.get(i).request().cid());
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

  private static String key(long sender, String cid) {
    return sender + ":" + cid;
  }

  /** Marks sends to users that do not exist or that blocked the sender. */
  private Future<Void> rejections(SqlConnection conn, List<Item> items, Object[] outcome) {
    Set<Long> recipients = new HashSet<>();
    List<List<Object>> pairs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (outcome[i] == null) {
        SendRequest r = items.get(i).request();
        recipients.add(r.to());
        pairs.add(List.of(r.to(), r.from()));
      }
    }
    if (recipients.isEmpty()) {
      return Future.succeededFuture();
    }
    List<List<Object>> uids = recipients.stream().map(uid -> List.<Object>of(uid)).toList();
    Future<Set<String>> contacts = contactsOnly ? contacts(conn, items, outcome) : Future.succeededFuture(null);
    return contacts.compose(known -> SqlChunks.select(conn, "SELECT id FROM users WHERE id IN (", "?", ")", uids)
        .compose(users -> SqlChunks.select(conn, "SELECT owner, blocked FROM blocks WHERE (owner, blocked) IN (",
            "(?, ?)", ")", pairs)
            .map(blocks -> {
              Set<Long> found = new HashSet<>();
              users.forEach(r -> found.add(r.getLong("id")));
              Set<String> blocked = new HashSet<>();
              blocks.forEach(r -> blocked.add(r.getLong("owner") + ":" + r.getLong("blocked")));
              for (int i = 0; i < items.size(); i++) {
                SendRequest r = items.get(i).request();
                if (outcome[i] != null) {
                  continue;
                }
                if (!found.contains(r.to())) {
                  outcome[i] = new ImException(ErrorCode.NOT_FOUND, "no user " + r.to());
                } else if (blocked.contains(r.to() + ":" + r.from())) {
                  outcome[i] = new ImException(ErrorCode.BLOCKED, "the recipient does not accept your messages");
                } else if (known != null && !r.toSelf() && !known.contains(r.from() + ":" + r.to())) {
                  // Persisted pushes and bots' sends too: every path that stores a message from a user to a user.
                  outcome[i] = new ImException(ErrorCode.NOT_CONTACT, "only contacts may message each other here");
                }
              }
              return null;
            })));
  }

  /** The (sender, recipient) pairs of the batch that are contacts, as {@code "from:to"}. */
  private Future<Set<String>> contacts(SqlConnection conn, List<Item> items, Object[] outcome) {
    List<List<Object>> pairs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (outcome[i] == null) {
        pairs.add(List.of(items.get(i).request().from(), items.get(i).request().to()));
      }
    }
    return SqlChunks.select(conn, "SELECT uid, peer FROM contacts WHERE state = 2 AND (uid, peer) IN (", "(?, ?)", ")",
        pairs).map(rows -> {
          Set<String> known = new HashSet<>();
          rows.forEach(r -> known.add(r.getLong("uid") + ":" + r.getLong("peer")));
          return known;
        });
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
      return Future.succeededFuture();
    }
    return Seqs.reserve(conn, seqCounts).compose(firstSeq ->
        conversations(conn, items, accepted).compose(firstRecvNo -> {
          List<List<Object>> messages = new ArrayList<>(accepted.size());
          List<List<Object>> inbox = new ArrayList<>(accepted.size() * 2);
          for (int i : accepted) {
            Item it = items.get(i);
            SendRequest r = it.request();
            long recipientSeq = firstSeq.merge(r.to(), 1L, Long::sum) - 1;
            long senderSeq = r.toSelf() ? recipientSeq : firstSeq.merge(r.from(), 1L, Long::sum) - 1;
            long recvNo = r.toSelf() ? 0 : firstRecvNo.merge(pair(r.to(), r.from()), 1L, Long::sum) - 1;
            messages.add(List.of(it.mid(), r.from(), r.to(), r.cid(), r.msgType(), it.bodyText(), it.ts(), senderSeq,
                recipientSeq, recvNo));
            inbox.add(List.of(r.to(), recipientSeq, it.mid()));
            if (!r.toSelf()) {
              inbox.add(List.of(r.from(), senderSeq, it.mid()));
            }
            outcome[i] = new Stored(it.mid(), it.ts(), senderSeq, recipientSeq, false);
          }
          return SqlChunks.insert(conn, "INSERT INTO messages (mid, sender, recipient, cid, type, body, ts, "
                  + "sender_seq, recipient_seq, recv_no) VALUES ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", messages)
              .compose(v -> SqlChunks.insert(conn, "INSERT INTO inbox (uid, seq, kind, mid) VALUES ", "(?, ?, 0, ?)",
                  inbox))
              .mapEmpty();
        }));
  }

  private static Object[] resolveRepeats(Object[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] instanceof SameAs same) {
        Object first = outcome[same.index()];
        outcome[i] = first instanceof Stored s ? new Stored(s.mid(), s.ts(), s.senderSeq(), s.recipientSeq(), true)
            : first;
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
  private Future<Map<String, Long>> conversations(SqlConnection conn, List<Item> items, List<Integer> accepted) {
    // (uid, peer) → {last mid, received increment, uid, peer}, in key order so concurrent batches lock rows alike.
    TreeMap<String, long[]> rows = new TreeMap<>();
    for (int i : accepted) {
      Item it = items.get(i);
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
            " ON DUPLICATE KEY UPDATE last_mid = GREATEST(last_mid, VALUES(last_mid)), "
                + "received = received + VALUES(received)", upserts, List.of(last.get(0), last.get(1), 0L, 0L))
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

  private static void bump(TreeMap<String, long[]> rows, long uid, long peer, long mid, int received) {
    long[] v = rows.computeIfAbsent(String.format("%020d:%020d", uid, peer), k -> new long[] {0, 0, uid, peer});
    v[0] = Math.max(v[0], mid);
    v[1] += received;
  }
}
