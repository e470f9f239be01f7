package dev.switchboard.gateway.connection;

import dev.switchboard.shared.frame.CloseReason;
import dev.switchboard.shared.frame.OutFrame;
import dev.switchboard.shared.frame.WireCodec;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * A connection over a WebSocket: one message per frame — a text message of JSON, or with the protobuf codec a binary
 * message holding one {@code switchboard.v1.Frame}.
 */
final class WebSocketTransport implements Transport {
  private final ServerWebSocket ws;
  private final WireCodec codec;

  private WebSocketTransport(ServerWebSocket ws, WireCodec codec) {
    this.ws = ws;
    this.codec = codec;
  }

  /** Wires {@code ws} to a new connection of {@code connections} speaking {@code codec}, and returns it. */
  static Connection attach(ServerWebSocket ws, Connections connections, WireCodec codec) {
    ws.setWriteQueueMaxSize(connections.config().writeQueueBytes());
    StrictWrites.apply(ws);
    Connection c = connections.open(new WebSocketTransport(ws, codec));
    if (codec == WireCodec.PROTOBUF) {
      ws.textMessageHandler(c::onUnexpectedText);
      ws.binaryMessageHandler(c::onProto);
    } else {
      ws.textMessageHandler(c::onText);
      ws.binaryMessageHandler(c::onData);
    }
    ws.closeHandler(v -> c.close(CloseReason.CLIENT_CLOSED));
    ws.exceptionHandler(t -> c.close(CloseReason.CLIENT_CLOSED));
    return c;
  }

  @Override
  public void write(OutFrame frame) {
    // The frame wraps the shared bytes of this codec's form: no per-session copy or re-encoding.
    ws.writeFrame(new WebSocketFrameImpl(codec == WireCodec.PROTOBUF ? WebSocketFrameType.BINARY
        : WebSocketFrameType.TEXT, frame.buf(codec, false), true));
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void close(CloseReason reason) {
    if (reason == CloseReason.CLIENT_CLOSED) {
      ws.close();
    } else {
      ws.close(reason.wsStatus(), reason.wire());
    }
  }

  @Override
  public void pause() {
    ws.pause();
  }

  @Override
  public void resume() {
    ws.resume();
  }

  @Override
  public String remoteAddress() {
    return ws.remoteAddress() == null ? "unknown" : ws.remoteAddress().hostAddress();
  }

  @Override
  public String kind() {
    return "ws";
  }

  @Override
  public WireCodec codec() {
    return codec;
  }
}
