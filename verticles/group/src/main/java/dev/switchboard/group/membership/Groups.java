package dev.switchboard.group.membership;

import dev.switchboard.group.GroupConfig;
import dev.switchboard.group.store.GroupStore.Dissolve;
import dev.switchboard.group.store.GroupStore.Drop;
import dev.switchboard.group.store.GroupStore.Edit;
import dev.switchboard.group.store.GroupStore.EditRule;
import dev.switchboard.group.store.GroupStore.MuteAll;
import dev.switchboard.group.store.GroupStore.Rename;
import dev.switchboard.group.store.GroupStore.SetMuted;
import dev.switchboard.group.store.GroupStore.SetRole;
import dev.switchboard.group.store.GroupStore;
import dev.switchboard.group.store.GroupView;
import dev.switchboard.group.store.InvitationStore;
import dev.switchboard.group.store.Member;
import dev.switchboard.group.store.Role;
import dev.switchboard.group.store.TimelineStore;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.GroupCommand;
import dev.switchboard.protocol.contract.GroupCommandReply;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.protocol.frame.SyncFrames;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.ids.MidGenerator;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Group management on {@code im.group.manage}: a {@link GroupCommand} of the acting user {@code uid}, answered with a
 * {@link GroupCommandReply} (the JSON the HTTP API returns). This class holds the membership rules; the
 * {@link GroupStore} runs each change as one transaction that locks the group row, checks it against the rule given
 * here, writes it and appends its {@code group.event} to the timeline. Once it commits, {@link GroupEvents} tells the
 * members, and the users who joined or left.
 *
 * <p>Ops: {@code create, info, rename, add, remove, leave, admin, mute, muteAll, dissolve, mine, members, history,
 * invitations, accept, decline, exists}. Roles: owner › admin › member ({@link Role}).
 *
 * <p>Who an add (at create or later) puts in the group at once is {@link AddPolicy}'s call; the others get an
 * invitation and a {@code group.invite} frame on their own address, and join through the same path as an add when
 * they accept.
 */
public final class Groups {
  /** An add judged on the locked group: the policy's split of the users not in it yet, and the event of who joins. */
  private record AddPlan(AddPolicy.Split split, long invitedAt, GroupStore.Event event)
      implements GroupStore.Admission {
    @Override
    public List<Long> direct() {
      return split.direct();
    }

    @Override
    public List<Long> invited() {
      return split.invited();
    }
  }

  private final GroupStore store;
  private final TimelineStore timeline;
  private final InvitationStore invitationStore;
  private final GroupConfig config;
  private final GroupEvents events;
  private final AddPolicy policy;
  private final Invitations invitations;

  public Groups(GroupStore store, TimelineStore timeline, InvitationStore invitationStore, EventBus bus, UserBus users,
                MidGenerator mids, GroupConfig config, HookEmitter hooks) {
    this.store = store;
    this.timeline = timeline;
    this.invitationStore = invitationStore;
    this.config = config;
    this.events = new GroupEvents(bus, users, mids, hooks);
    ApiPeers peers = new ApiPeers(bus, config.askTimeoutMs());
    this.policy = new AddPolicy(peers, config.contactsOnly());
    this.invitations = new Invitations(invitationStore, peers);
  }

  public void handle(Message<GroupCommand> request) {
    GroupCommand r = request.body();
    String op = r.kind() == null ? "" : r.kind();
    Future<?> result = switch (op) {
      case GroupCommand.INFO -> store.view(r.gid(), r.uid()).map(Groups::describe);
      case GroupCommand.MINE -> mine(r);
      case GroupCommand.MEMBERS -> members(r);
      case GroupCommand.HISTORY -> history(r);
      case GroupCommand.INVITATIONS -> invitations.list(r.uid());
      case GroupCommand.EXISTS -> exists(r.gid());
      case GroupCommand.CREATE -> policy.ask(r.uid(), r.members()).compose(targets -> create(r, targets));
      case GroupCommand.ADD -> policy.ask(r.uid(), r.members()).compose(targets -> add(r, targets));
      case GroupCommand.ACCEPT -> accept(r);
      case GroupCommand.DECLINE -> decline(r);
      case GroupCommand.RENAME -> rename(r);
      case GroupCommand.REMOVE -> remove(r);
      case GroupCommand.LEAVE -> leave(r);
      case GroupCommand.ADMIN -> admin(r);
      case GroupCommand.MUTE -> mute(r);
      case GroupCommand.MUTE_ALL -> muteAll(r);
      case GroupCommand.NOTIFY -> notifyLevel(r);
      case GroupCommand.DISSOLVE -> dissolve(r);
      default -> Future.failedFuture(new ImException(ErrorCode.UNKNOWN_OP, "unknown group op '" + op + "'"));
    };
    result.onSuccess(json -> request.reply(new GroupCommandReply(json instanceof byte[] bytes ? bytes
            : ((JsonObject) json).toBuffer().getBytes())))
        .onFailure(t -> ImException.failReply(request, t));
  }

