package dev.switchboard.shared.hooks;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The {@code data} of the message events (docs/integration.md and docs/schemas/): one place that shapes them for the
 * router and the group verticle. Message ids are decimal strings, as in frames (they exceed JavaScript's exact
 * integers).
 */
public final class EventData {
  /** Longest preview of an offline notification, in characters. */
  public static final int PREVIEW = 100;

  private EventData() {
  }

  /** A stored body's JSON as a JSON value (parsed once per event, only when an event is emitted). */
  public static Object body(byte[] json) {
    return Json.decodeValue(Buffer.buffer(json));
  }

  /**
   * {@code message.offline}'s data: {@code uid} (the recipient) got {@code mid} from {@code from} in the conversation
   * {@code kind}/{@code id} with no device online; {@code unread} is its unread count in that conversation. The
   * preview is the body when it is a string, or its {@code text} field when it is an object with one, cut to
   * {@link #PREVIEW} characters; absent otherwise.
   */
  public static JsonObject offline(long uid, long from, String kind, long id, long mid, String type, Object body,
                                   long unread) {
    JsonObject data = new JsonObject().put("uid", uid).put("from", from)
        .put("conversation", new JsonObject().put("kind", kind).put("id", id)).put("mid", Long.toString(mid))
        .put("type", type).put("unread", unread);
    String text = body instanceof String s ? s
        : body instanceof JsonObject o && o.getValue("text") instanceof String t ? t : null;
    if (text != null) {
      data.put("preview", text.length() > PREVIEW ? text.substring(0, PREVIEW) : text);
    }
    return data;
  }
}
