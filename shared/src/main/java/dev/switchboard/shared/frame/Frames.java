package dev.switchboard.shared.frame;

import dev.switchboard.shared.ErrorCode;
import io.vertx.core.json.JsonObject;

/** Builders for the server's frames that more than one module sends. */
public final class Frames {
  private Frames() {
  }

  public static JsonObject error(Object id, ErrorCode code, String message) {
    JsonObject f = new JsonObject().put("op", "error");
    if (id != null) {
      f.put("id", id);
    }
    return f.put("code", code.wire()).put("message", message);
  }

  public static JsonObject reply(String op, Object id) {
    JsonObject f = new JsonObject().put("op", op);
    if (id != null) {
      f.put("id", id);
    }
    return f;
  }
}
