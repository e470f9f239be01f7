package dev.switchboard.protocol.frame.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.StoredBodies;
import dev.switchboard.protocol.frame.SyncFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protobuf written straight from a frame's fields is, byte for byte, what {@link ProtoCodec#encodeJson} makes of
 * the same frame's JSON: for bodies of every JSON type, recalled messages, recalls, group events, and pages.
 */
class FrameProtoTest {
  private static final long TS = 1_700_000_000_000L;

  private static void sameAsConverted(OutFrame f) {
    assertArrayEquals(ProtoCodec.encodeJson(f.jsonBytes()), f.protoBytes(), f.toString());
  }

  @Test
  void messagesOfEveryBody() {
    for (String body : StoredBodies.ALL) {
      byte[] b = StoredBodies.utf8(body);
      sameAsConverted(MessageJson.messageFrame(123456789012345L, "c-é", 7, 8, 42, TS, "text", b, false));
      sameAsConverted(MessageJson.groupMessageFrame(Long.MAX_VALUE, "c", -7, 9, 0, 0, "t", b, false));
    }
  }

  @Test
  void recalledMessagesHaveANullBody() {
    sameAsConverted(MessageJson.messageFrame(5, "c", 7, 8, 3, TS, "text", null, true));
    sameAsConverted(MessageJson.groupMessageFrame(5, "c", 7, 9, 3, TS, "text", null, true));
  }

  @Test
  void largeFramesNeedMultiByteLengths() {
    String big = "{\"t\":\"" + "é".repeat(20_000) + "\",\"a\":[" + "{\"k\":[1,2,3]},".repeat(2_000) + "0]}";
    sameAsConverted(MessageJson.messageFrame(1, "c", 2, 3, 4, 5, "text", StoredBodies.utf8(big), false));
  }

  @Test
  void everyEntryAlone() {
    List<SyncEntry> all = new ArrayList<>(entries(0));
    all.addAll(entries(77));
    for (SyncEntry e : all) {
      sameAsConverted(SyncFrames.entry(e));
    }
  }

  @Test
  void pages() {
    for (Object id : new Object[] {null, "s-1", 17, -3L, 1.5}) {
      sameAsConverted(SyncFrames.batch(id, new SyncPage(0, entries(0), true, 99)));
      sameAsConverted(SyncFrames.batch(id, new SyncPage(77, entries(77), false, 120)));
      sameAsConverted(SyncFrames.batch(id, new SyncPage(0, List.of(), false, 0)));
      sameAsConverted(SyncFrames.batch(id, new SyncPage(77, List.of(), false, 5)));
    }
  }

  @Test
  void severalGroups() {
    for (Object id : new Object[] {null, "g", 4}) {
      sameAsConverted(SyncFrames.batchGroups(id, List.of(
          SyncFrames.GroupResult.of(77, new SyncPage(77, entries(77), true, 120)),
          SyncFrames.GroupResult.failed(78, "not_member", "you are not a member of group 78"),
          SyncFrames.GroupResult.of(79, new SyncPage(79, List.of(), false, 3)))));
    }
  }

  private static List<SyncEntry> entries(long gid) {
    List<SyncEntry> out = new ArrayList<>();
    long seq = 1;
    for (String body : StoredBodies.ALL) {
      byte[] b = StoredBodies.utf8(body);
      out.add(gid == 0 ? SyncEntry.message(seq, "c" + seq, 7, 8, seq, TS, "text", b, false)
          : SyncEntry.groupMessage(seq, "c" + seq, 7, gid, seq, TS, "text", b, false));
      seq++;
    }
    out.add(SyncEntry.recall(3, 7, seq++, gid));
    out.add(gid == 0 ? SyncEntry.message(3, "c3", 7, 8, seq++, TS, "text", null, true)
        : SyncEntry.groupMessage(3, "c3", 7, gid, seq++, TS, "text", null, true));
    if (gid != 0) {
      out.add(SyncEntry.event(gid, seq++, TS, StoredBodies.utf8("{\"kind\":\"created\",\"by\":7,\"name\":\"n\","
          + "\"members\":[7,8,9]}")));
      out.add(SyncEntry.event(gid, seq++, TS, StoredBodies.utf8("{\"kind\":\"muted\",\"by\":7,\"member\":8,"
          + "\"muted\":false,\"future\":{\"x\":[]}}")));
      out.add(SyncEntry.event(gid, seq, TS, StoredBodies.utf8("{}")));
    }
    return out;
  }
}
