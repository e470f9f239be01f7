package dev.switchboard.router.store;

import dev.switchboard.protocol.contract.SyncEntry;
import io.vertx.core.Future;
import java.util.List;

/**
 * Candidates for a search of a user's one-to-one messages: the messages the user sent or received (what the user's
 * inbox syncs), not recalled, whose stored body the database's text index (or scan) matches with the terms. The
 * caller checks each candidate ({@code SearchText.matches}). The future completes on the caller's context; a database
 * failure fails it with the driver's exception.
 */
public interface MessageSearchStore {

  /**
   * Up to {@code limit} candidates of {@code uid}'s one-to-one messages with mid below {@code before}, newest first;
   * {@code peer} != 0: only those between {@code uid} and {@code peer}. Each is a {@link SyncEntry#message} with
   * {@code uid}'s own inbox seq and the stored body.
   */
  Future<List<SyncEntry>> candidates(long uid, long peer, List<String> terms, long before, int limit);
}
