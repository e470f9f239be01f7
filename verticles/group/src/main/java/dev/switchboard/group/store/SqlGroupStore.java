package dev.switchboard.group.store;

import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link GroupStore} on the relational pool. A change appends its event through {@code timeline} and makes or uses up
 * invitations through {@code invitations}, on its own connection, so all of it commits or none.
 */
public final class SqlGroupStore implements GroupStore {
  private static final String EXISTS = "SELECT gid FROM im_groups WHERE gid = ? AND dissolved = 0";
  private static final String VIEW_COLUMNS = "SELECT g.gid, g.name, g.owner, g.seq, g.muted, g.max_members, m.role, "
      + "m.muted AS mmuted, m.read_seq, m.notify, (SELECT COUNT(*) FROM group_members c WHERE c.gid = g.gid) AS members, "
      + "(SELECT COUNT(*) FROM group_mentions x WHERE x.uid = m.uid AND x.gid = g.gid AND x.seq > m.read_seq) "
      + "+ (SELECT COUNT(*) FROM group_messages y WHERE y.gid = g.gid AND y.seq > m.read_seq AND y.mention_all = 1 "
      + "AND y.recalled = 0 AND y.sender <> m.uid) AS unread_mentions ";
  private static final String VIEW = VIEW_COLUMNS + "FROM im_groups g JOIN group_members m ON m.gid = g.gid "
      + "AND m.uid = ? WHERE g.gid = ? AND g.dissolved = 0";
  private static final String GROUPS_OF = VIEW_COLUMNS + "FROM group_members m JOIN im_groups g ON g.gid = m.gid "
      + "WHERE m.uid = ? AND g.dissolved = 0 ORDER BY g.gid";
  private static final String MEMBER = "SELECT m.role, m.muted, m.joined_seq FROM group_members m JOIN im_groups g "
      + "ON g.gid = m.gid WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0";
  private static final String MEMBERS = "SELECT uid, role, muted FROM group_members WHERE gid = ? AND uid > ? "
      + "ORDER BY uid LIMIT ?";
  private static final String CREATE = "INSERT INTO im_groups (name, owner, seq, muted, dissolved, max_members, "
      + "created_at) VALUES (?, ?, 0, 0, 0, ?, ?)";
  private static final String ADD_HEAD = "INSERT INTO group_members (gid, uid, role, joined_seq) VALUES ";
  private static final String LOCK = "SELECT dissolved FROM im_groups WHERE gid = ? FOR UPDATE";
  private static final String LOCK_NAMED = "SELECT name, dissolved FROM im_groups WHERE gid = ? FOR UPDATE";
  private static final String TARGET = "SELECT role, muted FROM group_members WHERE gid = ? AND uid = ?";
  private static final String UIDS = "SELECT uid FROM group_members WHERE gid = ?";
  private static final String NAME = "SELECT name FROM im_groups WHERE gid = ?";
  private static final String COUNT = "SELECT COUNT(*) AS n, COUNT(CASE WHEN uid = ? THEN 1 END) AS me "
      + "FROM group_members WHERE gid = ?";
  private static final String RENAME = "UPDATE im_groups SET name = ? WHERE gid = ?";
  private static final String MUTE_ALL = "UPDATE im_groups SET muted = ? WHERE gid = ?";
  private static final String SET_ROLE = "UPDATE group_members SET role = ? WHERE gid = ? AND uid = ?";
  private static final String SET_MUTED = "UPDATE group_members SET muted = ? WHERE gid = ? AND uid = ?";
  private static final String DROP = "DELETE FROM group_members WHERE gid = ? AND uid = ?";
  private static final String DISSOLVE = "UPDATE im_groups SET dissolved = 1 WHERE gid = ?";

  private final Pool pool;
  private final Dialect dialect;
  private final SqlTimelineStore timeline;
  private final SqlInvitationStore invitations;

  /** A store whose changes write their events to {@code timeline} and their invitations to {@code invitations}. */
  public SqlGroupStore(Pool pool, Dialect dialect, SqlTimelineStore timeline, SqlInvitationStore invitations) {
    this.pool = pool;
    this.dialect = dialect;
    this.timeline = timeline;
    this.invitations = invitations;
  }

  // ---- reads ----

