package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.Frames;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.TcpFraming;
import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.shared.net.ConnectionGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;

/**
 * A connection over raw TCP: 4-byte big-endian length + payload per frame, the payload UTF-8 JSON, or a protobuf
 * {@code switchboard.v1.Frame} when the client's very first byte is {@link #PROTOBUF_MAGIC} (a JSON client's first
 * byte is the top byte of a length, always 0 under the frame limit, so the two cannot be confused).
 *
 * <p>The only handler of its socket (after TLS, when configured): it frames the bytes itself and holds nothing while
 * no frame is half received. A header announcing more than {@code maxFrameBytes} (or zero) is answered with
 * {@code frame_too_large} and the connection closed, without reading the announced bytes.
 */
final class TcpTransport extends ChannelTransport {
  /** The byte ({@code 'P'}) a client sends once, before its first frame, to speak protobuf. */
  static final byte PROTOBUF_MAGIC = 0x50;

  private static final Handler<TcpTransport> DRAIN = TcpTransport::drain;

  private final int maxFrame;
  private WireCodec codec = WireCodec.JSON;
  /** Bytes received and not yet handed out as frames (part of a frame, or frames held while paused); else null. */
  private ByteBuf pending;
  /** No byte has come yet: the first one may choose the codec. */
  private boolean fresh = true;
  /** A bad length was announced: nothing more is read. */
  private boolean stopped;

  TcpTransport(Connections connections, ConnectionGuard guard) {
    super(connections, guard);
    this.maxFrame = connections.config().maxFrameBytes();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    super.handlerAdded(ctx);
    // Added to an open socket before its first read (see Connections.acceptTcp): the connection starts now.
    dispatch(this, ChannelTransport::open);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in) || stopped) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (fresh && in.isReadable()) {
      fresh = false;
      if (in.getByte(in.readerIndex()) == PROTOBUF_MAGIC) {
        codec = WireCodec.PROTOBUF;
        in.skipBytes(1);
      }
    }
    pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), pending, in);
    if (!paused) {
      dispatch(this, DRAIN);
    }
  }

  /** Hands out every whole frame received, in order, until the connection pauses. */
  private void drain() {
    while (!paused && !stopped && pending != null) {
      ByteBuf in = pending;
      int readable = in.readableBytes();
      if (readable < TcpFraming.HEADER) {
        break;
      }
      long length = in.getUnsignedInt(in.readerIndex());
      if (length == 0 || length > maxFrame) {
        // The stream cannot be resynchronised without reading the announced bytes, which we refuse to buffer.
        stopped = true;
        discard();
        connection.send(Frames.error(null, ErrorCode.FRAME_TOO_LARGE,
            "frame length " + length + " outside 1.." + maxFrame + " bytes; closing"));
        connection.close(CloseReason.FRAME_TOO_LARGE);
        return;
      }
      if (readable < TcpFraming.HEADER + length) {
        in.discardSomeReadBytes();
        break;
      }
      byte[] payload = new byte[(int) length];
      in.skipBytes(TcpFraming.HEADER).readBytes(payload);
      if (!in.isReadable()) {
        in.release();
        pending = null;
      }
      if (codec == WireCodec.PROTOBUF) {
        connection.onProto(payload);
      } else {
        connection.onData(payload);
      }
    }
  }

  @Override
  void discard() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard();
  }

  @Override
  public void write(OutFrame[] frames, int count) {
    // Views, not copies: the framed bytes are shared by every TCP session a frame goes to; one flush for the batch
    // makes it one gathering system call.
    for (int i = 0; i < count; i++) {
      ctx.write(frames[i].buf(codec, true), ctx.voidPromise());
    }
    ctx.flush();
  }

  @Override
  public void close(CloseReason reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (reason == CloseReason.CLIENT_CLOSED || reason == CloseReason.SLOW_CONSUMER) {
      ctx.close();
    } else {
      // After what the connection flushed last (its kicked or error frame).
      closeAfter(Unpooled.EMPTY_BUFFER, true);
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
    drain();
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
