package dev.switchboard.launch;

import io.vertx.core.json.JsonObject;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * {@code logging.format}: {@code text} (default: the format of conf/logging.properties, or the JDK's) or {@code json}
 * (every handler of the root logger writes {@link JsonLogFormatter} lines). Applied once, before anything else runs.
 */
final class LogFormat {
  private LogFormat() {
  }

  /** Applies the {@code logging} section (absent: nothing changes); refuses a format it does not know. */
  static void apply(JsonObject logging) {
    String format = logging == null ? "text" : logging.getString("format", "text");
    switch (format) {
      case "text" -> { }
      case "json" -> {
        for (Handler h : Logger.getLogger("").getHandlers()) {
          h.setFormatter(new JsonLogFormatter());
        }
      }
      default -> throw new IllegalArgumentException("logging.format must be text or json, not " + format);
    }
  }
}