  @Override
  public Future<Boolean> exists(long gid) {
    return pool.preparedQuery(EXISTS).execute(Tuple.of(gid)).map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Boolean> setNotifications(long gid, long uid, int level) {
    return pool.preparedQuery("UPDATE group_members SET notify = ? WHERE gid = ? AND uid = ? AND gid IN "
            + "(SELECT g.gid FROM im_groups g WHERE g.gid = ? AND g.dissolved = 0)")
        .execute(Tuple.of(level, gid, uid, gid)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<GroupView> view(long gid, long uid) {
    return pool.preparedQuery(VIEW).execute(Tuple.of(uid, gid))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Failures.notMember(gid))
            : Future.succeededFuture(view(rows.iterator().next())));
  }

  @Override
  public Future<List<GroupView>> groupsOf(long uid) {
    return pool.preparedQuery(GROUPS_OF).execute(Tuple.of(uid)).map(rows -> {
      List<GroupView> groups = new ArrayList<>(rows.size());
      rows.forEach(g -> groups.add(view(g)));
      return groups;
    });
  }

  private static GroupView view(Row g) {
    return new GroupView(g.getLong("gid"), g.getString("name"), g.getLong("owner"), g.getLong("seq"),
        g.getInteger("muted") != 0, g.getInteger("max_members"), g.getLong("members"), Role.of(g.getInteger("role")),
        g.getInteger("mmuted") != 0, g.getLong("read_seq"), g.getLong("unread_mentions"), g.getInteger("notify"));
  }

  @Override
  public Future<Page<Member>> members(long gid, long uid, long after, int limit) {
    return member(pool, gid, uid)
        .compose(me -> pool.preparedQuery(MEMBERS).execute(Tuple.of(gid, after, limit + 1)))
        .map(rows -> {
          List<Member> members = new ArrayList<>(Math.min(rows.size(), limit));
          for (Row m : rows) {
            if (members.size() == limit) {
              break;
            }
            members.add(new Member(m.getLong("uid"), Role.of(m.getInteger("role")), m.getInteger("muted") != 0));
          }
          return new Page<>(members, rows.size() > limit);
        });
  }

  // ---- changes ----

  @Override
  public Future<Created> create(NewGroup group, Event event) {
    long owner = group.owner();
    return pool.withTransaction(conn -> conn.preparedQuery(CREATE)
        .execute(Tuple.of(group.name(), owner, group.maxMembers(), group.createdAt()))
        .compose(v -> conn.query(dialect.lastInsertId("gid")).execute())
        .compose(rows -> {
          long gid = rows.iterator().next().getLong("gid");
          List<List<Object>> members = new ArrayList<>();
          members.add(List.of(gid, owner, Role.OWNER.code(), 0L));
          group.members().forEach(m -> members.add(List.of(gid, m, Role.MEMBER.code(), 0L)));
          return SqlChunks.insert(conn, ADD_HEAD, "(?, ?, ?, ?)", members)
              .compose(v -> timeline.append(conn, gid, event))
              .compose(seq -> invitations.invite(conn, gid, owner, group.invited(), group.createdAt())
                  .map(v -> new Created(gid, seq)));
        }));
  }

  @Override
  public Future<Long> edit(long gid, long actor, long target, EditRule rule, Edit edit, Event event) {
    return pool.withTransaction(conn -> actor(conn, gid, actor)
        .compose(me -> (target == 0 ? Future.<Member>succeededFuture() : target(conn, gid, target))
            .compose(them -> {
              rule.check(me, them);
              return apply(conn, gid, edit);
            }))
        .compose(v -> timeline.append(conn, gid, event)));
  }

  private Future<Void> apply(SqlConnection conn, long gid, Edit edit) {
    Future<?> done;
    if (edit instanceof Rename r) {
      done = conn.preparedQuery(RENAME).execute(Tuple.of(r.name(), gid));
    } else if (edit instanceof MuteAll m) {
      done = conn.preparedQuery(MUTE_ALL).execute(Tuple.of(m.muted() ? 1 : 0, gid));
    } else if (edit instanceof SetRole r) {
      done = conn.preparedQuery(SET_ROLE).execute(Tuple.of(r.role().code(), gid, r.uid()));
    } else if (edit instanceof SetMuted m) {
      done = conn.preparedQuery(SET_MUTED).execute(Tuple.of(m.muted() ? 1 : 0, gid, m.uid()));
    } else if (edit instanceof Drop d) {
      done = conn.preparedQuery(DROP).execute(Tuple.of(gid, d.uid()));
    } else if (edit instanceof Dissolve) {
      done = conn.preparedQuery(DISSOLVE).execute(Tuple.of(gid)).compose(v -> invitations.dissolved(conn, gid));
    } else {
      throw new IllegalArgumentException("unknown edit " + edit);
    }
    return done.mapEmpty();
  }

  @Override
  public <A extends Admission> Future<Admitted<A>> admit(long gid, long actor, AdmitJudge<A> judge) {
    return pool.withTransaction(conn -> actor(conn, gid, actor)
        .compose(me -> conn.preparedQuery(UIDS).execute(Tuple.of(gid)).compose(current -> {
          Set<Long> existing = new HashSet<>();
          current.forEach(row -> existing.add(row.getLong("uid")));
          A admission = judge.judge(me, existing);
          List<Long> direct = admission.direct();
          Future<String> invited = admission.invited().isEmpty() ? Future.succeededFuture()
              : conn.preparedQuery(NAME).execute(Tuple.of(gid)).compose(g -> {
                String name = g.iterator().next().getString("name");
                return invitations.invite(conn, gid, actor, admission.invited(), admission.invitedAt()).map(name);
              });
          if (direct.isEmpty()) {
            return invited.map(name -> new Admitted<>(admission, name, 0));
          }
          return invited.compose(name -> join(conn, gid, direct, admission.event())
              .compose(seq -> invitations.joined(conn, gid, direct).map(v -> new Admitted<>(admission, name, seq))));
        })));
  }

  @Override
  public Future<Accepted> accept(long gid, long uid, AcceptJudge judge) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_NAMED).execute(Tuple.of(gid)).compose(g -> {
      Row group = g.size() == 0 ? null : g.iterator().next();
      if (group == null || group.getInteger("dissolved") != 0) {
        return Future.succeededFuture();
      }
      String name = group.getString("name");
      return invitations.take(conn, uid, gid).compose(inviter -> inviter == null ? Future.succeededFuture()
          : conn.preparedQuery(COUNT).execute(Tuple.of(uid, gid)).compose(counts -> {
            Row c = counts.iterator().next();
            Event event = judge.judge(inviter, c.getLong("n"), c.getLong("me") > 0);
            return event == null ? Future.succeededFuture(new Accepted(name, null, 0))
                : join(conn, gid, List.of(uid), event).map(seq -> new Accepted(name, event, seq));
          }));
    }));
  }

  /**
   * Appends {@code event}, then makes {@code added} members from just before it (so their history starts at it);
   * completes with the event's seq.
   */
  private Future<Long> join(SqlConnection conn, long gid, List<Long> added, Event event) {
    return timeline.append(conn, gid, event).compose(seq -> {
      List<List<Object>> rows = new ArrayList<>();
      added.forEach(m -> rows.add(List.of(gid, m, Role.MEMBER.code(), seq - 1)));
      return SqlChunks.insert(conn, ADD_HEAD, "(?, ?, ?, ?)", rows).map(v -> seq);
    });
  }

  /** Locks the group row (serialising changes to one group); the acting member, or {@code not_member}. */
  private Future<Member> actor(SqlConnection conn, long gid, long uid) {
    return conn.preparedQuery(LOCK).execute(Tuple.of(gid))
        .compose(g -> g.size() == 0 || g.iterator().next().getInteger("dissolved") != 0
            ? Future.failedFuture(Failures.notMember(gid)) : member(conn, gid, uid));
  }

  /** Member {@code uid} of live group {@code gid}, or {@code not_member}. */
  private static Future<Member> member(SqlClient client, long gid, long uid) {
    return client.preparedQuery(MEMBER).execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(Failures.notMember(gid))
            : Future.succeededFuture(member(uid, rows.iterator().next())));
  }

  /** Member {@code uid} of {@code gid} (dissolved or not), or null. */
  private static Future<Member> target(SqlConnection conn, long gid, long uid) {
    return conn.preparedQuery(TARGET).execute(Tuple.of(gid, uid))
        .map(rows -> rows.size() == 0 ? null : member(uid, rows.iterator().next()));
  }

  private static Member member(long uid, Row row) {
    return new Member(uid, Role.of(row.getInteger("role")), row.getInteger("muted") != 0);
  }
}
