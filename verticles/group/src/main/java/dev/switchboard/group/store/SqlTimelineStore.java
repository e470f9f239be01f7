package dev.switchboard.group.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link TimelineStore} on the relational pool. The group changes of {@link SqlGroupStore} append their events through
 * {@link #append} inside their own transactions.
 */
public final class SqlTimelineStore implements TimelineStore {
  /** Entry kinds in {@code group_messages.kind}. */
  private static final int MESSAGE = 0;
  private static final int EVENT = 1;
  private static final int RECALL = 2;

  private static final String DUPLICATES_HEAD = "SELECT gid, sender, cid, mid, seq, ts FROM group_messages "
      + "WHERE (gid, sender, cid) IN (";
  private static final String SENDERS_HEAD = "SELECT m.gid, m.uid, m.role, m.muted, g.muted AS gmuted, "
      + "g.dissolved FROM group_members m JOIN im_groups g ON g.gid = m.gid WHERE (m.gid, m.uid) IN (";
  private static final String BUMP_HEAD = "INSERT INTO im_groups (gid, seq, name, owner, max_members, created_at) "
      + "VALUES ";
  private static final String HEADS_OF_HEAD = "SELECT gid, seq FROM im_groups WHERE gid IN (";
  private static final String INSERT_HEAD = "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, type, "
      + "body, ts) VALUES ";
  private static final String MEMBER = "SELECT m.joined_seq, m.read_seq, g.seq FROM group_members m JOIN im_groups g "
      + "ON g.gid = m.gid WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String PAGE = "SELECT seq, kind, mid, sender, cid, type, body, ts, recalled FROM group_messages "
      + "WHERE gid = ? AND seq > ? ORDER BY seq LIMIT ?";
  private static final String HISTORY = "SELECT seq, kind, mid, sender, cid, type, body, ts, recalled "
      + "FROM group_messages WHERE gid = ? AND seq > ? AND seq < ? ORDER BY seq DESC LIMIT ?";
  private static final String HEADS = "SELECT m.gid, g.seq FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.uid = ? AND g.dissolved = 0";
  private static final String READ = "UPDATE group_members SET read_seq = GREATEST(read_seq, ?) "
      + "WHERE gid = ? AND uid = ?";
  private static final String RECALLER = "SELECT m.role FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String LOCK_MESSAGE = "SELECT seq, sender, ts, recalled FROM group_messages "
      + "WHERE gid = ? AND mid = ? AND kind = 0 FOR UPDATE";
  private static final String ERASE = "UPDATE group_messages SET recalled = 1, body = NULL WHERE gid = ? AND seq = ?";

  private final Pool pool;
  private final Dialect dialect;

  public SqlTimelineStore(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  // ---- sends ----

  @Override
  public Future<List<Object>> send(List<Send> sends, PostingRule rule) {
    return pool.withTransaction(conn -> send(conn, sends, rule));
  }

  private Future<List<Object>> send(SqlConnection conn, List<Send> sends, PostingRule rule) {
    Object[] outcome = new Object[sends.size()];
    List<List<Object>> keys = new ArrayList<>();
    List<List<Object>> members = new ArrayList<>();
    for (Send s : sends) {
      keys.add(List.of(s.gid(), s.from(), s.cid()));
      members.add(List.of(s.gid(), s.from()));
    }
    Future<List<Row>> existing = SqlChunks.select(conn, DUPLICATES_HEAD, "(?, ?, ?)", ")", keys);
    return existing.compose(dups -> SqlChunks.select(conn, SENDERS_HEAD, "(?, ?)", ")", members)
        .compose(memberRows -> {
          Map<String, Stored> stored = new HashMap<>();
          for (Row r : dups) {
            stored.put(r.getLong("gid") + ":" + r.getLong("sender") + ":" + r.getString("cid"),
                new Stored(r.getLong("mid"), r.getLong("seq"), r.getLong("ts"), true));
          }
          Map<String, Row> membership = new HashMap<>();
          memberRows.forEach(r -> membership.put(r.getLong("gid") + ":" + r.getLong("uid"), r));
          Map<Long, Integer> counts = new HashMap<>();
          Map<String, Integer> firstInBatch = new HashMap<>();
          List<Integer> accepted = new ArrayList<>();
          for (int i = 0; i < sends.size(); i++) {
            Send s = sends.get(i);
            String key = s.gid() + ":" + s.from() + ":" + s.cid();
            Row m = membership.get(s.gid() + ":" + s.from());
            Integer first = firstInBatch.putIfAbsent(key, i);
            ImException refusal;
            if (stored.containsKey(key)) {
              outcome[i] = stored.get(key);
            } else if (first != null) {
              outcome[i] = first;
            } else if (m == null || m.getInteger("dissolved") != 0) {
              outcome[i] = Failures.notMember(s.gid());
            } else if ((refusal = rule.refusal(s.gid(), Role.of(m.getInteger("role")), m.getInteger("muted") != 0,
                m.getInteger("gmuted") != 0)) != null) {
              outcome[i] = refusal;
            } else {
              accepted.add(i);
              counts.merge(s.gid(), 1, Integer::sum);
            }
          }
          if (accepted.isEmpty()) {
            return Future.succeededFuture(resolve(outcome));
          }
          return reserve(conn, counts).compose(firstSeq -> {
            List<List<Object>> rows = new ArrayList<>();
            for (int i : accepted) {
              Send s = sends.get(i);
              long seq = firstSeq.merge(s.gid(), 1L, Long::sum) - 1;
              rows.add(row(s.gid(), seq, MESSAGE, s.mid(), s.from(), s.cid(), s.type(), s.bodyJson(), s.ts()));
              outcome[i] = new Stored(s.mid(), seq, s.ts(), false);
            }
            return insert(conn, rows).map(v -> resolve(outcome));
          });
        }));
  }

  /** Repeats within a batch (an Integer: the index of the first) get the first's outcome, as duplicates. */
  private static List<Object> resolve(Object[] outcome) {
    for (int i = 0; i < outcome.length; i++) {
      if (outcome[i] instanceof Integer first) {
        Object o = outcome[first];
        outcome[i] = o instanceof Stored s ? new Stored(s.mid(), s.seq(), s.ts(), true) : o;
      }
    }
    return List.of(outcome);
  }

  // ---- appending inside a caller's transaction ----

  /** Appends a group event to {@code gid}'s timeline on {@code conn}; completes with its seq. */
  Future<Long> append(SqlConnection conn, long gid, GroupStore.Event event) {
    return append(conn, gid, EVENT, event.mid(), event.by(), event.details().encode(), event.ts());
  }

  /** Appends one entry to one group; completes with its seq. */
  private Future<Long> append(SqlConnection conn, long gid, int kind, long mid, long sender, String body, long ts) {
    return reserve(conn, Map.of(gid, 1)).compose(first -> {
      long seq = first.get(gid);
      return insert(conn, List.of(row(gid, seq, kind, mid, sender, null, null, body, ts))).map(seq);
    });
  }

  /** Reserves {@code counts.get(gid)} seqs per group; completes with the first reserved seq of each group. */
  private Future<Map<Long, Long>> reserve(SqlConnection conn, Map<Long, Integer> counts) {
    List<List<Object>> bumps = new ArrayList<>();
    List<List<Object>> gids = new ArrayList<>();
    new TreeMap<>(counts).forEach((gid, n) -> {
      // The group row exists (callers checked membership); the upsert is an update that adds n.
      bumps.add(List.of(gid, (long) n));
      gids.add(List.of(gid));
    });
    long last = (Long) bumps.get(bumps.size() - 1).get(0);
    return SqlChunks.upsert(conn, BUMP_HEAD, "(?, ?, '', 0, 0, 0)", dialect.onDuplicateKey(dialect.increment("seq")),
            bumps, List.of(last, 0L))
        .compose(v -> SqlChunks.select(conn, HEADS_OF_HEAD, "?", ")", gids))
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
  private static List<Object> row(long gid, long seq, int kind, long mid, long sender, String cid, String type,
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

  private static Future<Void> insert(SqlConnection conn, List<List<Object>> rows) {
    return SqlChunks.insert(conn, INSERT_HEAD, "(?, ?, ?, ?, ?, ?, ?, ?, ?)", rows).mapEmpty();
  }

  // ---- recall ----

  @Override
  public Future<Long> recall(long gid, long uid, long mid, RecallJudge judge) {
    // The server API deletes as the owner would (uid 0, RecallRequest.SERVER, is never a member).
    Future<Role> role = uid == RecallRequest.SERVER ? Future.succeededFuture(Role.OWNER) : null;
    return pool.withTransaction(conn -> (role != null ? role : conn.preparedQuery(RECALLER).execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0 ? Future.<Role>failedFuture(Failures.notMember(gid))
            : Future.succeededFuture(Role.of(rows.iterator().next().getInteger("role")))))
        .compose(me -> conn.preparedQuery(LOCK_MESSAGE).execute(Tuple.of(gid, mid)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid + " in the group"));
          }
          Row m = rows.iterator().next();
          long recallMid = judge.judge(me, m.getLong("sender"), m.getLong("ts"),
              m.getInteger("recalled") != 0);
          if (recallMid == 0) {
            return Future.succeededFuture(null);
          }
          return conn.preparedQuery(ERASE).execute(Tuple.of(gid, m.getLong("seq")))
              .compose(v -> append(conn, gid, RECALL, recallMid, uid, Long.toString(mid),
                  MidGenerator.timestampOf(recallMid)));
        })));
  }

  // ---- reads ----

  /** The member's join seq, read cursor and the group's head, or {@code not_member}. */
  private Future<Row> member(long uid, long gid) {
    return pool.preparedQuery(MEMBER).execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Failures.notMember(gid))
            : Future.succeededFuture(rows.iterator().next()));
  }

  @Override
  public Future<SyncPage> page(long uid, long gid, long after, int limit) {
    return member(uid, gid).compose(m -> pool.preparedQuery(PAGE)
        .execute(Tuple.of(gid, Math.max(after, m.getLong("joined_seq")), limit + 1))
        .map(rows -> {
          List<SyncEntry> entries = new ArrayList<>(Math.min(rows.size(), limit));
          for (Row row : rows) {
            if (entries.size() == limit) {
              break;
            }
            entries.add(syncEntry(gid, row));
          }
          return new SyncPage(gid, entries, rows.size() > limit, m.getLong("seq"));
        }));
  }

  @Override
  public Future<Page<SyncEntry>> history(long uid, long gid, long before, int limit) {
    return member(uid, gid).compose(m -> pool.preparedQuery(HISTORY)
        .execute(Tuple.of(gid, m.getLong("joined_seq"), before, limit + 1))
        .map(rows -> {
          List<SyncEntry> entries = new ArrayList<>(Math.min(rows.size(), limit));
          for (Row row : rows) {
            if (entries.size() == limit) {
              break;
            }
            entries.add(syncEntry(gid, row));
          }
          return new Page<>(entries, rows.size() > limit);
        }));
  }

  /** A timeline row as a page entry: the stored body (or event) text goes in as it is, unparsed. */
  private static SyncEntry syncEntry(long gid, Row r) {
    long seq = r.getLong("seq");
    return switch (r.getInteger("kind")) {
      case EVENT -> SyncEntry.event(gid, seq, r.getLong("ts"), utf8(r.getString("body")));
      case RECALL -> SyncEntry.recall(Long.parseLong(r.getString("body")), r.getLong("sender"), seq, gid);
      default -> SyncEntry.groupMessage(r.getLong("mid"), r.getString("cid"), r.getLong("sender"), gid, seq,
          r.getLong("ts"), r.getString("type"), utf8(r.getString("body")), r.getInteger("recalled") != 0);
    };
  }

  private static byte[] utf8(String stored) {
    return stored == null ? null : stored.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Future<Map<Long, Long>> heads(long uid) {
    return pool.preparedQuery(HEADS).execute(Tuple.of(uid)).map(rows -> {
      Map<Long, Long> heads = new LinkedHashMap<>();
      rows.forEach(r -> heads.put(r.getLong("gid"), r.getLong("seq")));
      return heads;
    });
  }

  @Override
  public Future<Long> markRead(long uid, long gid, long upTo) {
    return member(uid, gid).compose(m -> {
      long head = m.getLong("seq");
      long to = Math.min(upTo, head);
      return pool.preparedQuery(READ).execute(Tuple.of(to, gid, uid))
          .map(v -> head - Math.max(m.getLong("read_seq"), to));
    });
  }

  @Override
  public Future<List<Reader>> readers(long gid, int limit) {
    return pool.preparedQuery("SELECT uid, read_seq FROM group_members WHERE gid = ? LIMIT ?")
        .execute(Tuple.of(gid, limit))
        .map(rows -> {
          List<Reader> readers = new ArrayList<>(rows.size());
          for (Row r : rows) {
            readers.add(new Reader(r.getLong("uid"), r.getLong("read_seq")));
          }
          return readers;
        });
  }
}
