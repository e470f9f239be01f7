package dev.switchboard.protocol.frame.proto;

import static dev.switchboard.protocol.frame.proto.ProtoWriter.FIXED64;
import static dev.switchboard.protocol.frame.proto.ProtoWriter.LEN;
import static dev.switchboard.protocol.frame.proto.ProtoWriter.VARINT;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.SyncFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;

/**
 * Protobuf Frames written straight from a message's fields, for the frames the message path builds as spliced JSON
 * ({@code msg}, {@code msg.recalled}, {@code sync.batch}): no JSON frame is parsed. A body (stored or received as JSON
 * text) becomes its google.protobuf.Value by one streaming read of the body's own bytes, no tree. The bytes equal what
 * {@link ProtoCodec#encodeJson} gives for the JSON form of the same frame (same fields, same order), which
 * FrameProtoTest checks.
 *
 * <p>Stateless; any thread. Fails with {@code bad_frame} when a body is not JSON (stored bodies always are).
 */
public final class FrameProto {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private FrameProto() {
  }

  /**
   * A {@code msg} frame: one-to-one ({@code group} 0, {@code to} set) or of group {@code group}; {@code body} is the
   * body's JSON text (null on a recalled message), {@code recalled} adds {@code recalled: true}.
   */
  public static byte[] message(long mid, String cid, long from, long to, long group, long seq, long ts, String type,
                               byte[] body, boolean recalled) {
    ProtoWriter w = ProtoWriter.borrow();
    try {
      message(mid, cid, from, to, group, seq, ts, type, body, recalled, w);
      return w.toByteArray();
    } finally {
      w.release();
    }
  }

  /**
   * The frame of one page entry as {@link SyncFrames#entryJson} writes it, or null for an entry of an unknown kind.
   */
  public static byte[] entry(SyncEntry e) {
    ProtoWriter w = ProtoWriter.borrow();
    try {
      return entry(e, w) ? w.toByteArray() : null;
    } finally {
      w.release();
    }
  }

  /**
   * {@code sync.batch {id, msgs, more, head[, group]}} of one page, as {@link SyncFrames#batch} writes it in JSON;
   * null when {@code id} is neither a string nor an integer (the caller then converts the JSON form).
   */
  public static byte[] syncBatch(Object id, SyncPage page) {
    if (!idFits(id)) {
      return null;
    }
    ProtoWriter w = ProtoWriter.borrow();
    try {
      id(id, w);
      w.tag(Frame.SYNC_BATCH_FIELD_NUMBER, LEN);
      int mark = w.begin();
      boolean empty = !entries(SyncBatch.MSGS_FIELD_NUMBER, page.entries(), w);
      w.tag(SyncBatch.MORE_FIELD_NUMBER, VARINT);
      w.varint(page.more() ? 1 : 0);
      w.tag(SyncBatch.HEAD_FIELD_NUMBER, VARINT);
      w.varint(page.head());
      if (page.group() != 0) {
        w.tag(SyncBatch.GROUP_FIELD_NUMBER, VARINT);
        w.varint(page.group());
      }
      w.end(mark);
      if (empty) {
        emptyList(Frame.EXTRA_FIELD_NUMBER, "msgs", w);
      }
      return w.toByteArray();
    } finally {
      w.release();
    }
  }

