package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.ops.Session;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The online sessions of this gateway instance in shared state, for the API's device lists and online status: one
 * field per session in its user's presence hash, written when the session comes online and deleted when it closes,
 * plus this instance's liveness lease ({@link #renew}), so that entries of an instance that died stop counting when
 * its lease runs out.
 */
final class Presence {
  private final StateStore state;
  private final String instance;
  private final int node;

  Presence(StateStore state, String instance, int node) {
    this.state = state;
    this.instance = instance;
    this.node = node;
  }

  Future<Void> online(Session s, String transport) {
    return state.hset(StateKeys.presence(s.uid()), s.id(), new JsonObject().put("device", s.device())
        .put("transport", transport).put("node", node).put("instance", instance).put("since", s.since()).encode());
  }

  Future<Boolean> offline(Session s) {
    return state.hdel(StateKeys.presence(s.uid()), s.id());
  }

  /** Extends this instance's liveness lease to {@code leaseMs}. */
  Future<Void> renew(long leaseMs) {
    return state.set(StateKeys.gatewayAlive(instance), Integer.toString(node), leaseMs);
  }

  /** Ends the lease at a clean stop. */
  Future<Boolean> end() {
    return state.delete(StateKeys.gatewayAlive(instance));
  }
}
