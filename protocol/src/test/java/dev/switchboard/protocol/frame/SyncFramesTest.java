package dev.switchboard.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pages and history written by splicing stored bodies are valid JSON, byte for byte, and decode to the same objects as
 * the tree-built frames they replace (each body decoded from its stored text, as the old path did).
 */
class SyncFramesTest {
  private static final long TS = 1_700_000_000_000L;

  /** Every stored body as an inbox message, then a recall and a recalled message (null body). */
  static List<SyncEntry> inboxEntries() {
    List<SyncEntry> entries = new ArrayList<>();
    long seq = 1;
    for (String body : StoredBodies.ALL) {
      entries.add(SyncEntry.message(1000 + seq, "c-" + seq, 7, 8, seq, TS + seq, "text", StoredBodies.utf8(body),
          false));
      seq++;
    }
    entries.add(SyncEntry.recall(1001, 7, seq++, 0));
    entries.add(SyncEntry.message(1002, "c-\"é", 7, 8, seq, TS, "image", null, true));
    return entries;
  }

  static List<SyncEntry> groupEntries(long gid) {
    List<SyncEntry> entries = new ArrayList<>();
    long seq = 10;
    for (String body : StoredBodies.ALL) {
      entries.add(SyncEntry.groupMessage(2000 + seq, "g-" + seq, 7, gid, seq, TS + seq, "text",
          StoredBodies.utf8(body), false));
      seq++;
    }
    entries.add(SyncEntry.event(gid, seq++, TS, StoredBodies.utf8("{\"kind\":\"created\",\"by\":7,\"name\":\"n\","
        + "\"members\":[7,8,9]}")));
    entries.add(SyncEntry.event(gid, seq++, TS, StoredBodies.utf8(" { } ")));
    entries.add(SyncEntry.event(gid, seq++, TS, StoredBodies.utf8("{\"kind\":\"admin\",\"by\":7,\"member\":8,"
        + "\"admin\":true}")));
    entries.add(SyncEntry.recall(2010, 7, seq++, gid));
    entries.add(SyncEntry.groupMessage(2010, "g-10", 7, gid, seq, TS, "text", null, true));
    return entries;
  }

  /** The frame of {@code e} as the router and group verticles built it before: a tree, the body decoded. */
  static JsonObject tree(SyncEntry e) {
    return switch (e.kind()) {
      case SyncEntry.MESSAGE -> e.group() != 0
          ? MessageJson.groupMessage(e.mid(), e.cid(), e.from(), e.group(), e.seq(), e.ts(), e.msgType(),
              decode(e.body()), e.recalled())
          : MessageJson.message(e.mid(), e.cid(), e.from(), e.to(), e.seq(), e.ts(), e.msgType(), decode(e.body()),
              e.recalled());
      case SyncEntry.RECALLED -> e.group() != 0 ? MessageJson.groupRecalled(e.mid(), e.by(), e.group(), e.seq())
          : MessageJson.recalled(e.mid(), e.by(), e.seq());
      default -> MessageJson.groupEvent(e.group(), e.seq(), e.ts(), new JsonObject(new String(e.event(),
          java.nio.charset.StandardCharsets.UTF_8)));
    };
  }

  private static Object decode(byte[] body) {
    return MessageJson.decodeBody(body == null ? null : new String(body, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The old {@code sync.batch}: {@code Frames.reply} merged with the page tree. */
  static JsonObject treeBatch(Object id, SyncPage page) {
    JsonArray msgs = new JsonArray();
    page.entries().forEach(e -> msgs.add(tree(e)));
    JsonObject f = Frames.reply("sync.batch", id).put("msgs", msgs).put("more", page.more()).put("head", page.head());
    return page.group() != 0 ? f.put("group", page.group()) : f;
  }

  /** Strictly valid JSON: one value, nothing after it (a duplicate key is valid JSON, so not checked here). */
  static JsonObject strict(byte[] json) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(json)) {
      p.nextToken();
      p.skipChildren();
      assertNull(p.nextToken(), "nothing after the value");
    }
    return new JsonObject(io.vertx.core.buffer.Buffer.buffer(json));
  }

  @Test
  void inboxPageDecodesToTheTreeBuiltFrame() throws IOException {
    for (Object id : new Object[] {null, "s-1", 17, 12345678901234L}) {
      for (boolean more : new boolean[] {false, true}) {
        SyncPage page = new SyncPage(0, inboxEntries(), more, 99);
        assertEquals(treeBatch(id, page), strict(SyncFrames.batch(id, page).jsonBytes()));
      }
    }
  }

  @Test
  void groupPageDecodesToTheTreeBuiltFrame() throws IOException {
    SyncPage page = new SyncPage(55, groupEntries(55), true, 120);
    assertEquals(treeBatch("x", page), strict(SyncFrames.batch("x", page).jsonBytes()));
  }

  @Test
  void emptyPageHasAnEmptyArray() throws IOException {
    SyncPage page = new SyncPage(0, List.of(), false, 0);
    assertEquals(new JsonObject().put("op", "sync.batch").put("id", 1).put("msgs", new JsonArray()).put("more", false)
        .put("head", 0), strict(SyncFrames.batch(1, page).jsonBytes()));
  }

  @Test
  void eachEntryAloneIsItsFrame() throws IOException {
    List<SyncEntry> all = new ArrayList<>(inboxEntries());
    all.addAll(groupEntries(3));
    for (SyncEntry e : all) {
      assertEquals(tree(e), strict(SyncFrames.entry(e).jsonBytes()), e.toString());
    }
  }

  @Test
  void severalGroupsWithAnErrorAndAnEmptyPage() throws IOException {
    List<SyncFrames.GroupResult> results = List.of(
        SyncFrames.GroupResult.of(55, new SyncPage(55, groupEntries(55), false, 120)),
        SyncFrames.GroupResult.failed(56, "not_member", "you are not a member of group 56"),
        SyncFrames.GroupResult.of(57, new SyncPage(57, List.of(), false, 4)));
    JsonArray groups = new JsonArray();
    JsonObject first = treeBatch(null, results.get(0).page());
    first.remove("op");
    groups.add(first);
    groups.add(new JsonObject().put("group", 56).put("code", "not_member").put("message",
        "you are not a member of group 56"));
    groups.add(new JsonObject().put("msgs", new JsonArray()).put("more", false).put("head", 4).put("group", 57));
    assertEquals(Frames.reply("sync.batch", "q").put("groups", groups),
        strict(SyncFrames.batchGroups("q", results).jsonBytes()));
  }

  @Test
  void anEntryOfAnUnknownKindIsLeftOut() throws IOException {
    SyncEntry newer = new SyncEntry(99, 1, null, 0, 0, 0, 5, 0, null, null, false, 0, null);
    assertNull(SyncFrames.entry(newer));
    SyncPage page = new SyncPage(0, List.of(newer, SyncEntry.recall(1, 2, 6, 0)), false, 6);
    assertEquals(1, strict(SyncFrames.batch(null, page).jsonBytes()).getJsonArray("msgs").size());
  }

  @Test
  void splicedMembersMustBeAnObject() {
    assertThrows(IllegalArgumentException.class, () -> new JsonBytes(8).members("[1]".getBytes()));
    assertEquals("{\"a\":1,\"b\":2}", new String(new JsonBytes(8).number("a", 1).members(" {\"b\":2} ".getBytes())
        .close(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("{\"a\":1}", new String(new JsonBytes(8).number("a", 1).members("{ }".getBytes()).close(),
        java.nio.charset.StandardCharsets.UTF_8));
  }
}
