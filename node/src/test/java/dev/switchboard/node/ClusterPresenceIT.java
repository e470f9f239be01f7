package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
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
 * Presence and room counts across two clustered nodes in one JVM (Hazelcast on loopback, MariaDB + Redis): node A runs
 * every verticle, node B only a gateway. A user's sessions on either node make one online and one offline for their
 * contacts on both nodes, in either codec; a counting room's members on both nodes hear the cluster-wide count.
 */
@Timeout(180)
@Isolated
class ClusterPresenceIT {
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

  private void node(Vertx vertx, JsonObject config) throws Exception {
    Node node = Node.start(vertx, new NodeConfig(config), Main.VERTICLES).await(60, TimeUnit.SECONDS);
    cleanup.add(() -> node.stop().await(30, TimeUnit.SECONDS));
  }

  private ImClient online(Vertx vertx, JsonObject gateway, String transport, boolean proto, JsonObject session)
      throws Exception {
    int port = gateway.getInteger(transport.equals("ws") ? "wsPort" : "tcpPort");
    ImClient c = await(transport.equals("ws")
        ? (proto ? ImClient.webSocketProto(vertx, "127.0.0.1", port, "/ws")
            : ImClient.webSocket(vertx, "127.0.0.1", port, "/ws"))
        : (proto ? ImClient.tcpProto(vertx, "127.0.0.1", port) : ImClient.tcp(vertx, "127.0.0.1", port)));
    clients.add(c);
    JsonObject ok = await(c.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", session.getString("device"))));
    assertEquals("auth.ok", ok.getString("op"), ok.encode());
    await(c.next("groups"));
    return c;
  }

  private static JsonObject gatewayConfig() {
    return new JsonObject().put("instances", 2).put("host", "127.0.0.1").put("wsPort", TestNode.freePort())
        .put("tcpPort", TestNode.freePort()).put("statsIntervalMs", 100)
        .put("rooms", new JsonObject().put("countIntervalMs", 200));
  }

  @Test
  void presenceAndRoomCountsCrossNodes() throws Exception {
    String name = "sbtest-" + UUID.randomUUID();
    int hzA = TestNode.freePort();
    int hzB = TestNode.freePort();
    Vertx a = ClusteredVertx.start(name, SECRET, hzA, cleanup, hzA, hzB);
    Vertx b = ClusteredVertx.start(name, SECRET, hzB, cleanup, hzA, hzB);
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
            .put("api", new JsonObject().put("port", apiPort).put("apiKeys", new JsonArray().add(TestNode.API_KEY))
                .put("presence", new JsonObject().put("offlineGraceMs", 1_000)))
            .put("gateway", gatewayA)));
    node(b, new JsonObject().put("cluster", cluster).put("storage", storage.config()).put("auth", auth)
        .put("verticles", new JsonObject().put("gateway", gatewayB)));

    ApiClient api = new ApiClient(a, "127.0.0.1", apiPort);
    cleanup.add(() -> api.close().await(10, TimeUnit.SECONDS));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      names.add("p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
      await(api.register(names.get(i), TestNode.PASSWORD));
    }
    JsonObject alice = await(api.login(names.get(0), TestNode.PASSWORD, "web"));
    JsonObject aliceMobile = await(api.login(names.get(0), TestNode.PASSWORD, "mobile"));
    JsonObject bob = await(api.login(names.get(1), TestNode.PASSWORD, "web"));
    JsonObject carol = await(api.login(names.get(2), TestNode.PASSWORD, "web"));
    long uid = alice.getLong("uid");
    PresenceIT.befriend(api, alice, bob);
    PresenceIT.befriend(api, carol, alice);

    ImClient bobOnA = online(a, gatewayA, "ws", false, bob);
    ImClient carolOnB = online(b, gatewayB, "tcp", true, carol);
    ImClient aliceOnB = online(b, gatewayB, "ws", true, alice);
    for (ImClient c : List.of(bobOnA, carolOnB)) {
      assertTrue(PresenceIT.presenceOf(c, uid).getBoolean("online"));
    }
    // Her second device on the other node, then the first one leaving: she stays online.
    ImClient aliceOnA = online(a, gatewayA, "tcp", false, aliceMobile);
    await(aliceOnB.close());
    long closedAt = System.currentTimeMillis();
    await(aliceOnA.close());
    for (ImClient c : List.of(bobOnA, carolOnB)) {
      JsonObject off = PresenceIT.presenceOf(c, uid);
      assertFalse(off.getBoolean("online"), off.encode());
      assertTrue(off.getLong("lastSeen") >= closedAt, off.encode());
      assertEquals(0, c.queued(), "one online, one offline");
    }
    assertEquals(0, carolOnB.textFrames(), "carol's connection is protobuf");

    ApiClient.Result set = await(api.call(HttpMethod.PUT, "/api/v1/rooms/arena", new JsonObject().put("counts", true),
        null, Map.of("X-Api-Key", TestNode.API_KEY)));
    assertEquals(200, set.status(), String.valueOf(set.body()));
    assertEquals("ok", await(bobOnA.request(RoomIT.join("arena"))).getString("op"));
    assertEquals("ok", await(carolOnB.request(RoomIT.join("arena"))).getString("op"));
    for (ImClient c : List.of(bobOnA, carolOnB)) {
      long count = 0;
      while (count != 2) {
        count = await(c.next("room.count")).getLong("count");
      }
    }
    assertEquals("ok", await(carolOnB.request(RoomIT.leave("arena"))).getString("op"));
    long count = 2;
    while (count != 1) {
      count = await(bobOnA.next("room.count")).getLong("count");
    }
  }
}
