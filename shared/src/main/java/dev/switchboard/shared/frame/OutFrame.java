package dev.switchboard.shared.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An outbound frame encoded once: the UTF-8 JSON bytes, and (built on first use) the same bytes behind a TCP length
 * header. Writing one {@code OutFrame} to many sessions shares these arrays; no session re-encodes it.
 *
 * <p>Immutable but for the lazily built TCP form, so one instance may be shared by sessions on every event loop.
 */
public final class OutFrame {
  private final byte[] json;
  /** Built on first use; a benign race may build it twice, each time equal and safely published. */
  private volatile byte[] tcp;
  /** Off-heap copies for frames written to more than one session; built on the second write. */
  private volatile ByteBuf directJson;
  private volatile ByteBuf directTcp;
  /** Writes so far, counted without synchronisation: a race only builds an off-heap copy twice. */
  private int writes;

  private OutFrame(byte[] json) {
    this.json = json;
  }

  public static OutFrame of(JsonObject frame) {
    return new OutFrame(frame.toBuffer().getBytes());
  }

  /** Wraps already-encoded JSON bytes, e.g. the body of an event-bus message. The array must not change. */
  public static OutFrame ofJsonBytes(byte[] json) {
    return new OutFrame(json);
  }

  /** The JSON bytes: what a WebSocket text frame carries. Do not modify. */
  public byte[] jsonBytes() {
    return json;
  }

  /** A 4-byte big-endian length followed by the JSON bytes: what the TCP transport writes. Do not modify. */
  public byte[] tcpBytes() {
    byte[] t = tcp;
    if (t == null) {
      t = TcpFraming.frame(json);
      tcp = t;
    }
    return t;
  }

  /** The JSON bytes as a buffer to hand to one socket (see {@link #tcpBuf()}). */
  public ByteBuf jsonBuf() {
    ByteBuf d = directJson;
    if (d == null) {
      if (++writes < 2) {
        return Unpooled.wrappedBuffer(json);
      }
      d = direct(json);
      directJson = d;
    }
    return d.duplicate();
  }

  /**
   * The TCP form as a buffer to hand to one socket. A socket writes from off-heap memory, so a heap array costs one
   * copy per socket; from its second write on, a frame is copied off-heap once and every further socket gets a view
   * of that one copy (unreleasable: the copy is freed with this frame by the garbage collector).
   */
  public ByteBuf tcpBuf() {
    ByteBuf d = directTcp;
    if (d == null) {
      if (++writes < 2) {
        return Unpooled.wrappedBuffer(tcpBytes());
      }
      d = direct(tcpBytes());
      directTcp = d;
    }
    return d.duplicate();
  }

  private static ByteBuf direct(byte[] bytes) {
    ByteBuffer off = ByteBuffer.allocateDirect(bytes.length);
    off.put(bytes).flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(off));
  }

  public int size() {
    return json.length;
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }
}
