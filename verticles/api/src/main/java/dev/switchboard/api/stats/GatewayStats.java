package dev.switchboard.api.stats;

import dev.switchboard.shared.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The latest counts of every gateway instance in the cluster, from what each publishes on {@code im.gateway.stats}
 * every {@code statsIntervalMs} (so a figure is at most one interval old). An instance that stops says so and is
 * forgotten at once; one that dies is forgotten when its report expires (three intervals). Confined to the API
 * instance's event loop.
 */
public final class GatewayStats {
  private record Report(JsonObject stats, long expiresAt) {
  }

  private final Map<String, Report> instances = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public Future<Void> start(EventBus bus) {
    consumer = bus.consumer(Addresses.GATEWAY_STATS, m -> {
      JsonObject s = m.body();
      if (s.getBoolean("gone", false)) {
        instances.remove(s.getString("instance"));
      } else {
        instances.put(s.getString("instance"), new Report(s, System.currentTimeMillis() + s.getLong("ttlMs", 3_000L)));
      }
    });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Live reports, expired ones dropped. */
  private Iterable<JsonObject> live() {
    long now = System.currentTimeMillis();
    for (Iterator<Report> it = instances.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAt() < now) {
        it.remove();
      }
    }
    return instances.values().stream().map(Report::stats).toList();
  }

  /**
   * {@code {sessions, connections, ws, tcp, devices, rooms, slowConsumerDrops, nodes: [{node, instances, sessions,
   * ...}]}}: the cluster's totals and each gateway node's ({@code rooms} counts rooms with at least one member).
   */
  public JsonObject cluster() {
    Map<Integer, JsonObject> nodes = new TreeMap<>();
    Map<Integer, Set<String>> nodeRooms = new HashMap<>();
    Set<String> allRooms = new HashSet<>();
    JsonObject total = empty();
    for (JsonObject s : live()) {
      JsonObject node = nodes.computeIfAbsent(s.getInteger("node"), id -> empty().put("node", id).put("instances", 0));
      node.put("instances", node.getInteger("instances") + 1);
      Set<String> rooms = s.getJsonObject("rooms", new JsonObject()).fieldNames();
      nodeRooms.computeIfAbsent(s.getInteger("node"), id -> new HashSet<>()).addAll(rooms);
      allRooms.addAll(rooms);
      for (JsonObject into : new JsonObject[] {node, total}) {
        for (String field : new String[] {"sessions", "connections", "ws", "tcp", "slowConsumerDrops"}) {
          into.put(field, into.getLong(field) + s.getLong(field, 0L));
        }
        JsonObject devices = into.getJsonObject("devices");
        s.getJsonObject("devices", new JsonObject()).forEach(d -> devices.put(d.getKey(),
            devices.getLong(d.getKey(), 0L) + ((Number) d.getValue()).longValue()));
      }
    }
    nodes.forEach((id, node) -> node.put("rooms", nodeRooms.get(id).size()));
    total.put("rooms", allRooms.size());
    return total.put("nodes", new JsonArray(nodes.values().stream().map(Object.class::cast).toList()));
  }

  /** How many gateway nodes are live (what a user or group push is handed to). */
  public int nodes() {
    Set<Integer> nodes = new HashSet<>();
    for (JsonObject s : live()) {
      nodes.add(s.getInteger("node"));
    }
    return nodes.size();
  }

  /** {@code {room, sessions, nodes: [{node, sessions}]}}: the room's member sessions, in total and per node. */
  public JsonObject room(String room) {
    Map<Integer, Long> nodes = new TreeMap<>();
    long total = 0;
    for (JsonObject s : live()) {
      Number n = (Number) s.getJsonObject("rooms", new JsonObject()).getValue(room);
      if (n != null && n.longValue() > 0) {
        nodes.merge(s.getInteger("node"), n.longValue(), Long::sum);
        total += n.longValue();
      }
    }
    JsonArray perNode = new JsonArray();
    nodes.forEach((node, sessions) -> perNode.add(new JsonObject().put("node", node).put("sessions", sessions)));
    return new JsonObject().put("room", room).put("sessions", total).put("nodes", perNode);
  }

  /** The WebSocket URLs ({@code publicWs}) of the live gateways. */
  public Set<String> publicWs() {
    Set<String> urls = new HashSet<>();
    for (JsonObject s : live()) {
      if (s.getString("publicWs") != null) {
        urls.add(s.getString("publicWs"));
      }
    }
    return urls;
  }

  /**
   * The gateway to hand a client at login: {@code {ws, tcp}} of the live gateway node with the fewest sessions, or
   * null when no gateway has reported yet.
   */
  public JsonObject pick() {
    Map<String, long[]> load = new HashMap<>();
    Map<String, JsonObject> urls = new HashMap<>();
    for (JsonObject s : live()) {
      String ws = s.getString("publicWs");
      if (ws == null) {
        continue;
      }
      load.computeIfAbsent(ws, k -> new long[1])[0] += s.getLong("sessions", 0L);
      urls.put(ws, new JsonObject().put("ws", ws).put("tcp", s.getString("publicTcp")));
    }
    return load.entrySet().stream().min((a, b) -> a.getValue()[0] != b.getValue()[0]
            ? Long.compare(a.getValue()[0], b.getValue()[0]) : a.getKey().compareTo(b.getKey()))
        .map(e -> urls.get(e.getKey())).orElse(null);
  }

  private static JsonObject empty() {
    return new JsonObject().put("sessions", 0L).put("connections", 0L).put("ws", 0L).put("tcp", 0L)
        .put("slowConsumerDrops", 0L).put("devices", new JsonObject());
  }
}