  // ---- reads ----

  /** {@code {gid}} when the group exists and is not dissolved (the push API's check), else {@code not_found}. */
  private Future<JsonObject> exists(long gid) {
    return store.exists(gid).compose(found -> found ? Future.succeededFuture(new JsonObject().put("gid", gid))
        : Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no group " + gid)));
  }

  /** Notification levels by their number in {@code group_members.notify}. */
  private static final List<String> LEVELS = List.of("all", "mentions", "none");

  private static JsonObject describe(GroupView g) {
    return new JsonObject().put("gid", g.gid()).put("name", g.name()).put("owner", g.owner()).put("seq", g.seq())
        .put("muted", g.muted()).put("maxMembers", g.maxMembers()).put("members", g.members())
        .put("role", g.role().wireName()).put("mutedMe", g.mutedMe())
        .put("unread", g.seq() - Math.max(g.readSeq(), 0)).put("unreadMentions", g.unreadMentions())
        .put("notifications", LEVELS.get(Math.min(Math.max(g.notifyLevel(), 0), LEVELS.size() - 1)));
  }

  /** The member's own notification level: {@code {gid, notifications}}; not_member for anyone else. */
  private Future<JsonObject> notifyLevel(GroupCommand r) {
    int level = LEVELS.indexOf(r.name());
    if (level < 0) {
      return Future.failedFuture(new ImException(ErrorCode.INVALID_FIELD,
          "field 'level' must be one of all, mentions, none"));
    }
    return store.setNotifications(r.gid(), r.uid(), level).compose(done -> done
        ? Future.succeededFuture(new JsonObject().put("gid", r.gid()).put("notifications", r.name()))
        : Future.failedFuture(new ImException(ErrorCode.NOT_MEMBER, "not a member of group " + r.gid())));
  }

  private Future<JsonObject> mine(GroupCommand r) {
    return store.groupsOf(r.uid()).map(all -> {
      JsonArray groups = new JsonArray();
      all.forEach(g -> groups.add(describe(g)));
      return new JsonObject().put("groups", groups);
    });
  }

  private Future<JsonObject> members(GroupCommand r) {
    int limit = r.limit() == 0 ? 100 : r.limit();
    return store.members(r.gid(), r.uid(), r.after(), limit).map(page -> {
      JsonArray members = new JsonArray();
      page.items().forEach(m -> members.add(new JsonObject().put("uid", m.uid()).put("role", m.role().wireName())
          .put("muted", m.muted())));
      return new JsonObject().put("members", members).put("more", page.more());
    });
  }

  /** {@code {messages: [...], more}} as bytes, stored bodies spliced in unparsed. */
  private Future<byte[]> history(GroupCommand r) {
    int limit = r.limit() == 0 ? 50 : r.limit();
    long before = r.before() == 0 ? Long.MAX_VALUE : r.before();
    return timeline.history(r.uid(), r.gid(), before, limit).map(page -> {
      List<byte[]> entries = new ArrayList<>(page.items().size());
      page.items().forEach(e -> entries.add(SyncFrames.entryJson(e)));
      return new JsonBytes(64 + entries.stream().mapToInt(e -> e.length + 1).sum())
          .array("messages", entries).bool("more", page.more()).close();
    });
  }

  // ---- users joining ----

  private Future<JsonObject> create(GroupCommand r, AddPolicy.Targets targets) {
    long owner = r.uid();
    String name = r.name();
    Set<Long> members = new LinkedHashSet<>(r.members());
    members.remove(owner);
    if (members.size() + 1 > config.maxMembers()) {
      return Future.failedFuture(full());
    }
    targets.requireUsers(members);
    long now = System.currentTimeMillis();
    AddPolicy.Split split = policy.split(targets, owner, members);
    List<Long> everyone = new ArrayList<>();
    everyone.add(owner);
    everyone.addAll(split.direct());
    GroupStore.Event created = events.event(owner, new JsonObject().put("kind", "created").put("name", name)
        .put("members", new JsonArray(new ArrayList<>(everyone))));
    return store.create(new GroupStore.NewGroup(name, owner, config.maxMembers(), now, split.direct(),
            split.invited()), created)
        .map(group -> {
          events.published(group.gid(), group.seq(), created, everyone, List.of());
          events.invited(group.gid(), name, owner, split.invited(), now);
          return new JsonObject().put("gid", group.gid()).put("name", name).put("seq", group.seq())
              .put("invited", new JsonArray(split.reportedInvited()));
        });
  }

  private Future<JsonObject> add(GroupCommand r, AddPolicy.Targets targets) {
    long gid = r.gid();
    long uid = r.uid();
    Set<Long> wanted = new LinkedHashSet<>(r.members());
    return store.admit(gid, uid, (me, existing) -> {
      require(me, Role.ADMIN);
      targets.requireUsers(wanted);
      AddPolicy.Split split = policy.split(targets, uid, wanted.stream().filter(m -> !existing.contains(m)).toList());
      List<Long> added = split.direct();
      if (existing.size() + added.size() > config.maxMembers()) {
        throw full();
      }
      GroupStore.Event event = added.isEmpty() ? null : events.event(uid,
          new JsonObject().put("kind", "added").put("members", new JsonArray(new ArrayList<>(added))));
      return new AddPlan(split, System.currentTimeMillis(), event);
    }).map(done -> {
      AddPlan plan = done.admission();
      events.invited(gid, done.name(), uid, plan.invited(), plan.invitedAt());
      JsonObject reply = new JsonObject();
      if (plan.event() != null) {
        events.published(gid, done.seq(), plan.event(), plan.direct(), List.of());
        reply.put("seq", done.seq());
      }
      return reply.put("added", new JsonArray(new ArrayList<>(plan.direct())))
          .put("invited", new JsonArray(plan.split().reportedInvited()));
    });
  }

  /**
   * The invited user joins: the invitation is used up and they are added as by its inviter (the {@code added} event
   * carries {@code accepted: true}); their other devices get {@code group.invite {kind: "accepted"}}. Fails with
   * {@code not_found} when there is no such invitation (or the group is gone), {@code group_full}.
   */
  private Future<JsonObject> accept(GroupCommand r) {
    long gid = r.gid();
    long uid = r.uid();
    return store.accept(gid, uid, (inviter, members, member) -> {
      if (member) {
        return null;
      }
      if (members + 1 > config.maxMembers()) {
        throw full();
      }
      return events.event(inviter, new JsonObject().put("accepted", true).put("kind", "added")
          .put("members", new JsonArray().add(uid)));
    }).compose(accepted -> {
      if (accepted == null) {
        return noInvitation(gid);
      }
      events.answered(uid, gid, "accepted");
      JsonObject reply = new JsonObject().put("gid", gid).put("name", accepted.name());
      if (accepted.event() != null) {
        events.published(gid, accepted.seq(), accepted.event(), List.of(uid), List.of());
        reply.put("seq", accepted.seq());
      }
      return Future.succeededFuture(reply);
    });
  }

  /** Drops the invitation; the user's devices get {@code group.invite {kind: "declined"}}; nobody else hears. */
  private Future<JsonObject> decline(GroupCommand r) {
    long gid = r.gid();
    long uid = r.uid();
    return invitationStore.decline(uid, gid).compose(found -> {
      if (!found) {
        return noInvitation(gid);
      }
      events.answered(uid, gid, "declined");
      return Future.succeededFuture(new JsonObject().put("gid", gid));
    });
  }

  private static <T> Future<T> noInvitation(long gid) {
    return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no invitation to group " + gid));
  }

  private ImException full() {
    return new ImException(ErrorCode.GROUP_FULL, "a group holds at most " + config.maxMembers() + " members");
  }

  // ---- other changes ----

  private Future<JsonObject> rename(GroupCommand r) {
    String name = r.name();
    return edit(r, 0, (me, them) -> require(me, Role.ADMIN), new Rename(name),
        new JsonObject().put("kind", "renamed").put("name", name), List.of());
  }

  private Future<JsonObject> remove(GroupCommand r) {
    long member = r.member();
    if (member == r.uid()) {
      return leave(r);
    }
    return edit(r, member, (me, them) -> {
      require(me, Role.ADMIN);
      if (present(them, member).role().atLeast(me.role())) {
        throw new ImException(ErrorCode.FORBIDDEN, "only a higher role may remove this member");
      }
    }, new Drop(member), new JsonObject().put("kind", "removed").put("member", member), List.of(member));
  }

  private Future<JsonObject> leave(GroupCommand r) {
    long uid = r.uid();
    return edit(r, 0, (me, them) -> {
      if (me.role() == Role.OWNER) {
        throw new ImException(ErrorCode.FORBIDDEN, "the owner cannot leave; dissolve the group");
      }
    }, new Drop(uid), new JsonObject().put("kind", "left").put("member", uid), List.of(uid));
  }

  private Future<JsonObject> admin(GroupCommand r) {
    long member = r.member();
    boolean admin = r.admin();
    return edit(r, member, (me, them) -> {
      require(me, Role.OWNER);
      if (present(them, member).role() == Role.OWNER) {
        throw new ImException(ErrorCode.FORBIDDEN, "the owner's role cannot change");
      }
    }, new SetRole(member, admin ? Role.ADMIN : Role.MEMBER),
        new JsonObject().put("kind", "admin").put("member", member).put("admin", admin), List.of());
  }

  private Future<JsonObject> mute(GroupCommand r) {
    long member = r.member();
    boolean muted = r.muted();
    return edit(r, member, (me, them) -> {
      require(me, Role.ADMIN);
      if (present(them, member).role().atLeast(me.role())) {
        throw new ImException(ErrorCode.FORBIDDEN, "only a higher role may mute this member");
      }
    }, new SetMuted(member, muted), new JsonObject().put("kind", "muted").put("member", member).put("muted", muted),
        List.of());
  }

  private Future<JsonObject> muteAll(GroupCommand r) {
    boolean muted = r.muted();
    return edit(r, 0, (me, them) -> require(me, Role.ADMIN), new MuteAll(muted),
        new JsonObject().put("kind", "group_muted").put("muted", muted), List.of());
  }

  private Future<JsonObject> dissolve(GroupCommand r) {
    return edit(r, 0, (me, them) -> require(me, Role.OWNER), new Dissolve(),
        new JsonObject().put("kind", "dissolved"), List.of());
  }

  /**
   * Makes {@code edit} to the command's group, about {@code target} (0: nobody), if {@code rule} allows it; the event
   * with {@code details} reaches the group once it commits, and the users who {@code left} on their own address.
   * Replies the event's seq.
   */
  private Future<JsonObject> edit(GroupCommand r, long target, EditRule rule, Edit edit, JsonObject details,
                                  List<Long> left) {
    long gid = r.gid();
    GroupStore.Event event = events.event(r.uid(), details);
    return store.edit(gid, r.uid(), target, rule, edit, event).map(seq -> {
      events.published(gid, seq, event, List.of(), left);
      return new JsonObject().put("seq", seq);
    });
  }

  /** Throws {@code forbidden} unless the acting member has {@code least} or a higher role. */
  private static void require(Member me, Role least) {
    if (!me.role().atLeast(least)) {
      throw new ImException(ErrorCode.FORBIDDEN, "this needs the " + least.wireName() + " role or higher");
    }
  }

  /** {@code them}, or {@code not_found} when {@code member} is not in the group. */
  private static Member present(Member them, long member) {
    if (them == null) {
      throw new ImException(ErrorCode.NOT_FOUND, "user " + member + " is not in the group");
    }
    return them;
  }
}
