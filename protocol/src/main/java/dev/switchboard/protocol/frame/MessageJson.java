package dev.switchboard.protocol.frame;

import dev.switchboard.protocol.frame.proto.FrameProto;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The JSON of a one-to-one message as clients see it, live ({@code msg} frames), in {@code sync.batch} and in history:
 * {@code {op: "msg", mid, cid, from, to, seq, ts, type, body}} plus {@code recalled: true} on a recalled message (whose
 * body is then null). {@code mid} is a decimal string; {@code seq} is in the inbox of the user the JSON is for.
 */
public final class MessageJson {
  private MessageJson() {
  }

  public static JsonObject message(long mid, String cid, long from, long to, long seq, long ts, String type,
                                   Object body, boolean recalled) {
    JsonObject m = new JsonObject().put("op", "msg").put("mid", Long.toString(mid)).put("cid", cid)
        .put("from", from).put("to", to).put("seq", seq).put("ts", ts).put("type", type).put("body", body);
    if (recalled) {
      m.put("recalled", true);
    }
    return m;
  }

  /**
   * {@link #message} as bytes, with {@code bodyJson} (the body's JSON as it arrived, or as stored) spliced in: no tree
   * is built and the body is not re-encoded. {@code bodyJson} is null for a recalled message.
   */
  public static byte[] messageBytes(long mid, String cid, long from, long to, long seq, long ts, String type,
                                    byte[] bodyJson, boolean recalled) {
    return messageBytes(mid, cid, from, to, 0, seq, ts, type, bodyJson, recalled, 0, null, null, null, false);
  }

  /**
   * A one-to-one ({@code to} != 0) or group ({@code gid} != 0) message's bytes with what a stored message may carry
   * besides: {@code editedAt} (0: never edited), {@code reactionsJson} (the JSON array text of its reactions),
   * {@code replyJson} (the snapshot of the message it quotes, a JSON object text), {@code mentionsJson} (the JSON array
   * text of the uids it mentions) and {@code mentionAll}; null: absent.
   */
  public static byte[] messageBytes(long mid, String cid, long from, long to, long gid, long seq, long ts, String type,
                                    byte[] bodyJson, boolean recalled, long editedAt, byte[] reactionsJson,
                                    byte[] replyJson, byte[] mentionsJson, boolean mentionAll) {
    JsonBytes m = new JsonBytes(160 + cid.length() + type.length() + (bodyJson == null ? 4 : bodyJson.length)
        + (reactionsJson == null ? 0 : reactionsJson.length) + (replyJson == null ? 0 : replyJson.length)
        + (mentionsJson == null ? 0 : mentionsJson.length))
        .string("op", "msg").string("mid", Long.toString(mid)).string("cid", cid).number("from", from);
    if (gid != 0) {
      m.number("group", gid);
    } else {
      m.number("to", to);
    }
    m.number("seq", seq).number("ts", ts).string("type", type).raw("body", bodyJson);
    if (recalled) {
      m.bool("recalled", true);
    }
    if (editedAt != 0) {
      m.number("editedAt", editedAt);
    }
    if (reactionsJson != null) {
      m.raw("reactions", reactionsJson);
    }
    if (replyJson != null) {
      m.raw("reply", replyJson);
    }
    if (mentionsJson != null) {
      m.raw("mentions", mentionsJson);
    }
    if (mentionAll) {
      m.bool("mentionAll", true);
    }
    return m.close();
  }

  /**
   * A live {@code msg} frame of a message that quotes another or mentions members (any of the three non-null/true);
   * its protobuf form is converted from the JSON. Otherwise the plain frames of {@link #messageFrame} and
   * {@link #groupMessageFrame}.
   */
  public static OutFrame messageFrame(long mid, String cid, long from, long to, long gid, long seq, long ts,
                                      String type, byte[] bodyJson, byte[] replyJson, byte[] mentionsJson,
                                      boolean mentionAll) {
    if (replyJson == null && mentionsJson == null && !mentionAll) {
      return gid != 0 ? groupMessageFrame(mid, cid, from, gid, seq, ts, type, bodyJson, false)
          : messageFrame(mid, cid, from, to, seq, ts, type, bodyJson, false);
    }
    return OutFrame.ofJsonBytes(messageBytes(mid, cid, from, to, gid, seq, ts, type, bodyJson, false, 0, null,
        replyJson, mentionsJson, mentionAll));
  }

  /**
   * {@code msg.edited {mid, by, seq, body, editedAt[, group]}}: message {@code mid} now has body {@code bodyJson}
   * (null: it was recalled since), edited by {@code by} at {@code editedAt}; {@code seq} is the edit's entry in the
   * receiving user's inbox or the group's timeline.
   */
  public static byte[] editedBytes(long mid, long by, long seq, long gid, byte[] bodyJson, long editedAt) {
    JsonBytes j = new JsonBytes(128 + (bodyJson == null ? 4 : bodyJson.length)).string("op", OpNames.MSG_EDITED)
        .string("mid", Long.toString(mid)).number("by", by).number("seq", seq).raw("body", bodyJson)
        .number("editedAt", editedAt);
    if (gid != 0) {
      j.number("group", gid);
    }
    return j.close();
  }

