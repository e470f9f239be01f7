package dev.switchboard.router.store;

import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.Future;

/**
 * The server API's reads and deletions over many messages: one user's sent messages (export, purge) and retention.
 * Every future completes on the caller's context; a database failure fails it with the driver's exception.
 */
public interface InboxUpkeepStore {
  /**
   * The one-to-one messages {@code uid} sent, in mid order after {@code after}, at most {@code limit}; with
   * {@code erase} they are erased first (body removed, marked recalled) in one transaction and listed without bodies.
   */
  Future<SyncPage> sentBy(long uid, long after, int limit, boolean erase);

  /**
   * Deletes up to {@code limit} messages with mids below {@code cutoffMid}, oldest first, with their entries in both
   * parties' inboxes, in one transaction; completes with how many it deleted.
   */
  Future<Integer> deleteBefore(long cutoffMid, int limit);
}
