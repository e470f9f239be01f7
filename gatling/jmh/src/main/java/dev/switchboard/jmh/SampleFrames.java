package dev.switchboard.jmh;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The frames the codec benchmarks use, always the same bytes: one per kind of traffic that dominates a server. */
final class SampleFrames {
  /** The names {@link #of} knows, as {@code @Param} values. */
  static final String MSG_SEND = "msg.send";
  static final String MSG = "msg";
  static final String ROOM_MSGS = "room.msgs";

  private SampleFrames() {
  }

  static JsonObject of(String name) {
    return switch (name) {
      case MSG_SEND -> msgSend();
      case MSG -> msg();
      case ROOM_MSGS -> roomMsgs();
      default -> throw new IllegalArgumentException("no sample frame " + name);
    };
  }

  /** A small one-to-one send, as a client sends it. */
  static JsonObject msgSend() {
    return new JsonObject().put("op", "msg.send").put("id", 7).put("cid", "c-5f1e2").put("to", 42)
        .put("type", "text").put("body", "hello");
  }

  /** A message delivered to a client, with a JSON object body of about 200 bytes. */
  static JsonObject msg() {
    JsonObject body = new JsonObject()
        .put("text", "Are we still on for the 3pm design review? I moved it to room B, A is booked.")
        .put("mentions", new JsonArray().add(42).add(43))
        .put("reply", new JsonObject().put("mid", "4302652093439999").put("from", 42))
        .put("lang", "en")
        .put("client", new JsonObject().put("app", "switchboard-web").put("v", "1.4.2"));
    return new JsonObject().put("op", "msg").put("mid", "4302652093440001").put("cid", "c-5f1e2").put("from", 7)
        .put("to", 42).put("seq", 169).put("ts", 1795260238000L).put("type", "text").put("body", body);
  }

  /** A full room batch: 20 messages of one window, chat from members and a push every fifth. */
  static JsonObject roomMsgs() {
    JsonArray msgs = new JsonArray();
    for (int i = 0; i < 20; i++) {
      JsonObject m = new JsonObject();
      if (i % 5 == 4) {
        m.put("type", "push").put("body", new JsonObject().put("score", (i / 5) + "-0").put("minute", 60 + i));
      } else {
        m.put("from", 1000 + i).put("type", "text").put("body", "what a goal #" + i);
      }
      msgs.add(m.put("ts", 1795260238000L + 7L * i));
    }
    return new JsonObject().put("op", "room.msgs").put("room", "match-42").put("msgs", msgs);
  }
}
