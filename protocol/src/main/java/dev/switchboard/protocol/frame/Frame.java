package dev.switchboard.protocol.frame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One inbound frame of protocol v1: a JSON object whose {@code op} names it and whose optional {@code id} the reply
 * echoes. The typed getters fail with {@link ErrorCode#INVALID_FIELD} naming the field, so a handler never has to
 * check types itself.
 */
public final class Frame {
  private final JsonObject json;
  /** The body's JSON as it arrived (null: no body, or a frame built from a tree, whose body is in {@link #json}). */
  private byte[] bodyJson;
  private final int bodyDepth;

  private Frame(JsonObject json, byte[] bodyJson, int bodyDepth) {
    this.json = json;
    this.bodyJson = bodyJson;
    this.bodyDepth = bodyDepth;
  }

  private static final JsonFactory FACTORY = JsonFactory.builder().build();
  /** Deepest nesting a body may have: see {@code SendLimits.MAX_BODY_DEPTH}. */
  private static final int MAX_BODY_DEPTH = 16;

  /**
   * Parses a frame; fails with {@code bad_frame} (not a JSON object) or {@code unknown_op} (no string op). The
   * {@code body} field is not decoded: it is validated as JSON (and its nesting measured) and kept as the bytes it
   * arrived as, for the message path to store and deliver unchanged ({@link #bodyJson()}).
   */
  public static Frame parse(Buffer bytes) {
    return parse(bytes.getBytes());
  }

  /** Parses a WebSocket text message (tests and tools; the gateway hands its transports' bytes to the other form). */
  public static Frame parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #parse(Buffer)} of the payload a transport copied out of its socket buffer (read in place, not copied). */
  public static Frame parse(byte[] bytes) {
    Map<String, Object> fields = new LinkedHashMap<>();
    byte[] body = null;
    int bodyDepth = 0;
    try (JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ImException(ErrorCode.BAD_FRAME, "frame must be a JSON object");
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("body".equals(name)) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          bodyDepth = skip(p, value);
          if (value == JsonToken.VALUE_NULL) {
            body = null;
            fields.put(name, null);
          } else {
            body = Arrays.copyOfRange(bytes, start, end(bytes, start, (int) p.currentLocation().getByteOffset()));
            fields.remove(name);
          }
        } else {
          fields.put(name, value(p, value));
        }
      }
      if (p.nextToken() != null) {
        throw new ImException(ErrorCode.BAD_FRAME, "frame is not valid JSON");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame is not valid JSON");
    }
    JsonObject obj = new JsonObject(fields);
    if (!(obj.getValue("op") instanceof String)) {
      throw new ImException(ErrorCode.UNKNOWN_OP, "frame has no string field 'op'");
    }
    Object id = obj.getValue("id");
    if (id instanceof Number && !JsonNumbers.finite(id)) {
      // 1e999 decodes to infinity, which would come back as "Infinity": an id that cannot round-trip is refused.
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'id' must be a string or a finite number");
    }
    return new Frame(obj, body, bodyDepth);
  }

  /**
   * Where a value that started at {@code start} ends: the parser's position after it, less what a number's end may
   * have read of what follows (whitespace, a comma, a closing brace).
   */
  private static int end(byte[] bytes, int start, int position) {
    int end = Math.min(position, bytes.length);
    while (end > start + 1) {
      byte b = bytes[end - 1];
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || ((b == ',' || b == '}') && bytes[start] != '{'
          && bytes[start] != '"' && bytes[start] != '[')) {
        end--;
      } else {
        break;
      }
    }
    return end;
  }

  /** Reads past the value whose first token is {@code t}; returns its nesting depth as SendLimits counts it. */
  private static int skip(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      if (t == JsonToken.VALUE_STRING) {
        p.finishToken();
      }
      return 0;
    }
    int open = 1;
    int deepest = 0;
    while (open > 0) {
      JsonToken x = p.nextToken();
      if (x == null) {
        throw new IOException("truncated");
      }
      if (x == JsonToken.END_OBJECT || x == JsonToken.END_ARRAY) {
        open--;
      } else if (x != JsonToken.FIELD_NAME) {
        // A value inside {@code open} containers.
        deepest = Math.max(deepest, open);
        if (x == JsonToken.START_OBJECT || x == JsonToken.START_ARRAY) {
          open++;
        } else if (x == JsonToken.VALUE_STRING) {
          p.finishToken();
        }
      }
    }
    return deepest;
  }

  /** A value as Vert.x's own decoder gives it (maps, lists, String, Integer/Long/BigInteger, Double, Boolean). */
  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_OBJECT; x = p.nextToken()) {
          String name = p.currentName();
          map.put(name, value(p, p.nextToken()));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
          list.add(value(p, x));
        }
        return list;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected token " + t);
    }
  }

  /** A frame decoded elsewhere (protobuf, the bridge): its body, if any, is in the tree. */
  public static Frame of(JsonObject json) {
    return new Frame(json, null, 0);
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

  /** Whether the frame has {@code field} (the body included), even with a null value. */
  public boolean has(String field) {
    return json.containsKey(field) || ("body".equals(field) && bodyJson != null);
  }

  /**
   * The body as JSON bytes, validated once: as it arrived on a JSON connection, or encoded from the tree of a frame
   * built by {@link #of}. Fails {@code invalid_field} when missing or null, or nested deeper than 16 levels. The
   * array is shared: never modify it.
   */
  public byte[] requireBodyJson() {
    if (bodyJson == null) {
      Object tree = json.getValue("body");
      if (tree == null) {
        throw invalid("body", "is required");
      }
      if (depth(tree, 0) > MAX_BODY_DEPTH) {
        throw invalid("body", "is nested deeper than " + MAX_BODY_DEPTH + " levels");
      }
      bodyJson = Json.encodeToBuffer(tree).getBytes();
      return bodyJson;
    }
    if (bodyDepth > MAX_BODY_DEPTH) {
      throw invalid("body", "is nested deeper than " + MAX_BODY_DEPTH + " levels");
    }
    return bodyJson;
  }

  private static int depth(Object v, int level) {
    Iterable<?> children = v instanceof JsonObject o ? o.getMap().values()
        : v instanceof io.vertx.core.json.JsonArray a ? a.getList()
        : v instanceof Map<?, ?> m ? m.values()
        : v instanceof List<?> l ? l : null;
    int deepest = level;
    if (children != null && level <= MAX_BODY_DEPTH) {
      for (Object x : children) {
        deepest = Math.max(deepest, depth(x, level + 1));
      }
    }
    return deepest;
  }

  /** The body as JSON bytes, unchecked (as it arrived, or encoded from the tree; {@code null} text for a null body), or
   * null when the frame has none. */
  public byte[] bodyBytes() {
    if (bodyJson != null && !json.containsKey("body")) {
      return bodyJson;
    }
    return json.containsKey("body") ? Json.encodeToBuffer(json.getValue("body")).getBytes() : null;
  }

  /** The body decoded as a tree (for paths that read into it, such as {@code api}), or null. */
  public Object bodyValue() {
    return bodyJson != null && !json.containsKey("body") ? Json.decodeValue(Buffer.buffer(bodyJson))
        : json.getValue("body");
  }

  /** Any JSON value but null: a string, number, boolean, object or array. */
  public Object requireValue(String field) {
    if ("body".equals(field) && bodyJson != null && !json.containsKey("body")) {
      return Json.decodeValue(Buffer.buffer(bodyJson));
    }
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
