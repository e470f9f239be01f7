package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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

  @Test
  void aFrameWrittenToManySocketsSharesOneOffHeapCopyThatNoSocketCanFree() {
    ByteBuf first = frame.buf(WireCodec.JSON, true);
    assertFalse(first.isDirect(), "a frame written once is not copied off-heap");
    ByteBuf second = frame.buf(WireCodec.JSON, true);
    ByteBuf third = frame.buf(WireCodec.JSON, true);
    assertTrue(second.isDirect());
    assertArrayEquals(frame.tcpBytes(), ByteBufUtil.getBytes(second));
    // A socket consumes and releases its view, as Netty does after writing: the next socket still sees every byte.
    second.skipBytes(second.readableBytes());
    second.release();
    assertArrayEquals(frame.tcpBytes(), ByteBufUtil.getBytes(third));
    assertArrayEquals(frame.tcpBytes(), ByteBufUtil.getBytes(frame.buf(WireCodec.JSON, true)));
    assertArrayEquals(frame.jsonBytes(), ByteBufUtil.getBytes(frame.buf(WireCodec.JSON, false)));
  }

  @Test
  void eachCodecsFormIsEncodedOnceAndSharedBySockets() {
    byte[] proto = frame.protoBytes();
    assertSame(proto, frame.protoBytes(), "the protobuf form is built once");
    assertEquals(frame.toString(), dev.switchboard.protocol.frame.proto.ProtoCodec.decode(proto).encode());
    assertArrayEquals(TcpFraming.frame(proto), frame.protoTcpBytes());
    assertSame(frame.protoTcpBytes(), frame.protoTcpBytes());
    frame.buf(WireCodec.PROTOBUF, true);
    ByteBuf second = frame.buf(WireCodec.PROTOBUF, true);
    assertTrue(second.isDirect(), "from its second socket on, a form is shared off-heap");
    assertArrayEquals(frame.protoTcpBytes(), ByteBufUtil.getBytes(second));
    assertArrayEquals(proto, ByteBufUtil.getBytes(frame.buf(WireCodec.PROTOBUF, false)));
    assertArrayEquals(frame.jsonBytes(), ByteBufUtil.getBytes(frame.buf(WireCodec.JSON, false)));
  }
}
