package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The container health check: 0 for a 200 from the monitor, 1 for anything else. */
class HealthCheckTest {
  @Test
  void readyIsHealthyAndAnythingElseIsNot() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ready", x -> answer(x, 200, "{\"status\":\"ready\"}"));
    server.createContext("/starting", x -> answer(x, 503, "{\"status\":\"not_ready\"}"));
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertEquals(0, HealthCheck.check(base + "/ready"));
      assertEquals(1, HealthCheck.check(base + "/starting"));
      assertEquals(1, HealthCheck.check(base + "/absent"), "404");
    } finally {
      server.stop(0);
    }
    // Nothing listening any more.
    assertEquals(1, HealthCheck.check("http://127.0.0.1:" + server.getAddress().getPort() + "/ready"));
  }

  private static void answer(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }
}
