package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import dev.switchboard.shared.testing.Ports;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server process is killed with SIGKILL while messages are being acked, then started again on the same storage:
 * every acked message is in the recipient's inbox exactly once, and retries of the unacked ones with their
 * {@code cid} store each exactly once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class RestartIT {
  private static final int SENDS = 400;
  private static final int KILL_AFTER_ACKS = 150;

  private static int freePort() {
    return Ports.free();
  }

  private static Process startNode(Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.switchboard.node.Main",
        config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** Polls the API's health until it answers (the child JVM takes a few seconds to start). */
  private static void awaitHealthy(Vertx vertx, ApiClient api, Process process) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      assertTrue(process.isAlive(), "the node process exited early");
      try {
        if (api.call(HttpMethod.GET, "/health", null, null).await(2, TimeUnit.SECONDS).status() == 200) {
          return;
        }
      } catch (Exception notYet) {
        // not listening yet
      }
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(100, id -> retry.complete());
      retry.future().await(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("the node did not become healthy within 60 s");
  }

  private static ImClient online(Vertx vertx, ApiClient api, String username, int tcpPort) throws Exception {
    JsonObject session = api.login(username, TestNode.PASSWORD, "web").await(20, TimeUnit.SECONDS);
    ImClient c = ImClient.tcp(vertx, "127.0.0.1", tcpPort).await(20, TimeUnit.SECONDS);
    JsonObject ok = c.request(new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", "web")).await(20, TimeUnit.SECONDS);
    assertEquals("auth.ok", ok.getString("op"), ok.encode());
    return c;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyAckedMessageSurvivesKillMinusNine(Backend backend, Vertx vertx) throws Exception {
    Path dir = Files.createTempDirectory("sb-restart");
    Path log = Path.of("target", "restart-" + backend + ".log");
    int apiPort = freePort();
    int tcpPort = freePort();
    try (Backend.Storage storage = backend.open(vertx)) {
      JsonObject config = new JsonObject()
          .put("storage", storage.config())
          .put("auth", new JsonObject().put("secret", "restart-secret-" + UUID.randomUUID() + UUID.randomUUID())
              .put("argon2", TestNode.fastArgon2()))
          .put("verticles", new JsonObject()
              .put("router", new JsonObject().put("instances", 2).put("sendRate", 100_000).put("sendBurst", 100_000))
              .put("api", new JsonObject().put("port", apiPort).put("host", "127.0.0.1"))
              .put("gateway", new JsonObject().put("host", "127.0.0.1").put("wsPort", freePort())
                  .put("tcpPort", tcpPort)));
      Path configFile = dir.resolve("node.json");
      Files.writeString(configFile, config.encodePrettily());
      ApiClient api = new ApiClient(vertx, "127.0.0.1", apiPort);

      String aliceName = "alice" + UUID.randomUUID().toString().substring(0, 8);
      String bobName = "bob" + UUID.randomUUID().toString().substring(0, 8);
      Map<String, String> ackedMid = new LinkedHashMap<>();
      long bob;
      Process first = startNode(configFile, log);
      try {
        awaitHealthy(vertx, api, first);
        api.register(aliceName, TestNode.PASSWORD).await(20, TimeUnit.SECONDS);
        bob = api.register(bobName, TestNode.PASSWORD).await(20, TimeUnit.SECONDS);
        ImClient alice = online(vertx, api, aliceName, tcpPort);
        Promise<Void> enough = Promise.promise();
        for (int i = 0; i < SENDS; i++) {
          String cid = "k" + i;
          alice.request(DeliveryIT.send(cid, bob, "m" + i)).onSuccess(ack -> {
            if ("msg.ack".equals(ack.getString("op"))) {
              synchronized (ackedMid) {
                ackedMid.put(cid, ack.getString("mid"));
                if (ackedMid.size() == KILL_AFTER_ACKS) {
                  enough.tryComplete();
                }
              }
            }
          });
        }
        enough.future().await(60, TimeUnit.SECONDS);
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      Map<String, String> acked;
      synchronized (ackedMid) {
        acked = new LinkedHashMap<>(ackedMid);
      }
      assertTrue(acked.size() >= KILL_AFTER_ACKS && acked.size() < SENDS, "killed mid-stream: " + acked.size());

      Process second = startNode(configFile, log);
      try {
        awaitHealthy(vertx, api, second);
        // Every acked message is there, once.
        ImClient bobClient = online(vertx, api, bobName, tcpPort);
        List<JsonObject> inbox = DeliveryIT.syncAll(bobClient, 0, 100);
        DeliveryIT.assertContiguous(inbox, 1);
        Map<String, String> midByCid = new LinkedHashMap<>();
        for (JsonObject m : inbox) {
          assertEquals(null, midByCid.put(m.getString("cid"), m.getString("mid")), "no duplicate " + m.getString("cid"));
        }
        for (Map.Entry<String, String> e : acked.entrySet()) {
          assertEquals(e.getValue(), midByCid.get(e.getKey()), "acked message " + e.getKey() + " survived");
        }

        // The sender retries everything with the same cids: acked ones keep their mid, the rest are stored once.
        ImClient alice = online(vertx, api, aliceName, tcpPort);
        List<Future<JsonObject>> retries = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
          retries.add(alice.request(DeliveryIT.send("k" + i, bob, "m" + i)));
        }
        for (int i = 0; i < SENDS; i++) {
          JsonObject ack = retries.get(i).await(30, TimeUnit.SECONDS);
          assertEquals("msg.ack", ack.getString("op"), ack.encode());
          String before = midByCid.get("k" + i);
          if (before != null) {
            assertEquals(before, ack.getString("mid"), "a retry of a stored message returns it");
          }
        }
        List<JsonObject> all = DeliveryIT.syncAll(bobClient, 0, 500);
        DeliveryIT.assertContiguous(all, 1);
        Set<String> cids = new HashSet<>();
        all.forEach(m -> assertTrue(cids.add(m.getString("cid")), "stored once: " + m.getString("cid")));
        assertEquals(SENDS, cids.size());
        bobClient.close().await(10, TimeUnit.SECONDS);
        alice.close().await(10, TimeUnit.SECONDS);
      } finally {
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        api.close();
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
