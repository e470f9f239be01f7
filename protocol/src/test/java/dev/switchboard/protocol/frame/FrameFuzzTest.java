package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The JSON frame parser on arbitrary bytes: a frame with a string {@code op}, or {@code bad_frame} /
 * {@code unknown_op} / {@code invalid_field} (an {@code id} that would not come back as sent, e.g. {@code 1e999}),
 * and nothing else; the bytes and the WebSocket text paths agree; the typed getters a handler
 * calls answer a value or {@code invalid_field}.
 */
class FrameFuzzTest {
  private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.BAD_FRAME, ErrorCode.UNKNOWN_OP,
      ErrorCode.INVALID_FIELD);
  private static final Set<ErrorCode> FIELD_REFUSALS = Set.of(ErrorCode.INVALID_FIELD);

  @FuzzTest
  void parsesOrRefusesWithAProtocolCode(byte[] input) {
    Frame frame = parseOrNull(() -> Frame.parse(Buffer.buffer(input)), REFUSALS);
    if (frame == null) {
      return;
    }
    assertInstanceOf(String.class, frame.json().getValue("op"));
    Object id = frame.id();
    assertTrue(id == null || id instanceof String || id instanceof Number);
    // Valid UTF-8 as a WebSocket text message parses to the same frame.
    String utf8 = strictUtf8(input);
    if (utf8 != null) {
      Frame text = parseOrNull(() -> Frame.parse(utf8), REFUSALS);
      assertEquals(frame.json(), text == null ? null : text.json());
    }
    for (String field : frame.json().fieldNames().toArray(new String[0])) {
      parseOrNull(() -> frame.requireString(field, 64), FIELD_REFUSALS);
      parseOrNull(() -> frame.optString(field, "", 64), FIELD_REFUSALS);
      parseOrNull(() -> frame.requirePositiveLong(field), FIELD_REFUSALS);
      parseOrNull(() -> frame.optNonNegativeLong(field, 0), FIELD_REFUSALS);
      parseOrNull(() -> frame.requireMid(field), FIELD_REFUSALS);
      parseOrNull(() -> frame.requireValue(field), FIELD_REFUSALS);
    }
  }

  private static String strictUtf8(byte[] input) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The result, or null when the call failed with an {@link ImException} of one of {@code allowed}. */
  static <T> T parseOrNull(java.util.function.Supplier<T> call, Set<ErrorCode> allowed) {
    try {
      return call.get();
    } catch (ImException e) {
      assertTrue(allowed.contains(e.code()), "unexpected code " + e.code() + ": " + e.getMessage());
      return null;
    }
  }
}
