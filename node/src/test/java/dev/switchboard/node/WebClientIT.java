package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web client in a real headless Chromium: runs clients/web-test/chat.test.mjs (playwright-core, Debian's
 * chromium) against a node serving the client at {@code /}. Screenshots land in target/browser-screenshots.
 * scripts/test.sh installs Chromium and the script's npm dependencies when they are missing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(240)
class WebClientIT {
  private static final Path SCRIPT_DIR = Path.of("..", "clients", "web-test").toAbsolutePath().normalize();

  @Test
  void twoBrowsersChatOneToOneAndInAGroupRecallAndReload(Vertx vertx) throws Exception {
    assertTrue(Files.isDirectory(SCRIPT_DIR.resolve("node_modules").resolve("playwright-core")),
        "run 'npm ci' in " + SCRIPT_DIR + " (scripts/test.sh does)");
    // Tokens that live 70 s: the gateway warns each page within seconds of its login, and the browser test checks
    // that the page refreshes its token on the open connection and goes on.
    JsonObject shortTokens = new JsonObject().put("auth", new JsonObject().put("tokenTtlSeconds", 70));
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, shortTokens)) {
      assertEquals(200, TestNode.await(node.api.call(HttpMethod.GET, "/", null, null)).status(), "the client is served");
      Path shots = Path.of("target", "browser-screenshots").toAbsolutePath();
      Process p = new ProcessBuilder("node", SCRIPT_DIR.resolve("chat.test.mjs").toString(),
          "http://127.0.0.1:" + node.apiPort(), shots.toString())
          .directory(SCRIPT_DIR.toFile()).redirectErrorStream(true).start();
      boolean done = p.waitFor(200, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(done, "the browser test did not finish in time:\n" + output);
      assertEquals(0, p.exitValue(), output);
      assertTrue(output.contains("every step passed"), output);
    }
  }
}
