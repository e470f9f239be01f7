package dev.switchboard.router.store;

import dev.switchboard.protocol.ErrorCode;
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
}
