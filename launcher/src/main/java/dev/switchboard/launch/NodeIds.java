package dev.switchboard.launch;

import dev.switchboard.shared.ids.MidGenerator;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Claims a node id (0..1023) unique across the cluster for time-ordered message ids: a key in shared state with a
 * lease, renewed while the node runs and deleted at a clean stop. A node that dies frees its id when the lease runs
 * out.
 */
final class NodeIds {
  static final long LEASE_MS = 30_000;

  private final Vertx vertx;
  private final StateStore state;
  private final String owner = UUID.randomUUID().toString();
  private int id = -1;
  private long renewTimer = -1;

  NodeIds(Vertx vertx, StateStore state) {
    this.vertx = vertx;
    this.state = state;
  }

  Future<Integer> claim() {
    int start = ThreadLocalRandom.current().nextInt(MidGenerator.MAX_NODE + 1);
    return tryFrom(start, 0).onSuccess(claimed -> {
      id = claimed;
      renewTimer = vertx.setPeriodic(LEASE_MS / 3, t -> state.set(StateKeys.nodeId(id), owner, LEASE_MS));
    });
  }

  private Future<Integer> tryFrom(int candidate, int tried) {
    if (tried > MidGenerator.MAX_NODE) {
      return Future.failedFuture("all " + (MidGenerator.MAX_NODE + 1) + " node ids are taken");
    }
    return state.setIfAbsent(StateKeys.nodeId(candidate), owner, LEASE_MS).compose(ok -> ok
        ? Future.succeededFuture(candidate)
        : tryFrom((candidate + 1) % (MidGenerator.MAX_NODE + 1), tried + 1));
  }

  int claimedId() {
    return id;
  }

  Future<Void> release() {
    vertx.cancelTimer(renewTimer);
    return id < 0 ? Future.succeededFuture() : state.delete(StateKeys.nodeId(id)).mapEmpty();
  }
}