  /**
   * {@code msg.reactions {mid, seq, [by, emoji, added,] reactions[, group]}}: message {@code mid}'s reactions now
   * ({@code reactionsJson}, a JSON array text); live frames say whose change it was ({@code by} != 0), synced ones do
   * not.
   */
  public static byte[] reactionsBytes(long mid, long seq, long gid, long by, String emoji, boolean added,
                                      byte[] reactionsJson) {
    JsonBytes j = new JsonBytes(128 + reactionsJson.length).string("op", OpNames.MSG_REACTIONS)
        .string("mid", Long.toString(mid)).number("seq", seq);
    if (by != 0) {
      j.number("by", by).string("emoji", emoji).bool("added", added);
    }
    j.raw("reactions", reactionsJson);
    if (gid != 0) {
      j.number("group", gid);
    }
    return j.close();
  }

  /**
   * A {@code msg} frame of {@link #messageBytes}, whose protobuf form is written from the same fields (the body read
   * once as a stream) rather than by converting the JSON.
   */
  public static OutFrame messageFrame(long mid, String cid, long from, long to, long seq, long ts, String type,
                                      byte[] bodyJson, boolean recalled) {
    return OutFrame.of(messageBytes(mid, cid, from, to, seq, ts, type, bodyJson, recalled),
        () -> FrameProto.message(mid, cid, from, to, 0, seq, ts, type, bodyJson, recalled));
  }

  /** A group {@code msg} frame of {@link #groupMessageBytes}, with its protobuf form as {@link #messageFrame}. */
  public static OutFrame groupMessageFrame(long mid, String cid, long from, long gid, long seq, long ts, String type,
                                           byte[] bodyJson, boolean recalled) {
    return OutFrame.of(groupMessageBytes(mid, cid, from, gid, seq, ts, type, bodyJson, recalled),
        () -> FrameProto.message(mid, cid, from, 0, gid, seq, ts, type, bodyJson, recalled));
  }

  /** {@link #groupMessage} as bytes, the body spliced in as {@link #messageBytes} does. */
  public static byte[] groupMessageBytes(long mid, String cid, long from, long gid, long seq, long ts, String type,
                                         byte[] bodyJson, boolean recalled) {
    return messageBytes(mid, cid, from, 0, gid, seq, ts, type, bodyJson, recalled, 0, null, null, null, false);
  }

  /** A group message: like {@link #message} with {@code group} instead of {@code to}; {@code seq} is the group's. */
  public static JsonObject groupMessage(long mid, String cid, long from, long gid, long seq, long ts, String type,
                                        Object body, boolean recalled) {
    JsonObject m = new JsonObject().put("op", "msg").put("mid", Long.toString(mid)).put("cid", cid)
        .put("from", from).put("group", gid).put("seq", seq).put("ts", ts).put("type", type).put("body", body);
    if (recalled) {
      m.put("recalled", true);
    }
    return m;
  }

  /** A group event ({@code group.event {gid, seq, kind, by, ts, ...details}}). */
  public static JsonObject groupEvent(long gid, long seq, long ts, JsonObject event) {
    return new JsonObject().put("op", "group.event").put("gid", gid).put("seq", seq).put("ts", ts).mergeIn(event);
  }

  /** The recall of group message {@code mid}, at {@code seq} of the group's timeline. */
  public static JsonObject groupRecalled(long mid, long by, long gid, long seq) {
    return recalled(mid, by, seq).put("group", gid);
  }

  /** The event that message {@code mid} was recalled by {@code by}, at {@code seq} of the receiving user's inbox. */
  public static JsonObject recalled(long mid, long by, long seq) {
    return new JsonObject().put("op", "msg.recalled").put("mid", Long.toString(mid)).put("by", by).put("seq", seq);
  }

  /** Stored form of a body: its JSON text. */
  public static String encodeBody(Object body) {
    return Json.encode(body);
  }

  public static Object decodeBody(String stored) {
    return stored == null ? null : Json.decodeValue(stored);
  }

  /**
   * One room message, encoded once by whoever publishes it to {@code im.room.<name>}: {@code {from?, type, body, ts}}
   * ({@code from} is absent on pushes from the API). {@code bodyJson} is the body's JSON text. Gateways concatenate
   * these bytes into {@code room.msgs} frames.
   */
  public static OutFrame roomMessage(Long from, String type, String bodyJson) {
    StringBuilder json = new StringBuilder(bodyJson.length() + 64).append('{');
    if (from != null) {
      json.append("\"from\":").append(from).append(',');
    }
    json.append("\"type\":").append(Json.encode(type)).append(",\"body\":").append(bodyJson)
        .append(",\"ts\":").append(System.currentTimeMillis()).append('}');
    return OutFrame.ofJsonBytes(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A push from a business system to users, a group or everyone: {@code {op: "push", scope, [group,] type, body, ts}}
   * with {@code scope} one of {@code user}, {@code group}, {@code all}. Never stored.
   */
  public static OutFrame push(String scope, Long gid, String type, String bodyJson) {
    StringBuilder json = new StringBuilder(bodyJson.length() + 80).append("{\"op\":\"push\",\"scope\":\"")
        .append(scope).append('"');
    if (gid != null) {
      json.append(",\"group\":").append(gid);
    }
    json.append(",\"type\":").append(Json.encode(type)).append(",\"body\":").append(bodyJson)
        .append(",\"ts\":").append(System.currentTimeMillis()).append('}');
    return OutFrame.ofJsonBytes(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
