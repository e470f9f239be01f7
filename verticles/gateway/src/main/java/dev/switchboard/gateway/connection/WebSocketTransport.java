package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.Utf8;
import dev.switchboard.protocol.frame.WireCodec;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * A connection over a WebSocket: one message per frame — a text message of JSON, or with the protobuf codec a binary
 * message holding one {@code switchboard.v1.Frame}.
 *
 * <p>Messages are assembled here from the raw frames rather than by Vert.x's text/binary message handlers, which
 * decode invalid UTF-8 into replacement characters and report an oversized message as an exception: a text message
 * that is not UTF-8 closes with 1007, a message over 4× {@code maxFrameBytes} closes with 1009 without being buffered,
 * and one over {@code maxFrameBytes} is dropped (not buffered) and answered with {@code frame_too_large}.
 */
final class WebSocketTransport implements Transport {
  private final ServerWebSocket ws;
  private final WireCodec codec;
  private final Connection connection;
  private final int maxBytes;
  /** The fragments of the message being received when it came in more than one frame; null otherwise. */
  private Buffer partial;
  private int partialLength;
  private boolean partialText;

  private WebSocketTransport(ServerWebSocket ws, WireCodec codec, Connections connections) {
    this.ws = ws;
    this.codec = codec;
    this.maxBytes = connections.config().maxFrameBytes();
    this.connection = connections.open(this);
  }

  /** Wires {@code ws} to a new connection of {@code connections} speaking {@code codec}, and returns it. */
  static Connection attach(ServerWebSocket ws, Connections connections, WireCodec codec, Runnable released) {
    ws.setWriteQueueMaxSize(connections.config().writeQueueBytes());
    StrictWrites.apply(ws);
    WebSocketTransport t = new WebSocketTransport(ws, codec, connections);
    Connection c = t.connection;
    ws.frameHandler(t::onFrame);
    ws.closeHandler(v -> {
      released.run();
      c.close(CloseReason.CLIENT_CLOSED);
    });
    ws.exceptionHandler(e -> c.close(closeReason(e)));
    return c;
  }

  /**
   * The WebSocket decoder refuses a single frame over {@code maxWebSocketFrameSize} (4× the frame limit) or a frame
   * that breaks the protocol before it reaches {@link #onFrame}; the close carries the status RFC 6455 gives it.
   */
  private static CloseReason closeReason(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CorruptedWebSocketFrameException e) {
        return e.closeStatus().code() == 1009 ? CloseReason.MESSAGE_TOO_BIG
            : e.closeStatus().code() == 1007 ? CloseReason.INVALID_UTF8 : CloseReason.PROTOCOL_ERROR;
      }
    }
    return CloseReason.CLIENT_CLOSED;
  }

  private void onFrame(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      partial = null;
      partialLength = 0;
      partialText = frame.isText();
    } else if (!frame.isContinuation()) {
      return;
    }
    Buffer data = frame.binaryData();
    partialLength += data.length();
    if (partialLength > maxBytes * 4) {
      partial = null;
      connection.close(CloseReason.MESSAGE_TOO_BIG);
      return;
    }
    if (partialLength > maxBytes) {
      // Counted but not kept: the client gets frame_too_large once the message ends.
      partial = null;
    } else if (!frame.isFinal() || partial != null) {
      partial = (partial == null ? Buffer.buffer(data.length() * 2) : partial).appendBuffer(data);
    }
    if (frame.isFinal()) {
      Buffer message = partial != null ? partial : data;
      partial = null;
      message(partialText, partialLength > maxBytes ? null : message);
    }
  }

  /** One whole message; {@code payload} null when it was over the frame limit. */
  private void message(boolean text, Buffer payload) {
    if (payload == null) {
      connection.onOversized();
    } else if (!text) {
      if (codec == WireCodec.PROTOBUF) {
        connection.onProto(payload);
      } else {
        connection.onData(payload);
      }
    } else if (!Utf8.valid(payload)) {
      connection.close(CloseReason.INVALID_UTF8);
    } else if (codec == WireCodec.PROTOBUF) {
      connection.onUnexpectedText();
    } else {
      // Checked in place and parsed from the bytes: no copy into a String first.
      connection.onData(payload);
    }
  }

  @Override
  public void write(OutFrame[] frames, int count) {
    // Each frame wraps the shared bytes of this codec's form: no per-session copy or re-encoding. Vert.x's public
    // WebSocket API flushes every frame it writes, so a batch is still one socket write per frame here: coalescing
    // gives a WebSocket ordering and the bound, not fewer system calls.
    if (ws.isClosed()) {
      return;
    }
    WebSocketFrameType type = codec == WireCodec.PROTOBUF ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT;
    for (int i = 0; i < count; i++) {
      ws.writeFrame(new WebSocketFrameImpl(type, frames[i].buf(codec, false), true));
    }
  }

  @Override
  public boolean writeQueueFull() {
    // A socket the peer already closed (its close handler not yet run) has no queue: nothing is written to it.
    return !ws.isClosed() && ws.writeQueueFull();
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
