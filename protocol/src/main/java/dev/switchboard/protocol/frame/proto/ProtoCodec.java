package dev.switchboard.protocol.frame.proto;

import com.google.protobuf.CodedInputStream;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The protobuf wire codec of protocol v1: converts between a frame's JSON form (what the server's handlers read and
 * build, exactly as docs/protocol.md shows it) and a serialized {@code switchboard.v1.Frame} (switchboard.proto).
 * docs/protobuf.md describes the mapping; in short, the op selects the payload field, {@code id} is a string or an
 * integer, mids are uint64 on the wire and decimal strings in JSON, bodies are google.protobuf.Value, and whatever
 * has no typed field (an op newer than the schema, an unknown field, a value of another type) travels in the Frame's
 * {@code extra} Struct, so {@code decode(encode(json))} gives the frame back. Two exceptions, both the same value
 * for the server: a body's integers beyond 2^53 lose digits (Value numbers are doubles), and a mid sent as a JSON
 * integer comes back as its decimal string.
 *
 * <p>Stateless; every method may be called from any thread. Encoding walks the JSON once and writes the wire format
 * directly (no intermediate protobuf objects), decoding reads the wire straight into a {@link JsonObject}.
 */
public final class ProtoCodec {
  private ProtoCodec() {
  }

  /**
   * The serialized Frame of a JSON frame. Never fails for a JSON object with a string {@code op} (fields that do
   * not fit the schema go to {@code extra}); fails with {@code unknown_op} when {@code op} is missing or not a string.
   */
  public static byte[] encode(JsonObject frame) {
    ProtoWriter w = ProtoWriter.borrow();
    try {
      JsonToProto.frame(frame.getMap(), w);
      return w.toByteArray();
    } finally {
      w.release();
    }
  }

  /**
   * {@link #encode} of a UTF-8 JSON frame, e.g. one encoded once for many sessions. Fails with {@code bad_frame}
   * when the bytes are not a JSON object, {@code unknown_op} when it has no string {@code op}.
   */
  public static byte[] encodeJson(byte[] utf8Json) {
    Object value;
    try {
      value = Json.decodeValue(Buffer.buffer(utf8Json));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame is not valid JSON");
    }
    if (!(value instanceof JsonObject json)) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame must be a JSON object");
    }
    return encode(json);
  }

  /**
   * The JSON frame of a serialized Frame: integers as Integer or Long, mids as decimal strings, {@code id} as the
   * string or integer it was, absent fields absent. Fails with {@code bad_frame} when the bytes are not a Frame
   * (malformed, truncated, invalid UTF-8, nested deeper than 100 messages, a non-finite number, two payloads, an
   * {@code op} that contradicts the payload) and {@code unknown_op} when the Frame names no op at all.
   */
  public static JsonObject decode(byte[] bytes) {
    return decode(CodedInputStream.newInstance(bytes));
  }

  /** {@link #decode(byte[])} of a buffer's bytes (read in place when the buffer allows it). */
  public static JsonObject decode(Buffer bytes) {
    if (bytes instanceof BufferInternal b) {
      ByteBuf buf = b.getByteBuf();
      return decode(CodedInputStream.newInstance(buf.nioBuffer()));
    }
    return decode(bytes.getBytes());
  }

  private static JsonObject decode(CodedInputStream in) {
    try {
      return ProtoToJson.frame(in, 0);
    } catch (ImException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Malformed input shows up as InvalidProtocolBufferException, or as a runtime exception of the JSON tree
      // (a field that is both typed and in extra, say): either way the bytes are not a frame this codec can read.
      throw new ImException(ErrorCode.BAD_FRAME, "frame is not a valid protobuf Frame");
    }
  }
}
