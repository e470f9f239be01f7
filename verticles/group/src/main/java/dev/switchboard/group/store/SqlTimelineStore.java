package dev.switchboard.group.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.ReactionsJson;
import dev.switchboard.protocol.frame.ReplySnapshot;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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
  private static final int EDIT = 3;
  private static final int REACTIONS = 4;

  private static final String DUPLICATES_HEAD = "SELECT gid, sender, cid, mid, seq, ts FROM group_messages "
      + "WHERE (gid, sender, cid) IN (";
  private static final String SENDERS_HEAD = "SELECT m.gid, m.uid, m.role, m.muted, m.joined_seq, g.muted AS gmuted, "
      + "g.dissolved FROM group_members m JOIN im_groups g ON g.gid = m.gid WHERE (m.gid, m.uid) IN (";
  private static final String BUMP_HEAD = "INSERT INTO im_groups (gid, seq, name, owner, max_members, created_at) "
      + "VALUES ";
  private static final String HEADS_OF_HEAD = "SELECT gid, seq FROM im_groups WHERE gid IN (";
  private static final String INSERT_HEAD = "INSERT INTO group_messages (gid, seq, kind, mid, sender, cid, type, "
      + "body, ts, reply_to, reply, mentions, mention_all) VALUES ";
  private static final String MEMBER = "SELECT m.joined_seq, m.read_seq, g.seq FROM group_members m JOIN im_groups g "
      + "ON g.gid = m.gid WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String PAGE = "SELECT seq, kind, mid, sender, cid, type, body, ts, recalled, edited_at, "
      + "reaction_count, reply, mentions, mention_all FROM group_messages WHERE gid = ? AND seq > ? ORDER BY seq "
      + "LIMIT ?";
  private static final String HISTORY = "SELECT seq, kind, mid, sender, cid, type, body, ts, recalled, edited_at, "
      + "reaction_count, reply, mentions, mention_all FROM group_messages WHERE gid = ? AND seq > ? AND seq < ? "
      + "ORDER BY seq DESC LIMIT ?";
  private static final String HEADS = "SELECT m.gid, g.seq FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.uid = ? AND g.dissolved = 0";
  private static final String READ = "UPDATE group_members SET read_seq = GREATEST(read_seq, ?) "
      + "WHERE gid = ? AND uid = ?";
  private static final String RECALLER = "SELECT m.role FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String LOCK_MESSAGE = "SELECT seq, sender, ts, recalled, type FROM group_messages "
      + "WHERE gid = ? AND mid = ? AND kind = 0 FOR UPDATE";
  private static final String READER = "SELECT m.joined_seq FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String LOCK_FOR_CHANGE = "SELECT seq, sender, ts, recalled, body, edited_at, type "
      + "FROM group_messages "
      + "WHERE gid = ? AND mid = ? AND kind = 0 FOR UPDATE";
  private static final String MESSAGE_ROW = "SELECT mid, seq, cid, sender, ts, type, body, recalled, edited_at "
      + "FROM group_messages WHERE gid = ? AND mid = ? AND kind = 0";
  /** Messages after a read cursor that mention the member, by uid or {@code @all} (not the member's own). */
  static final String UNREAD_MENTIONS = "SELECT (SELECT COUNT(*) FROM group_mentions WHERE uid = ? AND gid = ? "
      + "AND seq > ?) + (SELECT COUNT(*) FROM group_messages WHERE gid = ? AND seq > ? AND mention_all = 1 "
      + "AND recalled = 0 AND sender <> ?) AS n";
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
                m.getInteger("gmuted") != 0, s.mentionAll())) != null) {
              outcome[i] = refusal;
            } else {
              accepted.add(i);
            }
          }
          if (accepted.isEmpty()) {
            return Future.succeededFuture(resolve(outcome));
          }
          return extras(conn, sends, accepted, membership, outcome).compose(extras -> {
            accepted.removeIf(i -> outcome[i] != null);
            if (accepted.isEmpty()) {
              return Future.succeededFuture(resolve(outcome));
            }
            Map<Long, Integer> perGroup = new HashMap<>();
            accepted.forEach(i -> perGroup.merge(sends.get(i).gid(), 1, Integer::sum));
            return reserve(conn, perGroup).compose(firstSeq -> {
              List<List<Object>> rows = new ArrayList<>();
              List<Tuple> mentionRows = new ArrayList<>();
              for (int i : accepted) {
                Send s = sends.get(i);
                long seq = firstSeq.merge(s.gid(), 1L, Long::sum) - 1;
                Extras extra = extras.getOrDefault(i, Extras.NONE);
                rows.add(row(s.gid(), seq, MESSAGE, s.mid(), s.from(), s.cid(), s.type(), s.bodyJson(), s.ts(),
                    extra.reply() == null ? 0 : s.replyTo(), extra.reply(), extra.mentionsJson(), s.mentionAll()));
                for (long uid : extra.mentioned()) {
                  mentionRows.add(Tuple.of(uid, s.gid(), seq));
                }
                outcome[i] = new Stored(s.mid(), seq, s.ts(), false, extra.reply(), extra.mentionsJson());
              }
              Future<?> mentioned = mentionRows.isEmpty() ? Future.succeededFuture()
                  : conn.preparedQuery("INSERT INTO group_mentions (uid, gid, seq) VALUES (?, ?, ?)")
                      .executeBatch(mentionRows);
              return insert(conn, rows).compose(v -> mentioned).map(v -> resolve(outcome));
            });
          });
        }));
  }

  /** What a send carries besides its body: the quoted message's snapshot and the members it mentions (JSON too). */
  private record Extras(String reply, List<Long> mentioned, String mentionsJson) {
    static final Extras NONE = new Extras(null, List.of(), null);
  }

  /**
   * For the accepted sends that quote a message or mention members: {reply snapshot, mentions JSON} by index. A quoted
   * message must be one of the group's that the sender can read (after it joined) and not recalled, else the send
   * fails {@code not_found} (its outcome is set); mentions keep the group's members other than the sender (none
   * left: null). At most two statements, none when no send needs them.
   */
  private Future<Map<Integer, Extras>> extras(SqlConnection conn, List<Send> sends, List<Integer> accepted,
                                                Map<String, Row> membership, Object[] outcome) {
    List<List<Object>> quoted = new ArrayList<>();
    List<List<Object>> mentioned = new ArrayList<>();
    for (int i : accepted) {
      Send s = sends.get(i);
      if (s.replyTo() != 0) {
        quoted.add(List.of(s.replyTo()));
      }
      for (long uid : s.mentions()) {
        if (uid != s.from()) {
          mentioned.add(List.of(s.gid(), uid));
        }
      }
    }
    if (quoted.isEmpty() && mentioned.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Future<List<Row>> quotes = quoted.isEmpty() ? Future.succeededFuture(List.of())
        : SqlChunks.select(conn, "SELECT mid, gid, seq, sender, type, body, recalled FROM group_messages "
            + "WHERE kind = 0 AND mid IN (", "?", ")", quoted);
    return quotes.compose(q -> (mentioned.isEmpty() ? Future.<List<Row>>succeededFuture(List.of())
        : SqlChunks.select(conn, "SELECT gid, uid FROM group_members WHERE (gid, uid) IN (", "(?, ?)", ")", mentioned))
        .map(members -> {
          Map<Long, Row> byMid = new HashMap<>();
          q.forEach(r -> byMid.put(r.getLong("mid"), r));
          java.util.Set<String> isMember = new java.util.HashSet<>();
          members.forEach(r -> isMember.add(r.getLong("gid") + ":" + r.getLong("uid")));
          Map<Integer, Extras> out = new HashMap<>();
          for (int i : accepted) {
            Send s = sends.get(i);
            String reply = null;
            if (s.replyTo() != 0) {
              Row m = byMid.get(s.replyTo());
              long joined = membership.get(s.gid() + ":" + s.from()).getLong("joined_seq");
              if (m == null || m.getLong("gid") != s.gid() || m.getLong("seq") <= joined
                  || m.getInteger("recalled") != 0) {
                outcome[i] = new ImException(ErrorCode.NOT_FOUND, "no message " + s.replyTo()
                    + " in the group to reply to");
                continue;
              }
              reply = ReplySnapshot.of(s.replyTo(), m.getLong("sender"), m.getString("type"), m.getString("body"));
            }
            List<Long> uids = new ArrayList<>();
            for (long uid : s.mentions()) {
              if (uid != s.from() && isMember.contains(s.gid() + ":" + uid)) {
                uids.add(uid);
              }
            }
            if (reply != null || !uids.isEmpty()) {
              out.put(i, new Extras(reply, uids, uids.isEmpty() ? null : new JsonArray(uids).encode()));
            }
          }
          return out;
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
    return row(gid, seq, kind, mid, sender, cid, type, body, ts, 0, null, null, false);
  }

  private static List<Object> row(long gid, long seq, int kind, long mid, long sender, String cid, String type,
                                  String body, long ts, long replyTo, String reply, String mentions,
                                  boolean mentionAll) {
    List<Object> r = new ArrayList<>(13);
    r.add(gid);
    r.add(seq);
    r.add(kind);
    r.add(mid);
    r.add(sender);
    r.add(cid);
    r.add(type);
    r.add(body);
    r.add(ts);
    r.add(replyTo == 0 ? null : replyTo);
    r.add(reply);
    r.add(mentions);
    r.add(mentionAll ? 1 : 0);
    return r;
  }

  private static Future<Void> insert(SqlConnection conn, List<List<Object>> rows) {
    return SqlChunks.insert(conn, INSERT_HEAD, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows).mapEmpty();
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
              .compose(v -> conn.preparedQuery("DELETE FROM group_message_edits WHERE mid = ?").execute(Tuple.of(mid)))
              .compose(v -> conn.preparedQuery("DELETE FROM group_reactions WHERE mid = ?").execute(Tuple.of(mid)))
              .compose(v -> conn.preparedQuery("DELETE FROM group_mentions WHERE gid = ? AND seq = ?")
                  .execute(Tuple.of(gid, m.getLong("seq"))))
              .compose(v -> conn.preparedQuery("UPDATE group_messages SET reply = ? WHERE reply_to = ?")
                  .execute(Tuple.of(ReplySnapshot.recalled(mid, m.getLong("sender"), m.getString("type")), mid)))
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
        .compose(rows -> complete(uid, gid, rows, limit)
            .map(entries -> new SyncPage(gid, entries, rows.size() > limit, m.getLong("seq")))));
  }

  @Override
  public Future<Page<SyncEntry>> history(long uid, long gid, long before, int limit) {
    return member(uid, gid).compose(m -> pool.preparedQuery(HISTORY)
        .execute(Tuple.of(gid, m.getLong("joined_seq"), before, limit + 1))
        .compose(rows -> complete(uid, gid, rows, limit).map(entries -> new Page<>(entries, rows.size() > limit))));
  }

  /**
   * The first {@code limit} rows as entries, completed with what lives in other rows: an edit entry's message body
   * and edit time, and the reactions (as {@code uid} sees them) of change-of-reactions entries and of messages that
   * have some. At most two more statements per page, none when the page needs neither.
   */
  private Future<List<SyncEntry>> complete(long uid, long gid, RowSet<Row> rows, int limit) {
    List<SyncEntry> entries = new ArrayList<>(Math.min(rows.size(), limit));
    List<Object> edited = new ArrayList<>();
    List<Object> reacted = new ArrayList<>();
    for (Row row : rows) {
      if (entries.size() == limit) {
        break;
      }
      SyncEntry e = syncEntry(gid, row);
      int kind = row.getInteger("kind");
      if (kind == EDIT) {
        edited.add(e.mid());
      } else if (kind == REACTIONS || (kind == MESSAGE && !e.recalled() && row.getInteger("reaction_count") > 0)) {
        reacted.add(e.mid());
      }
      entries.add(e);
    }
    Future<Map<Long, Row>> bodies = edited.isEmpty() ? Future.succeededFuture(Map.of())
        : pool.preparedQuery("SELECT mid, body, edited_at FROM group_messages WHERE mid IN (" + marks(edited.size())
            + ")").execute(Tuple.from(edited)).map(found -> {
              Map<Long, Row> byMid = new HashMap<>();
              found.forEach(r -> byMid.put(r.getLong("mid"), r));
              return byMid;
            });
    Future<Map<Long, List<ReactionsJson.Count>>> reactions = reacted.isEmpty() ? Future.succeededFuture(Map.of())
        : reactionsOf(pool, uid, reacted);
    return bodies.compose(b -> reactions.map(r -> {
      if (b.isEmpty() && r.isEmpty() && reacted.isEmpty()) {
        return entries;
      }
      List<SyncEntry> out = new ArrayList<>(entries.size());
      for (SyncEntry e : entries) {
        if (e.kind() == SyncEntry.EDITED) {
          Row m = b.get(e.mid());
          String body = m == null ? null : m.getString("body");
          Long at = m == null ? null : m.getLong("edited_at");
          out.add(SyncEntry.edited(e.mid(), e.by(), e.seq(), gid, utf8(body), at == null ? e.editedAt() : at));
        } else if (e.kind() == SyncEntry.REACTIONS
            || (e.kind() == SyncEntry.MESSAGE && reacted.contains(e.mid()))) {
          out.add(e.with(e.editedAt(), ReactionsJson.of(r.getOrDefault(e.mid(), List.of()))));
        } else {
          out.add(e);
        }
      }
      return out;
    }));
  }

  /** A timeline row as a page entry: the stored body (or event) text goes in as it is, unparsed. */
  private static SyncEntry syncEntry(long gid, Row r) {
    long seq = r.getLong("seq");
    return switch (r.getInteger("kind")) {
      case EVENT -> SyncEntry.event(gid, seq, r.getLong("ts"), utf8(r.getString("body")));
      case RECALL -> SyncEntry.recall(Long.parseLong(r.getString("body")), r.getLong("sender"), seq, gid);
      case EDIT -> SyncEntry.edited(Long.parseLong(r.getString("body")), r.getLong("sender"), seq, gid, null,
          r.getLong("ts"));
      case REACTIONS -> SyncEntry.reactions(Long.parseLong(r.getString("body")), seq, gid, null);
      default -> {
        SyncEntry e = SyncEntry.groupMessage(r.getLong("mid"), r.getString("cid"), r.getLong("sender"), gid, seq,
            r.getLong("ts"), r.getString("type"), utf8(r.getString("body")), r.getInteger("recalled") != 0);
        Long editedAt = r.getLong("edited_at");
        if (editedAt != null) {
          e = e.with(editedAt, null);
        }
        if (!e.recalled() && (r.getString("reply") != null || r.getString("mentions") != null
            || r.getInteger("mention_all") != 0)) {
          e = e.withReply(utf8(r.getString("reply")), utf8(r.getString("mentions")), r.getInteger("mention_all") != 0);
        }
        yield e;
      }
    };
  }

  /** The reactions of messages {@code mids} by emoji, in the order each emoji was first used; {@code me}: uid's. */
  private static Future<Map<Long, List<ReactionsJson.Count>>> reactionsOf(SqlClient client, long uid,
                                                                           List<Object> mids) {
    List<Object> args = new ArrayList<>(mids.size() + 1);
    args.add(uid);
    args.addAll(mids);
    return client.preparedQuery("SELECT mid, emoji, COUNT(*) AS n, MAX(CASE WHEN uid = ? THEN 1 ELSE 0 END) AS me, "
            + "MIN(ts) AS first FROM group_reactions WHERE mid IN (" + marks(mids.size()) + ") "
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
  public Future<Unread> markRead(long uid, long gid, long upTo) {
    return member(uid, gid).compose(m -> {
      long head = m.getLong("seq");
      long to = Math.min(upTo, head);
      long cursor = Math.max(m.getLong("read_seq"), to);
      return pool.preparedQuery(READ).execute(Tuple.of(to, gid, uid))
          .compose(v -> pool.preparedQuery(UNREAD_MENTIONS).execute(Tuple.of(uid, gid, cursor, gid, cursor, uid)))
          .map(rows -> new Unread(head - cursor, rows.iterator().next().getLong("n")));
    });
  }

  @Override
  public Future<List<Reader>> readers(long gid, int limit) {
    return pool.preparedQuery("SELECT uid, read_seq, notify FROM group_members WHERE gid = ? LIMIT ?")
        .execute(Tuple.of(gid, limit))
        .map(rows -> {
          List<Reader> readers = new ArrayList<>(rows.size());
          for (Row r : rows) {
            readers.add(new Reader(r.getLong("uid"), r.getLong("read_seq"), r.getInteger("notify")));
          }
          return readers;
        });
  }

  // ---- edits and reactions ----

  /**
   * Message {@code mid} of group {@code gid}, locked, when {@code uid} is a member who can read it (it came after the
   * member joined) and it is not recalled; else not_member or not_found.
   */
  private Future<Row> readable(SqlConnection conn, long gid, long uid, long mid) {
    return conn.preparedQuery(READER).execute(Tuple.of(gid, uid)).compose(members -> {
      if (members.size() == 0) {
        return Future.failedFuture(Failures.notMember(gid));
      }
      long joined = members.iterator().next().getLong("joined_seq");
      return conn.preparedQuery(LOCK_FOR_CHANGE).execute(Tuple.of(gid, mid)).compose(rows -> {
        Row m = rows.size() == 0 ? null : rows.iterator().next();
        if (m == null || m.getLong("seq") <= joined) {
          return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid + " in the group"));
        }
        if (m.getInteger("recalled") != 0) {
          return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "message " + mid + " was recalled"));
        }
        return Future.succeededFuture(m);
      });
    });
  }

  @Override
  public Future<Edited> edit(long gid, long uid, long mid, String body, long windowMs, int maxEdits, long entryMid) {
    return pool.withTransaction(conn -> readable(conn, gid, uid, mid).compose(m -> {
      if (m.getLong("sender") != uid) {
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
      return conn.preparedQuery("SELECT COUNT(*) AS n FROM group_message_edits WHERE mid = ?").execute(Tuple.of(mid))
          .compose(rows -> {
            int edits = rows.iterator().next().getInteger("n");
            if (edits >= maxEdits) {
              return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN,
                  "a message can be edited at most " + maxEdits + " times"));
            }
            return conn.preparedQuery("INSERT INTO group_message_edits (mid, version, body, ts) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(mid, edits + 1, m.getString("body"), written));
          })
          .compose(v -> conn.preparedQuery("UPDATE group_messages SET body = ?, edited_at = ? WHERE gid = ? AND seq = ?")
              .execute(Tuple.of(body, editedAt, gid, m.getLong("seq"))))
          .compose(v -> conn.preparedQuery("UPDATE group_messages SET reply = ? WHERE reply_to = ?")
              .execute(Tuple.of(ReplySnapshot.of(mid, uid, m.getString("type"), body), mid)))
          .compose(v -> append(conn, gid, EDIT, entryMid, uid, Long.toString(mid), editedAt))
          .map(seq -> new Edited(seq, editedAt));
    }));
  }

  @Override
  public Future<Reacted> react(long gid, long uid, long mid, String emoji, boolean add, int maxEmoji, int maxPerUser,
                               long entryMid) {
    return pool.withTransaction(conn -> readable(conn, gid, uid, mid).compose(m -> reactionsOf(conn, uid,
        List.of(mid)).compose(byMid -> {
          List<ReactionsJson.Count> after = ReactionsJson.after(byMid.getOrDefault(mid, List.of()), emoji, add,
              maxEmoji, maxPerUser);
          if (after == null) {
            return Future.succeededFuture((Reacted) null);
          }
          Future<?> change = add
              ? conn.preparedQuery("INSERT INTO group_reactions (mid, uid, emoji, ts) VALUES (?, ?, ?, ?)")
                  .execute(Tuple.of(mid, uid, emoji, System.currentTimeMillis()))
                  .compose(v -> conn.preparedQuery("UPDATE group_messages SET reaction_count = reaction_count + 1 "
                      + "WHERE gid = ? AND seq = ?").execute(Tuple.of(gid, m.getLong("seq"))))
              : conn.preparedQuery("DELETE FROM group_reactions WHERE mid = ? AND uid = ? AND emoji = ?")
                  .execute(Tuple.of(mid, uid, emoji))
                  .compose(v -> conn.preparedQuery("UPDATE group_messages SET reaction_count = reaction_count - 1 "
                      + "WHERE gid = ? AND seq = ?").execute(Tuple.of(gid, m.getLong("seq"))));
          return change.compose(v -> append(conn, gid, REACTIONS, entryMid, uid, Long.toString(mid),
                  MidGenerator.timestampOf(entryMid)))
              .map(seq -> new Reacted(seq, ReactionsJson.of(after)));
        })));
  }

  @Override
  public Future<SyncPage> versions(long gid, long mid) {
    return pool.preparedQuery(MESSAGE_ROW).execute(Tuple.of(gid, mid)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no message " + mid + " in the group"));
      }
      Row m = rows.iterator().next();
      return pool.preparedQuery("SELECT body, ts FROM group_message_edits WHERE mid = ? ORDER BY version")
          .execute(Tuple.of(mid))
          .map(edits -> {
            List<SyncEntry> out = new ArrayList<>();
            for (Row e : edits) {
              out.add(version(gid, m, e.getString("body"), e.getLong("ts"), false));
            }
            Long editedAt = m.getLong("edited_at");
            out.add(version(gid, m, m.getString("body"), editedAt == null ? m.getLong("ts") : editedAt,
                m.getInteger("recalled") != 0));
            return new SyncPage(0, out, false, 0);
          });
    });
  }

  @Override
  public Future<SyncEntry> find(long gid, long mid) {
    return pool.preparedQuery(MESSAGE_ROW).execute(Tuple.of(gid, mid)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row m = rows.iterator().next();
      return version(gid, m, m.getString("body"), m.getLong("ts"), m.getInteger("recalled") != 0);
    });
  }

  private static SyncEntry version(long gid, Row m, String body, long ts, boolean recalled) {
    return SyncEntry.groupMessage(m.getLong("mid"), m.getString("cid"), m.getLong("sender"), gid, m.getLong("seq"), ts,
        m.getString("type"), utf8(body), recalled);
  }
}
