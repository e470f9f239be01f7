package dev.switchboard.group.store;

import dev.switchboard.protocol.contract.SyncEntry;
import io.vertx.core.Future;
import java.util.List;

/**
 * Candidates for a search of the group messages a user can read: messages (not events, not recalled) of the groups
 * the user is a member of now (not dissolved), after the seq at which the user joined each — what the user's group
 * sync returns — whose stored body the database's text index (or scan) matches with the terms. The caller checks each
 * candidate ({@code SearchText.matches}). The future completes on the caller's context; a database failure fails it
 * with the driver's exception.
 */
public interface TimelineSearchStore {

  /**
   * Up to {@code limit} candidates with mid below {@code before}, newest first, as {@link SyncEntry#groupMessage}s
   * with the group's seq and the stored body; {@code gid} != 0: only that group, failing {@code not_member} when
   * {@code uid} is not in it (or it is dissolved).
   */
  Future<List<SyncEntry>> candidates(long uid, long gid, List<String> terms, long before, int limit);
}
