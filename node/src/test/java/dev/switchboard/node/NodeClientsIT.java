package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Node.js examples against a real node: clients/node/echo-bot.mjs joins through the TCP event-bus bridge, then
 * clients/node/test.mjs (a protobuf and a JSON user) chats and asks the bot. Node and the npm dependencies come from
 * scripts/browser.sh (run by scripts/test.sh).
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class NodeClientsIT {
  private static final Path DIR = Path.of("..", "clients", "node").toAbsolutePath().normalize();

  @Test
  void theNodeClientChatsOverProtobufAndTheNodeBotAnswersThroughTheBridge(Vertx vertx) throws Exception {
    assertTrue(Files.isDirectory(DIR.resolve("node_modules").resolve("protobufjs")),
        "run 'npm ci' in " + DIR + " (scripts/test.sh does)");
    String bot = "nodebot" + UUID.randomUUID().toString().substring(0, 8);
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED,
        new JsonObject().put("bridge", BridgeIT.bridgeConfig(bot)))) {
      long botUid = BridgeIT.createBot(node, bot);
      ProcessBuilder botPb = new ProcessBuilder("node", DIR.resolve("echo-bot.mjs").toString())
          .directory(DIR.toFile()).redirectErrorStream(true);
      botPb.environment().put("BRIDGE", "127.0.0.1:" + node.bridgePort());
      botPb.environment().put("SERVICE", "echo");
      botPb.environment().put("SECRET", BridgeIT.SECRET);
      Process botProcess = botPb.start();
      StringBuilder botOutput = new StringBuilder();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(botProcess.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            synchronized (botOutput) {
              botOutput.append(line).append('\n');
            }
            if (line.startsWith("bot ready")) {
              ready.complete(null);
            }
          }
        } catch (Exception e) {
          ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the bot exited"));
      });
      reader.start();
      try {
        ready.get(60, TimeUnit.SECONDS);
        ProcessBuilder testPb = new ProcessBuilder("node", DIR.resolve("test.mjs").toString())
            .directory(DIR.toFile()).redirectErrorStream(true);
        testPb.environment().put("API", "http://127.0.0.1:" + node.apiPort());
        testPb.environment().put("WS", "ws://127.0.0.1:" + node.gateway().getInteger("wsPort") + "/ws");
        testPb.environment().put("BOT_UID", Long.toString(botUid));
        Process test = testPb.start();
        boolean done = test.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
          test.destroyForcibly();
        }
        String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String botLog;
        synchronized (botOutput) {
          botLog = botOutput.toString();
        }
        assertTrue(done, "the Node client did not finish in time:\n" + output + "\nbot:\n" + botLog);
        assertEquals(0, test.exitValue(), output + "\nbot:\n" + botLog);
        assertTrue(output.contains("all checks passed"), output);
        assertTrue(botLog.contains("echoed "), botLog);
      } finally {
        botProcess.destroy();
        botProcess.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
