package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import org.junit.jupiter.api.Test;

class JsonNumbersTest {

  private static Object decoded(String number) {
    return Frame.parse("{\"op\":\"x\",\"n\":" + number + "}").json().getValue("n");
  }

  @Test
  void integralValuesInsideTheLongRangeAreExact() {
    assertEquals(5L, JsonNumbers.exactLong(decoded("5")));
    assertEquals(5L, JsonNumbers.exactLong(decoded("5.0")));
    assertEquals(Long.MAX_VALUE, JsonNumbers.exactLong(decoded("9223372036854775807")));
    assertEquals(Long.MIN_VALUE, JsonNumbers.exactLong(decoded("-9223372036854775808")));
  }

  @Test
  void fractionsOutOfRangeAndNonFiniteValuesAreRefused() {
    for (String n : new String[] {"1.5", "1e400", "-1e400", "9223372036854775808", "18446744073709551617",
        "9.3e18", "9223372036854775808.0"}) {
      assertNull(JsonNumbers.exactLong(decoded(n)), n);
    }
    assertNull(JsonNumbers.exactLong("5"));
  }

  @Test
  void anIdThatCannotRoundTripFailsTheFrame() {
    ImException e = assertThrows(ImException.class, () -> Frame.parse("{\"op\":\"ping\",\"id\":1e999}"));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals(12.5, Frame.parse("{\"op\":\"ping\",\"id\":12.5}").id());
    // Found by FrameFuzzTest: an exponent past double's range on the bytes path (TCP, binary WebSocket messages).
    ImException fuzzed = assertThrows(ImException.class, () -> Frame.parse(io.vertx.core.buffer.Buffer.buffer(
        "{\"op\":\"msg.ack\",\"id\":17e5260238000}")));
    assertEquals(ErrorCode.INVALID_FIELD, fuzzed.code());
  }

  @Test
  void positiveLongFieldsAreNotClamped() {
    Frame f = Frame.parse("{\"op\":\"x\",\"to\":1e400,\"ok\":7}");
    assertEquals(ErrorCode.INVALID_FIELD, assertThrows(ImException.class, () -> f.requirePositiveLong("to")).code());
    assertEquals(7L, f.requirePositiveLong("ok"));
  }
}
