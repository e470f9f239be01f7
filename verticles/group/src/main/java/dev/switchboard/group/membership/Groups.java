package dev.switchboard.group.membership;

import dev.switchboard.group.GroupConfig;
import dev.switchboard.group.timeline.GroupReads;
import dev.switchboard.group.timeline.Timeline;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupCommand;
import dev.switchboard.protocol.contract.GroupCommandReply;
import dev.switchboard.protocol.contract.GroupDissolve;
import dev.switchboard.protocol.contract.GroupJoin;
import dev.switchboard.protocol.contract.GroupLeave;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OpNames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.SyncFrames;
import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.Pages;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Group management on {@code im.group.manage}: a {@link GroupCommand} of the acting user {@code uid}, answered with a
 * {@link GroupCommandReply} (the JSON the HTTP API returns).
 * Every change runs in one transaction that locks the group row (so concurrent changes to one group serialize and
 * size limits hold), writes the change and appends a {@code group.event} to the group's timeline (so offline members
 * learn it on sync). After the commit the event is published to the group's address, and users who joined or left
 * get a control ({@link GroupJoin}, {@link GroupLeave}) on their own address so their sessions subscribe or
 * unsubscribe at once; a dissolve reaches the group's address as a {@link GroupDissolve}.
 *
 * <p>Ops: {@code create, info, rename, add, remove, leave, admin, mute, muteAll, dissolve, mine, members, history,
 * invitations, accept, decline}. Roles: owner (2) › admin (1) › member (0).
 *
 * <p>Who an add (at create or later) puts in the group at once is {@link AddPolicy}'s call; the others get an
 * invitation ({@link Invitations}) and a {@code group.invite} frame on their own address, and join through the same
 * path as an add when they accept.
 */
public final class Groups {
  static final int MEMBER = 0;
  static final int ADMIN = 1;
  static final int OWNER = 2;

  /** A change: runs inside the transaction and queues what to publish once it commits. */
  private interface Change {
    Future<JsonObject> apply(SqlConnection conn, GroupCommand request, List<Runnable> effects);
  }

  /** A change that puts users in the group: it runs with the API's answer about them, asked before the transaction. */
  private interface AddChange {
    Future<JsonObject> apply(SqlConnection conn, GroupCommand request, AddPolicy.Targets targets,
                             List<Runnable> effects);
  }

  private final Pool pool;
  private final Dialect dialect;
  private final EventBus bus;
  private final MidGenerator mids;
  private final GroupConfig config;
  private final Map<String, Change> ops;
  private final Map<String, AddChange> adds;
  private final AddPolicy policy;
  private final Invitations invitations;

  public Groups(Pool pool, Dialect dialect, EventBus bus, MidGenerator mids, GroupConfig config) {
    this.pool = pool;
    this.dialect = dialect;
    this.bus = bus;
    this.mids = mids;
    this.config = config;
    this.adds = Map.of(GroupCommand.CREATE, this::create, GroupCommand.ADD, this::add);
    this.ops = Map.ofEntries(
        Map.entry(GroupCommand.RENAME, this::rename), Map.entry(GroupCommand.REMOVE, this::remove),
        Map.entry(GroupCommand.LEAVE, this::leave), Map.entry(GroupCommand.ADMIN, this::admin),
        Map.entry(GroupCommand.MUTE, this::mute), Map.entry(GroupCommand.MUTE_ALL, this::muteAll),
        Map.entry(GroupCommand.DISSOLVE, this::dissolve), Map.entry(GroupCommand.ACCEPT, this::accept),
        Map.entry(GroupCommand.DECLINE, this::decline));
    ApiPeers peers = new ApiPeers(bus, config.askTimeoutMs());
    this.policy = new AddPolicy(peers, config.contactsOnly());
    this.invitations = new Invitations(dialect, config.maxInvitations(), peers);
  }

