package dev.switchboard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BridgeFrameTest {
  @Test
  void readsTheEnvelope() {
    BridgeFrame f = BridgeFrame.read(Buffer.buffer("{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":\"r\","
        + "\"headers\":{\"h\":\"1\"},\"failureCode\":3,\"message\":\"m\",\"body\":{\"service\":\"s\",\"secret\":1}}"));
    assertEquals("send", f.type());
    assertEquals("a", f.address());
    assertEquals("r", f.replyAddress());
    assertEquals(new JsonObject().put("h", "1"), f.headers());
    assertEquals(3, f.failureCode());
    assertEquals("m", f.message());
    assertEquals("s", f.bodyString("service"));
    assertEquals("", f.bodyString("secret"), "not a string");
    assertEquals("", f.bodyString("absent"));
  }

  @Test
  void absentAndNullFieldsAreEmpty() {
    BridgeFrame f = BridgeFrame.read(Buffer.buffer("{\"type\":null,\"body\":[1]}"));
    assertEquals("", f.type());
    assertNull(f.address());
    assertNull(f.failureCode());
    assertEquals("", f.bodyString("service"));
  }

  /** Inputs that threw ClassCastException out of the bridge's frame handler before the envelope was type-checked. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":1}", "{\"address\":[]}", "{\"replyAddress\":{}}", "{\"headers\":\"h\"}",
      "{\"failureCode\":\"7\"}", "{\"message\":false}", "[]", "\"x\"", "1", "{", "", "\u00ff"})
  void wrongTypesAndNonObjectsAreBadFrames(String input) {
    ImException e = assertThrows(ImException.class, () -> BridgeFrame.read(Buffer.buffer(input)));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
  }
}
