package dev.switchboard.group.store;

import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.Future;

/**
 * The server API's reads and deletions over many group messages: one user's sent messages (export, purge), a group's
 * own retention, and the retention job's deletions. Every future completes on the caller's context; a database
 * failure fails it with the driver's exception.
 */
public interface TimelineUpkeepStore {
  /**
   * The group messages {@code uid} sent, in any group, in mid order after {@code after}, at most {@code limit}; with
   * {@code erase} they are erased first (body removed, marked recalled) in one transaction and listed without bodies.
   */
  Future<SyncPage> sentBy(long uid, long after, int limit, boolean erase);

  /** Sets group {@code gid}'s own retention in days (null: the global one); false when there is no such group. */
  Future<Boolean> setRetention(long gid, Integer days);

  /**
   * Deletes up to {@code limit} timeline entries (messages, recalls, events) older than their group's retention — its
   * own {@code retention_days}, else {@code globalDays} (0: kept) — oldest first, in one transaction; completes with
   * how many it deleted.
   */
  Future<Integer> deleteExpired(int globalDays, int limit);
}
