package dev.switchboard.api.presence;

import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads who is online from shared state: each user's presence hash, written by the gateways (one field per session),
 * trusting an entry only while its gateway instance's lease is alive. Entries of dead instances are removed as they
 * are found.
 */
public final class Presence {
  private final StateStore state;

  public Presence(StateStore state) {
    this.state = state;
  }

  /** The online sessions of {@code uid}: {@code [{session, device, transport, node, since}]}, oldest first. */
  public Future<JsonArray> sessions(long uid) {
    return sessions(List.of(uid)).map(m -> m.get(uid));
  }

  /** The online sessions of each user (an empty array for users who are offline). */
  public Future<Map<Long, JsonArray>> sessions(List<Long> uids) {
    List<Future<Map<String, String>>> reads = new ArrayList<>(uids.size());
    for (long uid : uids) {
      reads.add(state.hgetall(StateKeys.presence(uid)));
    }
    return Future.all(reads).compose(all -> {
      Map<String, Future<String>> leases = new HashMap<>();
      for (Future<Map<String, String>> r : reads) {
        for (String entry : r.result().values()) {
          String instance = new JsonObject(entry).getString("instance");
          leases.computeIfAbsent(instance, i -> state.get(StateKeys.gatewayAlive(i)));
        }
      }
      return Future.all(new ArrayList<>(leases.values())).map(v -> {
        Map<Long, JsonArray> out = new HashMap<>();
        for (int i = 0; i < uids.size(); i++) {
          long uid = uids.get(i);
          List<JsonObject> live = new ArrayList<>();
          reads.get(i).result().forEach((session, entry) -> {
            JsonObject e = new JsonObject(entry);
            if (leases.get(e.getString("instance")).result() != null) {
              live.add(new JsonObject().put("session", session).put("device", e.getString("device"))
                  .put("transport", e.getString("transport")).put("node", e.getInteger("node"))
                  .put("since", e.getLong("since")));
            } else {
              state.hdel(StateKeys.presence(uid), session);
            }
          });
          live.sort((a, b) -> Long.compare(a.getLong("since"), b.getLong("since")));
          out.put(uid, new JsonArray(new ArrayList<>(live)));
        }
        return out;
      });
    });
  }
}
