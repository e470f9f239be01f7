package dev.switchboard.bridge;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One frame from a bridge client, read and type-checked once: a JSON object whose envelope fields, when present,
 * have the types Vert.x's TCP bridge gives them ({@code type}, {@code address}, {@code replyAddress},
 * {@code message} strings, {@code headers} an object, {@code failureCode} a number); {@code body} is any JSON value.
 *
 * @param type        the frame type, {@code ""} when absent
 * @param failureCode a reply's failure code, or null for a reply that is not a failure
 */
record BridgeFrame(String type, String address, String replyAddress, Object body, JsonObject headers,
                   Integer failureCode, String message) {

  /**
   * Reads a frame's payload (the bytes after the length header). Fails with {@code bad_frame} when it is not a JSON
   * object or an envelope field has the wrong type.
   */
  static BridgeFrame read(Buffer bytes) {
    JsonObject msg;
    try {
      msg = bytes.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new ImException(ErrorCode.BAD_FRAME, "frame is not a JSON object");
    }
    Number failure = field(msg, "failureCode", Number.class);
    String type = field(msg, "type", String.class);
    return new BridgeFrame(type == null ? "" : type,
        field(msg, "address", String.class), field(msg, "replyAddress", String.class), msg.getValue("body"),
        field(msg, "headers", JsonObject.class), failure == null ? null : failure.intValue(),
        field(msg, "message", String.class));
  }

  /** A string field of the body ({@code service}, {@code secret} of the credential), or "" when absent or not one. */
  String bodyString(String field) {
    return body instanceof JsonObject b && b.getValue(field) instanceof String s ? s : "";
  }

  private static <T> T field(JsonObject msg, String name, Class<T> type) {
    Object v = msg.getValue(name);
    if (v == null || type.isInstance(v)) {
      return type.cast(v);
    }
    throw new ImException(ErrorCode.BAD_FRAME, "field '" + name + "' must be a " + type.getSimpleName());
  }
}
