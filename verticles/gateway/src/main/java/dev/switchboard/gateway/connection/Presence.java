package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.PresenceChange;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
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
 * its lease runs out. Each write and removal is then told to the API ({@link PresenceChange} on
 * {@code im.api.presence}), which judges whether the user as a whole came online or went offline for their contacts.
 */
final class Presence {
  private final StateStore state;
  private final EventBus bus;
  private final String instance;
  private final int node;
  /** Where {@code user.online}/{@code user.offline} webhook events go; null when none is configured. */
  private HookEmitter hooks;

  Presence(StateStore state, EventBus bus, String instance, int node) {
    this.state = state;
    this.bus = bus;
    this.instance = instance;
    this.node = node;
  }

  void hooks(HookEmitter hooks) {
    this.hooks = hooks;
  }

  /**
   * Writes {@code s}'s entry; once written, tells the API and emits {@code user.online} (one event per session: a user
   * with two devices comes online twice).
   */
  Future<Void> online(Session s, String transport) {
    Future<Void> written = state.hset(StateKeys.presence(s.uid()), s.id(), new JsonObject().put("device", s.device())
        .put("transport", transport).put("node", node).put("instance", instance).put("since", s.since()).encode());
    written.onSuccess(v -> bus.send(Addresses.API_PRESENCE, new PresenceChange(s.uid(), true,
        System.currentTimeMillis())));
    if (hooks != null && hooks.wants("user.online")) {
      written.onSuccess(v -> event("user.online", s, transport));
    }
    return written;
  }

  private void event(String type, Session s, String transport) {
    long now = System.currentTimeMillis();
    hooks.emit(type, type + ":" + s.id(), now, new JsonObject().put("uid", s.uid()).put("device", s.device())
        .put("transport", transport).put("session", s.id()).put("ts", now));
  }

  /**
   * What a session that just came online must do about the user's other sessions, read from the presence hash after
   * {@code s}'s own entry was written (so of two sessions logging in at once, at least the second reader sees the
   * first, and settles the pair whichever it is).
   *
   * @param newer     a live session of {@code s}'s device kind newer than {@code s} (by {@code since}, then id):
   *                  {@code s} is the one to go; null when there is none
   * @param kickOlder another session of {@code s}'s device kind is older: the same-device kick must be published
   * @param over      the ids of the user's live sessions beyond the {@code max} newest, in any order; other sessions
   *                  of {@code s}'s device kind do not count (the kick closes them already, and counting them would
   *                  close an innocent session when a device reconnects at the cap)
   */
  record Settle(String newer, boolean kickOlder, List<String> over) {
  }

  /**
   * Reads the user's sessions for {@code s} (see {@link Settle}); entries of gateway instances whose lease ran out do
   * not count where they would close a session. Only the login of a user with another session of the same device
   * kind publishes a kick: an ordinary login sends nothing to the user's address.
   */
  Future<Settle> settle(Session s, int max) {
    return state.hgetall(StateKeys.presence(s.uid())).compose(all -> {
      Map<String, JsonObject> entries = new HashMap<>();
      Map<String, Future<String>> leases = new HashMap<>();
      boolean[] kickOlder = {false};
      List<String> newer = new ArrayList<>();
      all.forEach((id, value) -> {
        try {
          JsonObject e = new JsonObject(value);
          boolean sameKind = !id.equals(s.id()) && s.device().equals(e.getString("device"));
          if (sameKind && !isNewer(e, id, s)) {
            kickOlder[0] = true;
            return;
          }
          if (sameKind) {
            newer.add(id);
          } else if (all.size() <= max) {
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
        String newest = null;
        List<Map.Entry<String, JsonObject>> live = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : entries.entrySet()) {
          Future<String> lease = leases.get(e.getValue().getString("instance", ""));
          if (lease != null && !(lease.succeeded() && lease.result() != null)) {
            continue;
          }
          if (newer.contains(e.getKey())) {
            newest = e.getKey();
          } else {
            live.add(e);
          }
        }
        List<String> over = new ArrayList<>();
        if (all.size() > max) {
          live.sort(Comparator.<Map.Entry<String, JsonObject>>comparingLong(e -> e.getValue().getLong("since", 0L))
              .thenComparing(Map.Entry::getKey).reversed());
          for (int i = max; i < live.size(); i++) {
            over.add(live.get(i).getKey());
          }
        }
        return Future.succeededFuture(new Settle(newest, kickOlder[0], over));
      });
    });
  }

  /** Whether the entry {@code e} (session {@code id}) logged in after {@code s}: the same order the kick uses. */
  private static boolean isNewer(JsonObject e, String id, Session s) {
    long since = e.getLong("since", 0L);
    return since > s.since() || (since == s.since() && id.compareTo(s.id()) > 0);
  }

  /** Deletes {@code s}'s entry; once deleted, tells the API and emits {@code user.offline} for the session. */
  Future<Boolean> offline(Session s, String transport) {
    long at = System.currentTimeMillis();
    Future<Boolean> deleted = state.hdel(StateKeys.presence(s.uid()), s.id());
    deleted.onSuccess(v -> bus.send(Addresses.API_PRESENCE, new PresenceChange(s.uid(), false, at)));
    if (hooks != null && hooks.wants("user.offline")) {
      deleted.onSuccess(v -> event("user.offline", s, transport));
    }
    return deleted;
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