  public void handle(Message<GroupCommand> request) {
    GroupCommand r = request.body();
    String op = r.kind() == null ? "" : r.kind();
    Future<?> result;
    switch (op) {
      case GroupCommand.INFO -> result = info(r);
      case GroupCommand.MINE -> result = mine(r);
      case GroupCommand.MEMBERS -> result = members(r);
      case GroupCommand.HISTORY -> result = history(r);
      case GroupCommand.INVITATIONS -> result = invitations.list(pool, r.uid());
      case GroupCommand.EXISTS -> result = exists(r.gid());
      default -> {
        Change change = ops.get(op);
        AddChange add = adds.get(op);
        if (add != null) {
          result = policy.ask(r.uid(), r.members())
              .compose(targets -> transaction((conn, effects) -> add.apply(conn, r, targets, effects)));
        } else if (change != null) {
          result = transaction((conn, effects) -> change.apply(conn, r, effects));
        } else {
          result = Future.failedFuture(new ImException(ErrorCode.UNKNOWN_OP, "unknown group op '" + op + "'"));
        }
      }
    }
    result.onSuccess(json -> request.reply(new GroupCommandReply(json instanceof byte[] bytes ? bytes
            : ((JsonObject) json).toBuffer().getBytes())))
        .onFailure(t -> ImException.failReply(request, t));
  }

  /** Runs {@code change} in a transaction; what it queued to publish goes out once that commits. */
  private Future<JsonObject> transaction(
      java.util.function.BiFunction<SqlConnection, List<Runnable>, Future<JsonObject>> change) {
    List<Runnable> effects = new ArrayList<>();
    return pool.withTransaction(conn -> change.apply(conn, effects)).onSuccess(v -> effects.forEach(Runnable::run));
  }

  // ---- reads ----

