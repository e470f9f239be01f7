package dev.switchboard.node;

import static dev.switchboard.node.GroupIT.call;
import static dev.switchboard.node.GroupIT.createGroup;
import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Typing, edits and reactions end to end on both backends, with JSON clients over WebSocket and protobuf clients over
 * TCP in the same conversations: live frames to every other device, offline devices learning them on sync, history,
 * the server API's versions, and every refusal a client can meet.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class ChatFeaturesIT {
  private static final String THUMBS = "\ud83d\udc4d";
  private static final String HEART = "\u2764\ufe0f";

  private static JsonObject send(String cid, long to, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("to", to).put("type", "text").put("body", body);
  }

  private static JsonObject groupSend(String cid, long gid, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("group", gid).put("type", "text")
        .put("body", body);
  }

  private static JsonObject edit(long id, String mid, Object body) {
    return new JsonObject().put("op", "msg.edit").put("id", id).put("mid", mid).put("body", body);
  }

  private static JsonObject react(long id, String mid, String emoji) {
    return new JsonObject().put("op", "msg.react").put("id", id).put("mid", mid).put("emoji", emoji);
  }

  /** An error with {@code code} answering the request (ImClient gives each request its own id, echoed here). */
  private static void assertError(JsonObject reply, String code, Object unused) {
    assertEquals("error", reply.getString("op"), reply.encode());
    assertEquals(code, reply.getString("code"), reply.encode());
    assertTrue(reply.getValue("id") != null, reply.encode());
  }

  /** Every inbox entry after {@code after}, page by page. */
  private static List<JsonObject> syncInbox(ImClient c, long after) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    long cursor = after;
    while (true) {
      JsonObject page = await(c.request(new JsonObject().put("op", "sync").put("id", "s").put("after", cursor)
          .put("limit", 3)));
      JsonArray msgs = page.getJsonArray("msgs");
      msgs.forEach(m -> all.add((JsonObject) m));
      if (!page.getBoolean("more")) {
        return all;
      }
      cursor = msgs.getJsonObject(msgs.size() - 1).getLong("seq");
    }
  }

  private static JsonObject entry(List<JsonObject> entries, String op, String mid) {
    return entries.stream().filter(e -> op.equals(e.getString("op")) && mid.equals(e.getString("mid")))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + op + " of " + mid + " in " + entries));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void typingIsRelayedToThePeerAndTheGroupAndRefusedWhereItMayNotGo(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "mobile");
      JsonObject c = node.login(node.newUser(), "web");
      JsonObject d = node.login(node.newUser(), "web");
      long bob = b.getLong("uid");
      long gid = createGroup(node, a, bob, c.getLong("uid"));
      ImClient alice = node.online("ws", a);
      ImClient bobTcp = node.onlineProto("tcp", b);
      ImClient carol = node.online("ws", c);
      ImClient dave = node.onlineProto("ws", d);
      // The groups frame comes once a session is in its groups' fan-out.
      for (ImClient member : List.of(alice, bobTcp, carol)) {
        await(member.next("groups"));
      }

      JsonObject ok = await(alice.request(new JsonObject().put("op", "typing").put("id", 1).put("to", bob)));
      assertEquals("ok", ok.getString("op"), ok.encode());
      assertTrue(ok.getValue("id") != null);
      JsonObject typing = await(bobTcp.next("typing"));
      assertEquals(new JsonObject().put("op", "typing").put("from", a.getLong("uid")).put("to", bob)
          .put("expiresInMs", 6000), typing);
      bobTcp.send(new JsonObject().put("op", "typing").put("to", a.getLong("uid")).put("stop", true));
      JsonObject stop = await(alice.next("typing"));
      assertEquals(b.getLong("uid"), stop.getLong("from"));
      assertEquals(true, stop.getBoolean("stop"));

      alice.send(new JsonObject().put("op", "typing").put("group", gid));
      for (ImClient member : List.of(bobTcp, carol)) {
        JsonObject t = await(member.next("typing"));
        assertEquals(new JsonObject().put("op", "typing").put("from", a.getLong("uid")).put("group", gid)
            .put("expiresInMs", 6000), t);
      }
      // Carol types only after seeing Alice's frame: Alice's own frame, had it reached her, would come first.
      carol.send(new JsonObject().put("op", "typing").put("group", gid));
      assertEquals(c.getLong("uid"), await(alice.next("typing")).getLong("from"));

      assertError(await(dave.request(new JsonObject().put("op", "typing").put("id", 2).put("group", gid))),
          "not_member", 2L);
      assertError(await(alice.request(new JsonObject().put("op", "typing").put("id", 3).put("to", 999_999_999L))),
          "not_found", 3L);
      call(node, HttpMethod.PUT, "/api/v1/blocks/" + a.getLong("uid"), null, d, 204);
      assertError(await(alice.request(new JsonObject().put("op", "typing").put("id", 4).put("to", d.getLong("uid")))),
          "blocked", 4L);
      assertError(await(alice.request(new JsonObject().put("op", "typing").put("id", 5))), "invalid_field", 5L);
      assertError(await(alice.request(new JsonObject().put("op", "typing").put("id", 6).put("to", bob)
          .put("group", gid))), "invalid_field", 6L);
      assertError(await(alice.request(new JsonObject().put("op", "typing").put("id", 7).put("to", bob)
          .put("stop", "yes"))), "invalid_field", 7L);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void typingOverTheUsersBudgetIsRefusedAndNotRelayed(Backend backend, Vertx vertx) throws Exception {
    JsonObject limits = new JsonObject().put("gateway", new JsonObject().put("opLimits", new JsonObject()
        .put("typing", new JsonObject().put("perSecond", 0.01).put("burst", 2))));
    try (TestNode node = TestNode.startWith(vertx, backend, limits)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", a);
      ImClient bob = node.online("tcp", b);
      for (int i = 1; i <= 2; i++) {
        assertEquals("ok", await(alice.request(new JsonObject().put("op", "typing").put("id", i)
            .put("to", b.getLong("uid")))).getString("op"));
      }
      JsonObject limited = await(alice.request(new JsonObject().put("op", "typing").put("id", 3)
          .put("to", b.getLong("uid"))));
      assertError(limited, "rate_limited", 3L);
      assertTrue(limited.getLong("retryAfterMs") > 0);
      // Bob got the two relayed frames and nothing for the third: a message sent after it arrives right behind them.
      await(bob.next("typing"));
      await(bob.next("typing"));
      await(alice.request(send("after", b.getLong("uid"), "after")));
      await(bob.next("msg"));
      assertFalse(bob.next("typing").isComplete(), "the refused frame was relayed");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void editsReachEveryDeviceAndOfflineDevicesOnSyncAndHistoryKeepsVersionsForModeration(Backend backend, Vertx vertx)
      throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      String aliceName = node.newUser();
      JsonObject a = node.login(aliceName, "web");
      JsonObject a2 = node.login(aliceName, "mobile");
      String bobName = node.newUser();
      JsonObject b = node.login(bobName, "mobile");
      long bob = b.getLong("uid");
      ImClient alice = node.online("ws", a);
      ImClient alicePhone = node.onlineProto("tcp", a2);
      ImClient bobTcp = node.onlineProto("tcp", b);

      JsonObject ack = await(alice.request(send("e-1", bob, "helo")));
      String mid = ack.getString("mid");
      await(bobTcp.next("msg"));
      await(alicePhone.next("msg"));

      JsonObject ok = await(alice.request(edit(2, mid, new JsonObject().put("text", "hello").put("n", 1))));
      assertEquals("msg.edit.ok", ok.getString("op"), ok.encode());
      assertEquals(mid, ok.getString("mid"));
      assertEquals(ack.getLong("seq") + 1, ok.getLong("seq"));
      long editedAt = ok.getLong("editedAt");
      assertTrue(editedAt > ack.getLong("ts"));
      for (ImClient device : List.of(bobTcp, alicePhone)) {
        JsonObject edited = await(device.next("msg.edited"));
        assertEquals(mid, edited.getString("mid"));
        assertEquals(a.getLong("uid"), edited.getLong("by"));
        assertEquals(new JsonObject().put("text", "hello").put("n", 1), edited.getJsonObject("body"));
        assertEquals(editedAt, edited.getLong("editedAt"));
      }
      JsonObject second = await(alice.request(edit(3, mid, "hello!")));
      assertEquals("msg.edit.ok", second.getString("op"));

      // A device of Bob's that was offline: the message with the latest body and editedAt, then both edits.
      ImClient bobWeb = node.online("ws", node.login(bobName, "web"));
      List<JsonObject> inbox = syncInbox(bobWeb, 0);
      assertEquals(List.of("msg", "msg.edited", "msg.edited"), inbox.stream().map(e -> e.getString("op")).toList());
      assertEquals("hello!", inbox.get(0).getString("body"));
      assertEquals(second.getLong("editedAt"), inbox.get(0).getLong("editedAt"));
      assertEquals("hello!", inbox.get(1).getString("body"));
      assertEquals(List.of(1L, 2L, 3L), inbox.stream().map(e -> e.getLong("seq")).toList());

      JsonObject history = call(node, HttpMethod.GET, "/api/v1/conversations/" + a.getLong("uid") + "/messages", null,
          b, 200);
      JsonObject inHistory = history.getJsonArray("messages").getJsonObject(0);
      assertEquals("hello!", inHistory.getString("body"));
      assertEquals(second.getLong("editedAt"), inHistory.getLong("editedAt"));

      ApiClient.Result versions = await(node.api.call(HttpMethod.GET, "/api/v1/admin/messages/" + mid + "/versions",
          null, null, Map.of("X-Api-Key", TestNode.API_KEY)));
      assertEquals(200, versions.status(), versions.body().encode());
      JsonArray bodies = versions.body().getJsonArray("versions");
      assertEquals(3, bodies.size());
      assertEquals("helo", bodies.getJsonObject(0).getString("body"));
      assertEquals(ack.getLong("ts"), bodies.getJsonObject(0).getLong("at"));
      assertEquals(new JsonObject().put("text", "hello").put("n", 1), bodies.getJsonObject(1).getJsonObject("body"));
      assertEquals(editedAt, bodies.getJsonObject(1).getLong("at"));
      assertEquals("hello!", bodies.getJsonObject(2).getString("body"));
      assertEquals(bob, versions.body().getLong("to"));
      assertEquals(404, await(node.api.call(HttpMethod.GET, "/api/v1/admin/messages/123/versions", null, null,
          Map.of("X-Api-Key", TestNode.API_KEY))).status());

      // Refusals: the recipient, a stranger, a bad body; then recalled.
      assertError(await(bobTcp.request(edit(4, mid, "mine now"))), "forbidden", 4L);
      ImClient carol = node.online("ws", node.login(node.newUser(), "web"));
      assertError(await(carol.request(edit(5, mid, "x"))), "not_found", 5L);
      assertError(await(alice.request(new JsonObject().put("op", "msg.edit").put("id", 6).put("mid", mid))),
          "invalid_field", 6L);
      assertError(await(alice.request(edit(7, mid, "x".repeat(16_385)))), "body_too_large", 7L);
      assertError(await(alice.request(edit(8, "not-a-mid", "x"))), "invalid_field", 8L);
      await(alice.request(new JsonObject().put("op", "msg.recall").put("id", 9).put("mid", mid)));
      assertError(await(alice.request(edit(10, mid, "again"))), "not_found", 10L);
      // The recall erased the earlier bodies too.
      JsonObject erased = await(node.api.call(HttpMethod.GET, "/api/v1/admin/messages/" + mid + "/versions", null,
          null, Map.of("X-Api-Key", TestNode.API_KEY))).body();
      assertEquals(1, erased.getJsonArray("versions").size());
      assertTrue(erased.getBoolean("recalled"));
      List<JsonObject> after = syncInbox(bobWeb, 3);
      assertEquals("msg.recalled", after.get(0).getString("op"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theEditWindowAndTheEditCountAreBounded(Backend backend, Vertx vertx) throws Exception {
    JsonObject closed = new JsonObject().put("editWindowMs", 0);
    JsonObject twice = new JsonObject().put("maxEdits", 2);
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject().put("router", closed)
        .put("group", twice))) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", a);
      ImClient bob = node.onlineProto("tcp", b);
      String mid = await(alice.request(send("w-1", b.getLong("uid"), "x"))).getString("mid");
      assertError(await(alice.request(edit(1, mid, "y"))), "edit_expired", 1L);

      long gid = createGroup(node, a, b.getLong("uid"));
      String gmid = await(alice.request(groupSend("g-1", gid, "x"))).getString("mid");
      for (int i = 2; i <= 3; i++) {
        JsonObject ok = await(alice.request(edit(i, gmid, "v" + i).put("group", gid)));
        assertEquals("msg.edit.ok", ok.getString("op"), ok.encode());
        assertEquals(gid, ok.getLong("group"));
      }
      assertError(await(alice.request(edit(4, gmid, "v4").put("group", gid))), "forbidden", 4L);
      assertError(await(bob.request(edit(5, gmid, "bob's").put("group", gid))), "forbidden", 5L);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void groupEditsAndReactionsReachMembersAndTheTimeline(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "mobile");
      JsonObject c = node.login(node.newUser(), "web");
      long gid = createGroup(node, a, b.getLong("uid"));
      ImClient alice = node.online("ws", a);
      ImClient bob = node.onlineProto("tcp", b);
      await(alice.next("groups"));
      await(bob.next("groups"));
      JsonObject ack = await(alice.request(groupSend("g-1", gid, "hi all")));
      String mid = ack.getString("mid");
      await(GroupIT.nextGroupMsg(bob, gid));

      JsonObject ok = await(alice.request(edit(1, mid, "hi everyone").put("group", gid)));
      assertEquals(ack.getLong("seq") + 1, ok.getLong("seq"));
      JsonObject edited = await(bob.next("msg.edited"));
      assertEquals(gid, edited.getLong("group"));
      assertEquals("hi everyone", edited.getString("body"));

      JsonObject reacted = await(bob.request(react(2, mid, THUMBS).put("group", gid)));
      assertEquals("msg.react.ok", reacted.getString("op"), reacted.encode());
      assertEquals(ok.getLong("seq") + 1, reacted.getLong("seq"));
      JsonObject live = await(alice.next("msg.reactions"));
      assertEquals(new JsonObject().put("op", "msg.reactions").put("mid", mid).put("seq", reacted.getLong("seq"))
          .put("by", b.getLong("uid")).put("emoji", THUMBS).put("added", true)
          .put("reactions", new JsonArray().add(new JsonObject().put("emoji", THUMBS).put("count", 1)))
          .put("group", gid), live);

      // Carol joins later: the message came before her, so she can neither read it nor react to it.
      call(node, HttpMethod.POST, "/api/v1/groups/" + gid + "/members",
          new JsonObject().put("members", new JsonArray().add(c.getLong("uid"))), a, 200);
      ImClient carol = node.online("ws", c);
      assertError(await(carol.request(react(3, mid, THUMBS).put("group", gid))), "not_found", 3L);
      // Bob is removed: no more edits, reactions or reads.
      call(node, HttpMethod.DELETE, "/api/v1/groups/" + gid + "/members/" + b.getLong("uid"), null, a, 200);
      assertError(await(bob.request(react(4, mid, HEART).put("group", gid))), "not_member", 4L);

      List<JsonObject> timeline = GroupIT.syncGroup(alice, gid, 0);
      JsonObject message = entry(timeline, "msg", mid);
      assertEquals("hi everyone", message.getString("body"));
      assertEquals(ok.getLong("editedAt"), message.getLong("editedAt"));
      assertEquals(new JsonArray().add(new JsonObject().put("emoji", THUMBS).put("count", 1)),
          message.getJsonArray("reactions"));
      assertEquals("hi everyone", entry(timeline, "msg.edited", mid).getString("body"));
      assertEquals(1, entry(timeline, "msg.reactions", mid).getJsonArray("reactions").getJsonObject(0)
          .getInteger("count"));
      JsonObject history = call(node, HttpMethod.GET, "/api/v1/groups/" + gid + "/messages", null, a, 200);
      assertTrue(history.encode().contains("\"editedAt\":" + ok.getLong("editedAt")), history.encode());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void reactionsAreCountedPerEmojiBoundedAndSynced(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      JsonObject b = node.login(bobName, "mobile");
      ImClient alice = node.online("ws", a);
      ImClient bob = node.onlineProto("tcp", b);
      String mid = await(alice.request(send("r-1", b.getLong("uid"), "react to me"))).getString("mid");
      await(bob.next("msg"));

      JsonObject ok = await(bob.request(react(1, mid, THUMBS)));
      assertEquals("msg.react.ok", ok.getString("op"), ok.encode());
      assertEquals(2L, ok.getLong("seq"));
      JsonObject live = await(alice.next("msg.reactions"));
      assertEquals(b.getLong("uid"), live.getLong("by"));
      assertTrue(live.getBoolean("added"));
      assertEquals(new JsonArray().add(new JsonObject().put("emoji", THUMBS).put("count", 1)),
          live.getJsonArray("reactions"));
      // Again: nothing changes, no seq, nobody hears.
      JsonObject again = await(bob.request(react(2, mid, THUMBS)));
      assertEquals("msg.react.ok", again.getString("op"));
      assertNull(again.getLong("seq"));

      await(alice.request(react(3, mid, THUMBS)));
      await(alice.request(react(4, mid, HEART)));
      JsonObject both = await(bob.next(f -> "msg.reactions".equals(f.getString("op"))
          && HEART.equals(f.getString("emoji"))));
      assertEquals(new JsonArray().add(new JsonObject().put("emoji", THUMBS).put("count", 2))
          .add(new JsonObject().put("emoji", HEART).put("count", 1)), both.getJsonArray("reactions"));
      await(alice.request(react(5, mid, "\ud83d\ude02")));
      assertError(await(alice.request(react(6, mid, "\ud83c\udf89"))), "too_many_reactions", 6L);
      JsonObject removed = await(alice.request(react(7, mid, HEART).put("remove", true)));
      assertTrue(removed.getLong("seq") > 0);
      assertNull(await(alice.request(react(8, mid, HEART).put("remove", true))).getLong("seq"));

      for (String bad : List.of("ok", "", "\ud83d\udc4d\ud83d\udc4d", "<b>")) {
        assertError(await(alice.request(react(9, mid, bad))), "invalid_field", 9L);
      }
      assertError(await(alice.request(react(10, mid, THUMBS).put("remove", "yes"))), "invalid_field", 10L);
      ImClient carol = node.online("ws", node.login(node.newUser(), "web"));
      assertError(await(carol.request(react(11, mid, THUMBS))), "not_found", 11L);

      // Bob's device that was offline: the message with the counts and his own, then the changes.
      ImClient bobWeb = node.online("ws", node.login(bobName, "web"));
      List<JsonObject> inbox = syncInbox(bobWeb, 0);
      JsonArray expected = new JsonArray()
          .add(new JsonObject().put("emoji", THUMBS).put("count", 2).put("me", true))
          .add(new JsonObject().put("emoji", "\ud83d\ude02").put("count", 1));
      assertEquals(expected, inbox.get(0).getJsonArray("reactions"));
      assertEquals(List.of("msg", "msg.reactions", "msg.reactions", "msg.reactions", "msg.reactions",
          "msg.reactions"), inbox.stream().map(e -> e.getString("op")).toList());
      assertEquals(expected, inbox.get(5).getJsonArray("reactions"));
      assertFalse(inbox.get(5).containsKey("by"));
      JsonObject history = call(node, HttpMethod.GET, "/api/v1/conversations/" + b.getLong("uid") + "/messages", null,
          a, 200);
      assertEquals(new JsonArray()
              .add(new JsonObject().put("emoji", THUMBS).put("count", 2).put("me", true))
              .add(new JsonObject().put("emoji", "\ud83d\ude02").put("count", 1).put("me", true)),
          history.getJsonArray("messages").getJsonObject(0).getJsonArray("reactions"));

      // A recall takes the reactions with it.
      await(alice.request(new JsonObject().put("op", "msg.recall").put("id", 12).put("mid", mid)));
      assertError(await(bob.request(react(13, mid, HEART))), "not_found", 13L);
      List<JsonObject> recalled = syncInbox(bobWeb, 0);
      assertTrue(recalled.get(0).getBoolean("recalled"));
      assertFalse(recalled.get(0).containsKey("reactions"), recalled.get(0).encode());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void repliesCarryASnapshotThatFollowsEditsAndRecallsEvenForDevicesThatWereOffline(Backend backend, Vertx vertx)
      throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      JsonObject b = node.login(bobName, "mobile");
      long bob = b.getLong("uid");
      ImClient alice = node.online("ws", a);
      ImClient bobTcp = node.onlineProto("tcp", b);
      String long_ = "x".repeat(150);
      String quoted = await(alice.request(send("q-1", bob, new JsonObject().put("text", long_).put("n", 1))))
          .getString("mid");
      await(bobTcp.next("msg"));

      JsonObject ack = await(bobTcp.request(send("r-1", a.getLong("uid"), "a reply").put("replyTo", quoted)));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      JsonObject live = await(alice.next(f -> "msg".equals(f.getString("op")) && f.containsKey("reply")));
      JsonObject snapshot = new JsonObject().put("mid", quoted).put("from", a.getLong("uid")).put("type", "text")
          .put("text", "x".repeat(100));
      assertEquals(snapshot, live.getJsonObject("reply"));

      // Replying to a message of another conversation, an unknown or malformed mid: refused.
      ImClient carol = node.online("ws", node.login(node.newUser(), "web"));
      assertError(await(carol.request(send("r-2", bob, "sneaky").put("replyTo", quoted))), "not_found", null);
      assertError(await(bobTcp.request(send("r-3", a.getLong("uid"), "x").put("replyTo", "123"))), "not_found", null);
      assertError(await(bobTcp.request(send("r-4", a.getLong("uid"), "x").put("replyTo", "abc"))), "invalid_field",
          null);
      assertError(await(bobTcp.request(send("r-5", a.getLong("uid"), "x").put("mentions", new JsonArray().add(1)))),
          "invalid_field", null);

      // The quoted message is edited, then recalled: a device of Bob's that was offline sees the reply's snapshot
      // as it is now, and the recall entry.
      await(alice.request(edit(1, quoted, "short now")));
      JsonObject history = call(node, HttpMethod.GET, "/api/v1/conversations/" + a.getLong("uid") + "/messages",
          null, b, 200);
      assertEquals("short now", history.getJsonArray("messages").getJsonObject(0).getJsonObject("reply")
          .getString("text"));
      await(alice.request(new JsonObject().put("op", "msg.recall").put("mid", quoted)));
      ImClient bobWeb = node.online("ws", node.login(bobName, "web"));
      List<JsonObject> inbox = syncInbox(bobWeb, 0);
      JsonObject reply = entry(inbox, "msg", ack.getString("mid"));
      assertEquals(new JsonObject().put("mid", quoted).put("from", a.getLong("uid")).put("type", "text")
          .put("recalled", true), reply.getJsonObject("reply"));
      assertTrue(entry(inbox, "msg", quoted).getBoolean("recalled"));
      entry(inbox, "msg.recalled", quoted);
      assertError(await(bobTcp.request(send("r-6", a.getLong("uid"), "too late").put("replyTo", quoted))),
          "not_found", null);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void mentionsAreCountedUnreadAndNotifiedThroughMutedGroups(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "mobile");
      JsonObject c = node.login(node.newUser(), "web");
      JsonObject d = node.login(node.newUser(), "web");
      long bob = b.getLong("uid");
      long carolUid = c.getLong("uid");
      long gid = createGroup(node, a, bob, carolUid);
      ImClient alice = node.online("ws", a);
      ImClient bobTcp = node.onlineProto("tcp", b);
      await(alice.next("groups"));
      await(bobTcp.next("groups"));

      // Bob mentions Carol, Dave (not a member: dropped) and himself (dropped); Alice quotes it and mentions @all.
      JsonObject first = await(bobTcp.request(groupSend("m-1", gid, "hey @carol")
          .put("mentions", new JsonArray().add(carolUid).add(d.getLong("uid")).add(bob).add(carolUid))));
      JsonObject live = await(GroupIT.nextGroupMsg(alice, gid));
      assertEquals(new JsonArray().add(carolUid), live.getJsonArray("mentions"));
      assertFalse(live.containsKey("mentionAll"));
      assertError(await(bobTcp.request(groupSend("m-2", gid, "@all").put("mentionAll", true))), "forbidden", null);
      JsonObject all = await(alice.request(groupSend("m-3", gid, "everyone, look").put("mentionAll", true)
          .put("replyTo", first.getString("mid"))));
      JsonObject atBob = await(GroupIT.nextGroupMsg(bobTcp, gid));
      assertTrue(atBob.getBoolean("mentionAll"));
      assertEquals(first.getString("mid"), atBob.getJsonObject("reply").getString("mid"));
      assertEquals("hey @carol", atBob.getJsonObject("reply").getString("text"));
      assertError(await(alice.request(send("m-4", bob, "x").put("mentionAll", true))), "invalid_field", null);

      // Carol was offline: two unread mentions (hers and @all), in the group list and in msg.read's answer.
      JsonObject carolGroup = call(node, HttpMethod.GET, "/api/v1/groups", null, c, 200).getJsonArray("groups")
          .getJsonObject(0);
      assertEquals(2L, carolGroup.getLong("unreadMentions"));
      assertEquals("all", carolGroup.getString("notifications"));
      ImClient carol = node.onlineProto("tcp", c);
      List<JsonObject> timeline = GroupIT.syncGroup(carol, gid, 0);
      assertEquals(new JsonArray().add(carolUid), entry(timeline, "msg", first.getString("mid"))
          .getJsonArray("mentions"));
      JsonObject read = await(carol.request(new JsonObject().put("op", "msg.read").put("group", gid)
          .put("upTo", first.getLong("seq"))));
      assertEquals(1L, read.getLong("unreadMentions"), read.encode());
      assertEquals(1L, read.getLong("unread"));
      // Bob's own @all would not count for himself; Alice's counts for Bob.
      assertEquals(1L, call(node, HttpMethod.GET, "/api/v1/groups/" + gid, null, b, 200).getLong("unreadMentions"));

      // Notification levels: validated, per member.
      assertEquals("mentions", call(node, HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications",
          new JsonObject().put("level", "mentions"), c, 200).getString("notifications"));
      call(node, HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications", new JsonObject().put("level", "loud"), c,
          400);
      call(node, HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications", new JsonObject().put("level", "none"), d,
          403);
      assertEquals("mentions", call(node, HttpMethod.GET, "/api/v1/groups/" + gid, null, c, 200)
          .getString("notifications"));
    }
  }
}
