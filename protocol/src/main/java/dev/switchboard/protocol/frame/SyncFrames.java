package dev.switchboard.protocol.frame;

import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.proto.FrameProto;
import dev.switchboard.protocol.frame.proto.ProtoCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of stored entries, written as bytes: each entry's JSON is spliced from its fields and its stored body text
 * (never parsed), and the protobuf form of the same frame is written from the same fields when a protobuf session
 * first asks for it ({@link FrameProto}). The JSON is what docs/protocol.md shows:
 * <ul>
 *   <li>a message: {@code msg {mid, cid, from, to | group, seq, ts, type, body[, recalled]}};</li>
 *   <li>a recall: {@code msg.recalled {mid, by, seq[, group]}};</li>
 *   <li>a group event: {@code group.event {gid, seq, ts, kind, by, ...}};</li>
 *   <li>an edit: {@code msg.edited {mid, by, seq, body, editedAt[, group]}};</li>
 *   <li>a change of reactions: {@code msg.reactions {mid, seq, reactions[, group]}};</li>
 *   <li>a page: {@code sync.batch {id, msgs, more, head[, group]}}, several groups' pages:
 *   {@code sync.batch {id, groups: [{group, msgs, more, head} | {group, code, message}]}}.</li>
 * </ul>
 * Stateless; any thread.
 */
public final class SyncFrames {
  private static final byte[] EMPTY_ARRAY = {'[', ']'};

  private SyncFrames() {
  }

  /** One group's result in {@code sync {groups}}: its page, or ({@code page} null) the error that refused it. */
  public record GroupResult(long group, SyncPage page, String code, String message) {
    public static GroupResult of(long group, SyncPage page) {
      return new GroupResult(group, page, null, null);
    }

    public static GroupResult failed(long group, String code, String message) {
      return new GroupResult(group, null, code, message);
    }
  }

  /** The JSON of one entry as a frame of its own, or null for an entry of a kind this code does not know. */
  public static byte[] entryJson(SyncEntry e) {
    switch (e.kind()) {
      case SyncEntry.MESSAGE -> {
        return MessageJson.messageBytes(e.mid(), e.cid(), e.from(), e.group() != 0 ? 0 : e.to(), e.group(), e.seq(),
            e.ts(), e.msgType(), e.body(), e.recalled(), e.editedAt(), e.reactions(), e.reply(), e.mentions(),
            e.mentionAll());
      }
      case SyncEntry.EDITED -> {
        return MessageJson.editedBytes(e.mid(), e.by(), e.seq(), e.group(), e.body(), e.editedAt());
      }
      case SyncEntry.REACTIONS -> {
        return MessageJson.reactionsBytes(e.mid(), e.seq(), e.group(), 0, null, false,
            e.reactions() == null ? EMPTY_ARRAY : e.reactions());
      }
      case SyncEntry.RECALLED -> {
        JsonBytes j = new JsonBytes(96).string("op", "msg.recalled").string("mid", Long.toString(e.mid()))
            .number("by", e.by()).number("seq", e.seq());
        if (e.group() != 0) {
          j.number("group", e.group());
        }
        return j.close();
      }
      case SyncEntry.EVENT -> {
        return new JsonBytes(80 + e.event().length).string("op", "group.event").number("gid", e.group())
            .number("seq", e.seq()).number("ts", e.ts()).members(e.event()).close();
      }
      default -> {
        return null;
      }
    }
  }

  /** One entry as a frame of its own (a group's catch-up after a join), or null for an unknown kind. */
  public static OutFrame entry(SyncEntry e) {
    byte[] json = entryJson(e);
    return json == null ? null : OutFrame.of(json, () -> FrameProto.entry(e));
  }

  /** {@code sync.batch} of one inbox or group page, answering request {@code id} (null: none). */
  public static OutFrame batch(Object id, SyncPage page) {
    List<byte[]> msgs = entriesJson(page.entries());
    int size = 96;
    for (byte[] m : msgs) {
      size += m.length + 1;
    }
    JsonBytes j = new JsonBytes(size).string("op", "sync.batch").id(id).array("msgs", msgs)
        .bool("more", page.more()).number("head", page.head());
    if (page.group() != 0) {
      j.number("group", page.group());
    }
    byte[] json = j.close();
    return OutFrame.of(json, () -> proto(FrameProto.syncBatch(id, page), json));
  }

  /** {@code sync.batch {id, groups}}: one result per group asked for, in the order asked. */
  public static OutFrame batchGroups(Object id, List<GroupResult> groups) {
    List<byte[]> out = new ArrayList<>(groups.size());
    int size = 64;
    for (GroupResult g : groups) {
      JsonBytes page;
      if (g.page() != null) {
        List<byte[]> msgs = entriesJson(g.page().entries());
        int length = 64;
        for (byte[] m : msgs) {
          length += m.length + 1;
        }
        page = new JsonBytes(length).number("group", g.group()).array("msgs", msgs).bool("more", g.page().more())
            .number("head", g.page().head());
      } else {
        page = new JsonBytes(64 + g.message().length()).number("group", g.group()).string("code", g.code())
            .string("message", g.message());
      }
      byte[] bytes = page.close();
      size += bytes.length + 1;
      out.add(bytes);
    }
    byte[] json = new JsonBytes(size).string("op", "sync.batch").id(id).array("groups", out).close();
    return OutFrame.of(json, () -> proto(FrameProto.syncBatchGroups(id, groups), json));
  }

  private static List<byte[]> entriesJson(List<SyncEntry> entries) {
    List<byte[]> out = new ArrayList<>(entries.size());
    for (SyncEntry e : entries) {
      byte[] json = entryJson(e);
      if (json != null) {
        out.add(json);
      }
    }
    return out;
  }

  /** The direct protobuf form, or (an id the direct writer does not handle) the JSON form converted. */
  private static byte[] proto(byte[] direct, byte[] json) {
    return direct != null ? direct : ProtoCodec.encodeJson(json);
  }
}
