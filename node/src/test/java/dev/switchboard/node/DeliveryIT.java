package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Delivery guarantees of one-to-one messages, on the embedded default and on MariaDB + Redis. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class DeliveryIT {
  /** High enough that the tests that send fast are not rate limited; the rate-limit test sets its own. */
  private static final JsonObject FAST = new JsonObject().put("router",
      new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000));

  static JsonObject send(String cid, long to, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("to", to).put("type", "text").put("body", body);
  }

  /** Every inbox entry after {@code after}, page by page; asserts each page's size bound. */
  static List<JsonObject> syncAll(ImClient c, long after, int limit) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    long cursor = after;
    while (true) {
      JsonObject page = await(c.request(new JsonObject().put("op", "sync").put("after", cursor).put("limit", limit)));
      assertEquals("sync.batch", page.getString("op"), page.encode());
      JsonArray msgs = page.getJsonArray("msgs");
      assertTrue(msgs.size() <= limit);
      for (int i = 0; i < msgs.size(); i++) {
        all.add(msgs.getJsonObject(i));
      }
      if (!page.getBoolean("more")) {
        return all;
      }
      cursor = msgs.getJsonObject(msgs.size() - 1).getLong("seq");
    }
  }

  static void assertContiguous(List<JsonObject> entries, long firstSeq) {
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(firstSeq + i, entries.get(i).getLong("seq"), "seq of entry " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void offlineRecipientSyncsExactlyWhatWasSentInSeqOrder(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject a = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      long bobUid = node.login(bobName, "web").getLong("uid");
      ImClient alice = node.online("ws", a);
      List<Future<JsonObject>> acks = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        acks.add(alice.request(send("off-" + i, bobUid, "m" + i)));
      }
      List<String> ackedMids = new ArrayList<>();
      for (Future<JsonObject> f : acks) {
        JsonObject ack = await(f);
        assertEquals("msg.ack", ack.getString("op"), ack.encode());
        ackedMids.add(ack.getString("mid"));
      }

      ImClient bob = node.online("tcp", node.login(bobName, "mobile"));
      List<JsonObject> synced = syncAll(bob, 0, 100);
      assertEquals(500, synced.size());
      assertContiguous(synced, 1);
      for (int i = 0; i < 500; i++) {
        assertEquals("m" + i, synced.get(i).getString("body"), "sent order kept");
        assertEquals(ackedMids.get(i), synced.get(i).getString("mid"));
      }
      assertEquals(0, syncAll(bob, 500, 100).size(), "nothing after the last seq");

      // The sender's inbox holds the same 500 at its own seqs, so its other devices can sync them too.
      List<JsonObject> sent = syncAll(node.online("tcp", node.login(node.usernames.get(a.getLong("uid")),
          "desktop")), 0, 500);
      assertEquals(500, sent.size());
      assertContiguous(sent, 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void onlineDevicesGetLiveMessagesWithTheirOwnSeqs(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      String aliceName = node.newUser();
      String bobName = node.newUser();
      ImClient aliceWeb = node.online("ws", node.login(aliceName, "web"));
      ImClient alicePhone = node.online("tcp", node.login(aliceName, "mobile"));
      JsonObject b = node.login(bobName, "web");
      ImClient bobWeb = node.online("tcp", b);
      ImClient bobPad = node.online("ws", node.login(bobName, "pad"));
      long bobUid = b.getLong("uid");

      // Bob already has one message in his inbox, from himself, so the two users' seqs differ.
      await(bobWeb.request(send("note", bobUid, "note to self")));
      await(bobPad.next("msg"));

      JsonObject ack = await(aliceWeb.request(send("hello", bobUid, "hello")));
      assertEquals(1L, ack.getLong("seq"), "the sender's inbox seq");
      JsonObject atBobWeb = await(bobWeb.next(f -> "msg".equals(f.getString("op")) && "hello".equals(f.getString("cid"))));
      JsonObject atBobPad = await(bobPad.next(f -> "msg".equals(f.getString("op")) && "hello".equals(f.getString("cid"))));
      JsonObject atAlicePhone = await(alicePhone.next("msg"));
      assertEquals(2L, atBobWeb.getLong("seq"));
      assertEquals(2L, atBobPad.getLong("seq"));
      assertEquals(1L, atAlicePhone.getLong("seq"));
      assertEquals(ack.getString("mid"), atBobWeb.getString("mid"));
      assertEquals(ack.getString("mid"), atAlicePhone.getString("mid"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void retryWithTheSameCidYieldsTheOriginalMessage(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      String aliceName = node.newUser();
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", node.login(aliceName, "web"));
      JsonObject first = await(alice.request(send("once", b.getLong("uid"), "only once")));
      JsonObject again = await(alice.request(send("once", b.getLong("uid"), "only once")));
      assertEquals(first.getString("mid"), again.getString("mid"));
      assertEquals(first.getLong("seq"), again.getLong("seq"));

      // After a reconnect, and sent twice at once (the two may land on different routers).
      await(alice.close());
      ImClient back = node.online("tcp", node.login(aliceName, "web"));
      Future<JsonObject> x = back.request(send("once", b.getLong("uid"), "only once"));
      Future<JsonObject> y = back.request(send("once", b.getLong("uid"), "only once"));
      assertEquals(first.getString("mid"), await(x).getString("mid"));
      assertEquals(first.getString("mid"), await(y).getString("mid"));

      ImClient bob = node.online("ws", b);
      List<JsonObject> inbox = syncAll(bob, 0, 50);
      assertEquals(1, inbox.size(), "one stored message");
      assertEquals(first.getString("mid"), inbox.get(0).getString("mid"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void rapidSendsOverTwoRoutersArriveInOrderWithContiguousSeqs(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      assertEquals(2, node.config.getJsonObject("verticles").getJsonObject("router").getInteger("instances"));
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", node.login(node.newUser(), "web"));
      ImClient bob = node.online("tcp", b);
      int n = 2_000;
      List<Future<JsonObject>> acks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        acks.add(alice.request(send("r" + i, b.getLong("uid"), i)));
      }
      long lastAckSeq = 0;
      for (Future<JsonObject> f : acks) {
        long seq = await(f).getLong("seq");
        assertTrue(seq == lastAckSeq + 1, "ack seqs contiguous in send order");
        lastAckSeq = seq;
      }
      for (int i = 0; i < n; i++) {
        JsonObject m = await(bob.next("msg"));
        assertEquals(i, m.getInteger("body"), "delivered in the order sent and acked");
        assertEquals(i + 1L, m.getLong("seq"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void deliveredNoticesReadCursorsAndUnreadCounts(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject a = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      long bobUid = node.login(bobName, "web").getLong("uid");
      ImClient alice = node.online("ws", a);
      List<String> mids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        mids.add(await(alice.request(send("d" + i, bobUid, "x" + i))).getString("mid"));
      }
      JsonObject bobSession = node.login(bobName, "mobile");
      ApiClient.Result convs = await(node.api.call(HttpMethod.GET, "/api/v1/conversations", null,
          bobSession.getString("token")));
      assertEquals(200, convs.status());
      JsonObject conv = convs.body().getJsonArray("conversations").getJsonObject(0);
      assertEquals(a.getLong("uid"), conv.getLong("peer"));
      assertEquals(5L, conv.getLong("unread"));
      assertEquals(mids.get(4), conv.getJsonObject("last").getString("mid"));

      ImClient bobPhone = node.online("tcp", bobSession);
      ImClient bobDesk = node.online("ws", node.login(bobName, "desktop"));
      assertEquals(5, syncAll(bobPhone, 0, 10).size());
      await(bobPhone.request(new JsonObject().put("op", "msg.recv").put("upTo", 3)));
      JsonObject delivered = await(alice.next("msg.delivered"));
      assertEquals(new JsonArray(mids.subList(0, 3)), delivered.getJsonArray("mids"));
      assertEquals(bobUid, delivered.getLong("to"));
      // Another device confirming the same range sends nothing; confirming more sends only the rest.
      await(bobDesk.request(new JsonObject().put("op", "msg.recv").put("upTo", 3)));
      await(bobDesk.request(new JsonObject().put("op", "msg.recv").put("upTo", 5)));
      assertEquals(new JsonArray(mids.subList(3, 5)), await(alice.next("msg.delivered")).getJsonArray("mids"));
      JsonObject pong = await(alice.request(new JsonObject().put("op", "ping")));
      assertEquals("pong", pong.getString("op"));
      assertFalse(alice.next("msg.delivered").isComplete(), "each message is reported delivered once");

      JsonObject ok = await(bobPhone.request(new JsonObject().put("op", "msg.read").put("peer", a.getLong("uid"))
          .put("upTo", 4)));
      assertEquals("ok", ok.getString("op"));
      assertEquals(1L, ok.getLong("unread"));
      JsonObject read = await(alice.next("msg.read"));
      assertEquals(bobUid, read.getLong("by"));
      assertEquals(4L, read.getLong("upTo"), "in the sender's own seqs");
      JsonObject otherDevice = await(bobDesk.next("msg.read"));
      assertEquals(a.getLong("uid"), otherDevice.getLong("peer"));
      assertEquals(4L, otherDevice.getLong("upTo"));
      JsonObject after = await(node.api.call(HttpMethod.GET, "/api/v1/conversations", null,
          bobSession.getString("token"))).body().getJsonArray("conversations").getJsonObject(0);
      assertEquals(1L, after.getLong("unread"));

      JsonObject history = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + bobUid
          + "/messages?limit=3", null, a.getString("token"))).body();
      JsonArray page = history.getJsonArray("messages");
      assertEquals(3, page.size());
      assertTrue(history.getBoolean("more"));
      assertEquals(mids.get(4), page.getJsonObject(0).getString("mid"), "newest first");
      assertFalse(page.getJsonObject(0).getBoolean("read"));
      assertTrue(page.getJsonObject(1).getBoolean("read"));
      assertTrue(page.getJsonObject(1).getBoolean("delivered"));
      JsonArray older = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + bobUid
          + "/messages?before=" + page.getJsonObject(2).getString("mid"), null, a.getString("token")))
          .body().getJsonArray("messages");
      assertEquals(2, older.size());
      assertEquals(mids.get(0), older.getJsonObject(1).getString("mid"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void historyOfAConversationWithOneselfHasEachMessageOnce(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject a = node.login(node.newUser(), "web");
      long me = a.getLong("uid");
      ImClient alice = node.online("ws", a);
      List<String> mids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        mids.add(await(alice.request(send("self-" + i, me, "note " + i))).getString("mid"));
      }
      JsonObject first = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + me + "/messages?limit=2",
          null, a.getString("token"))).body();
      JsonArray page = first.getJsonArray("messages");
      assertEquals(List.of(mids.get(2), mids.get(1)),
          List.of(page.getJsonObject(0).getString("mid"), page.getJsonObject(1).getString("mid")));
      assertTrue(first.getBoolean("more"));
      JsonObject rest = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + me + "/messages?before="
          + mids.get(1), null, a.getString("token"))).body();
      assertEquals(1, rest.getJsonArray("messages").size());
      assertEquals(mids.get(0), rest.getJsonArray("messages").getJsonObject(0).getString("mid"));
      assertFalse(rest.getBoolean("more"));
      JsonObject all = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + me + "/messages?limit=3",
          null, a.getString("token"))).body();
      assertEquals(3, all.getJsonArray("messages").size());
      assertFalse(all.getBoolean("more"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void recallInsideTheWindowReachesEveryDeviceAndOfflineSync(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject a = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      JsonObject b = node.login(bobName, "web");
      ImClient alice = node.online("ws", a);
      ImClient bob = node.online("tcp", b);
      String mid = await(alice.request(send("oops", b.getLong("uid"), "wrong chat"))).getString("mid");
      await(bob.next("msg"));

      JsonObject denied = await(bob.request(new JsonObject().put("op", "msg.recall").put("mid", mid)));
      assertEquals("forbidden", denied.getString("code"));
      JsonObject unknown = await(alice.request(new JsonObject().put("op", "msg.recall").put("mid", "12345")));
      assertEquals("not_found", unknown.getString("code"));

      JsonObject ok = await(alice.request(new JsonObject().put("op", "msg.recall").put("mid", mid)));
      assertEquals("msg.recall.ok", ok.getString("op"));
      assertEquals(2L, ok.getLong("seq"));
      JsonObject recalled = await(bob.next("msg.recalled"));
      assertEquals(mid, recalled.getString("mid"));
      assertEquals(a.getLong("uid"), recalled.getLong("by"));
      assertEquals(2L, recalled.getLong("seq"));

      // A device that was offline learns it on sync: the message shows recalled without its body, then the event.
      List<JsonObject> synced = syncAll(node.online("ws", node.login(bobName, "pad")), 0, 10);
      assertEquals(2, synced.size());
      assertTrue(synced.get(0).getBoolean("recalled"));
      assertEquals(null, synced.get(0).getValue("body"));
      assertEquals("msg.recalled", synced.get(1).getString("op"));
      JsonObject history = await(node.api.call(HttpMethod.GET, "/api/v1/conversations/" + b.getLong("uid")
          + "/messages", null, a.getString("token"))).body();
      assertTrue(history.getJsonArray("messages").getJsonObject(0).getBoolean("recalled"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void recallAfterTheWindowIsRefused(Backend backend, Vertx vertx) throws Exception {
    JsonObject settings = FAST.copy();
    settings.getJsonObject("router").put("recallWindowMs", 0);
    try (TestNode node = TestNode.startWith(vertx, backend, settings)) {
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", node.login(node.newUser(), "web"));
      String mid = await(alice.request(send("late", b.getLong("uid"), "too late"))).getString("mid");
      JsonObject late = await(alice.request(new JsonObject().put("op", "msg.recall").put("mid", mid)));
      assertEquals("recall_expired", late.getString("code"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void badSendsGetTheirCodes(Backend backend, Vertx vertx) throws Exception {
    JsonObject limited = new JsonObject().put("router", new JsonObject().put("sendRate", 1).put("sendBurst", 3));
    try (TestNode node = TestNode.startWith(vertx, backend, limited)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", a);
      assertEquals("not_found", await(alice.request(send("u", 999_999_999L, "hi"))).getString("code"));

      ApiClient.Result blocked = await(node.api.call(HttpMethod.PUT, "/api/v1/blocks/" + a.getLong("uid"), null,
          b.getString("token")));
      assertEquals(204, blocked.status());
      assertEquals("blocked", await(alice.request(send("b", b.getLong("uid"), "hi"))).getString("code"));
      assertEquals(204, await(node.api.call(HttpMethod.DELETE, "/api/v1/blocks/" + a.getLong("uid"), null,
          b.getString("token"))).status());
      assertEquals("msg.ack", await(alice.request(send("b2", b.getLong("uid"), "hi again"))).getString("op"));

      JsonObject limitedErr = null;
      for (int i = 0; i < 5 && limitedErr == null; i++) {
        JsonObject r = await(alice.request(send("rl" + i, b.getLong("uid"), "fast")));
        if ("error".equals(r.getString("op"))) {
          limitedErr = r;
        }
      }
      assertNotNull(limitedErr, "the burst of 3 runs out");
      assertEquals("rate_limited", limitedErr.getString("code"));
      assertTrue(limitedErr.getLong("retryAfterMs") > 0);

      assertEquals("invalid_field", await(alice.request(new JsonObject().put("op", "sync").put("limit", 0)))
          .getString("code"));
      assertEquals("invalid_field", await(alice.request(new JsonObject().put("op", "msg.recall").put("mid", "x")))
          .getString("code"));
      assertEquals("invalid_field", await(alice.request(new JsonObject().put("op", "msg.read").put("peer", 1)))
          .getString("code"));
      Set<String> codes = new HashSet<>();
      codes.add(await(node.api.call(HttpMethod.GET, "/api/v1/conversations", null, "bad-token")).body()
          .getString("code"));
      assertEquals(Set.of("auth_failed"), codes);
    }
  }
}
