package dev.switchboard.group.store;

import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The groups' timelines ({@code group_messages}, stored once per group whatever its size) and where each member stands
 * in them (the group's head seq, the member's join seq and read cursor).
 *
 * <p>Seqs come from the group row's counter, bumped inside the writing transaction in gid order (so concurrent
 * transactions lock alike and cannot deadlock) and read back: a rolled-back transaction uses none, so each group's seqs
 * are strictly increasing and gap-free across any number of group-verticle instances.
 *
 * <p>Every future completes on the caller's context, rules and judges run there, and a database failure fails the
 * future as the driver reports it. Methods that act for a member fail {@code not_member} when the group does not
 * exist, is dissolved, or the user is not in it.
 */
public interface TimelineStore {

  /**
   * Stores a batch of sends in one transaction: a (group, sender, cid) stored before, or repeated earlier in the batch,
   * is a duplicate of that message; a sender who is not a member fails {@code not_member}; {@code rule} judges every
   * other sender; the rest take their groups' next seqs. Answers one outcome per send, in order: a {@link Stored} or
   * the {@link Throwable} of that send alone (as {@code BatchWriter} takes them). Fails as a whole only when the
   * transaction does.
   */
  Future<List<Object>> send(List<Send> sends, PostingRule rule);

  /**
   * Member {@code uid} recalls message {@code mid} of group {@code gid}, in one transaction that locks the message:
   * {@code judge} decides; the body is erased and a recall entry (mid the judge's, body the recalled mid) joins the
   * timeline. Completes with the recall's seq, or null when the judge left the message as it is. Fails
   * {@code not_found} when the group has no such message.
   */
  Future<Long> recall(long gid, long uid, long mid, RecallJudge judge);

  /** An edit stored: its entry's seq in the timeline and its time. */
  record Edited(long seq, long editedAt) {
  }

  /** A change of reactions stored: its entry's seq and the message's reactions after it (JSON, without me). */
  record Reacted(long seq, byte[] reactions) {
  }

  /**
   * Member {@code uid} replaces the body of message {@code mid}, which it sent at most {@code windowMs} ago and edited
   * fewer than {@code maxEdits} times, with {@code body}: in one transaction the old body joins the message's versions
   * and an edit entry (mid {@code entryMid}, body the edited mid) joins the timeline. Fails {@code not_found} (no such
   * message the member can read, or recalled), {@code forbidden} (not its sender, or edited too often),
   * {@code edit_expired}.
   */
  Future<Edited> edit(long gid, long uid, long mid, String body, long windowMs, int maxEdits, long entryMid);

  /**
   * Member {@code uid} adds or removes reaction {@code emoji} on message {@code mid}, which it can read: in one
   * transaction, and when something changes, an entry (mid {@code entryMid}, body the message's mid) joins the
   * timeline. Completes with null when nothing changed. Fails {@code not_found}, {@code too_many_reactions}.
   */
  Future<Reacted> react(long gid, long uid, long mid, String emoji, boolean add, int maxEmoji, int maxPerUser,
                        long entryMid);

  /** Every body group message {@code mid} has had, oldest first (as {@code InboxStore.versions}); not_found. */
  Future<SyncPage> versions(long gid, long mid);

  /** Message {@code mid} of group {@code gid} as a message entry, or null. */
  Future<SyncEntry> find(long gid, long mid);

  /**
   * Up to {@code limit} entries of group {@code gid} after seq {@code after} (never before member {@code uid} joined),
   * oldest first, with the group's head; stored bodies unparsed.
   */
  Future<SyncPage> page(long uid, long gid, long after, int limit);

  /**
   * Up to {@code limit} entries of group {@code gid} before seq {@code before}, newest first, back to where member
   * {@code uid} joined; stored bodies unparsed.
   */
  Future<Page<SyncEntry>> history(long uid, long gid, long before, int limit);

  /** Each live group of {@code uid} and its head seq. */
  Future<Map<Long, Long>> heads(long uid);

  /**
   * Moves member {@code uid}'s read cursor in group {@code gid} up to {@code upTo} (never back, never past the head);
   * completes with how many entries remain unread.
   */
  Future<Unread> markRead(long uid, long gid, long upTo);

  /** A message to store: {@code bodyJson} is the body's JSON text as it arrived. */
  record Send(long from, String cid, long gid, String type, String bodyJson, long mid, long ts, long replyTo,
              long[] mentions, boolean mentionAll) {
    public Send(long from, String cid, long gid, String type, String bodyJson, long mid, long ts) {
      this(from, cid, gid, type, bodyJson, mid, ts, 0, new long[0], false);
    }
  }

  /**
   * A stored send: its group seq; {@code duplicate} when the (group, sender, cid) was stored before; the snapshot of
   * the message it quotes ({@code reply}) and the members it mentions ({@code mentions}, a JSON array of those who are
   * members), JSON text or null.
   */
  record Stored(long mid, long seq, long ts, boolean duplicate, String reply, String mentions) {
    public Stored(long mid, long seq, long ts, boolean duplicate) {
      this(mid, seq, ts, duplicate, null, null);
    }
  }

  /** Whether a member may post in group {@code gid} (with {@code @all}: {@code mentionAll}): null when they may. */
  @FunctionalInterface
  interface PostingRule {
    ImException refusal(long gid, Role role, boolean muted, boolean groupMuted, boolean mentionAll);
  }

  /**
   * Decides a recall from the recaller's role and the message (its sender, time, whether it is recalled already): the
   * recall entry's mid, or 0 to leave the message as it is.
   */
  @FunctionalInterface
  interface RecallJudge {
    long judge(Role role, long sender, long ts, boolean recalled);
  }

  /** A member and its read cursor: the last seq of the group's timeline it read. */
  record Reader(long uid, long readSeq, int notifyLevel) {
    public Reader(long uid, long readSeq) {
      this(uid, readSeq, 0);
    }
  }

  /** What a member has left unread in a group: timeline entries, and messages that mention it (or everyone). */
  record Unread(long entries, long mentions) {
  }

  /**
   * Up to {@code limit} members of {@code gid} with their read cursors, in no particular order (for offline
   * notifications: a caller asks one more than it accepts to tell a group that is too large).
   */
  Future<List<Reader>> readers(long gid, int limit);
}
