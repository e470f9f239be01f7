package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.http.AccessLog;
import dev.switchboard.launch.JsonLogFormatter;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code verticles.api.accessLog}: one record per HTTP response with method, path (never the query), status, time,
 * bytes, remote address and request id; {@code logging.format: "json"} writes it as one JSON line with those fields.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class AccessLogIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void everyResponseIsLoggedWithItsFieldsAndTheJsonFormatWritesThemAsFields(Vertx vertx) throws Exception {
    BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger access = Logger.getLogger(AccessLog.LOGGER);
    access.addHandler(capture);
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED,
        new JsonObject().put("api", new JsonObject().put("accessLog", true)))) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort()
          + "/api/v1/users/me?token=not-for-the-log")).header("X-Request-Id", "req-access-1").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, r.statusCode());
      LogRecord record = records.poll(10, TimeUnit.SECONDS);
      assertNotNull(record, "an access record for the request");
      assertEquals("GET /api/v1/users/me 401", record.getMessage().substring(0, "GET /api/v1/users/me 401".length()));
      assertFalse(record.getMessage().contains("not-for-the-log"), "no query string in the log");
      @SuppressWarnings("unchecked")
      Map<String, Object> f = (Map<String, Object>) record.getParameters()[0];
      assertEquals("GET", f.get("method"));
      assertEquals("/api/v1/users/me", f.get("path"));
      assertEquals(401, f.get("status"));
      assertEquals("req-access-1", f.get("requestId"));
      assertEquals("127.0.0.1", f.get("remote"));
      assertEquals((long) r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, f.get("bytes"));

      JsonObject line = new JsonObject(new JsonLogFormatter().format(record).strip());
      assertEquals("INFO", line.getString("level"));
      assertEquals(AccessLog.LOGGER, line.getString("logger"));
      assertEquals(401, line.getJsonObject("fields").getInteger("status"));
      assertEquals("/api/v1/users/me", line.getJsonObject("fields").getString("path"));
      assertTrue(line.getJsonObject("fields").getDouble("durationMs") >= 0);
      assertTrue(line.getString("time").endsWith("Z"), line.getString("time"));
    } finally {
      access.removeHandler(capture);
    }
  }
}
