package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.Utf8;
import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.shared.net.ConnectionGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A connection over a WebSocket: one message per frame — a text message of JSON, or with the protobuf codec a binary
 * message holding one {@code switchboard.v1.Frame}.
 *
 * <p>The only handler of its socket after the upgrade ({@link WebSocketUpgrade}) but the TLS handler, when
 * configured: it reads and writes RFC 6455 frames itself ({@code raw}), so it is the whole per-connection state, and a
 * read is parsed where it lies — a whole frame in the read buffer is unmasked straight into the message's bytes, and
 * only a frame cut by the end of a read is kept until its rest comes. What breaks the protocol fails the connection
 * (close 1002, then the socket closes), and so does a frame announcing more than 4× {@code maxFrameBytes} before
 * its payload is read (close 1009). With compression configured the port stays on Netty's frame codec and
 * permessage-deflate handlers instead, and this handler takes their frames (not {@code raw}). Messages are
 * assembled here: a text message that is not UTF-8 closes with 1007, a fragmented message past 4×
 * {@code maxFrameBytes} closes with 1009 without being buffered, and one over {@code maxFrameBytes} is dropped (not
 * buffered) and answered with {@code frame_too_large}. A client's ping is
 * answered with a pong at once; a close from the server carries its status and reason, and the socket closes when
 * the client answers it (or after {@link #CLOSING_TIMEOUT_MS}).
 */
final class WebSocketTransport extends ChannelTransport {
  /** The largest payload copied next to its header in a batch's buffer; a larger one is written as its own buffer. */
  private static final int COPY_MAX = 1024;
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int OP_CONTINUATION = 0;
  private static final int OP_TEXT = 1;
  private static final int OP_BINARY = 2;
  private static final int OP_CLOSE = 8;
  private static final int OP_PING = 9;
  private static final int OP_PONG = 10;

  private final WireCodec codec;
  private final int maxBytes;
  /** This handler reads and writes the frames itself (else Netty's codec hands it {@link WebSocketFrame}s). */
  private final boolean raw;
  /** Raw: read bytes not parsed yet (the start of a frame cut by the end of a read, or read while paused). */
  private ByteBuf unread;
  /** Raw: payload bytes of a frame over the limit still to be skipped, and whether that frame ends its message. */
  private int skip;
  private boolean skipFin;
  /** Raw: a message's first frame came without FIN; continuation frames follow. */
  private boolean fragmented;
  /** Raw: {@link #parse} is running (a call back into this handler from the connection must not parse again). */
  private boolean parsing;
  /** Raw: the connection failed (a protocol error): nothing more is read. */
  private boolean failed;
  /** The fragments of a message received in more than one frame (retained); null otherwise. */
  private CompositeByteBuf partial;
  private int partialLength;
  private boolean partialText;
  /** Frames the decoder handed over while reading was paused, in order; null unless that happened. */
  private ArrayDeque<WebSocketFrame> held;

  WebSocketTransport(Connections connections, ConnectionGuard guard, WireCodec codec, boolean raw) {
    super(connections, guard);
    this.codec = codec;
    this.maxBytes = connections.config().maxFrameBytes();
    this.raw = raw;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (raw) {
      if (!(msg instanceof ByteBuf bytes)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (closedRead() || failed) {
        bytes.release();
      } else if (paused || parsing) {
        keep(bytes);
      } else {
        dispatch(bytes, this::read);
      }
      return;
    }
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

  /** The socket is closed: nothing more is parsed. */
  private boolean closedRead() {
    return !ctx.channel().isActive();
  }

  /** Raw: keeps {@code bytes} behind what waits unparsed (takes them over). */
  private void keep(ByteBuf bytes) {
    if (unread == null) {
      unread = ctx.alloc().buffer(Math.max(bytes.readableBytes(), 256));
    }
    unread.writeBytes(bytes);
    bytes.release();
  }

  /** Raw, as instance code: parses what was read (behind what waited) and keeps a cut frame's start. */
  private void read(ByteBuf bytes) {
    ByteBuf in;
    if (unread != null) {
      unread.writeBytes(bytes);
      bytes.release();
      in = unread;
    } else {
      in = bytes;
    }
    parsing = true;
    try {
      parse(in);
    } finally {
      parsing = false;
      if (in == unread) {
        if (!in.isReadable() || closedRead() || failed) {
          in.release();
          unread = null;
        } else {
          in.discardReadBytes();
        }
      } else {
        if (in.isReadable() && !closedRead() && !failed) {
          keep(in);
        } else {
          in.release();
        }
      }
    }
  }

  /** Raw: handles every whole frame in {@code in}, until reading pauses or the connection is failed. */
  private void parse(ByteBuf in) {
    while (!paused && !failed && in.isReadable() && ctx.channel().isActive()) {
      if (skip > 0) {
        int n = Math.min(skip, in.readableBytes());
        in.skipBytes(n);
        skip -= n;
        if (skip == 0 && skipFin) {
          ended(null);
        }
        continue;
      }
      int at = in.readerIndex();
      int available = in.readableBytes();
      if (available < 2) {
        return;
      }
      int b0 = in.getByte(at);
      int b1 = in.getByte(at + 1);
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0f;
      int len7 = b1 & 0x7f;
      if (breaksProtocol(b0, b1, fragmented)) {
        fail(CloseReason.PROTOCOL_ERROR);
        return;
      }
      int header = 6 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
      if (available < header) {
        return;
      }
      long length = len7 < 126 ? len7 : len7 == 126 ? in.getUnsignedShort(at + 2) : in.getLong(at + 2);
      if (length < 0 || (len7 == 126 && length < 126) || (len7 == 127 && length <= 0xffff)) {
        fail(CloseReason.PROTOCOL_ERROR);
        return;
      }
      if (length > maxBytes * 4L) {
        fail(CloseReason.MESSAGE_TOO_BIG);
        return;
      }
      int len = (int) length;
      int mask = in.getInt(at + header - 4);
      if (opcode >= OP_CLOSE) {
        if (available < header + len) {
          return;
        }
        byte[] payload = new byte[len];
        unmask(in, at + header, len, mask, payload, 0);
        in.skipBytes(header + len);
        control(opcode, payload);
        continue;
      }
      int before = opcode == OP_CONTINUATION ? partialLength : 0;
      boolean keep = before + len <= maxBytes;
      if (keep && available < header + len) {
        // The rest of a frame we keep (at most maxFrameBytes) comes with a later read.
        return;
      }
      if (opcode != OP_CONTINUATION) {
        dropPartial();
        partialText = opcode == OP_TEXT;
      }
      partialLength = before + len;
      fragmented = !fin;
      if (!keep) {
        // Counted, not kept: the client gets frame_too_large once the message ends; past 4x the limit in all, the
        // connection closes (1009). The payload is skipped as it comes, never buffered.
        dropPartial();
        in.skipBytes(header);
        skip = len;
        skipFin = fin;
        if (before + (long) len > maxBytes * 4L) {
          skipFin = false;
          connection.close(CloseReason.MESSAGE_TOO_BIG);
        } else if (len == 0 && fin) {
          ended(null);
        }
        continue;
      }
      byte[] payload = new byte[len];
      unmask(in, at + header, len, mask, payload, 0);
      in.skipBytes(header + len);
      if (fin && partial == null) {
        ended(payload);
        continue;
      }
      if (partial == null) {
        partial = ctx.alloc().compositeBuffer();
      }
      partial.addComponent(true, Unpooled.wrappedBuffer(payload));
      if (fin) {
        byte[] whole = ByteBufUtil.getBytes(partial);
        dropPartial();
        ended(whole);
      }
    }
  }

  /**
   * Raw: whether a frame's first two bytes break RFC 6455 (5.2, 5.4, 5.5) for a server without extensions: RSV bits
   * set, an unmasked client frame, a reserved opcode, a fragmented or over-125-byte control frame, a continuation
   * outside a fragmented message or a new message inside one.
   */
  private static boolean breaksProtocol(int b0, int b1, boolean fragmented) {
    int opcode = b0 & 0x0f;
    if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0) {
      return true;
    }
    if (opcode >= OP_CLOSE) {
      return opcode > OP_PONG || (b0 & 0x80) == 0 || (b1 & 0x7f) > 125;
    }
    return opcode > OP_BINARY || (opcode == OP_CONTINUATION) != fragmented;
  }

  /** Raw: XORs {@code len} payload bytes at {@code from} with the frame's mask into {@code dst} at {@code at}. */
  private static void unmask(ByteBuf in, int from, int len, int mask, byte[] dst, int at) {
    in.getBytes(from, dst, at, len);
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      INT_BE.set(dst, at + i, (int) INT_BE.get(dst, at + i) ^ mask);
    }
    for (; i < len; i++) {
      dst[at + i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
    }
  }

  /** Raw: a client's control frame (whole, unmasked). */
  private void control(int opcode, byte[] payload) {
    if (opcode == OP_PING) {
      if (!closing) {
        ctx.writeAndFlush(controlFrame(OP_PONG, payload), ctx.voidPromise());
      }
    } else if (opcode == OP_CLOSE) {
      int status = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
      if (payload.length == 1 || (status >= 0 && !validCloseStatus(status))) {
        fail(CloseReason.PROTOCOL_ERROR);
      } else if (payload.length > 2 && !Utf8.valid(Arrays.copyOfRange(payload, 2, payload.length))) {
        fail(CloseReason.INVALID_UTF8);
      } else {
        closedByClient(status);
      }
    }
  }

  /** Status codes a close frame may carry (RFC 6455 7.4): defined ones a peer may send, and 3000-4999. */
  private static boolean validCloseStatus(int status) {
    return (status >= 1000 && status <= 1003) || (status >= 1007 && status <= 1014)
        || (status >= 3000 && status < 5000);
  }

  /** Raw: a whole message ({@code payload} null: over the limit, not kept). */
  private void ended(byte[] payload) {
    skipFin = false;
    if (closing) {
      // After our close frame, the client's data is not read (RFC 6455 5.5.1).
      return;
    }
    deliver(payload);
  }

  /**
   * Fails the connection (RFC 6455 7.1.7): our close frame with {@code reason}'s status, then the socket closes once
   * it is written; nothing more is read.
   */
  private void fail(CloseReason reason) {
    failed = true;
    ctx.channel().config().setAutoRead(false);
    if (!closing) {
      closing = true;
      closeAfter(closeFrame(reason.wsStatus(), reason.wire()), true);
    } else {
      ctx.close();
    }
    connection.close(reason);
  }

  /** An unmasked control frame from the server. */
  private ByteBuf controlFrame(int opcode, byte[] payload) {
    ByteBuf b = ctx.alloc().buffer(2 + payload.length);
    b.writeByte(0x80 | opcode).writeByte(payload.length).writeBytes(payload);
    return b;
  }

  /** Our close frame: {@code status} and a reason of at most 123 bytes (status below 0: none). */
  private Object closeFrame(int status, String reason) {
    if (!raw) {
      return status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, reason);
    }
    if (status < 0) {
      return controlFrame(OP_CLOSE, new byte[0]);
    }
    byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + Math.min(text.length, 123)];
    payload[0] = (byte) (status >> 8);
    payload[1] = (byte) status;
    System.arraycopy(text, 0, payload, 2, payload.length - 2);
    return controlFrame(OP_CLOSE, payload);
  }

  private void onFrame(WebSocketFrame frame) {
    try {
      if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
        dropPartial();
        partialLength = 0;
        partialText = frame instanceof TextWebSocketFrame;
      } else if (frame instanceof CloseWebSocketFrame close) {
        closedByClient(close.statusCode());
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
    deliver(payload);
  }

  /** A whole message to the connection: its bytes, or null when it was over the limit (not kept). */
  private void deliver(byte[] payload) {
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
  private void closedByClient(int status) {
    if (closing) {
      ctx.close();
      return;
    }
    closing = true;
    ctx.writeAndFlush(closeFrame(status, null)).addListener(ChannelFutureListener.CLOSE);
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
    if (unread != null && !parsing) {
      unread.release();
      unread = null;
    }
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
    if (raw) {
      writeRaw(frames, count, binary);
      return;
    }
    for (int i = 0; i < count; i++) {
      ByteBuf payload = frames[i].buf(codec, false);
      ctx.write(binary ? new BinaryWebSocketFrame(payload) : new TextWebSocketFrame(payload), ctx.voidPromise());
    }
    ctx.flush();
  }

  /**
   * Raw: the batch as few buffers as its frames allow — the headers and every payload up to {@link #COPY_MAX} bytes
   * copied into one buffer (usually the batch's only one), a larger payload written as the frame's shared off-heap
   * bytes behind its header — then one flush.
   */
  private void writeRaw(OutFrame[] frames, int count, boolean binary) {
    int opcode = 0x80 | (binary ? OP_BINARY : OP_TEXT);
    // What the batch's buffers hold: every header, and every payload copied beside its header.
    int size = 0;
    for (int i = 0; i < count; i++) {
      int len = payload(frames[i], binary).length;
      size += headerLength(len) + (len <= COPY_MAX ? len : 0);
    }
    ByteBuf out = ctx.alloc().buffer(size);
    for (int i = 0; i < count; i++) {
      byte[] payload = payload(frames[i], binary);
      int len = payload.length;
      size -= headerLength(len) + (len <= COPY_MAX ? len : 0);
      out.writeByte(opcode);
      if (len < 126) {
        out.writeByte(len);
      } else if (len <= 0xffff) {
        out.writeByte(126).writeShort(len);
      } else {
        out.writeByte(127).writeLong(len);
      }
      if (len <= COPY_MAX) {
        out.writeBytes(payload);
      } else {
        ctx.write(out, ctx.voidPromise());
        ctx.write(frames[i].buf(codec, false), ctx.voidPromise());
        out = ctx.alloc().buffer(size);  // what the frames after this one need
      }
    }
    if (out.isReadable()) {
      ctx.write(out, ctx.voidPromise());
    } else {
      out.release();
    }
    ctx.flush();
  }

  private static byte[] payload(OutFrame frame, boolean binary) {
    return binary ? frame.protoBytes() : frame.jsonBytes();
  }

  private static int headerLength(int len) {
    return len < 126 ? 2 : len <= 0xffff ? 4 : 10;
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
      closeAfter(closeFrame(reason.wsStatus(), reason.wire()), false);
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
    if (raw) {
      // What was read before the pause (and while it lasted), in order; a resume from inside the parse (an op that
      // completed at once) lets that parse go on.
      if (!parsing && unread != null && unread.isReadable()) {
        ByteBuf waiting = unread;
        unread = null;
        read(waiting);
      }
      return;
    }
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