  /**
   * {@code sync.batch {id, groups: [...]}}, as {@link SyncFrames#batchGroups} writes it in JSON; null when {@code id}
   * is neither a string nor an integer.
   */
  public static byte[] syncBatchGroups(Object id, List<SyncFrames.GroupResult> groups) {
    if (!idFits(id)) {
      return null;
    }
    ProtoWriter w = ProtoWriter.borrow();
    try {
      id(id, w);
      w.tag(Frame.SYNC_BATCH_FIELD_NUMBER, LEN);
      int mark = w.begin();
      for (SyncFrames.GroupResult g : groups) {
        w.tag(SyncBatch.GROUPS_FIELD_NUMBER, LEN);
        int page = w.begin();
        w.tag(GroupPage.GROUP_FIELD_NUMBER, VARINT);
        w.varint(g.group());
        if (g.page() != null) {
          boolean empty = !entries(GroupPage.MSGS_FIELD_NUMBER, g.page().entries(), w);
          w.tag(GroupPage.MORE_FIELD_NUMBER, VARINT);
          w.varint(g.page().more() ? 1 : 0);
          w.tag(GroupPage.HEAD_FIELD_NUMBER, VARINT);
          w.varint(g.page().head());
          if (empty) {
            emptyList(GroupPage.EXTRA_FIELD_NUMBER, "msgs", w);
          }
        } else {
          w.string(GroupPage.CODE_FIELD_NUMBER, g.code());
          w.string(GroupPage.MESSAGE_FIELD_NUMBER, g.message());
        }
        w.end(page);
      }
      w.end(mark);
      return w.toByteArray();
    } finally {
      w.release();
    }
  }

  /** Each entry as a nested Frame in field {@code number}; false when none was written (an empty JSON array). */
  private static boolean entries(int number, List<SyncEntry> entries, ProtoWriter w) {
    boolean any = false;
    for (SyncEntry e : entries) {
      int start = w.position();
      w.tag(number, LEN);
      int mark = w.begin();
      if (entry(e, w)) {
        w.end(mark);
        any = true;
      } else {
        w.rewind(start);
      }
    }
    return any;
  }

