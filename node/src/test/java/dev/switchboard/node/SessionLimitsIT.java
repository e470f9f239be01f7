package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What one client can take from others: a user's sessions are capped (the oldest is closed), API calls over a long
 * connection are rate-limited by the client's own address (not the gateway's), and no metric label takes a value from
 * a client.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class SessionLimitsIT {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aLoginBeyondTheSessionCapClosesTheOldestSession(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend, new JsonObject().put("maxSessionsPerUser", 2))) {
      String name = node.newUser();
      JsonObject a = node.login(name, "a");
      ImClient first = node.online("ws", a);
      ImClient second = node.online("tcp", node.login(name, "b"));
      // Wait until both sessions are in the shared presence the cap is counted from.
      while (devices(node, a).size() < 2) {
        await(pause(vertx));
      }
      ImClient third = node.online("ws", node.login(name, "c"));

      JsonObject kicked = await(first.next("kicked"));
      assertEquals("session_limit", kicked.getString("reason"), kicked.encode());
      assertEquals(4004, (int) await(first.closed()).status());
      assertEquals("pong", await(second.request(new JsonObject().put("op", "ping"))).getString("op"));
      assertEquals("pong", await(third.request(new JsonObject().put("op", "ping"))).getString("op"));
      assertFalse(second.next("kicked").isComplete());

      // At the cap, a device that reconnects replaces its own older session and closes no other.
      ImClient again = node.online("tcp", node.login(name, "c"));
      assertEquals("same_device", await(third.next("kicked")).getString("reason"));
      await(third.closed());
      while (devices(node, a).size() != 2) {
        await(pause(vertx));
      }
      assertEquals("pong", await(second.request(new JsonObject().put("op", "ping"))).getString("op"));
      assertEquals("pong", await(again.request(new JsonObject().put("op", "ping"))).getString("op"));
      assertFalse(second.next("kicked").isComplete(), "the other device stays");
    }
  }

  private static JsonArray devices(TestNode node, JsonObject session) throws Exception {
    ApiClient.Result r = await(node.api.call(HttpMethod.GET, "/api/v1/devices", null, session.getString("token")));
    return r.body().getJsonArray("devices");
  }

  private static Future<Void> pause(Vertx vertx) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(50, id -> p.complete());
    return p.future();
  }

  @Test
  void callsOverAConnectionAreRateLimitedByTheClientsOwnAddress(Vertx vertx) throws Exception {
    JsonObject overrides = new JsonObject().put("api", new JsonObject()
        .put("addressRateLimit", new JsonObject().put("perSecond", 0.001).put("burst", 4)));
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, overrides)) {
      String name = node.newUser();
      String other = node.newUser();
      ImClient greedy = tcpFrom(vertx, node, "127.0.0.2");
      ImClient polite = tcpFrom(vertx, node, "127.0.0.3");
      authenticate(greedy, node.login(name, "web"));
      authenticate(polite, node.login(other, "web"));

      // Two registrations and two logins over HTTP spent the test's own address (127.0.0.1).
      JsonObject login = new JsonObject().put("username", name).put("password", TestNode.PASSWORD)
          .put("device", "web");
      assertEquals(429, await(node.api.call(HttpMethod.POST, "/api/v1/sessions", login, null)).status());
      for (int i = 0; i < 4; i++) {
        assertEquals(200, apiLogin(greedy, login).getInteger("status"));
      }
      JsonObject spent = apiLogin(greedy, login);
      assertEquals(429, spent.getInteger("status"), spent.encode());
      assertEquals("rate_limited", spent.getJsonObject("body").getString("code"));
      // Another client address has its own budget, though both calls reach the API from the gateway.
      assertEquals(200, apiLogin(polite, login.copy().put("username", other)).getInteger("status"));
    }
  }

  private static ImClient tcpFrom(Vertx vertx, TestNode node, String localAddress) throws Exception {
    NetClient net = vertx.createNetClient(new NetClientOptions().setLocalAddress(localAddress));
    Promise<ImClient> connected = Promise.promise();
    vertx.runOnContext(v -> ImClient.tcp(net, "127.0.0.1", node.gateway().getInteger("tcpPort"))
        .onComplete(connected));
    return await(connected.future());
  }

  private static void authenticate(ImClient c, JsonObject session) throws Exception {
    JsonObject ok = await(c.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", session.getString("device"))));
    assertEquals("auth.ok", ok.getString("op"), ok.encode());
  }

  private static JsonObject apiLogin(ImClient c, JsonObject body) throws Exception {
    JsonObject reply = await(c.request(new JsonObject().put("op", "api").put("method", "POST")
        .put("path", "/api/v1/sessions").put("body", body)));
    assertEquals("api.result", reply.getString("op"), reply.encode());
    return reply;
  }

  @Test
  void noMetricLabelTakesAValueFromAClient(Vertx vertx) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      String device = "zq" + Long.toString(System.nanoTime(), 36).substring(0, 8);
      ImClient c = node.online("ws", node.login(node.newUser(), device));
      assertEquals("pong", await(c.request(new JsonObject().put("op", "ping"))).getString("op"));
      for (Meter m : registry.getMeters()) {
        for (Tag t : m.getId().getTags()) {
          assertFalse(t.getValue().contains(device), m.getId() + " carries the client's device name");
        }
      }
    } finally {
      Metrics.removeRegistry(registry);
      registry.close();
    }
  }
}
