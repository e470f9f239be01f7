package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * The ids of the user's live sessions beyond the {@code max} newest (newest by {@code since}, then by id), in any
   * order; empty when there are at most {@code max}. Entries of gateway instances whose lease ran out do not count, nor
   * do other sessions of {@code s}'s device kind: {@code s} is closing them already (same-device kick), and counting
   * them would close an innocent session when a device reconnects at the cap.
   */
  Future<List<String>> excess(Session s, int max) {
    return state.hgetall(StateKeys.presence(s.uid())).compose(all -> {
      if (all.size() <= max) {
        return Future.succeededFuture(List.of());
      }
      Map<String, JsonObject> entries = new HashMap<>();
      Map<String, Future<String>> leases = new HashMap<>();
      all.forEach((id, value) -> {
        try {
          JsonObject e = new JsonObject(value);
          if (!id.equals(s.id()) && s.device().equals(e.getString("device"))) {
            return;
          }
          entries.put(id, e);
          String owner = e.getString("instance", "");
          if (!owner.equals(instance)) {
            leases.computeIfAbsent(owner, k -> state.get(StateKeys.gatewayAlive(k)));
          }
        } catch (RuntimeException malformed) {
          // An entry this version cannot read is not counted (it is no session of ours to close).
        }
      });
      return Future.join(new ArrayList<>(leases.values())).transform(ignored -> {
        List<Map.Entry<String, JsonObject>> live = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : entries.entrySet()) {
          Future<String> lease = leases.get(e.getValue().getString("instance", ""));
          if (lease == null || (lease.succeeded() && lease.result() != null)) {
            live.add(e);
          }
        }
        live.sort(Comparator.<Map.Entry<String, JsonObject>>comparingLong(e -> e.getValue().getLong("since", 0L))
            .thenComparing(Map.Entry::getKey).reversed());
        List<String> over = new ArrayList<>();
        for (int i = max; i < live.size(); i++) {
          over.add(live.get(i).getKey());
        }
        return Future.succeededFuture(over);
      });
    });
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
