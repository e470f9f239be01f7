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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a batch of one-to-one sends in one transaction of a few multi-row statements, whatever the batch size: one
 * lookup (duplicates by sender and {@code cid}, unknown recipients, blocks, and contacts when only contacts may
 * message), then reserve inbox seqs, bump the conversations, insert the messages and the inbox entries. Nothing is
 * visible, and no seq is used, unless all of it commits.
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
      return lookup(conn, items, outcome)
          .compose(v -> store(conn, items, outcome))
          .map(v -> List.of(resolveRepeats(outcome)));
    });
  }

  private static final int DUPLICATE = 0;
  private static final int USER = 1;
  private static final int BLOCK = 2;
  private static final int CONTACT = 3;
  private static final String COLUMNS = ", '' AS c, 0 AS m, 0 AS t, 0 AS s1, 0 AS s2 FROM ";

  /**
   * Everything the batch must know before it writes, in one round trip: sends whose (sender, cid) is already stored
   * (or repeated earlier in the batch), recipients that do not exist, pairs where the recipient blocked the sender,
   * and (contacts-only) pairs that are not contacts. Marks each send's outcome accordingly.
   */
  private Future<Void> lookup(SqlConnection conn, List<Item> items, Object[] outcome) {
    List<List<Object>> keys = new ArrayList<>(items.size());
    Set<Long> recipients = new LinkedHashSet<>();
    List<List<Object>> blockPairs = new ArrayList<>(items.size());
    List<List<Object>> contactPairs = new ArrayList<>(items.size());
    for (Item it : items) {
      SendRequest r = it.request();
      keys.add(List.of(r.from(), r.cid()));
      recipients.add(r.to());
      blockPairs.add(List.of(r.to(), r.from()));
      contactPairs.add(List.of(r.from(), r.to()));
    }
    List<SqlChunks.Part> parts = new ArrayList<>(4);
    parts.add(new SqlChunks.Part("SELECT " + DUPLICATE + " AS k, sender AS a, 0 AS b, cid AS c, mid AS m, ts AS t, "
        + "sender_seq AS s1, recipient_seq AS s2 FROM messages WHERE (sender, cid) IN (", "(?, ?)", ")", keys));
    parts.add(new SqlChunks.Part("SELECT " + USER + ", id, 0" + COLUMNS + "users WHERE id IN (", "?", ")",
        recipients.stream().map(uid -> List.<Object>of(uid)).toList()));
    parts.add(new SqlChunks.Part("SELECT " + BLOCK + ", owner, blocked" + COLUMNS + "blocks WHERE (owner, blocked) IN (",
        "(?, ?)", ")", blockPairs));
    if (contactsOnly) {
      parts.add(new SqlChunks.Part("SELECT " + CONTACT + ", uid, peer" + COLUMNS + "contacts WHERE state = 2 AND "
          + "(uid, peer) IN (", "(?, ?)", ")", contactPairs));
    }
    return SqlChunks.selectAll(conn, parts).map(rows -> {
      Map<String, Stored> stored = new HashMap<>();
      Set<Long> found = new HashSet<>();
      Set<String> blocked = new HashSet<>();
      Set<String> contacts = new HashSet<>();
      for (Row r : rows) {
        int kind = ((Number) r.getValue(0)).intValue();
        long a = r.getLong(1);
        switch (kind) {
          case DUPLICATE -> stored.put(key(a, r.getString(3)), new Stored(r.getLong(4), r.getLong(5), r.getLong(6),
              r.getLong(7), true));
          case USER -> found.add(a);
          case BLOCK -> blocked.add(pair(a, r.getLong(2)));
          default -> contacts.add(pair(a, r.getLong(2)));
        }
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
        } else if (!found.contains(r.to())) {
          outcome[i] = new ImException(ErrorCode.NOT_FOUND, "no user " + r.to());
        } else if (blocked.contains(pair(r.to(), r.from()))) {
          outcome[i] = new ImException(ErrorCode.BLOCKED, "the recipient does not accept your messages");
        } else if (contactsOnly && !r.toSelf() && !contacts.contains(pair(r.from(), r.to()))) {
          // Persisted pushes and bots' sends too: every path that stores a message from a user to a user.
          outcome[i] = new ImException(ErrorCode.NOT_CONTACT, "only contacts may message each other here");
        }
      }
      return null;
    });
  }

  private static String key(long sender, String cid) {
    return sender + ":" + cid;
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
    TreeMap<UidPeer, long[]> rows = new TreeMap<>();
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
