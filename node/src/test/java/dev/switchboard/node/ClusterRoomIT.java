package dev.switchboard.node;

import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Two clustered nodes in one JVM (Hazelcast on loopback, MariaDB + Redis): node A runs every verticle, node B only a
 * gateway. Room pushes, broadcasts and user pushes published on A reach the sessions on both nodes, and only those;
 * the counts are per node and cluster-wide.
 */
@Timeout(180)
@Isolated
class ClusterRoomIT {
  private static final String SECRET = "cluster-test-secret-" + UUID.randomUUID();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final List<ImClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (ImClient c : clients) {
      c.close().otherwiseEmpty().await(20, TimeUnit.SECONDS);
    }
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private Vertx clustered(String name, int port, int... members) throws Exception {
    return ClusteredVertx.start(name, SECRET, port, cleanup, members);
  }

  private Node node(Vertx vertx, JsonObject config) throws Exception {
    Node node = Node.start(vertx, new NodeConfig(config), Main.VERTICLES).await(60, TimeUnit.SECONDS);
    cleanup.add(() -> node.stop().await(30, TimeUnit.SECONDS));
    return node;
  }

  private ImClient online(Vertx vertx, JsonObject gateway, String transport, JsonObject session) throws Exception {
    ImClient c = transport.equals("ws")
        ? await(ImClient.webSocket(vertx, "127.0.0.1", gateway.getInteger("wsPort"), "/ws"))
        : await(ImClient.tcp(vertx, "127.0.0.1", gateway.getInteger("tcpPort")));
    clients.add(c);
    JsonObject ok = await(c.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", "web")));
    assertEquals("auth.ok", ok.getString("op"), ok.encode());
    await(c.next("groups"));
    return c;
  }

  private static JsonObject gatewayConfig() {
    return new JsonObject().put("instances", 2).put("host", "127.0.0.1").put("wsPort", TestNode.freePort())
        .put("tcpPort", TestNode.freePort()).put("statsIntervalMs", 100);
  }

  @Test
  void roomPushesBroadcastsAndUserPushesReachTheirSessionsOnEveryNode() throws Exception {
    String name = "sbtest-" + UUID.randomUUID();
    int hzA = TestNode.freePort();
    int hzB = TestNode.freePort();
    Vertx a = clustered(name, hzA, hzA, hzB);
    Vertx b = clustered(name, hzB, hzA, hzB);
    Backend.Storage storage = Backend.MARIADB.open(a);
    cleanup.add(storage::close);

    JsonObject auth = new JsonObject().put("secret", "cluster-test-" + UUID.randomUUID() + UUID.randomUUID())
        .put("argon2", TestNode.fastArgon2());
    JsonObject gatewayA = gatewayConfig();
    JsonObject gatewayB = gatewayConfig();
    int apiPort = TestNode.freePort();
    JsonObject cluster = new JsonObject().put("enabled", true).put("secret", SECRET);
    node(a, new JsonObject().put("cluster", cluster).put("storage", storage.config()).put("auth", auth)
        .put("verticles", new JsonObject()
            .put("router", new JsonObject().put("instances", 1))
            .put("group", new JsonObject().put("instances", 1))
            .put("api", new JsonObject().put("port", apiPort).put("apiKeys", new JsonArray().add(TestNode.API_KEY)))
            .put("gateway", gatewayA)));
    node(b, new JsonObject().put("cluster", cluster).put("storage", storage.config()).put("auth", auth)
        .put("verticles", new JsonObject().put("gateway", gatewayB)));

    ApiClient api = new ApiClient(a, "127.0.0.1", apiPort);
    cleanup.add(() -> api.close().await(10, TimeUnit.SECONDS));
    List<JsonObject> users = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String username = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      await(api.register(username, TestNode.PASSWORD));
      users.add(await(api.login(username, TestNode.PASSWORD, "web")));
    }
    ImClient inRoomA = online(a, gatewayA, "ws", users.get(0));
    ImClient inRoomB = online(b, gatewayB, "tcp", users.get(1));
    ImClient outA = online(a, gatewayA, "tcp", users.get(2));
    ImClient outB = online(b, gatewayB, "ws", users.get(3));
    for (ImClient c : List.of(inRoomA, inRoomB)) {
      assertEquals("ok", await(c.request(RoomIT.join("arena"))).getString("op"));
    }

    Map<String, String> key = Map.of("X-Api-Key", TestNode.API_KEY);
    RoomIT.until(a, api, "/api/v1/rooms/arena", r -> r.getLong("sessions") == 2 && r.getJsonArray("nodes").size() == 2);

    ApiClient.Result pushed = await(api.call(HttpMethod.POST, "/api/v1/push/rooms/arena", RoomIT.push("goal!"),
        null, key));
    assertEquals(200, pushed.status(), String.valueOf(pushed.body()));
    assertEquals(2, pushed.body().getLong("sessions"));
    assertEquals(2, pushed.body().getLong("nodes"));
    for (ImClient c : List.of(inRoomA, inRoomB)) {
      assertEquals(List.of("goal!"), RoomIT.bodies(c, "arena", 1));
    }

    JsonObject stats = RoomIT.until(a, api, "/api/v1/stats", s -> s.getLong("sessions") == 4);
    assertEquals(2, stats.getJsonArray("nodes").size(), stats.encode());
    for (Object n : stats.getJsonArray("nodes")) {
      assertEquals(2, ((JsonObject) n).getLong("sessions"), stats.encode());
    }

    ApiClient.Result all = await(api.call(HttpMethod.POST, "/api/v1/push/all", RoomIT.push("bye"), null, key));
    assertEquals(4, all.body().getLong("sessions"));
    for (ImClient c : List.of(inRoomA, inRoomB, outA, outB)) {
      JsonObject p = await(c.next("push"));
      assertEquals("bye", p.getString("body"));
    }
    // The sessions outside the room got the broadcast and nothing before it.
    assertEquals(0, outA.queued());
    assertEquals(0, outB.queued());

    ApiClient.Result user = await(api.call(HttpMethod.POST, "/api/v1/push/users", RoomIT.push("just you")
        .put("uids", new JsonArray().add(users.get(3).getLong("uid"))), null, key));
    assertEquals(200, user.status());
    assertEquals("just you", await(outB.next("push")).getString("body"));
  }
}
