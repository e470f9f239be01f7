package dev.switchboard.protocol.frame;

import dev.switchboard.protocol.frame.proto.ProtoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * An outbound frame encoded once per wire form: the UTF-8 JSON bytes, and (each built on first use) the same bytes
 * behind a TCP length header, the protobuf encoding, and the protobuf encoding behind a TCP length header. Writing
 * one {@code OutFrame} to many sessions shares these arrays: a frame fanned out to sessions of both codecs is
 * encoded once per codec, never once per session.
 *
 * <p>Immutable but for the lazily built forms, so one instance may be shared by sessions on every event loop.
 */
public final class OutFrame {
  private final byte[] json;
  /** Writes the protobuf form from the frame's fields; null: convert the JSON ({@link ProtoCodec#encodeJson}). */
  private final Supplier<byte[]> proto;
  /**
   * The forms: JSON, JSON behind a TCP header, protobuf, protobuf behind a TCP header. Each is built on first use; a
   * benign race may build one twice, each time equal and safely published.
   */
  private volatile Form jsonForm;
  private volatile Form tcpForm;
  private volatile Form protoForm;
  private volatile Form protoTcpForm;

  private OutFrame(byte[] json, Supplier<byte[]> proto) {
    this.json = json;
    this.proto = proto;
  }

  public static OutFrame of(JsonObject frame) {
    return new OutFrame(frame.toBuffer().getBytes(), null);
  }

  /** Wraps already-encoded JSON bytes, e.g. the body of an event-bus message. The array must not change. */
  public static OutFrame ofJsonBytes(byte[] json) {
    return new OutFrame(json, null);
  }

  /**
   * Wraps already-encoded JSON bytes with the writer of the same frame's protobuf form, called (on whichever thread
   * first needs it, possibly twice in a race) instead of converting the JSON: frames built from fields write both
   * forms from those fields. The array must not change; {@code proto} must give the bytes
   * {@link ProtoCodec#encodeJson} would give for {@code json}.
   */
  public static OutFrame of(byte[] json, Supplier<byte[]> proto) {
    return new OutFrame(json, proto);
  }

  /** The JSON bytes: what a WebSocket text frame carries. Do not modify. */
  public byte[] jsonBytes() {
    return json;
  }

  /** A 4-byte big-endian length followed by the JSON bytes: what the TCP transport writes. Do not modify. */
  public byte[] tcpBytes() {
    return form(WireCodec.JSON, true).bytes;
  }

  /** The protobuf encoding ({@code switchboard.v1.Frame}): what a protobuf WebSocket binary frame carries. */
  public byte[] protoBytes() {
    return form(WireCodec.PROTOBUF, false).bytes;
  }

  /** A 4-byte big-endian length followed by the protobuf bytes: what a protobuf TCP connection gets. */
  public byte[] protoTcpBytes() {
    return form(WireCodec.PROTOBUF, true).bytes;
  }

  /**
   * The bytes a connection of {@code codec} writes ({@code framed}: behind a TCP length header), as a buffer for one
   * socket. A socket writes from off-heap memory, so a heap array costs one copy per socket; from its second write
   * on, a form is copied off-heap once and every further socket gets a view of that one copy (unreleasable: the copy
   * is freed with this frame by the garbage collector).
   */
  public ByteBuf buf(WireCodec codec, boolean framed) {
    return form(codec, framed).buf();
  }

  private Form form(WireCodec codec, boolean framed) {
    boolean proto = codec == WireCodec.PROTOBUF;
    Form f = proto ? (framed ? protoTcpForm : protoForm) : (framed ? tcpForm : jsonForm);
    if (f == null) {
      f = new Form(framed ? TcpFraming.frame(form(codec, false).bytes)
          : proto ? protoForm() : json);
      if (proto) {
        if (framed) {
          protoTcpForm = f;
        } else {
          protoForm = f;
        }
      } else if (framed) {
        tcpForm = f;
      } else {
        jsonForm = f;
      }
    }
    return f;
  }

  private byte[] protoForm() {
    return proto != null ? proto.get() : ProtoCodec.encodeJson(json);
  }

  public int size() {
    return json.length;
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** One encoded form and, once it is written a second time, its shared off-heap copy. */
  private static final class Form {
    final byte[] bytes;
    private volatile ByteBuf direct;
    /** Writes so far, counted without synchronisation: a race only builds the off-heap copy twice. */
    private int writes;

    Form(byte[] bytes) {
      this.bytes = bytes;
    }

    ByteBuf buf() {
      ByteBuf d = direct;
      if (d == null) {
        if (++writes < 2) {
          return Unpooled.wrappedBuffer(bytes);
        }
        ByteBuffer off = ByteBuffer.allocateDirect(bytes.length);
        off.put(bytes).flip();
        d = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(off));
        direct = d;
      }
      return d.duplicate();
    }
  }
}
