package dev.switchboard.shared.frame;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * One inbound frame of protocol v1: a JSON object whose {@code op} names it and whose optional {@code id} the reply
 * echoes. The typed getters fail with {@link ErrorCode#INVALID_FIELD} naming the field, so a handler never has to
 * check types itself.
 */
public final class Frame {
  private final JsonObject json;

  private Frame(JsonObject json) {
    this.json = json;
  }

  /** Parses a frame; fails with {@code bad_frame} (not a JSON object) or {@code unknown_op} (no string op). */
  public static Frame parse(Buffer bytes) {
    return parsed(() -> Json.decodeValue(bytes));
  }

  /** Parses a WebSocket text message without copying it into a buffer first. */
  public static Frame parse(String text) {
    return parsed(() -> Json.decodeValue(text));
  }

  private static Frame parsed(java.util.function.Supplier<Object> decode) {
    Object value;
    try {
      value = decode.get();
    } catch (DecodeException | IllegalArgumentException e) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame is not valid JSON");
    }
    if (!(value instanceof JsonObject obj)) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame must be a JSON object");
    }
    if (!(obj.getValue("op") instanceof String)) {
      throw new ImException(ErrorCode.UNKNOWN_OP, "frame has no string field 'op'");
    }
    Object id = obj.getValue("id");
    if (id instanceof Number && !JsonNumbers.finite(id)) {
      // 1e999 decodes to infinity, which would come back as "Infinity": an id that cannot round-trip is refused.
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'id' must be a string or a finite number");
    }
    return new Frame(obj);
  }

  public static Frame of(JsonObject json) {
    return new Frame(json);
  }

  public String op() {
    return json.getString("op");
  }

  /**
   * The request id to echo, or null. Clients may use a string or a finite number (a non-finite one fails the parse);
   * anything else is ignored rather than rejected so that the error can still be delivered.
   */
  public Object id() {
    Object id = json.getValue("id");
    return id instanceof String || id instanceof Number ? id : null;
  }

  public JsonObject json() {
    return json;
  }

  public String requireString(String field, int maxLength) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isEmpty()) {
      throw invalid(field, "must be a non-empty string");
    }
    if (s.length() > maxLength) {
      throw invalid(field, "must be at most " + maxLength + " characters");
    }
    if (!wellFormed(s)) {
      throw invalid(field, "must be Unicode text (it holds an unpaired surrogate)");
    }
    return s;
  }

  /**
   * Whether every surrogate in {@code s} is half of a pair. A JSON escape such as {@code "\ud800"} makes a lone one;
   * it has no UTF-8 form, so the database would store it as {@code '?'} and two different ids as one.
   */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  public String optString(String field, String fallback, int maxLength) {
    return json.getValue(field) == null ? fallback : requireString(field, maxLength);
  }

  public long requirePositiveLong(String field) {
    Long n = JsonNumbers.exactLong(json.getValue(field));
    if (n == null || n <= 0) {
      throw invalid(field, "must be a positive integer");
    }
    return n;
  }

  public long optNonNegativeLong(String field, long fallback) {
    Object v = json.getValue(field);
    if (v == null) {
      return fallback;
    }
    Long n = JsonNumbers.exactLong(v);
    if (n == null || n < 0) {
      throw invalid(field, "must be a non-negative integer");
    }
    return n;
  }

  /** A message id: a decimal string (as the server sends it) or, for convenience, a JSON integer. */
  public long requireMid(String field) {
    Object v = json.getValue(field);
    try {
      if (v instanceof String s && !s.isEmpty() && s.length() <= 20) {
        long mid = Long.parseLong(s);
        if (mid > 0) {
          return mid;
        }
      } else {
        Long n = JsonNumbers.exactLong(v);
        if (n != null && n > 0) {
          return n;
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw invalid(field, "must be a message id (a decimal string)");
  }

  /** Any JSON value but null: a string, number, boolean, object or array. */
  public Object requireValue(String field) {
    Object v = json.getValue(field);
    if (v == null) {
      throw invalid(field, "is required");
    }
    return v;
  }

  private static ImException invalid(String field, String what) {
    return new ImException(ErrorCode.INVALID_FIELD, "field '" + field + "' " + what);
  }
}
