package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** {@code logging.format: "json"}: one JSON object per line. */
class JsonLogFormatterTest {
  @Test
  void aRecordIsOneJsonLineWithItsErrorAndNoFieldsWithoutAMap() {
    LogRecord r = new LogRecord(Level.WARNING, "request {0} failed");
    r.setLoggerName("dev.switchboard.api.http.HttpErrors");
    r.setParameters(new Object[] {"r-1"});
    r.setThrown(new IllegalStateException("boom\nsecond line"));
    String out = new JsonLogFormatter().format(r);
    assertTrue(out.endsWith(System.lineSeparator()));
    assertEquals(1, out.strip().lines().count(), "one line, even with a multi-line message and a stack trace");
    JsonObject line = new JsonObject(out);
    assertEquals("WARNING", line.getString("level"));
    assertEquals("request r-1 failed", line.getString("message"));
    assertTrue(line.getString("error").startsWith("java.lang.IllegalStateException: boom"));
    assertFalse(line.containsKey("fields"));
  }

  @Test
  void anUnknownFormatIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LogFormat.apply(new JsonObject().put("format", "xml")));
    assertEquals("logging.format must be text or json, not xml", e.getMessage());
  }
}
