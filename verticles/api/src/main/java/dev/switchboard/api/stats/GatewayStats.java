package dev.switchboard.api.stats;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.GatewayStatsReport;
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
 * The latest counts of every gateway instance in the cluster, from the {@link GatewayStatsReport} each publishes on
 * {@code im.gateway.stats} every {@code statsIntervalMs} (so a figure is at most one interval old). An instance that
 * stops says so and is forgotten at once; one that dies is forgotten when its report expires (three intervals).
 * Confined to the API instance's event loop.
 */
public final class GatewayStats {
  private record Report(GatewayStatsReport stats, long expiresAt) {
  }

  private final Map<String, Report> instances = new HashMap<>();
  private MessageConsumer<GatewayStatsReport> consumer;

  public Future<Void> start(EventBus bus) {
    consumer = bus.consumer(Addresses.GATEWAY_STATS, m -> {
      GatewayStatsReport s = m.body();
      if (s.gone()) {
        instances.remove(s.instance());
      } else {
        instances.put(s.instance(), new Report(s, System.currentTimeMillis() + (s.ttlMs() > 0 ? s.ttlMs() : 3_000L)));
      }
    });
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Live reports, expired ones dropped. */
  private Iterable<GatewayStatsReport> live() {
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
    for (GatewayStatsReport s : live()) {
      JsonObject node = nodes.computeIfAbsent(s.node(), id -> empty().put("node", id).put("instances", 0));
      node.put("instances", node.getInteger("instances") + 1);
      Set<String> rooms = s.rooms().keySet();
      nodeRooms.computeIfAbsent(s.node(), id -> new HashSet<>()).addAll(rooms);
      allRooms.addAll(rooms);
      for (JsonObject into : new JsonObject[] {node, total}) {
        into.put("sessions", into.getLong("sessions") + s.sessions())
            .put("connections", into.getLong("connections") + s.connections())
            .put("ws", into.getLong("ws") + s.ws())
            .put("tcp", into.getLong("tcp") + s.tcp())
            .put("slowConsumerDrops", into.getLong("slowConsumerDrops") + s.slowConsumerDrops());
        JsonObject devices = into.getJsonObject("devices");
        s.devices().forEach((device, n) -> devices.put(device, devices.getLong(device, 0L) + n));
      }
    }
    nodes.forEach((id, node) -> node.put("rooms", nodeRooms.get(id).size()));
    total.put("rooms", allRooms.size());
    return total.put("nodes", new JsonArray(nodes.values().stream().map(Object.class::cast).toList()));
  }

  /** How many gateway nodes are live (what a user or group push is handed to). */
  public int nodes() {
    Set<Integer> nodes = new HashSet<>();
    for (GatewayStatsReport s : live()) {
      nodes.add(s.node());
    }
    return nodes.size();
  }

  /** {@code {room, sessions, nodes: [{node, sessions}]}}: the room's member sessions, in total and per node. */
  public JsonObject room(String room) {
    Map<Integer, Long> nodes = new TreeMap<>();
    long total = 0;
    for (GatewayStatsReport s : live()) {
      long n = s.rooms().getOrDefault(room, 0L);
      if (n > 0) {
        nodes.merge(s.node(), n, Long::sum);
        total += n;
      }
    }
    JsonArray perNode = new JsonArray();
    nodes.forEach((node, sessions) -> perNode.add(new JsonObject().put("node", node).put("sessions", sessions)));
    return new JsonObject().put("room", room).put("sessions", total).put("nodes", perNode);
  }

  /** The WebSocket URLs ({@code publicWs}) of the live gateways. */
  public Set<String> publicWs() {
    Set<String> urls = new HashSet<>();
    for (GatewayStatsReport s : live()) {
      if (s.publicWs() != null) {
        urls.add(s.publicWs());
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
    for (GatewayStatsReport s : live()) {
      String ws = s.publicWs();
      if (ws == null) {
        continue;
      }
      load.computeIfAbsent(ws, k -> new long[1])[0] += s.sessions();
      urls.put(ws, new JsonObject().put("ws", ws).put("tcp", s.publicTcp()));
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
