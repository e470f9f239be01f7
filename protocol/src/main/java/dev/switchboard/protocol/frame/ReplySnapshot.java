package dev.switchboard.protocol.frame;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The server's snapshot of a quoted message, carried by a reply as {@code reply}: {@code {mid, from, type, text?}},
 * where {@code text} is the first {@link #MAX_CODE_POINTS} code points of the quoted body when it is a string, or of
 * its {@code text} (else {@code caption}) field when it is an object with one (other bodies give no text). Once the
 * quoted message is recalled or deleted the snapshot becomes {@code {mid, from, type, recalled: true}}; an edit of it
 * refreshes {@code text}.
 */
public final class ReplySnapshot {
  /** The longest quoted text. */
  public static final int MAX_CODE_POINTS = 100;

  private ReplySnapshot() {
  }

  /** The snapshot (JSON object text) of message {@code mid} from {@code from} of {@code type} with body {@code body}. */
  public static String of(long mid, long from, String type, String body) {
    JsonObject s = new JsonObject().put("mid", Long.toString(mid)).put("from", from).put("type", type);
    String text = text(body);
    if (text != null) {
      s.put("text", text);
    }
    return s.encode();
  }

  /** The snapshot of a quoted message that was recalled or deleted. */
  public static String recalled(long mid, long from, String type) {
    return new JsonObject().put("mid", Long.toString(mid)).put("from", from).put("type", type).put("recalled", true)
        .encode();
  }

  /** The snapshot of {@code stored} (a snapshot's text) for a quoted message that is gone now. */
  public static String recalled(String stored) {
    JsonObject s = new JsonObject(stored);
    return recalled(Long.parseLong(s.getString("mid")), s.getLong("from"), s.getString("type"));
  }

  static String text(String body) {
    if (body == null) {
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (RuntimeException e) {
      return null;
    }
    String text = value instanceof String str ? str
        : value instanceof JsonObject o ? (o.getValue("text") instanceof String t ? t
            : o.getValue("caption") instanceof String c ? c : null)
        : null;
    if (text == null || text.codePointCount(0, text.length()) <= MAX_CODE_POINTS) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, MAX_CODE_POINTS));
  }

  /** {@code json} as UTF-8 bytes, or null. */
  public static byte[] bytes(String json) {
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }
}
