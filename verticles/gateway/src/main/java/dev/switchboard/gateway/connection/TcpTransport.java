package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.TcpFraming;
import dev.switchboard.protocol.frame.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;

/**
 * A connection over raw TCP: 4-byte big-endian length + payload per frame, the payload UTF-8 JSON, or a protobuf
 * {@code switchboard.v1.Frame} when the client's very first byte is {@link #PROTOBUF_MAGIC} (a JSON client's first
 * byte is the top byte of a length, always 0 under the frame limit, so the two cannot be confused).
 */
final class TcpTransport implements Transport {
  /** The byte ({@code 'P'}) a client sends once, before its first frame, to speak protobuf. */
  static final byte PROTOBUF_MAGIC = 0x50;

  private final NetSocket socket;
  private WireCodec codec = WireCodec.JSON;
  private TcpFraming framing;

  private TcpTransport(NetSocket socket) {
    this.socket = socket;
  }

  static Connection attach(NetSocket socket, Connections connections, Runnable released) {
    socket.setWriteQueueMaxSize(connections.config().writeQueueBytes());
    StrictWrites.apply(socket);
    TcpTransport transport = new TcpTransport(socket);
    Connection c = connections.open(transport);
    int max = connections.config().maxFrameBytes();
    TcpFraming framing = new TcpFraming(max, payload -> {
      if (transport.codec == WireCodec.PROTOBUF) {
        c.onProto(payload);
      } else {
        c.onData(payload);
      }
    }, length -> {
      // The stream cannot be resynchronised without reading the announced bytes, which we refuse to buffer.
      c.send(Frames.error(null, ErrorCode.FRAME_TOO_LARGE,
          "frame length " + length + " outside 1.." + max + " bytes; closing"));
      c.close(CloseReason.FRAME_TOO_LARGE);
    });
    transport.framing = framing;
    socket.handler(first -> {
      // The first chunk names the codec; everything after goes straight to the frame reader.
      socket.handler(framing);
      if (first.length() > 0 && first.getByte(0) == PROTOBUF_MAGIC) {
        transport.codec = WireCodec.PROTOBUF;
        first = first.slice(1, first.length());
      }
      if (first.length() > 0) {
        framing.handle(first);
      }
    });
    socket.closeHandler(v -> {
      released.run();
      c.close(CloseReason.CLIENT_CLOSED);
    });
    socket.exceptionHandler(t -> c.close(CloseReason.CLIENT_CLOSED));
    return c;
  }

  @Override
  public void write(OutFrame[] frames, int count) {
    // Views, not copies: the framed bytes are shared by every TCP session a frame goes to. Several frames go out as
    // one composite buffer: one write, one flush, one system call (a gathering write of the views).
    ByteBuf out;
    if (count == 1) {
      out = frames[0].buf(codec, true);
    } else {
      ByteBuf[] views = new ByteBuf[count];
      for (int i = 0; i < count; i++) {
        views[i] = frames[i].buf(codec, true);
      }
      out = Unpooled.wrappedBuffer(count, views);
    }
    socket.write(BufferInternal.buffer(out));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void close(CloseReason reason) {
    socket.close();
  }

  @Override
  public void pause() {
    socket.pause();
    framing.pause();
  }

  @Override
  public void resume() {
    socket.resume();
    framing.resume();
  }

  @Override
  public String remoteAddress() {
    return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
  }

  @Override
  public String kind() {
    return "tcp";
  }

  @Override
  public WireCodec codec() {
    return codec;
  }
}
