package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-user send budget, enforced by each gateway instance's local limiter and reported to shared state once per
 * interval: refusals carry {@code retryAfterMs}, and the budget is one per user across sessions, gateway instances and
 * nodes sharing the state (after one interval). The rate is so low that nothing refills while a test runs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
@Isolated
class SendRateIT {
  private static final int BURST = 5;
  private static final long INTERVAL_MS = 200;
  /** Set on the router, as before: the launcher hands it to the gateway of the same node. */
  private static final JsonObject LIMITED = new JsonObject()
      .put("router", new JsonObject().put("sendRate", 0.01).put("sendBurst", BURST))
      .put("gateway", new JsonObject().put("rateLimitIntervalMs", INTERVAL_MS));

  private static JsonObject send(String cid, long to) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("to", to).put("type", "text").put("body", "hi");
  }

  private static void pause(Vertx vertx, long ms) throws Exception {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    await(p.future());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aUserOverTheBudgetIsRefusedWithRetryAfter(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, LIMITED)) {
      ImClient alice = node.online("tcp", node.login(node.newUser(), "web"));
      long bob = node.login(node.newUser(), "web").getLong("uid");
      for (int i = 0; i < BURST; i++) {
        JsonObject ack = await(alice.request(send("ok" + i, bob)));
        assertEquals("msg.ack", ack.getString("op"), ack.encode());
      }
      for (int i = 0; i < 3; i++) {
        JsonObject refused = await(alice.request(send("over" + i, bob)));
        assertEquals("error", refused.getString("op"), refused.encode());
        assertEquals("rate_limited", refused.getString("code"));
        long wait = refused.getLong("retryAfterMs");
        assertTrue(wait > 60_000 && wait <= 100_000, "one token at 0.01/s: " + refused.encode());
      }
    }
  }

  /**
   * Sessions of one user on another instance of the same node and on a second node's gateway (sharing the state):
   * after the first session spent the burst and one interval passed, each other instance admits at most one send
   * (its first, before its own report) and then refuses, where separate budgets would admit a whole burst each.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void sessionsOnOtherGatewaysShareTheBudgetAfterOneInterval(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, LIMITED)) {
      JsonObject gateway2 = new JsonObject().put("instances", 1).put("host", "127.0.0.1")
          .put("wsPort", TestNode.freePort()).put("tcpPort", TestNode.freePort())
          .put("sendRate", 0.01).put("sendBurst", BURST).put("rateLimitIntervalMs", INTERVAL_MS);
      JsonObject config2 = node.config.copy().put("verticles", new JsonObject().put("gateway", gateway2));
      Node second = Node.start(vertx, new NodeConfig(config2), Main.VERTICLES).await(60, TimeUnit.SECONDS);
      ImClient other = null;
      try {
        String name = node.newUser();
        long bob = node.login(node.newUser(), "web").getLong("uid");
        ImClient first = node.online("tcp", node.login(name, "web"));
        ImClient sameNode = node.online("ws", node.login(name, "mobile"));
        JsonObject session = node.login(name, "desktop");
        other = await(ImClient.tcp(vertx, "127.0.0.1", gateway2.getInteger("tcpPort")));
        JsonObject ok = await(other.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
            .put("device", "desktop")));
        assertEquals("auth.ok", ok.getString("op"), ok.encode());

        for (int i = 0; i < BURST; i++) {
          assertEquals("msg.ack", await(first.request(send("a" + i, bob))).getString("op"));
        }
        pause(vertx, 3 * INTERVAL_MS);
        assertTrue(admittedUntilRefused(vertx, sameNode, bob, "m") <= 1, "the other instance of the node");
        assertTrue(admittedUntilRefused(vertx, other, bob, "d") <= 1, "the second node's gateway");
      } finally {
        if (other != null) {
          other.close().otherwiseEmpty().await(20, TimeUnit.SECONDS);
        }
        await(second.stop());
      }
    }
  }

  /**
   * Sends one message per few intervals (so each instance has reported in between) until one is refused; returns
   * how many were acked first. Fails if none is refused within ten tries.
   */
  private static int admittedUntilRefused(Vertx vertx, ImClient c, long to, String prefix) throws Exception {
    for (int i = 0; i < 10; i++) {
      JsonObject r = await(c.request(send(prefix + i, to)));
      if ("error".equals(r.getString("op"))) {
        assertEquals("rate_limited", r.getString("code"), r.encode());
        assertTrue(r.getLong("retryAfterMs") > 0, r.encode());
        return i;
      }
      assertEquals("msg.ack", r.getString("op"), r.encode());
      pause(vertx, 3 * INTERVAL_MS);
    }
    throw new AssertionError("never refused: the budget is not shared");
  }
}
