package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.node.BridgeIT.BridgeClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A bot's sends through the bridge spend the per-user send budget, enforced by the bridge's rate limiter. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
@Isolated
class BotSendRateIT {
  @ParameterizedTest
  @EnumSource(Backend.class)
  void aBotOverTheBudgetIsRefusedWithRetryAfter(Backend backend, Vertx vertx) throws Exception {
    String botName = "rl" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject bridge = BridgeIT.bridgeConfig(botName).put("sendRate", 0.01).put("sendBurst", 3);
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject().put("bridge", bridge))) {
      BridgeIT.createBot(node, botName);
      long alice = node.login(node.newUser(), "web").getLong("uid");
      BridgeClient bot = BridgeClient.connect(vertx, node.bridgePort());
      JsonObject hello = await(bot.request("im.bridge.auth", new JsonObject().put("service", "echo")
          .put("secret", BridgeIT.SECRET)));
      assertEquals("message", hello.getString("type"), hello.encode());
      for (int i = 0; i < 3; i++) {
        JsonObject ack = await(bot.request("im.router.send", new JsonObject().put("cid", "b" + i).put("to", alice)
            .put("type", "text").put("body", "hi")));
        assertEquals("message", ack.getString("type"), ack.encode());
      }
      JsonObject refused = await(bot.request("im.group.send", new JsonObject().put("cid", "g").put("group", 1)
          .put("type", "text").put("body", "hi")));
      assertEquals("err", refused.getString("type"), refused.encode());
      String message = refused.getString("message");
      assertTrue(message.startsWith("rate_limited: sending too fast"), refused.encode());
      long wait = new JsonObject(message.substring(message.indexOf('{'))).getLong("retryAfterMs");
      assertTrue(wait > 60_000 && wait <= 100_000, "one token at 0.01/s: " + message);
    }
  }
}