  /** {@code {gid}} when the group exists and is not dissolved (the push API's check), else {@code not_found}. */
  private Future<JsonObject> exists(long gid) {
    return pool.preparedQuery("SELECT gid FROM im_groups WHERE gid = ? AND dissolved = 0").execute(Tuple.of(gid))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no group " + gid))
            : Future.succeededFuture(new JsonObject().put("gid", gid)));
  }

  private Future<JsonObject> info(GroupCommand r) {
    long uid = r.uid();
    long gid = r.gid();
    return pool.preparedQuery("SELECT g.gid, g.name, g.owner, g.seq, g.muted, g.max_members, m.role, m.muted AS mmuted, "
            + "m.read_seq, (SELECT COUNT(*) FROM group_members c WHERE c.gid = g.gid) AS members "
            + "FROM im_groups g JOIN group_members m ON m.gid = g.gid AND m.uid = ? WHERE g.gid = ? AND g.dissolved = 0")
        .execute(Tuple.of(uid, gid))
        .compose(rows -> rows.size() == 0 ? notMember(gid) : Future.succeededFuture(describe(rows.iterator().next())));
  }

  private static JsonObject describe(Row g) {
    return new JsonObject().put("gid", g.getLong("gid")).put("name", g.getString("name"))
        .put("owner", g.getLong("owner")).put("seq", g.getLong("seq")).put("muted", g.getInteger("muted") != 0)
        .put("maxMembers", g.getInteger("max_members")).put("members", g.getLong("members"))
        .put("role", roleName(g.getInteger("role"))).put("mutedMe", g.getInteger("mmuted") != 0)
        .put("unread", g.getLong("seq") - Math.max(g.getLong("read_seq"), 0));
  }

  private Future<JsonObject> mine(GroupCommand r) {
    return pool.preparedQuery("SELECT g.gid, g.name, g.owner, g.seq, g.muted, g.max_members, m.role, "
            + "m.muted AS mmuted, m.read_seq, (SELECT COUNT(*) FROM group_members c WHERE c.gid = g.gid) AS members "
            + "FROM group_members m JOIN im_groups g ON g.gid = m.gid WHERE m.uid = ? AND g.dissolved = 0 "
            + "ORDER BY g.gid")
        .execute(Tuple.of(r.uid()))
        .map(rows -> {
          JsonArray groups = new JsonArray();
          rows.forEach(g -> groups.add(describe(g)));
          return new JsonObject().put("groups", groups);
        });
  }

  private Future<JsonObject> members(GroupCommand r) {
    long gid = r.gid();
    int limit = r.limit() == 0 ? 100 : r.limit();
    return requireMember(pool, gid, r.uid()).compose(me -> pool.preparedQuery(
            "SELECT uid, role, muted FROM group_members WHERE gid = ? AND uid > ? ORDER BY uid LIMIT ?")
        .execute(Tuple.of(gid, r.after(), limit + 1))
        .map(rows -> Pages.of(rows, limit, "members", m -> new JsonObject().put("uid", m.getLong("uid"))
            .put("role", roleName(m.getInteger("role"))).put("muted", m.getInteger("muted") != 0))));
  }

  /** {@code {messages: [...], more}} as bytes, stored bodies spliced in unparsed. */
  private Future<byte[]> history(GroupCommand r) {
    long gid = r.gid();
    int limit = r.limit() == 0 ? 50 : r.limit();
    long before = r.before() == 0 ? Long.MAX_VALUE : r.before();
    return requireMember(pool, gid, r.uid()).compose(me -> pool.preparedQuery("SELECT seq, kind, mid, "
            + "sender, cid, type, body, ts, recalled FROM group_messages WHERE gid = ? AND seq > ? AND seq < ? "
            + "ORDER BY seq DESC LIMIT ?")
        .execute(Tuple.of(gid, me.getLong("joined_seq"), before, limit + 1))
        .map(rows -> {
          List<byte[]> entries = new ArrayList<>(Math.min(rows.size(), limit));
          for (Row row : rows) {
            if (entries.size() == limit) {
              break;
            }
            entries.add(SyncFrames.entryJson(GroupReads.syncEntry(gid, row)));
          }
          return new JsonBytes(64 + entries.stream().mapToInt(e -> e.length + 1).sum())
              .array("messages", entries).bool("more", rows.size() > limit).close();
        }));
  }

  // ---- changes (each runs inside the transaction opened in handle) ----

  private Future<JsonObject> create(SqlConnection conn, GroupCommand r, AddPolicy.Targets targets,
                                    List<Runnable> effects) {
    long owner = r.uid();
    String name = r.name();
    Set<Long> members = new LinkedHashSet<>(r.members());
    members.remove(owner);
    if (members.size() + 1 > config.maxMembers()) {
      return Future.failedFuture(new ImException(ErrorCode.GROUP_FULL,
          "a group holds at most " + config.maxMembers() + " members"));
    }
    long now = System.currentTimeMillis();
    AddPolicy.Split split = policy.split(targets, owner, members);
    return targets.requireUsers(members)
        .compose(found -> conn.preparedQuery("INSERT INTO im_groups (name, owner, seq, muted, dissolved, max_members, "
            + "created_at) VALUES (?, ?, 0, 0, 0, ?, ?)").execute(Tuple.of(name, owner, config.maxMembers(), now))
        .compose(v -> conn.query(dialect.lastInsertId("gid")).execute())
        .compose(rows -> {
          long gid = rows.iterator().next().getLong("gid");
          List<List<Object>> rowsToAdd = new ArrayList<>();
          rowsToAdd.add(List.of(gid, owner, OWNER, 0L));
          split.direct().forEach(m -> rowsToAdd.add(List.of(gid, m, MEMBER, 0L)));
          JsonArray all = new JsonArray().add(owner);
          split.direct().forEach(all::add);
          return SqlChunks.insert(conn, "INSERT INTO group_members (gid, uid, role, joined_seq) VALUES ",
                  "(?, ?, ?, ?)", rowsToAdd)
              .compose(v -> event(conn, gid, owner, new JsonObject().put("kind", "created").put("name", name)
                  .put("members", all), effects, all.getList(), List.of()))
              .compose(seq -> invite(conn, gid, name, owner, split.invited(), now, effects)
                  .map(v -> new JsonObject().put("gid", gid).put("name", name).put("seq", seq)
                      .put("invited", new JsonArray(split.reportedInvited()))));
        }));
  }

  /**
   * Records invitations of {@code uids} to the group and queues a {@code group.invite} frame to each of them for when
   * the transaction commits.
   */
  private Future<Void> invite(SqlConnection conn, long gid, String name, long by, List<Long> uids, long now,
                              List<Runnable> effects) {
    if (uids.isEmpty()) {
      return Future.succeededFuture();
    }
    return invitations.invite(conn, gid, by, uids, now).onSuccess(v -> effects.add(() -> {
      OutFrame frame = OutFrame.of(new JsonObject().put("op", OpNames.GROUP_INVITE).put("kind", "invited")
          .put("gid", gid).put("name", name).put("by", by).put("at", now));
      uids.forEach(uid -> bus.publish(Addresses.user(uid), frame));
    }));
  }

  private Future<JsonObject> rename(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    String name = r.name();
    return actor(conn, gid, uid, ADMIN).compose(me -> changed(conn, gid, uid,
        "UPDATE im_groups SET name = ? WHERE gid = ?", Tuple.of(name, gid),
        new JsonObject().put("kind", "renamed").put("name", name), effects));
  }

  private Future<JsonObject> add(SqlConnection conn, GroupCommand r, AddPolicy.Targets targets,
                                 List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    Set<Long> wanted = new LinkedHashSet<>(r.members());
    Set<Long> existing = new java.util.HashSet<>();
    return actor(conn, gid, uid, ADMIN)
        .compose(me -> targets.requireUsers(wanted))
        .compose(v -> conn.preparedQuery("SELECT uid FROM group_members WHERE gid = ?").execute(Tuple.of(gid)))
        .compose(current -> {
          current.forEach(row -> existing.add(row.getLong("uid")));
          AddPolicy.Split split = policy.split(targets, uid,
              wanted.stream().filter(m -> !existing.contains(m)).toList());
          JsonArray invited = new JsonArray(split.reportedInvited());
          List<Long> added = split.direct();
          if (existing.size() + added.size() > config.maxMembers()) {
            return Future.failedFuture(new ImException(ErrorCode.GROUP_FULL,
                "a group holds at most " + config.maxMembers() + " members"));
          }
          Future<Void> invitedNow = split.invited().isEmpty() ? Future.succeededFuture()
              : conn.preparedQuery("SELECT name FROM im_groups WHERE gid = ?").execute(Tuple.of(gid))
                  .compose(g -> invite(conn, gid, g.iterator().next().getString("name"), uid, split.invited(),
                      System.currentTimeMillis(), effects));
          if (added.isEmpty()) {
            return invitedNow.map(v -> new JsonObject().put("added", new JsonArray()).put("invited", invited));
          }
          JsonArray addedJson = new JsonArray(new ArrayList<>(added));
          return invitedNow.compose(v -> join(conn, gid, uid, added, new JsonObject(), effects))
              .compose(seq -> invitations.joined(conn, gid, added)
                  .map(v -> new JsonObject().put("seq", seq).put("added", addedJson).put("invited", invited)));
        });
  }

  /**
   * Makes {@code added} members, after an {@code added} event by {@code by} (with {@code extra} fields) that their
   * sessions receive with the control to subscribe; completes with the event's seq.
   */
  private Future<Long> join(SqlConnection conn, long gid, long by, List<Long> added, JsonObject extra,
                            List<Runnable> effects) {
    JsonArray addedJson = new JsonArray(new ArrayList<>(added));
    // The event comes first so that the new members' history starts at it: they see that they were added.
    return event(conn, gid, by, extra.copy().put("kind", "added").put("members", addedJson), effects,
        addedJson.getList(), List.of())
        .compose(seq -> {
          List<List<Object>> rows = new ArrayList<>();
          added.forEach(m -> rows.add(List.of(gid, m, MEMBER, seq - 1)));
          return SqlChunks.insert(conn, "INSERT INTO group_members (gid, uid, role, joined_seq) VALUES ",
              "(?, ?, ?, ?)", rows).map(v -> seq);
        });
  }

  /**
   * The invited user joins: the invitation is used up and they are added as by its inviter (the {@code added} event
   * carries {@code accepted: true}); their other devices get {@code group.invite {kind: "accepted"}}. Fails with
   * {@code not_found} when there is no such invitation (or the group is gone), {@code group_full}.
   */
  private Future<JsonObject> accept(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    return conn.preparedQuery("SELECT name, dissolved FROM im_groups WHERE gid = ? FOR UPDATE").execute(Tuple.of(gid))
        .compose(g -> {
          Row group = g.size() == 0 ? null : g.iterator().next();
          if (group == null || group.getInteger("dissolved") != 0) {
            return noInvitation(gid);
          }
          String name = group.getString("name");
          return invitations.take(conn, uid, gid).compose(inviter -> inviter == null ? noInvitation(gid)
              : conn.preparedQuery("SELECT COUNT(*) AS n, COUNT(CASE WHEN uid = ? THEN 1 END) AS me "
                  + "FROM group_members WHERE gid = ?").execute(Tuple.of(uid, gid)).compose(counts -> {
                    Row c = counts.iterator().next();
                    answered(uid, gid, "accepted", effects);
                    JsonObject reply = new JsonObject().put("gid", gid).put("name", name);
                    if (c.getLong("me") > 0) {
                      return Future.succeededFuture(reply);
                    }
                    if (c.getLong("n") + 1 > config.maxMembers()) {
                      return Future.failedFuture(new ImException(ErrorCode.GROUP_FULL,
                          "a group holds at most " + config.maxMembers() + " members"));
                    }
                    return join(conn, gid, inviter, List.of(uid), new JsonObject().put("accepted", true), effects)
                        .map(seq -> reply.put("seq", seq));
                  }));
        });
  }

  /** Drops the invitation; the user's devices get {@code group.invite {kind: "declined"}}; nobody else hears. */
  private Future<JsonObject> decline(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    return invitations.take(conn, uid, gid).compose(inviter -> {
      if (inviter == null) {
        return noInvitation(gid);
      }
      answered(uid, gid, "declined", effects);
      return Future.succeededFuture(new JsonObject().put("gid", gid));
    });
  }

  /** Tells every device of {@code uid} that their invitation to {@code gid} was answered, so each drops it. */
  private void answered(long uid, long gid, String kind, List<Runnable> effects) {
    OutFrame frame = OutFrame.of(new JsonObject().put("op", OpNames.GROUP_INVITE).put("kind", kind).put("gid", gid));
    effects.add(() -> bus.publish(Addresses.user(uid), frame));
  }

  private static <T> Future<T> noInvitation(long gid) {
    return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no invitation to group " + gid));
  }

  private Future<JsonObject> remove(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    long member = r.member();
    if (member == uid) {
      return leave(conn, r, effects);
    }
    return actor(conn, gid, uid, ADMIN).compose(me -> target(conn, gid, member).compose(them -> {
      if (them.getInteger("role") >= me.getInteger("role")) {
        return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN,
            "only a higher role may remove this member"));
      }
      return drop(conn, gid, uid, member, "removed", effects);
    }));
  }

  /** Deletes the membership and records {@code kind} ("removed", "left"); the member's sessions unsubscribe. */
  private Future<JsonObject> drop(SqlConnection conn, long gid, long by, long member, String kind,
                                  List<Runnable> effects) {
    return conn.preparedQuery("DELETE FROM group_members WHERE gid = ? AND uid = ?").execute(Tuple.of(gid, member))
        .compose(v -> event(conn, gid, by, new JsonObject().put("kind", kind).put("member", member), effects,
            List.of(), List.of(member)))
        .map(seq -> new JsonObject().put("seq", seq));
  }

  /** Runs {@code update} with {@code params}, then records {@code event}; replies the event's seq. */
  private Future<JsonObject> changed(SqlConnection conn, long gid, long by, String update, Tuple params,
                                     JsonObject event, List<Runnable> effects) {
    return conn.preparedQuery(update).execute(params)
        .compose(v -> event(conn, gid, by, event, effects, List.of(), List.of()))
        .map(seq -> new JsonObject().put("seq", seq));
  }

  private Future<JsonObject> leave(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    return actor(conn, gid, uid, MEMBER).compose(me -> {
      if (me.getInteger("role") == OWNER) {
        return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "the owner cannot leave; dissolve the group"));
      }
      return drop(conn, gid, uid, uid, "left", effects);
    });
  }

  private Future<JsonObject> admin(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    long member = r.member();
    boolean admin = r.admin();
    return actor(conn, gid, uid, OWNER).compose(me -> target(conn, gid, member)).compose(them -> {
      if (them.getInteger("role") == OWNER) {
        return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "the owner's role cannot change"));
      }
      return changed(conn, gid, uid, "UPDATE group_members SET role = ? WHERE gid = ? AND uid = ?",
          Tuple.of(admin ? ADMIN : MEMBER, gid, member),
          new JsonObject().put("kind", "admin").put("member", member).put("admin", admin), effects);
    });
  }

  private Future<JsonObject> mute(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    long member = r.member();
    boolean muted = r.muted();
    return actor(conn, gid, uid, ADMIN).compose(me -> target(conn, gid, member).compose(them -> {
      if (them.getInteger("role") >= me.getInteger("role")) {
        return Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "only a higher role may mute this member"));
      }
      return changed(conn, gid, uid, "UPDATE group_members SET muted = ? WHERE gid = ? AND uid = ?",
          Tuple.of(muted ? 1 : 0, gid, member),
          new JsonObject().put("kind", "muted").put("member", member).put("muted", muted), effects);
    }));
  }

  private Future<JsonObject> muteAll(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    boolean muted = r.muted();
    return actor(conn, gid, uid, ADMIN).compose(me -> changed(conn, gid, uid,
        "UPDATE im_groups SET muted = ? WHERE gid = ?", Tuple.of(muted ? 1 : 0, gid),
        new JsonObject().put("kind", "group_muted").put("muted", muted), effects));
  }

  private Future<JsonObject> dissolve(SqlConnection conn, GroupCommand r, List<Runnable> effects) {
    long gid = r.gid();
    long uid = r.uid();
    return actor(conn, gid, uid, OWNER)
        .compose(me -> event(conn, gid, uid, new JsonObject().put("kind", "dissolved"), effects, List.of(),
            List.of()))
        .compose(seq -> conn.preparedQuery("UPDATE im_groups SET dissolved = 1 WHERE gid = ?").execute(Tuple.of(gid))
            .compose(v -> invitations.dissolved(conn, gid))
            .map(v -> new JsonObject().put("seq", seq)));
  }

  /**
   * Appends {@code event} to the timeline and queues its publication: the group's current members through the
   * group's address; users who {@code joined} or {@code left} through their own address inside a control record
   * (they are not, or no longer, subscribed). A dissolve tells every gateway to drop the group.
   */
  private Future<Long> event(SqlConnection conn, long gid, long by, JsonObject event, List<Runnable> effects,
                             List<?> joined, List<?> left) {
    long mid = mids.next();
    long ts = MidGenerator.timestampOf(mid);
    event.put("by", by);
    return Timeline.append(dialect, conn, gid, Timeline.EVENT, mid, by, null, event.encode(), ts).map(seq -> {
      OutFrame frame = OutFrame.of(MessageJson.groupEvent(gid, seq, ts, event));
      effects.add(() -> {
        if (!left.isEmpty()) {
          GroupLeave leave = new GroupLeave(gid, seq, frame.jsonBytes());
          for (Object uid : left) {
            bus.publish(Addresses.user(((Number) uid).longValue()), leave);
          }
        }
        bus.publish(Addresses.group(gid), "dissolved".equals(event.getString("kind"))
            ? new GroupDissolve(gid, seq, frame.jsonBytes()) : frame);
        if (!joined.isEmpty()) {
          GroupJoin join = new GroupJoin(gid, seq, frame.jsonBytes());
          for (Object uid : joined) {
            bus.publish(Addresses.user(((Number) uid).longValue()), join);
          }
        }
      });
      return seq;
    });
  }

  /**
   * Locks the group row (serialising changes to one group) and checks the acting user is a member with at least
   * {@code role}; completes with the actor's membership row.
   */
  private Future<Row> actor(SqlConnection conn, long gid, long uid, int role) {
    return conn.preparedQuery("SELECT dissolved FROM im_groups WHERE gid = ? FOR UPDATE").execute(Tuple.of(gid))
        .compose(g -> g.size() == 0 || g.iterator().next().getInteger("dissolved") != 0 ? notMember(gid)
            : requireMember(conn, gid, uid))
        .compose(me -> me.getInteger("role") >= role ? Future.succeededFuture(me)
            : Future.failedFuture(new ImException(ErrorCode.FORBIDDEN, "this needs the " + roleName(role)
                + " role or higher")));
  }

  private static Future<Row> target(SqlConnection conn, long gid, long member) {
    return conn.preparedQuery("SELECT role, muted FROM group_members WHERE gid = ? AND uid = ?")
        .execute(Tuple.of(gid, member))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "user " + member + " is not in the group"))
            : Future.succeededFuture(rows.iterator().next()));
  }

  // ---- helpers ----

  static String roleName(int role) {
    return role == OWNER ? "owner" : role == ADMIN ? "admin" : "member";
  }

  private static <T> Future<T> notMember(long gid) {
    return Future.failedFuture(new ImException(ErrorCode.NOT_MEMBER, "you are not a member of group " + gid));
  }

  private static Future<Row> requireMember(io.vertx.sqlclient.SqlClient client, long gid, long uid) {
    return client.preparedQuery("SELECT m.role, m.muted, m.joined_seq FROM group_members m JOIN im_groups g "
            + "ON g.gid = m.gid WHERE m.gid = ? AND m.uid = ? AND g.dissolved = 0")
        .execute(Tuple.of(gid, uid))
        .compose(rows -> rows.size() == 0 ? notMember(gid) : Future.succeededFuture(rows.iterator().next()));
  }
}
