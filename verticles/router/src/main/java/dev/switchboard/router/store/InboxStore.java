package dev.switchboard.router.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * A user's inbox: the entries (messages and recalls) at gap-free seqs that devices sync through, the delivered cursors
 * their confirmations move, and the recall that adds entries to both parties' inboxes. Every future completes on the
 * caller's context; a database failure fails it with the driver's exception.
 */
public interface InboxStore {

  /**
   * A message recalled now: its parties, and the seq of the recall entry in each one's inbox (equal for a note to
   * oneself).
   */
  record Recalled(long sender, long recipient, long senderSeq, long recipientSeq) {
  }

  /** A message edited now: its parties, the edit entry's seq in each one's inbox, and the edit's time. */
  record Edited(long sender, long recipient, long senderSeq, long recipientSeq, long editedAt) {
  }

  /**
   * A reaction added or removed now: the message's parties, the entry's seq in each one's inbox, and the message's
   * reactions after the change (JSON array text without {@code me}).
   */
  record Reacted(long sender, long recipient, long senderSeq, long recipientSeq, byte[] reactions) {
  }

  /**
   * Up to {@code limit} entries of {@code uid}'s inbox with seq greater than {@code after}, in seq order, as a
   * {@link SyncPage} (group 0): {@code more} when entries follow, {@code head} the inbox's latest seq (0 for a user
   * with none). Stored bodies are in the entries as their stored text, unparsed; a recalled message has none.
   */
  Future<SyncPage> page(long uid, long after, int limit);

  /**
   * A device of {@code uid} confirms its inbox up to seq {@code upTo}: raises that device's cursor and, in the same
   * transaction, the user's delivered cursor (never past the latest seq), marking delivered the messages received in
   * the range it crossed. Completes with those newly delivered mids by sender, in inbox order (empty when the cursor
   * was there already: only the first device to confirm a range gets it).
   */
  Future<Map<Long, List<Long>>> recv(long uid, String device, long upTo);

  /**
   * {@code uid} recalls message {@code mid}, sent at most {@code windowMs} ago: in one transaction, the body is
   * cleared and a recall entry goes into both parties' inboxes. Completes with the recall's seqs, or null when the
   * message was already recalled (nothing changes). Fails {@link ErrorCode#NOT_FOUND} (no such message, or not one of
   * {@code uid}'s), {@link ErrorCode#FORBIDDEN} ({@code uid} did not send it), {@link ErrorCode#RECALL_EXPIRED}.
   */
  Future<Recalled> recall(long uid, long mid, long windowMs);

  /**
   * {@code uid} replaces the body of message {@code mid}, which it sent at most {@code windowMs} ago and has edited
   * fewer than {@code maxEdits} times, with {@code body} (JSON text): in one transaction the old body is kept in the
   * message's versions, the new one stored, and an edit entry goes into both parties' inboxes. Fails
   * {@link ErrorCode#NOT_FOUND} (no such message of {@code uid}'s conversations, or recalled),
   * {@link ErrorCode#FORBIDDEN} (not the sender, or edited too often), {@link ErrorCode#EDIT_EXPIRED}.
   */
  Future<Edited> edit(long uid, long mid, String body, long windowMs, int maxEdits);

  /**
   * {@code uid}, a party of message {@code mid}, adds ({@code add}) or removes reaction {@code emoji}: in one
   * transaction the reaction is stored or deleted and an entry goes into both parties' inboxes. Completes with null
   * when nothing changed (added already, or not there). Fails {@link ErrorCode#NOT_FOUND} (not one of the user's
   * messages, or recalled), {@link ErrorCode#TOO_MANY_REACTIONS} (the message has {@code maxEmoji} other emoji, or
   * the user {@code maxPerUser} reactions on it).
   */
  Future<Reacted> react(long uid, long mid, String emoji, boolean add, int maxEmoji, int maxPerUser);

  /**
   * Every body message {@code mid} has had, oldest first, the current one last, as message entries (seq 0; {@code ts}
   * the time each was written). Fails {@link ErrorCode#NOT_FOUND}.
   */
  Future<SyncPage> versions(long mid);

  /** Message {@code mid} as a message entry (seq 0, no reactions), or null when there is none. */
  Future<SyncEntry> find(long mid);
}
