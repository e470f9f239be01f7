package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.Utf8;
import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.shared.net.ConnectionGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * A connection over a WebSocket: one message per frame — a text message of JSON, or with the protobuf codec a binary
 * message holding one {@code switchboard.v1.Frame}.
 *
 * <p>The last handler of its socket after the upgrade ({@link WebSocketUpgrade}), behind Netty's RFC 6455 frame
 * decoder and encoder (and the TLS handler, when configured): together they are the whole per-connection state. The
 * decoder refuses what breaks the protocol (close 1002) and a frame announcing more than 4× {@code maxFrameBytes}
 * before reading it (close 1009). Messages are assembled here: a text message that is not UTF-8 closes with 1007, a
 * fragmented message past 4× {@code maxFrameBytes} closes with 1009 without being buffered, and one over
 * {@code maxFrameBytes} is dropped (not buffered) and answered with {@code frame_too_large}. A client's ping is
 * answered with a pong at once; a close from the server carries its status and reason, and the socket closes when
 * the client answers it (or after {@link #CLOSING_TIMEOUT_MS}).
 */
final class WebSocketTransport extends ChannelTransport {
  private final WireCodec codec;
  private final int maxBytes;
  /** The fragments of a message received in more than one frame (retained); null otherwise. */
  private CompositeByteBuf partial;
  private int partialLength;
  private boolean partialText;
  /** Frames the decoder handed over while reading was paused, in order; null unless that happened. */
  private ArrayDeque<WebSocketFrame> held;

  WebSocketTransport(Connections connections, ConnectionGuard guard, WireCodec codec) {
    super(connections, guard);
    this.codec = codec;
    this.maxBytes = connections.config().maxFrameBytes();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      // Bytes the HTTP decoder still held when it left the pipeline: a client must wait for the 101 (RFC 6455 4.1).
      ReferenceCountUtil.release(msg);
      return;
    }
    if (paused || held != null) {
      if (held == null) {
        held = new ArrayDeque<>(4);
      }
      held.add(frame);
      return;
    }
    dispatch(frame, this::onFrame);
  }

  private void onFrame(WebSocketFrame frame) {
    try {
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
        dropPartial();
        partialLength = 0;
        partialText = frame instanceof TextWebSocketFrame;
      } else if (frame instanceof CloseWebSocketFrame close) {
        closedByClient(close);
        return;
      } else if (frame instanceof PingWebSocketFrame) {
        if (!closing) {
          ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
        }
        return;
      } else if (!(frame instanceof ContinuationWebSocketFrame)) {
        return;
      }
      if (closing) {
        // After our close frame, the client's data is not read (RFC 6455 5.5.1).
        return;
      }
      message(frame);
    } finally {
      frame.release();
    }
  }

  /** A text, binary or continuation frame: kept, counted or handed over as a whole message. */
  private void message(WebSocketFrame frame) {
    ByteBuf data = frame.content();
    partialLength += data.readableBytes();
    if (partialLength > maxBytes * 4) {
      dropPartial();
      connection.close(CloseReason.MESSAGE_TOO_BIG);
      return;
    }
    if (partialLength > maxBytes) {
      // Counted but not kept: the client gets frame_too_large once the message ends.
      dropPartial();
    } else if (!frame.isFinalFragment() || partial != null) {
      if (partial == null) {
        partial = ctx.alloc().compositeBuffer();
      }
      partial.addComponent(true, data.retain());
    }
    if (!frame.isFinalFragment()) {
      return;
    }
    byte[] payload = partialLength > maxBytes ? null : ByteBufUtil.getBytes(partial != null ? partial : data);
    dropPartial();
    if (payload == null) {
      connection.onOversized();
    } else if (!partialText) {
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
      connection.onData(payload);
    }
  }

  private void dropPartial() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
  }

  /**
   * The client closed: the answer to our close frame, or its own close, which is answered with the same status
   * before the socket closes (RFC 6455 5.5.1; the server closes TCP first).
   */
  private void closedByClient(CloseWebSocketFrame close) {
    if (closing) {
      ctx.close();
      return;
    }
    closing = true;
    int status = close.statusCode();
    CloseWebSocketFrame answer = status < 0 ? new CloseWebSocketFrame()
        : new CloseWebSocketFrame(true, 0, ctx.alloc().buffer(2).writeShort(status));
    ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException) {
      // The decoder already wrote the close frame with its status and closes the socket.
      closing = true;
    }
    super.exceptionCaught(ctx, cause);
  }

  /** The close a decoder error stands for (RFC 6455 status), reported to the connection. */
  @Override
  CloseReason closeReason(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof CorruptedWebSocketFrameException e) {
        return e.closeStatus().code() == 1009 ? CloseReason.MESSAGE_TOO_BIG
            : e.closeStatus().code() == 1007 ? CloseReason.INVALID_UTF8 : CloseReason.PROTOCOL_ERROR;
      }
    }
    return CloseReason.CLIENT_CLOSED;
  }

  @Override
  void discard() {
    dropPartial();
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard();
  }

  @Override
  public void write(OutFrame[] frames, int count) {
    // Each frame wraps the shared bytes of this codec's form: no per-session copy or re-encoding; the encoder puts a
    // small payload next to its 2-10 byte header and sends a larger one as the shared buffer itself. One flush for
    // the batch: one gathering system call.
    if (closing) {
      return;
    }
    boolean binary = codec == WireCodec.PROTOBUF;
    for (int i = 0; i < count; i++) {
      ByteBuf payload = frames[i].buf(codec, false);
      ctx.write(binary ? new BinaryWebSocketFrame(payload) : new TextWebSocketFrame(payload), ctx.voidPromise());
    }
    ctx.flush();
  }

  @Override
  public void close(CloseReason reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (reason == CloseReason.CLIENT_CLOSED) {
      ctx.close();
    } else {
      // The client reads the status and reason, then answers; the socket closes on its answer (or the timeout).
      closeAfter(new CloseWebSocketFrame(reason.wsStatus(), reason.wire()), false);
    }
  }

  @Override
  public void pause() {
    paused = true;
    ctx.channel().config().setAutoRead(false);
  }

  @Override
  public void resume() {
    paused = false;
    ctx.channel().config().setAutoRead(true);
    // Frames the decoder had already produced from bytes read before the pause, in order.
    while (!paused && held != null) {
      WebSocketFrame next = held.poll();
      if (next == null) {
        held = null;
      } else {
        onFrame(next);
      }
    }
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
