package dev.switchboard.group.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Groups and their members ({@code im_groups}, {@code group_members}), and the changes to them.
 *
 * <p>Each change is one transaction that locks the group's row first, so concurrent changes to one group serialize
 * and size limits hold. It reads what the membership rules need and hands that to the caller's rule or judge, run
 * inside the transaction: it checks the change, or decides what it does, or throws an {@code ImException} that
 * rolls the change back and fails its future. Then it writes the change and appends its event to the group's
 * timeline in the same transaction, so offline members learn it on sync. Invitations a change makes or uses up are
 * written in that transaction too.
 *
 * <p>Every future completes on the caller's context, rules and judges run there (they must not block), and a database
 * failure fails the future as the driver reports it. Methods that act for a member fail {@code not_member} when the
 * group does not exist, is dissolved, or the user is not in it.
 */
public interface GroupStore {

  /** Whether group {@code gid} exists and is not dissolved. */
  Future<Boolean> exists(long gid);

  /**
   * Member {@code uid}'s notification level for group {@code gid} (0 all, 1 mentions only, 2 none); false when it is
   * not a member of the group (or the group is dissolved).
   */
  Future<Boolean> setNotifications(long gid, long uid, int level);

  /** Group {@code gid} as member {@code uid} sees it; fails {@code not_member}. */
  Future<GroupView> view(long gid, long uid);

  /** Every live group {@code uid} is in, by gid. */
  Future<List<GroupView>> groupsOf(long uid);

  /** Up to {@code limit} members of {@code gid} with uids above {@code after}, by uid, for member {@code uid}. */
  Future<Page<Member>> members(long gid, long uid, long after, int limit);

  /**
   * Creates a group owned by {@code group.owner()}, with {@code group.members()} in it from the start, the creation
   * {@code event} at the head of its timeline and invitations for {@code group.invited()} (by the owner).
   */
  Future<Created> create(NewGroup group, Event event);

  /**
   * A change to group {@code gid} by member {@code actor}, about member {@code target} (0: about nobody): {@code rule}
   * checks both memberships (the target's null when they are not in the group), then {@code edit} is made and
   * {@code event} appended. Completes with the event's seq.
   */
  Future<Long> edit(long gid, long actor, long target, EditRule rule, Edit edit, Event event);

  /**
   * Member {@code actor} puts users in group {@code gid}: {@code judge} gets the actor's membership and the uids now in
   * the group, and answers the admission (the caller's type, handed back in the result). Its invited get an invitation
   * from the actor; those who join are added after its event (so their history starts at it), and their pending
   * invitations to the group are used up.
   */
  <A extends Admission> Future<Admitted<A>> admit(long gid, long actor, AdmitJudge<A> judge);

  /**
   * User {@code uid} accepts their invitation to group {@code gid}: the invitation is used up, then {@code judge} gets
   * its inviter, the group's size and whether {@code uid} is in it already, and answers the event of their joining
   * (null: nothing to add). Completes with null when there is no such invitation, or the group is gone or dissolved
   * (nothing changed).
   */
  Future<Accepted> accept(long gid, long uid, AcceptJudge judge);

  /**
   * An entry for a group's timeline that records a change: its mid and time, who made it, and its details (the JSON
   * object stored as the entry's body, and published as the {@code group.event}).
   */
  record Event(long mid, long ts, long by, JsonObject details) {
  }

  /** A new group: its name, owner, size limit and creation time; who joins at once and who is invited. */
  record NewGroup(String name, long owner, int maxMembers, long createdAt, List<Long> members, List<Long> invited) {
  }

  /** The created group and the seq of its creation event. */
  record Created(long gid, long seq) {
  }

  /** Checks that a change may be made, from the actor's membership and the target's; throws ImException if not. */
  @FunctionalInterface
  interface EditRule {
    void check(Member actor, Member target);
  }

  /** The edits a change can make. */
  sealed interface Edit {
  }

  /** Renames the group. */
  record Rename(String name) implements Edit {
  }

  /** Mutes or unmutes the group for its plain members. */
  record MuteAll(boolean muted) implements Edit {
  }

  /** Gives member {@code uid} a role. */
  record SetRole(long uid, Role role) implements Edit {
  }

  /** Mutes or unmutes member {@code uid}. */
  record SetMuted(long uid, boolean muted) implements Edit {
  }

  /** Takes member {@code uid} out of the group. */
  record Drop(long uid) implements Edit {
  }

  /** Dissolves the group; its pending invitations go. */
  record Dissolve() implements Edit {
  }

  /** Who an admission puts in the group now, with the event that records it, and who it invites. */
  interface Admission {
    /** Who joins now. */
    List<Long> direct();

    /** The event of their joining; null when nobody joins. */
    Event event();

    /** Who gets an invitation. */
    List<Long> invited();

    /** When the invitations are made. */
    long invitedAt();
  }

  /** Decides an admission from the actor's membership and the uids in the group now; may throw ImException. */
  @FunctionalInterface
  interface AdmitJudge<A extends Admission> {
    A judge(Member actor, Set<Long> members);
  }

  /** The judged admission, the group's name (null when nobody was invited), its event's seq (0: nobody joined). */
  record Admitted<A extends Admission>(A admission, String name, long seq) {
  }

  /**
   * Decides an accepted invitation: the event of the joining, or null when the user is a member already; may throw
   * ImException.
   */
  @FunctionalInterface
  interface AcceptJudge {
    Event judge(long inviter, long members, boolean member);
  }

  /** The group's name; the joining event and its seq (null and 0 when the user was a member already). */
  record Accepted(String name, Event event, long seq) {
  }
}
