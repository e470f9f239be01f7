package dev.switchboard.gateway.connection;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.frame.CloseReason;
import dev.switchboard.shared.frame.Frames;
import dev.switchboard.shared.frame.OutFrame;
import dev.switchboard.shared.frame.TcpFraming;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;

/** A connection over raw TCP: 4-byte big-endian length + UTF-8 JSON per frame. */
final class TcpTransport implements Transport {
  private final NetSocket socket;

  private TcpTransport(NetSocket socket) {
    this.socket = socket;
  }

  static Connection attach(NetSocket socket, Connections connections) {
    socket.setWriteQueueMaxSize(connections.config().writeQueueBytes());
    Connection c = connections.open(new TcpTransport(socket));
    int max = connections.config().maxFrameBytes();
    socket.handler(new TcpFraming(max, c::onData, length -> {
      // The stream cannot be resynchronised without reading the announced bytes, which we refuse to buffer.
      c.send(Frames.error(null, ErrorCode.FRAME_TOO_LARGE,
          "frame length " + length + " outside 1.." + max + " bytes; closing"));
      c.close(CloseReason.FRAME_TOO_LARGE);
    }));
    socket.closeHandler(v -> c.close(CloseReason.CLIENT_CLOSED));
    socket.exceptionHandler(t -> c.close(CloseReason.CLIENT_CLOSED));
    return c;
  }

  @Override
  public void write(OutFrame frame) {
    // A view, not a copy: the framed bytes are shared by every TCP session this frame goes to.
    socket.write(BufferInternal.buffer(frame.tcpBuf()));
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
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public String kind() {
    return "tcp";
  }
}
