package dev.switchboard.gateway.connection;

import dev.switchboard.shared.frame.CloseReason;
import dev.switchboard.shared.frame.OutFrame;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/** A connection over a WebSocket: one text message per frame. */
final class WebSocketTransport implements Transport {
  private final ServerWebSocket ws;

  private WebSocketTransport(ServerWebSocket ws) {
    this.ws = ws;
  }

  /** Wires {@code ws} to a new connection of {@code connections} and returns that connection. */
  static Connection attach(ServerWebSocket ws, Connections connections) {
    ws.setWriteQueueMaxSize(connections.config().writeQueueBytes());
    Connection c = connections.open(new WebSocketTransport(ws));
    ws.textMessageHandler(c::onText);
    ws.binaryMessageHandler(c::onData);
    ws.closeHandler(v -> c.close(CloseReason.CLIENT_CLOSED));
    ws.exceptionHandler(t -> c.close(CloseReason.CLIENT_CLOSED));
    return c;
  }

  @Override
  public void write(OutFrame frame) {
    // The text frame wraps the shared JSON bytes: no per-session copy or re-encoding.
    ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, frame.jsonBuf(), true));
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
  public String kind() {
    return "ws";
  }
}
