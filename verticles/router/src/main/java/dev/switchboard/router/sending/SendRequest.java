package dev.switchboard.router.sending;

import io.vertx.core.json.JsonObject;

/**
 * A validated one-to-one send, as the gateway forwards it on {@code im.router.send}.
 *
 * @param session the sending session, which does not receive its own message back
 * @param body    the body's JSON text as stored
 */
record SendRequest(long from, String session, String cid, long to, String type, Object body, String bodyJson,
                   boolean push) {
  static SendRequest from(JsonObject r, String bodyJson) {
    return new SendRequest(r.getLong("from"), r.getString("session"), r.getString("cid"), r.getLong("to"),
        r.getString("type"), r.getValue("body"), bodyJson, r.getBoolean("push", false));
  }

  boolean toSelf() {
    return from == to;
  }
}
