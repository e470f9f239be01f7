package dev.switchboard.protocol.frame.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The protobuf decoder on arbitrary bytes: a JSON frame with a string {@code op}, or {@code bad_frame} /
 * {@code unknown_op}, and nothing else, the same through the array and the buffer paths; and a decoded frame
 * encodes and decodes back to itself.
 */
class ProtoCodecFuzzTest {
  private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.BAD_FRAME, ErrorCode.UNKNOWN_OP);

  @FuzzTest
  void decodesOrRefusesWithAProtocolCode(byte[] input) {
    JsonObject frame = decodeOrNull(input);
    JsonObject viaBuffer;
    try {
      viaBuffer = ProtoCodec.decode(Buffer.buffer(input));
    } catch (ImException e) {
      assertTrue(REFUSALS.contains(e.code()), "unexpected code " + e.code());
      viaBuffer = null;
    }
    assertEquals(frame, viaBuffer);
    if (frame == null) {
      return;
    }
    assertInstanceOf(String.class, frame.getValue("op"));
    assertEquals(frame, ProtoCodec.decode(ProtoCodec.encode(frame)), "decode(encode(frame)) is the frame");
  }

  private static JsonObject decodeOrNull(byte[] input) {
    try {
      return ProtoCodec.decode(input);
    } catch (ImException e) {
      assertTrue(REFUSALS.contains(e.code()), "unexpected code " + e.code() + ": " + e.getMessage());
      return null;
    }
  }
}
