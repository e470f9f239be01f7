package dev.switchboard.api.presence;

import dev.switchboard.shared.store.PresenceReader;
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
 * Reads who is online from shared state ({@link PresenceReader}): each user's presence hash, written by the gateways
 * (one field per session), trusting an entry only while its gateway instance's lease is alive. Entries of dead
 * instances are removed as they are found.
 */
public final class Presence {
  private final StateStore state;
  private final PresenceReader reader;

  public Presence(StateStore state) {
    this.state = state;
    this.reader = new PresenceReader(state);
  }

  /** The online sessions of {@code uid}: {@code [{session, device, transport, node, since}]}, oldest first. */
  public Future<JsonArray> sessions(long uid) {
    return sessions(List.of(uid)).map(m -> m.get(uid));
  }

  /** The online sessions of each user (an empty array for users who are offline). */
  public Future<Map<Long, JsonArray>> sessions(List<Long> uids) {
    return reader.read(uids).map(all -> {
      Map<Long, JsonArray> out = new HashMap<>();
      for (int i = 0; i < uids.size(); i++) {
        long uid = uids.get(i);
        PresenceReader.Sessions sessions = all.get(i);
        List<JsonObject> live = new ArrayList<>();
        sessions.live().forEach((session, e) -> live.add(new JsonObject().put("session", session)
            .put("device", e.getString("device")).put("transport", e.getString("transport"))
            .put("node", e.getInteger("node")).put("since", e.getLong("since"))));
        for (String session : sessions.dead()) {
          state.hdel(StateKeys.presence(uid), session);
        }
        live.sort((a, b) -> Long.compare(a.getLong("since"), b.getLong("since")));
        out.put(uid, new JsonArray(new ArrayList<>(live)));
      }
      return out;
    });
  }
}
