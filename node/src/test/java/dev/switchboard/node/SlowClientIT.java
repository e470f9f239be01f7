package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Clients that hold connections without finishing a request (slowloris), and one address holding many connections:
 * both HTTP servers (the API and the WebSocket port before the upgrade) and the TCP port, over real sockets.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
@Isolated
class SlowClientIT {
  private static final long TIMEOUT_MS = 300;

  private static JsonObject quickTimeouts() {
    JsonObject limits = new JsonObject().put("headerTimeoutMs", TIMEOUT_MS).put("bodyTimeoutMs", TIMEOUT_MS);
    return new JsonObject().put("gateway", new JsonObject().put("connectionLimits", limits.copy()))
        .put("api", new JsonObject().put("connectionLimits", limits.copy()));
  }

  private static Socket open(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Milliseconds until the server closes {@code s} (reads and discards whatever it sends first). */
  private static long untilClosed(Socket s, long started) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    while (in.read(buf) >= 0) {
      // a response to a complete request comes first
    }
    return System.currentTimeMillis() - started;
  }

  private static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
  }

  private static void assertClosedInTime(long ms) {
    assertTrue(ms >= TIMEOUT_MS - 50 && ms < TIMEOUT_MS + 2_000, "closed after " + ms + " ms");
  }

  @Test
  void partialHeadersSilenceAndSlowBodiesAreClosedWithinTheTimeouts(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, quickTimeouts())) {
      for (int port : new int[] {node.apiPort(), node.gateway().getInteger("wsPort")}) {
        try (Socket silent = open(port); Socket partial = open(port); Socket idle = open(port)) {
          long started = System.currentTimeMillis();
          write(partial, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a");
          // A complete request is served; the connection then waits for the next headers like a new one.
          write(idle, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          assertClosedInTime(untilClosed(silent, started));
          assertClosedInTime(untilClosed(partial, started));
          assertTrue(untilClosed(idle, started) < TIMEOUT_MS + 2_000);
        }
      }
      try (Socket body = open(node.apiPort())) {
        long started = System.currentTimeMillis();
        write(body, "POST /api/v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"username\":");
        assertClosedInTime(untilClosed(body, started));
      }
      // Served as before: the WebSocket handshake and API calls.
      String alice = node.newUser();
      ImClient ws = node.online("ws", node.login(alice, "web"));
      assertEquals("pong", await(ws.request(new JsonObject().put("op", "ping"))).getString("op"));
    }
  }

  private static boolean tcpServed(int port) {
    try (RawTcp tcp = new RawTcp(port)) {
      tcp.write(List.of(new JsonObject().put("op", "ping").put("id", 1)));
      return "pong".equals(tcp.read().getString("op"));
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void oneAddressMayHoldOnlyTheConfiguredNumberOfGatewayConnections(Vertx vertx) throws Exception {
    JsonObject limits = new JsonObject().put("maxConnectionsPerAddress", 3).put("limitLoopback", true);
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("connectionLimits", limits))) {
      int tcpPort = node.gateway().getInteger("tcpPort");
      ImClient first = node.ws("/ws");
      ImClient second = node.ws("/ws");
      try (RawTcp third = new RawTcp(tcpPort)) {
        third.write(List.of(new JsonObject().put("op", "ping").put("id", 1)));
        assertEquals("pong", third.read().getString("op"));
        // WebSocket and TCP count together: the fourth of either kind is closed at once.
        assertTrue(!tcpServed(tcpPort));
        assertThrows(Exception.class, () -> node.ws("/ws"));
        await(first.close());
        // The closed WebSocket's place is freed when its close completes on the server.
        long deadline = System.currentTimeMillis() + 10_000;
        boolean served = false;
        while (!served && System.currentTimeMillis() < deadline) {
          served = tcpServed(tcpPort);
        }
        assertTrue(served, "a place freed by a closed WebSocket is given to the next connection");
        assertEquals("pong", await(second.request(new JsonObject().put("op", "ping"))).getString("op"));
      }
    }
  }

  @Test
  void oneAddressMayHoldOnlyTheConfiguredNumberOfApiConnections(Vertx vertx) throws Exception {
    JsonObject limits = new JsonObject().put("maxConnectionsPerAddress", 2).put("limitLoopback", true);
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED,
        new JsonObject().put("api", new JsonObject().put("connectionLimits", limits)))) {
      try (Socket one = open(node.apiPort()); Socket two = open(node.apiPort()); Socket three = open(node.apiPort())) {
        long started = System.currentTimeMillis();
        assertTrue(untilClosed(three, started) < 2_000, "the third connection is closed at once");
        write(one, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        byte[] status = new byte[12];
        assertEquals(12, one.getInputStream().readNBytes(status, 0, 12));
        assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII));
      }
    }
  }
}
