package dev.switchboard.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SendLimitsTest {
  private static Object nested(int levels) {
    Object v = "leaf";
    for (int i = 0; i < levels; i++) {
      v = i % 2 == 0 ? new JsonObject().put("k", v) : new JsonArray().add(v);
    }
    return v;
  }

  @Test
  void bodiesNestedUpToTheLimitPassAndDeeperOnesAreRefused() {
    assertEquals("\"plain\"", SendLimits.encodeBody("plain", 100));
    SendLimits.encodeBody(nested(SendLimits.MAX_BODY_DEPTH), 10_000);
    ImException e = assertThrows(ImException.class,
        () -> SendLimits.encodeBody(nested(SendLimits.MAX_BODY_DEPTH + 1), 10_000));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
  }

  @Test
  void sizeIsCheckedInUtf8Bytes() {
    assertEquals(ErrorCode.BODY_TOO_LARGE, assertThrows(ImException.class,
        () -> SendLimits.encodeBody("ééé", 5)).code());
  }
}
