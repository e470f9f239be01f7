package dev.switchboard.api.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The HTTP access log ({@code verticles.api.accessLog: true}): one INFO record per response on logger
 * {@code switchboard.access}, written when the response ends, as {@code METHOD path status ms bytes remote id} and,
 * for {@code logging.format: "json"}, as fields {@code method, path, status, durationMs, bytes, remote, requestId}.
 * The path never includes the query string (a token can travel there).
 */
public final class AccessLog {
  public static final String LOGGER = "switchboard.access";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  private AccessLog() {
  }

  /** A route handler that logs the request when its response ends, then passes it on. */
  public static void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(v -> {
      if (!LOG.isLoggable(Level.INFO)) {
        return;
      }
      HttpServerRequest req = ctx.request();
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("method", req.method().name());
      f.put("path", req.path());
      f.put("status", ctx.response().getStatusCode());
      f.put("durationMs", Math.round((System.nanoTime() - started) / 10_000.0) / 100.0);
      f.put("bytes", ctx.response().bytesWritten());
      f.put("remote", req.remoteAddress() == null ? null : req.remoteAddress().hostAddress());
      f.put("requestId", ctx.get(HttpErrors.REQUEST_ID));
      LogRecord r = new LogRecord(Level.INFO, f.get("method") + " " + f.get("path") + " " + f.get("status") + " "
          + f.get("durationMs") + "ms " + f.get("bytes") + "B " + f.get("remote") + " " + f.get("requestId"));
      r.setLoggerName(LOGGER);
      r.setParameters(new Object[] {f});
      LOG.log(r);
    });
    ctx.next();
  }
}
