package dev.switchboard.shared.store;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.frame.Utf8;
import io.vertx.core.json.Json;

/**
 * The body limits every send passes, one-to-one or group: size and nesting. (The sender's rate is limited before the
 * request, where the session lives: see {@code dev.switchboard.shared.limits.RateLimiter}.)
 */
public final class SendLimits {
  private final int maxBodyBytes;

  public SendLimits(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The body's stored JSON text when it is within the size limit (a string body counts its UTF-8 bytes, anything
   * else its encoding); fails {@code body_too_large} otherwise.
   */
  public String encodeBody(Object body) {
    return encodeBody(body, maxBodyBytes);
  }

  /**
   * The body's text for storage when its bytes (validated JSON, as a client sent it) are within the size limit: a
   * string body counts its text's UTF-8 bytes, anything else its bytes. Fails {@code body_too_large}.
   */
  public String checkBody(byte[] json) {
    return checkBody(json, maxBodyBytes);
  }

  /** {@link #checkBody(byte[])} with the limit given. */
  public static String checkBody(byte[] json, int maxBodyBytes) {
    int size = json.length;
    if (size > 0 && json[0] == '"') {
      size -= 2;
      for (byte b : json) {
        if (b == '\\') {
          size = Utf8.length((String) Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(json)));
          break;
        }
      }
    }
    if (size > maxBodyBytes) {
      throw new ImException(ErrorCode.BODY_TOO_LARGE, "body larger than " + maxBodyBytes + " bytes");
    }
    return new String(json, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Deepest nesting of objects and arrays a body may have. Protobuf clients must be able to read every message: a
   * JSON level is up to three protobuf levels (google.protobuf.Value), and protobuf parsers stop at 100.
   */
  public static final int MAX_BODY_DEPTH = 16;

  /** {@link #encodeBody(Object)} with the limit given; fails {@code invalid_field} past {@link #MAX_BODY_DEPTH}. */
  public static String encodeBody(Object body, int maxBodyBytes) {
    if (depth(body, 0) > MAX_BODY_DEPTH) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'body' is nested deeper than " + MAX_BODY_DEPTH
          + " levels");
    }
    String json = Json.encode(body);
    int size = Utf8.length(body instanceof String s ? s : json);
    if (size > maxBodyBytes) {
      throw new ImException(ErrorCode.BODY_TOO_LARGE, "body larger than " + maxBodyBytes + " bytes");
    }
    return json;
  }

  private static int depth(Object v, int level) {
    Iterable<?> children = v instanceof io.vertx.core.json.JsonObject o ? o.getMap().values()
        : v instanceof io.vertx.core.json.JsonArray a ? a.getList()
        : v instanceof java.util.Map<?, ?> m ? m.values()
        : v instanceof java.util.List<?> l ? l : null;
    int deepest = level;
    if (children != null && level <= MAX_BODY_DEPTH) {
      for (Object x : children) {
        deepest = Math.max(deepest, depth(x, level + 1));
      }
    }
    return deepest;
  }
}
