package dev.switchboard.launch;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per log line ({@code logging.format: "json"}), for log shippers: {@code time} (ISO-8601, UTC),
 * {@code level}, {@code logger}, {@code thread} (its id: java.util.logging records carry no name), {@code message},
 * the record's fields when its first parameter is a map (the access log's {@code method}, {@code path},
 * {@code status}...) under {@code fields}, and {@code error} (the stack trace) when it has one.
 */
public final class JsonLogFormatter extends Formatter {
  @Override
  public String format(LogRecord r) {
    JsonObject line = new JsonObject()
        .put("time", Instant.ofEpochMilli(r.getMillis()).toString())
        .put("level", r.getLevel().getName())
        .put("logger", r.getLoggerName())
        .put("thread", r.getLongThreadID())
        .put("message", formatMessage(r));
    Object[] params = r.getParameters();
    if (params != null && params.length > 0 && params[0] instanceof Map<?, ?> fields) {
      JsonObject f = new JsonObject();
      fields.forEach((k, v) -> f.put(String.valueOf(k), v instanceof Number || v instanceof Boolean || v == null
          ? v : String.valueOf(v)));
      line.put("fields", f);
    }
    if (r.getThrown() != null) {
      StringWriter trace = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", trace.toString());
    }
    return line.encode() + System.lineSeparator();
  }
}