  private static boolean entry(SyncEntry e, ProtoWriter w) {
    switch (e.kind()) {
      case SyncEntry.MESSAGE -> {
        if (e.editedAt() != 0 || e.reactions() != null || e.reply() != null || e.mentions() != null
            || e.mentionAll()) {
          // An edited or reacted-to message: its extra fields map through the schema walk, like the entries below.
          walk(e, w);
        } else {
          message(e.mid(), e.cid(), e.from(), e.to(), e.group(), e.seq(), e.ts(), e.msgType(), e.body(),
              e.recalled(), w);
        }
      }
      case SyncEntry.EDITED, SyncEntry.REACTIONS -> walk(e, w);
      case SyncEntry.RECALLED -> {
        w.tag(Frame.MSG_RECALLED_FIELD_NUMBER, LEN);
        int mark = w.begin();
        w.tag(MsgRecalled.MID_FIELD_NUMBER, VARINT);
        w.varint(e.mid());
        w.tag(MsgRecalled.BY_FIELD_NUMBER, VARINT);
        w.varint(e.by());
        w.tag(MsgRecalled.SEQ_FIELD_NUMBER, VARINT);
        w.varint(e.seq());
        if (e.group() != 0) {
          w.tag(MsgRecalled.GROUP_FIELD_NUMBER, VARINT);
          w.varint(e.group());
        }
        w.end(mark);
      }
      case SyncEntry.EVENT -> {
        // Group events are rare, small and written by the server: their details (kind, by, members...) map to
        // GroupEvent through the schema walk, from the event frame's JSON. Message bodies never take this path.
        walk(e, w);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The entry's JSON frame mapped through the schema walk. */
  private static void walk(SyncEntry e, ProtoWriter w) {
    JsonObject frame = (JsonObject) Json.decodeValue(Buffer.buffer(SyncFrames.entryJson(e)));
    JsonToProto.frame(frame.getMap(), w);
  }

  private static void message(long mid, String cid, long from, long to, long group, long seq, long ts, String type,
                              byte[] body, boolean recalled, ProtoWriter w) {
    w.tag(Frame.MSG_FIELD_NUMBER, LEN);
    int mark = w.begin();
    w.tag(Msg.MID_FIELD_NUMBER, VARINT);
    w.varint(mid);
    w.string(Msg.CID_FIELD_NUMBER, cid);
    w.tag(Msg.FROM_FIELD_NUMBER, VARINT);
    w.varint(from);
    w.tag(group != 0 ? Msg.GROUP_FIELD_NUMBER : Msg.TO_FIELD_NUMBER, VARINT);
    w.varint(group != 0 ? group : to);
    w.tag(Msg.SEQ_FIELD_NUMBER, VARINT);
    w.varint(seq);
    w.tag(Msg.TS_FIELD_NUMBER, VARINT);
    w.varint(ts);
    w.string(Msg.TYPE_FIELD_NUMBER, type);
    w.tag(Msg.BODY_FIELD_NUMBER, LEN);
    int value = w.begin();
    body(body, w);
    w.end(value);
    if (recalled) {
      w.tag(Msg.RECALLED_FIELD_NUMBER, VARINT);
      w.varint(1);
    }
    w.end(mark);
  }

  /**
   * The content of the google.protobuf.Value of a body's JSON text (null: the JSON null), read as a stream. A body
   * with a key twice in one object (which the tree keeps once, the last value) is converted through the tree, so
   * both paths agree.
   */
  static void body(byte[] json, ProtoWriter w) {
    if (json == null) {
      w.tag(1, VARINT);
      w.varint(0);
      return;
    }
    int start = w.position();
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new ImException(ErrorCode.BAD_FRAME, "body is not JSON");
      }
      value(p, t, w);
    } catch (StreamReadException duplicateOrMalformed) {
      w.rewind(start);
      Object tree;
      try {
        tree = Json.decodeValue(Buffer.buffer(json));
      } catch (RuntimeException e) {
        throw new ImException(ErrorCode.BAD_FRAME, "body is not JSON");
      }
      JsonToProto.value(tree, w);
    } catch (IOException e) {
      throw new ImException(ErrorCode.BAD_FRAME, "body is not JSON");
    }
  }

  private static void value(JsonParser p, JsonToken t, ProtoWriter w) throws IOException {
    switch (t) {
      case VALUE_NULL -> {
        w.tag(1, VARINT);
        w.varint(0);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        w.tag(2, FIXED64);
        w.fixed64(Double.doubleToRawLongBits(p.getNumberValue().doubleValue()));
      }
      case VALUE_STRING -> w.string(3, p.getText());
      case VALUE_TRUE, VALUE_FALSE -> {
        w.tag(4, VARINT);
        w.varint(t == JsonToken.VALUE_TRUE ? 1 : 0);
      }
      case START_OBJECT -> {
        w.tag(5, LEN);
        int mark = w.begin();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          w.tag(1, LEN);
          int entry = w.begin();
          w.string(1, p.currentName());
          w.tag(2, LEN);
          int v = w.begin();
          value(p, p.nextToken(), w);
          w.end(v);
          w.end(entry);
        }
        w.end(mark);
      }
      case START_ARRAY -> {
        w.tag(6, LEN);
        int mark = w.begin();
        for (JsonToken item; (item = p.nextToken()) != JsonToken.END_ARRAY; ) {
          w.tag(1, LEN);
          int v = w.begin();
          value(p, item, w);
          w.end(v);
        }
        w.end(mark);
      }
      default -> throw new ImException(ErrorCode.BAD_FRAME, "body is not JSON");
    }
  }

  /** A Struct in field {@code number} holding {@code name: []}: how the JSON codec carries an empty array. */
  private static void emptyList(int number, String name, ProtoWriter w) {
    w.tag(number, LEN);
    int struct = w.begin();
    w.tag(1, LEN);
    int entry = w.begin();
    w.string(1, name);
    w.tag(2, LEN);
    int value = w.begin();
    w.tag(6, LEN);
    int list = w.begin();
    w.end(list);
    w.end(value);
    w.end(entry);
    w.end(struct);
  }

  private static boolean idFits(Object id) {
    return id == null || id instanceof String || JsonToProto.fitsLong(id);
  }

  private static void id(Object id, ProtoWriter w) {
    if (id instanceof String s) {
      w.string(Frame.ID_STR_FIELD_NUMBER, s);
    } else if (id != null) {
      w.tag(Frame.ID_NUM_FIELD_NUMBER, VARINT);
      w.varint(JsonToProto.longOf(id));
    }
  }
}
