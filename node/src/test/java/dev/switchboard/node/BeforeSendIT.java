package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The before-send hook against a real application server (docs/integration.md, "Before-send hook"): it rejects and
 * rewrites one-to-one, group and room sends; a hook that does not answer in time lets sends through with
 * {@code onFailure: allow} and rejects them with {@code onFailure: reject}, within the deadline.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class BeforeSendIT {

  /** The parties of a test: alice sends, bob receives; both in group {@code gid} and room {@code chat}. */
  private record Chat(TestNode node, JsonObject a, JsonObject b, ImClient alice, ImClient bob, long gid) {
    JsonObject direct(String cid, Object body) throws Exception {
      return await(alice.request(new JsonObject().put("op", "msg.send").put("cid", cid).put("to", b.getLong("uid"))
          .put("type", "text").put("body", body)));
    }

    JsonObject group(String cid, Object body) throws Exception {
      return await(alice.request(GroupIT.groupSend(cid, gid, body)));
    }

    JsonObject room(Object body) throws Exception {
      return await(alice.request(new JsonObject().put("op", "room.send").put("room", "chat").put("body", body)));
    }
  }

  private static TestNode start(Vertx vertx, Backend backend, HookReceiver receiver, long timeoutMs,
                                String onFailure) throws Exception {
    return TestNode.startWith(vertx, backend, new JsonObject()
        .put("gateway", new JsonObject().put("rooms", new JsonObject().put("membersMaySend", true)
            .put("sendRate", 1000).put("sendBurst", 1000).put("batchMs", 0)))
        .put("hooks", new JsonObject().put("beforeSend", new JsonObject().put("url", receiver.url("/before"))
            .put("secret", receiver.secret).put("timeoutMs", timeoutMs).put("onFailure", onFailure))));
  }

  private static Chat chat(TestNode node) throws Exception {
    JsonObject a = node.login(node.newUser(), "web");
    JsonObject b = node.login(node.newUser(), "web");
    long gid = GroupIT.createGroup(node, a, b.getLong("uid"));
    ImClient alice = node.online("ws", a);
    ImClient bob = node.online("tcp", b);
    for (ImClient c : new ImClient[] {alice, bob}) {
      assertEquals("ok", await(c.request(new JsonObject().put("op", "room.join").put("room", "chat")))
          .getString("op"));
    }
    return new Chat(node, a, b, alice, bob, gid);
  }

  /** The application: rejects bodies saying "spam", replaces bodies starting with "rewrite", allows the rest. */
  private static Future<JsonObject> moderate(JsonObject call) {
    Object body = call.getValue("body");
    if ("spam".equals(body)) {
      return Future.succeededFuture(new JsonObject().put("action", "reject").put("code", "spam.filter")
          .put("message", "no spam here"));
    }
    if (body instanceof String s && s.startsWith("rewrite")) {
      return Future.succeededFuture(new JsonObject().put("action", "allow")
          .put("body", new JsonObject().put("text", "[edited] " + s.substring(7)).put("edited", true)));
    }
    return Future.succeededFuture(new JsonObject().put("action", "allow"));
  }

  private static void assertRejected(JsonObject reply, String reason) {
    assertEquals("error", reply.getString("op"), reply.encode());
    assertEquals("rejected", reply.getString("code"), reply.encode());
    assertEquals(reason, reply.getString("reason"), reply.encode());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theHookRejectsAndRewritesDirectGroupAndRoomSends(Backend backend, Vertx vertx) throws Exception {
    try (HookReceiver receiver = HookReceiver.start(vertx);
         TestNode node = start(vertx, backend, receiver, 2_000, "allow")) {
      receiver.beforeSend = BeforeSendIT::moderate;
      Chat c = chat(node);
      long bobUid = c.b().getLong("uid");

      JsonObject no = c.direct("d1", "spam");
      assertRejected(no, "spam.filter");
      assertEquals("no spam here", no.getString("message"));
      JsonObject call = receiver.calls.get(0);
      assertEquals("direct", call.getString("kind"));
      assertEquals(c.a().getLong("uid"), call.getLong("from"));
      assertEquals(bobUid, call.getLong("to"));
      assertEquals("d1", call.getString("cid"));
      assertEquals("text", call.getString("type"));
      assertEquals("spam", call.getString("body"));

      // The same error over the protobuf codec carries the reason too (ErrorFrame.reason).
      ImClient proto = node.onlineProto("tcp", c.a().copy().put("device", "desktop"));
      JsonObject protoNo = await(proto.request(new JsonObject().put("op", "msg.send").put("cid", "p1")
          .put("to", bobUid).put("type", "text").put("body", "spam")));
      assertRejected(protoNo, "spam.filter");
      assertEquals("no spam here", protoNo.getString("message"));

      JsonObject ack = c.direct("d2", "rewrite me");
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      JsonObject edited = new JsonObject().put("text", "[edited]  me").put("edited", true);
      JsonObject got = await(c.bob().next("msg"));
      assertEquals(ack.getString("mid"), got.getString("mid"));
      assertEquals(edited, got.getJsonObject("body"), "the recipient gets the replaced body");
      JsonObject again = c.direct("d2", "rewrite me");
      assertEquals(ack.getString("mid"), again.getString("mid"), "a retry of the rewritten send is the same message");
      JsonArray history = GroupIT.call(node, HttpMethod.GET, "/api/v1/conversations/" + c.a().getLong("uid")
          + "/messages", null, c.b(), 200).getJsonArray("messages");
      assertEquals(1, history.size(), "stored once, with the replaced body: " + history.encode());
      assertEquals(edited, history.getJsonObject(0).getJsonObject("body"));

      assertRejected(c.group("g1", "spam"), "spam.filter");
      JsonObject gAck = c.group("g2", "rewrite us");
      assertEquals("msg.ack", gAck.getString("op"), gAck.encode());
      JsonObject gGot = await(GroupIT.nextGroupMsg(c.bob(), c.gid()));
      assertEquals(new JsonObject().put("text", "[edited]  us").put("edited", true), gGot.getJsonObject("body"));
      JsonObject gCall = receiver.calls.stream().filter(x -> "group".equals(x.getString("kind"))).findFirst()
          .orElseThrow();
      assertEquals(c.gid(), gCall.getLong("group"));

      // Edits are asked like sends, with the edited mid: refused, or rewritten for everyone.
      JsonObject plain = c.direct("d3", "fine");
      JsonObject noEdit = await(c.alice().request(new JsonObject().put("op", "msg.edit")
          .put("mid", plain.getString("mid")).put("body", "spam")));
      assertRejected(noEdit, "spam.filter");
      JsonObject editCall = receiver.calls.stream().filter(x -> x.containsKey("edit")).findFirst().orElseThrow();
      assertEquals(plain.getString("mid"), editCall.getString("edit"));
      assertEquals("d3", editCall.getString("cid"));
      assertEquals(bobUid, editCall.getLong("to"));
      await(c.alice().request(new JsonObject().put("op", "msg.edit").put("mid", gAck.getString("mid"))
          .put("group", c.gid()).put("body", "rewrite them")));
      JsonObject gEdited = await(c.bob().next("msg.edited"));
      assertEquals(new JsonObject().put("text", "[edited]  them").put("edited", true), gEdited.getJsonObject("body"));

      assertRejected(c.room("spam"), "spam.filter");
      assertEquals("ok", c.room("rewrite all").getString("op"));
      JsonObject batch = RoomIT.nextBatch(c.bob(), "chat");
      assertEquals(new JsonObject().put("text", "[edited]  all").put("edited", true),
          batch.getJsonArray("msgs").getJsonObject(0).getJsonObject("body"), "the room hears the replaced body");
      JsonObject rCall = receiver.calls.stream().filter(x -> "room".equals(x.getString("kind"))).findFirst()
          .orElseThrow();
      assertEquals("chat", rCall.getString("room"));
      assertEquals(0, receiver.badSignatures.get(), "every call is signed");
      assertEquals(List.of(), receiver.schemaErrors, "every call and answer matches docs/schemas");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aHookThatTimesOutLetsSendsThroughWithAllow(Backend backend, Vertx vertx) throws Exception {
    try (HookReceiver receiver = HookReceiver.start(vertx);
         TestNode node = start(vertx, backend, receiver, 300, "allow")) {
      receiver.beforeSend = call -> Promise.<JsonObject>promise().future();
      Chat c = chat(node);
      long started = System.nanoTime();
      JsonObject ack = c.direct("t1", "late");
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      assertEquals("late", await(c.bob().next("msg")).getString("body"));
      assertEquals("msg.ack", c.group("t2", "late").getString("op"));
      assertEquals("late", await(GroupIT.nextGroupMsg(c.bob(), c.gid())).getString("body"));
      assertEquals("ok", c.room("late").getString("op"));
      assertEquals("late", RoomIT.nextBatch(c.bob(), "chat").getJsonArray("msgs").getJsonObject(0).getString("body"));
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertTrue(ms < 5_000, "three sends past a 300 ms hook deadline took " + ms + " ms");
      assertEquals(3, receiver.calls.size(), "the hook was asked each time");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aHookThatTimesOutRejectsSendsWithReject(Backend backend, Vertx vertx) throws Exception {
    try (HookReceiver receiver = HookReceiver.start(vertx);
         TestNode node = start(vertx, backend, receiver, 300, "reject")) {
      receiver.beforeSend = call -> Promise.<JsonObject>promise().future();
      Chat c = chat(node);
      long started = System.nanoTime();
      assertRejected(c.direct("t1", "late"), "hook_unavailable");
      assertRejected(c.group("t2", "late"), "hook_unavailable");
      assertRejected(c.room("late"), "hook_unavailable");
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertTrue(ms < 5_000, "three sends past a 300 ms hook deadline took " + ms + " ms");
      await(c.bob().request(new JsonObject().put("op", "ping")));
      assertFalse(c.bob().next("msg").isComplete(), "nothing was delivered");
      JsonArray history = GroupIT.call(node, HttpMethod.GET, "/api/v1/conversations/" + c.a().getLong("uid")
          + "/messages", null, c.b(), 200).getJsonArray("messages");
      assertEquals(0, history.size(), "nothing was stored");
    }
  }
}
