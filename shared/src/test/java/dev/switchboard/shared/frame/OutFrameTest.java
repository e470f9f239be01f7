package dev.switchboard.shared.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OutFrameTest {
  private final OutFrame frame = OutFrame.of(new JsonObject().put("op", "msg").put("body", "héllo"));

  @Test
  void encodesOnceForBothTransports() {
    assertArrayEquals("{\"op\":\"msg\",\"body\":\"héllo\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        frame.jsonBytes());
    assertArrayEquals(TcpFraming.frame(frame.jsonBytes()), frame.tcpBytes());
    assertSame(frame.tcpBytes(), frame.tcpBytes(), "the TCP form is built once");
  }

  @Test
  void codecSharesLocallyAndRoundTripsOverTheWire() {
    OutFrameCodec codec = new OutFrameCodec();
    assertSame(frame, codec.transform(frame));
    Buffer wire = Buffer.buffer().appendString("xx");
    codec.encodeToWire(wire, frame);
    assertArrayEquals(frame.jsonBytes(), codec.decodeFromWire(2, wire).jsonBytes());
  }
}
