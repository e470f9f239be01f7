package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.testing.Backend;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Work one connection may cause: every op counts toward the session's in-flight bound (the connection stops reading
 * at it), and reads, receipts, syncs and recalls have their own per-user rate limits.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
@Isolated
class OpLimitsIT {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void meters() {
    Metrics.globalRegistry.add(meters);
  }

  @AfterEach
  void noMeters() {
    Metrics.globalRegistry.remove(meters);
  }

  private double paused() {
    return paused("tcp");
  }

  private double paused(String transport) {
    var c = meters.find("switchboard.inflight.paused").tag("transport", transport).counter();
    return c == null ? 0 : c.count();
  }

  private static RawTcp online(TestNode node, JsonObject session) throws Exception {
    RawTcp tcp = new RawTcp(node.gateway().getInteger("tcpPort"));
    tcp.write(List.of(new JsonObject().put("op", "auth").put("token", session.getString("token"))
        .put("device", session.getString("device"))));
    tcp.next("auth.ok");
    return tcp;
  }

  /** Reads until every id in {@code ids} was answered once; returns the answers. */
  private static List<JsonObject> answers(RawTcp tcp, int count) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    while (out.size() < count) {
      JsonObject f = tcp.read();
      if (f.containsKey("id")) {
        assertTrue(seen.add(f.getValue("id")), "one answer per id: " + f);
        out.add(f);
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void twoThousandReadsInOneWriteAreBoundedAndRateLimited(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject alice = node.login(node.newUser(), "web");
      long bob = node.login(node.newUser(), "web").getLong("uid");
      try (RawTcp tcp = online(node, alice)) {
        List<JsonObject> reads = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
          reads.add(new JsonObject().put("op", "msg.read").put("id", i).put("peer", bob).put("upTo", 1));
        }
        double pausedBefore = paused();
        long started = System.nanoTime();
        tcp.write(reads);
        List<JsonObject> answers = answers(tcp, 2000);
        double seconds = (System.nanoTime() - started) / 1e9;
        long limited = answers.stream().filter(a -> "rate_limited".equals(a.getString("code"))).count();
        long served = answers.size() - limited;
        // Default read budget: burst 100, then 20 per second.
        assertTrue(served <= 100 + Math.ceil(20 * seconds) + 1, served + " served in " + seconds + " s");
        assertTrue(limited >= 2000 - 100 - Math.ceil(20 * seconds) - 1, limited + " refused");
        answers.stream().filter(a -> "rate_limited".equals(a.getString("code")))
            .forEach(a -> assertTrue(a.getLong("retryAfterMs") > 0, a.encode()));
        assertTrue(paused() > pausedBefore, "the connection stopped reading at the in-flight bound");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void apiOpsCountTowardTheInFlightBound(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject alice = node.login(node.newUser(), "web");
      try (RawTcp tcp = online(node, alice)) {
        List<JsonObject> calls = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
          calls.add(new JsonObject().put("op", "api").put("id", i).put("method", "GET").put("path", "/api/v1/users/me"));
        }
        double pausedBefore = paused();
        tcp.write(calls);
        List<JsonObject> answers = answers(tcp, 300);
        answers.forEach(a -> assertEquals("api.result", a.getString("op"), a.encode()));
        assertTrue(paused() > pausedBefore, "api ops count toward the in-flight bound");
      }
    }
  }

  @Test
  void aWebSocketThatSendsPastTheBoundInOneWriteIsPausedAndEveryFrameIsAnswered(Vertx vertx) throws Exception {
    // 300 frames in one TCP write: the transport stops parsing at the bound, keeps the rest of what it read, and
    // goes on where it stopped once answers come back.
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      JsonObject alice = node.login(node.newUser(), "web");
      try (RawWebSocket ws = new RawWebSocket(node.gateway().getInteger("wsPort"),
          "/ws?token=" + alice.getString("token") + "&device=web")) {
        assertEquals("auth.ok", new JsonObject(ws.readText()).getString("op"));
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 1; i <= 300; i++) {
          all.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, true, new JsonObject().put("op", "api").put("id", i)
              .put("method", "GET").put("path", "/api/v1/users/me").encode().getBytes(StandardCharsets.UTF_8)));
        }
        double pausedBefore = paused("ws");
        ws.sendBytes(all.toByteArray(), all.size());
        Set<Integer> ids = new HashSet<>();
        while (ids.size() < 300) {
          JsonObject f = new JsonObject(ws.readText());
          if (f.containsKey("id")) {
            assertEquals("api.result", f.getString("op"), f.encode());
            assertTrue(ids.add(f.getInteger("id")), "one answer per id: " + f);
          }
        }
        assertTrue(paused("ws") > pausedBefore, "the WebSocket stopped reading at the in-flight bound");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aSyncOfManyGroupsCostsOneTokenPerGroup(Backend backend, Vertx vertx) throws Exception {
    JsonObject limits = new JsonObject().put("opLimits", new JsonObject()
        .put("sync", new JsonObject().put("perSecond", 1).put("burst", 100)));
    try (TestNode node = TestNode.start(vertx, backend, limits)) {
      JsonObject alice = node.login(node.newUser(), "web");
      try (RawTcp tcp = online(node, alice)) {
        JsonObject groups = new JsonObject();
        for (int gid = 1; gid <= 60; gid++) {
          groups.put(Integer.toString(gid), 0);
        }
        tcp.write(List.of(new JsonObject().put("op", "sync").put("id", "a").put("groups", groups)));
        JsonObject first = answers(tcp, 1).get(0);
        assertEquals("sync.batch", first.getString("op"), first.encode());
        assertEquals(60, first.getJsonArray("groups").size());

        tcp.write(List.of(new JsonObject().put("op", "sync").put("id", "b").put("groups", groups)));
        JsonObject second = answers(tcp, 1).get(0);
        assertEquals("rate_limited", second.getString("code"), second.encode());
        assertTrue(second.getLong("retryAfterMs") > 15_000, "20 tokens short at 1/s: " + second.encode());

        // The 40 tokens left still serve small syncs.
        tcp.write(List.of(new JsonObject().put("op", "sync").put("id", "c")));
        assertEquals("sync.batch", answers(tcp, 1).get(0).getString("op"));
      }
    }
  }
}
