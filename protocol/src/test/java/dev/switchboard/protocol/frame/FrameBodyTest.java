package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The body is kept as the bytes it arrived as, exactly its value's text, wherever it sits in the frame. */
class FrameBodyTest {
  @ParameterizedTest
  @ValueSource(strings = {"{\"t\":\"hi\",\"n\":[1,2,{\"x\":null}]}", "[1, 2 ,3]", "\"h\\u00e9llo \\\"x\\\"\"", "12",
      "-3.5e7", "true", "false", "{}", "[]", "\"\"", "\"😀 é\"", "{ \"a\" : { \"b\" : [ ] } }"})
  void bodyBytesAreTheValuesText(String body) {
    for (String frame : new String[] {
        "{\"op\":\"msg.send\",\"body\":" + body + ",\"to\":2}",
        "{\"op\":\"msg.send\",\"to\":2,\"body\":" + body + "}",
        "{\"op\":\"msg.send\",\"to\":2,\"body\": " + body + " }",
        "{\"op\":\"msg.send\",\"body\":\n" + body + "\n,\"to\":2}",
        "{\"body\":" + body + "}" .replace("}", "") + ",\"op\":\"x\"}"}) {
      Frame f = Frame.parse(Buffer.buffer(frame));
      assertEquals(body, new String(f.requireBodyJson(), StandardCharsets.UTF_8), frame);
      assertFalse(f.json().containsKey("body"));
      assertEquals(Json.decodeValue(body), f.requireValue("body"));
    }
  }

  @Test
  void theRestOfTheFrameDecodesLikeVertxDoes() {
    String text = "{\"op\":\"sync\",\"id\":7,\"groups\":{\"12\":3,\"13\":[1.5,true,null,\"s\"]},\"big\":123456789012345678901}";
    JsonObject expected = new JsonObject(text);
    assertEquals(expected, Frame.parse(Buffer.buffer(text)).json());
  }

  @Test
  void aNullBodyIsPresentButNotAValue() {
    Frame f = Frame.parse(Buffer.buffer("{\"op\":\"msg.send\",\"body\":null}"));
    assertTrue(f.has("body"));
    assertEquals(ErrorCode.INVALID_FIELD, assertThrows(ImException.class, f::requireBodyJson).code());
    assertFalse(Frame.parse(Buffer.buffer("{\"op\":\"msg.send\"}")).has("body"));
  }

  @Test
  void aBodyDeeperThanSixteenLevelsIsRefusedWhenUsedNotWhenParsed() {
    String deep = "[".repeat(17) + "1" + "]".repeat(17);
    String ok = "[".repeat(16) + "1" + "]".repeat(16);
    Frame f = Frame.parse(Buffer.buffer("{\"op\":\"msg.send\",\"id\":\"r1\",\"body\":" + deep + "}"));
    assertEquals("r1", f.id());
    assertEquals(ErrorCode.INVALID_FIELD, assertThrows(ImException.class, f::requireBodyJson).code());
    assertArrayEquals(ok.getBytes(StandardCharsets.UTF_8),
        Frame.parse(Buffer.buffer("{\"op\":\"msg.send\",\"body\":" + ok + "}")).requireBodyJson());
    // The same rule for a frame built from a tree (protobuf, bridge).
    Frame tree = Frame.of(new JsonObject().put("op", "msg.send").put("body", Json.decodeValue(deep)));
    assertEquals(ErrorCode.INVALID_FIELD, assertThrows(ImException.class, tree::requireBodyJson).code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"op\":\"x\",\"body\":{\"a\":}", "{\"op\":\"x\",\"body\":[1,}", "{\"op\":\"x\",\"body\":01}",
      "{\"op\":\"x\",\"body\":{}} trailing", "{\"op\":\"x\",\"body\":\"unterminated}", "{\"op\":\"x\",\"body\":tru}"})
  void anInvalidBodyIsABadFrame(String frame) {
    assertEquals(ErrorCode.BAD_FRAME,
        assertThrows(ImException.class, () -> Frame.parse(Buffer.buffer(frame))).code());
  }
}
