package dev.switchboard.protocol.frame;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonObject;

/** Builders for the server's frames that more than one module sends. */
public final class Frames {
  private Frames() {
  }

  public static JsonObject error(Object id, ErrorCode code, String message) {
    JsonObject f = new JsonObject().put("op", OpNames.ERROR);
    if (id != null) {
      f.put("id", id);
    }
    return f.put("code", code.wire()).put("message", message);
  }

  /** The error frame for {@code e}: code, message and its details (e.g. {@code retryAfterMs}) as extra fields. */
  public static JsonObject error(Object id, ImException e) {
    JsonObject f = error(id, e.code(), e.getMessage());
    if (e.details() != null) {
      e.details().forEach(entry -> f.put(entry.getKey(), entry.getValue()));
    }
    return f;
  }

  public static JsonObject reply(String op, Object id) {
    JsonObject f = new JsonObject().put("op", op);
    if (id != null) {
      f.put("id", id);
    }
    return f;
  }
}
