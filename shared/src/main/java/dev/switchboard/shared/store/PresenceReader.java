package dev.switchboard.shared.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users' sessions as shared state holds them ({@link StateKeys#presence}), each judged live while its gateway
 * instance's lease ({@link StateKeys#gatewayAlive}) is set: one hash read per user and one lease read per distinct
 * instance. The one place presence is judged, for the API's online status and the webhooks' offline notifications.
 * Completes on the caller's context; a state failure fails it.
 */
public final class PresenceReader {
  /** One user's sessions: the live ones by session id ({@code {device, transport, node, instance, since}}), and the
   * ids of entries whose gateway is gone (the caller may remove them). */
  public record Sessions(Map<String, JsonObject> live, List<String> dead) {
  }

  private final StateStore state;

  public PresenceReader(StateStore state) {
    this.state = state;
  }

  /** The sessions of each of {@code uids}, in the order given. */
  public Future<List<Sessions>> read(List<Long> uids) {
    List<Future<Map<String, String>>> reads = new ArrayList<>(uids.size());
    for (long uid : uids) {
      reads.add(state.hgetall(StateKeys.presence(uid)));
    }
    return Future.all(reads).compose(all -> {
      Map<String, Future<String>> leases = new HashMap<>();
      List<Map<String, JsonObject>> entries = new ArrayList<>(uids.size());
      for (Future<Map<String, String>> r : reads) {
        Map<String, JsonObject> parsed = new LinkedHashMap<>();
        r.result().forEach((session, entry) -> {
          JsonObject e = parse(entry);
          parsed.put(session, e);
          leases.computeIfAbsent(e.getString("instance", ""), i -> state.get(StateKeys.gatewayAlive(i)));
        });
        entries.add(parsed);
      }
      return Future.all(new ArrayList<>(leases.values())).map(v -> {
        List<Sessions> out = new ArrayList<>(uids.size());
        for (Map<String, JsonObject> user : entries) {
          Map<String, JsonObject> live = new LinkedHashMap<>();
          List<String> dead = new ArrayList<>();
          user.forEach((session, e) -> {
            if (leases.get(e.getString("instance", "")).result() != null) {
              live.put(session, e);
            } else {
              dead.add(session);
            }
          });
          out.add(new Sessions(live, dead));
        }
        return out;
      });
    });
  }

  /** An entry as a JSON object; a malformed one counts as an entry of no live gateway. */
  private static JsonObject parse(String entry) {
    try {
      return new JsonObject(entry);
    } catch (RuntimeException malformed) {
      return new JsonObject();
    }
  }
}
