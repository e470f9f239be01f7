package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FrameTest {
  private static ErrorCode codeOf(Runnable r) {
    return assertThrows(ImException.class, r::run).code();
  }

  @Test
  void classifiesBadFrames() {
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> Frame.parse(Buffer.buffer("{nope"))));
    assertEquals(ErrorCode.BAD_FRAME, codeOf(() -> Frame.parse(Buffer.buffer("[1,2]"))));
    assertEquals(ErrorCode.UNKNOWN_OP, codeOf(() -> Frame.parse(Buffer.buffer("{\"id\":1}"))));
    assertEquals(ErrorCode.UNKNOWN_OP, codeOf(() -> Frame.parse(Buffer.buffer("{\"op\":5}"))));
  }

  @Test
  void typedGettersNameTheField() {
    Frame f = Frame.of(new JsonObject().put("op", "x").put("to", "7").put("n", 2.5).put("s", ""));
    ImException e = assertThrows(ImException.class, () -> f.requirePositiveLong("to"));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals("field 'to' must be a positive integer", e.getMessage());
    assertEquals(ErrorCode.INVALID_FIELD, codeOf(() -> f.requirePositiveLong("n")));
    assertEquals(ErrorCode.INVALID_FIELD, codeOf(() -> f.requireString("s", 10)));
    assertEquals(ErrorCode.INVALID_FIELD, codeOf(() -> f.requireValue("missing")));
    assertEquals(9L, Frame.of(new JsonObject().put("to", 9)).requirePositiveLong("to"));
  }

  /** Issue 14: a lone surrogate has no UTF-8 form, so the database would store two such ids as the same '?'. */
  @Test
  void stringsWithAnUnpairedSurrogateAreRefused() {
    Frame f = Frame.of(new JsonObject("{\"a\":\"x\\ud800\",\"b\":\"\\udc00x\",\"c\":\"\\ud83d\\ude00 ok\"}"));
    assertEquals(ErrorCode.INVALID_FIELD, codeOf(() -> f.requireString("a", 64)));
    assertEquals(ErrorCode.INVALID_FIELD, codeOf(() -> f.requireString("b", 64)));
    assertEquals("\ud83d\ude00 ok", f.requireString("c", 64), "a surrogate pair is text");
  }

  @Test
  void idIsEchoedOnlyWhenStringOrNumber() {
    assertEquals("a", Frame.of(new JsonObject().put("id", "a")).id());
    assertEquals(3, Frame.of(new JsonObject().put("id", 3)).id());
    assertEquals(null, Frame.of(new JsonObject().put("id", new JsonObject())).id());
  }

  @Test
  void utf8LengthMatchesEncoder() {
    String s = "aé中😀" + "\uD800";
    assertEquals(1 + 2 + 3 + 4 + 3, Utf8.length(s));
    assertEquals(Buffer.buffer("aé中😀").length(), Utf8.length("aé中😀"));
  }
}
