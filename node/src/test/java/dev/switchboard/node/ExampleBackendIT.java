package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.testing.Backend;
import dev.switchboard.shared.testing.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example app backend of docs/integration.md (clients/example-backend) against a real node that trusts it: its
 * own tokens (auth.external, its JWKS), its webhook receiver and its before-send moderation; clients/example-backend/
 * test.mjs signs users in, chats, checks the moderation, the signed webhooks (an offline notification among them) and
 * a ban through the server API. Node and the npm dependencies come from scripts/browser.sh (run by scripts/test.sh).
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class ExampleBackendIT {
  private static final Path DIR = Path.of("..", "clients", "example-backend").toAbsolutePath().normalize();

  @Test
  void theExampleBackendSignsInModeratesHearsAndBans(Vertx vertx) throws Exception {
    assertTrue(Files.isDirectory(DIR.resolve("node_modules").resolve("ws")),
        "run 'npm ci' in " + DIR + " (scripts/test.sh does)");
    int port = Ports.free();
    String backend = "http://127.0.0.1:" + port;
    String webhookSecret = "webhook-secret-" + UUID.randomUUID();
    String hookSecret = "hook-secret-" + UUID.randomUUID();
    JsonObject overrides = new JsonObject()
        .put("auth", new JsonObject().put("external", new JsonObject().put("issuer", backend)
            .put("audience", "switchboard").put("jwksUrl", backend + "/.well-known/jwks.json")))
        .put("hooks", new JsonObject()
            .put("webhooks", new JsonArray().add(new JsonObject().put("url", backend + "/hooks/events")
                .put("secret", webhookSecret).put("backoffMs", 100).put("maxBackoffMs", 1000)))
            .put("beforeSend", new JsonObject().put("url", backend + "/hooks/before-send").put("secret", hookSecret)
                .put("timeoutMs", 2000).put("onFailure", "reject")));
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, overrides)) {
      ProcessBuilder pb = new ProcessBuilder("node", DIR.resolve("test.mjs").toString()).directory(DIR.toFile())
          .redirectErrorStream(true);
      pb.environment().put("API", "http://127.0.0.1:" + node.apiPort());
      pb.environment().put("WS", "ws://127.0.0.1:" + node.gateway().getInteger("wsPort") + "/ws");
      pb.environment().put("API_KEY", TestNode.API_KEY);
      pb.environment().put("BACKEND_PORT", Integer.toString(port));
      pb.environment().put("ISSUER", backend);
      pb.environment().put("WEBHOOK_SECRET", webhookSecret);
      pb.environment().put("HOOK_SECRET", hookSecret);
      Process test = pb.start();
      boolean done = test.waitFor(120, TimeUnit.SECONDS);
      if (!done) {
        test.destroyForcibly();
      }
      String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(done, "the example backend's test did not finish in time:\n" + output);
      assertEquals(0, test.exitValue(), output);
      assertTrue(output.contains("all checks passed"), output);
      assertTrue(output.contains("push notification to user"), "the offline notification reached the backend:\n"
          + output);
    }
  }
}
