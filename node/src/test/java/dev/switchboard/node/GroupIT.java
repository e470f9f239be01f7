package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group chat on both backends: membership, ordered fan-out, sync, moderation. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class GroupIT {
  private static final JsonObject FAST = new JsonObject()
      .put("router", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000))
      .put("group", new JsonObject().put("sendRate", 100_000).put("sendBurst", 100_000));

  static JsonObject groupSend(String cid, long gid, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("group", gid).put("type", "text")
        .put("body", body);
  }

  static JsonObject call(TestNode node, HttpMethod method, String path, Object body, JsonObject session,
                         int status) throws Exception {
    ApiClient.Result r = await(node.api.call(method, path, body, session.getString("token")));
    assertEquals(status, r.status(), path + " → " + r.body());
    return r.body();
  }

  static long createGroup(TestNode node, JsonObject owner, long... members) throws Exception {
    JsonArray list = new JsonArray();
    for (long m : members) {
      list.add(m);
    }
    return call(node, HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "team").put("members", list),
        owner, 201).getLong("gid");
  }

  /** The next {@code msg} of group {@code gid} a client receives. */
  static Future<JsonObject> nextGroupMsg(ImClient c, long gid) {
    return c.next(f -> "msg".equals(f.getString("op")) && Long.valueOf(gid).equals(f.getLong("group")));
  }

  /** Every timeline entry of a group after {@code after}, page by page. */
  static List<JsonObject> syncGroup(ImClient c, long gid, long after) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    long cursor = after;
    while (true) {
      JsonObject page = await(c.request(new JsonObject().put("op", "sync").put("group", gid).put("after", cursor)
          .put("limit", 50)));
      assertEquals("sync.batch", page.getString("op"), page.encode());
      JsonArray msgs = page.getJsonArray("msgs");
      msgs.forEach(m -> all.add((JsonObject) m));
      if (!page.getBoolean("more")) {
        return all;
      }
      cursor = msgs.getJsonObject(msgs.size() - 1).getLong("seq");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyMemberDeviceGetsEachMessageOnceInSeqOrder(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject alice = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      JsonObject bob = node.login(bobName, "mobile");
      JsonObject carol = node.login(node.newUser(), "web");
      long gid = createGroup(node, alice, bob.getLong("uid"), carol.getLong("uid"));

      ImClient aliceWs = node.online("ws", alice);
      ImClient bobTcp = node.online("tcp", bob);
      ImClient bobDesk = node.online("ws", node.login(bobName, "desktop"));
      ImClient carolTcp = node.online("tcp", carol);
      for (ImClient c : List.of(aliceWs, bobTcp, bobDesk, carolTcp)) {
        JsonObject groups = await(c.next("groups")).getJsonObject("groups");
        assertEquals(1L, groups.getLong(Long.toString(gid)), "the group's head (the 'created' event) on connect");
      }
      List<Long> ackSeqs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JsonObject ack = await(aliceWs.request(groupSend("g" + i, gid, "hello " + i)));
        assertEquals("msg.ack", ack.getString("op"), ack.encode());
        assertEquals(gid, ack.getLong("group"));
        ackSeqs.add(ack.getLong("seq"));
      }
      assertEquals(2L, ackSeqs.get(0));
      for (ImClient c : List.of(bobTcp, bobDesk, carolTcp)) {
        for (int i = 0; i < 20; i++) {
          JsonObject m = await(nextGroupMsg(c, gid));
          assertEquals(ackSeqs.get(i), m.getLong("seq"), "in seq order");
          assertEquals("hello " + i, m.getString("body"));
          assertEquals(alice.getLong("uid"), m.getLong("from"));
        }
      }
      // Exactly once: after a round trip nothing else is queued for the group.
      for (ImClient c : List.of(aliceWs, bobTcp, bobDesk, carolTcp)) {
        await(c.request(new JsonObject().put("op", "ping")));
        assertFalse(nextGroupMsg(c, gid).isComplete(), "no duplicate and no echo to the sender");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void offlineMemberSyncsMessagesAndEventsInOrder(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      JsonObject dave = node.login(node.newUser(), "web");
      long gid = createGroup(node, alice, bob.getLong("uid"));
      ImClient aliceWs = node.online("ws", alice);
      for (int i = 0; i < 30; i++) {
        await(aliceWs.request(groupSend("o" + i, gid, i)));
      }
      call(node, HttpMethod.POST, "/api/v1/groups/" + gid + "/members",
          new JsonObject().put("members", new JsonArray().add(dave.getLong("uid"))), alice, 200);
      call(node, HttpMethod.PATCH, "/api/v1/groups/" + gid, new JsonObject().put("name", "renamed"), alice, 200);
      await(aliceWs.request(groupSend("last", gid, "after the events")));

      ImClient bobTcp = node.online("tcp", bob);
      long head = await(bobTcp.next("groups")).getJsonObject("groups").getLong(Long.toString(gid));
      List<JsonObject> all = syncGroup(bobTcp, gid, 0);
      assertEquals(head, all.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i + 1L, all.get(i).getLong("seq"));
      }
      assertEquals("group.event", all.get(0).getString("op"));
      assertEquals("created", all.get(0).getString("kind"));
      for (int i = 0; i < 30; i++) {
        assertEquals(i, all.get(1 + i).getInteger("body"));
      }
      assertEquals("added", all.get(31).getString("kind"));
      assertEquals("renamed", all.get(32).getString("kind"));
      assertEquals("after the events", all.get(33).getString("body"));

      // Dave joined later: his timeline starts at the event that added him.
      List<JsonObject> daves = syncGroup(node.online("ws", dave), gid, 0);
      assertEquals("added", daves.get(0).getString("kind"));
      assertEquals(3, daves.size());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void concurrentSendersThroughTwoGroupInstancesGetOneOrder(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      assertEquals(2, node.config.getJsonObject("verticles").getJsonObject("group").getInteger("instances"));
      JsonObject owner = node.login(node.newUser(), "web");
      List<JsonObject> members = new ArrayList<>();
      long[] uids = new long[9];
      for (int i = 0; i < 9; i++) {
        members.add(node.login(node.newUser(), "web"));
        uids[i] = members.get(i).getLong("uid");
      }
      members.add(0, owner);
      long gid = createGroup(node, owner, uids);
      List<ImClient> clients = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        ImClient c = node.online(i % 2 == 0 ? "ws" : "tcp", members.get(i));
        await(c.next("groups"));
        clients.add(c);
      }
      List<Future<JsonObject>> acks = new ArrayList<>();
      for (int round = 0; round < 20; round++) {
        for (int m = 0; m < clients.size(); m++) {
          acks.add(clients.get(m).request(groupSend("c" + m + "-" + round, gid, m + ":" + round)));
        }
      }
      for (Future<JsonObject> f : acks) {
        assertEquals("msg.ack", await(f).getString("op"));
      }
      List<String> reference = null;
      for (ImClient c : clients) {
        List<JsonObject> timeline = syncGroup(c, gid, 1);
        assertEquals(200, timeline.size());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          assertEquals(i + 2L, timeline.get(i).getLong("seq"), "contiguous");
          order.add(timeline.get(i).getString("mid"));
        }
        if (reference == null) {
          reference = order;
        }
        assertEquals(reference, order, "every member sees the same order");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void membershipChangesTakeEffectLive(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, FAST)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      JsonObject carol = node.login(node.newUser(), "web");
      JsonObject eve = node.login(node.newUser(), "web");
      long gid = createGroup(node, alice, bob.getLong("uid"));
      ImClient aliceWs = node.online("ws", alice);
      ImClient bobWs = node.online("ws", bob);
      ImClient carolTcp = node.online("tcp", carol);
      ImClient eveWs = node.online("ws", eve);
      for (ImClient c : List.of(aliceWs, bobWs, carolTcp, eveWs)) {
        await(c.next("groups"));
      }
      assertEquals("not_member", await(eveWs.request(groupSend("x", gid, "let me in"))).getString("code"));

      call(node, HttpMethod.POST, "/api/v1/groups/" + gid + "/members",
          new JsonObject().put("members", new JsonArray().add(carol.getLong("uid"))), alice, 200);
      JsonObject added = await(carolTcp.next("group.event"));
      assertEquals("added", added.getString("kind"));
      long next = await(aliceWs.request(groupSend("n1", gid, "welcome"))).getLong("seq");
      assertEquals(next, await(nextGroupMsg(carolTcp, gid)).getLong("seq"), "the added member gets the next message");

      call(node, HttpMethod.DELETE, "/api/v1/groups/" + gid + "/members/" + bob.getLong("uid"), null, alice, 200);
      assertEquals(bob.getLong("uid"), await(bobWs.next(f -> "group.event".equals(f.getString("op"))
          && "removed".equals(f.getString("kind")))).getLong("member"));
      await(aliceWs.request(groupSend("n2", gid, "bob is gone")));
      assertEquals("bob is gone", await(nextGroupMsg(carolTcp, gid)).getString("body"));
      await(bobWs.request(new JsonObject().put("op", "ping")));
      assertEquals("welcome", await(nextGroupMsg(bobWs, gid)).getString("body"), "sent while bob was a member");
      assertFalse(nextGroupMsg(bobWs, gid).isComplete(), "a removed member gets nothing more");
      assertEquals("not_member", await(bobWs.request(new JsonObject().put("op", "sync").put("group", gid)))
          .getString("code"));
      assertEquals("not_member", await(node.api.call(HttpMethod.GET, "/api/v1/groups/" + gid + "/messages", null,
          bob.getString("token"))).body().getString("code"));

      call(node, HttpMethod.PATCH, "/api/v1/groups/" + gid + "/members/" + carol.getLong("uid"),
          new JsonObject().put("muted", true), alice, 200);
      assertEquals("muted", await(carolTcp.request(groupSend("m", gid, "can I?"))).getString("code"));
      call(node, HttpMethod.PATCH, "/api/v1/groups/" + gid + "/members/" + carol.getLong("uid"),
          new JsonObject().put("muted", false), alice, 200);
      call(node, HttpMethod.PATCH, "/api/v1/groups/" + gid, new JsonObject().put("muted", true), alice, 200);
      assertEquals("muted", await(carolTcp.request(groupSend("m2", gid, "now?"))).getString("code"));
      assertEquals("msg.ack", await(aliceWs.request(groupSend("m3", gid, "owners may speak"))).getString("op"));
      assertEquals(403, await(node.api.call(HttpMethod.PATCH, "/api/v1/groups/" + gid, new JsonObject()
          .put("name", "mine now"), carol.getString("token"))).status(), "members cannot rename");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void recallBySenderOrAdminAndGroupInfo(Backend backend, Vertx vertx) throws Exception {
    JsonObject settings = FAST.copy();
    settings.getJsonObject("group").put("recallWindowMs", 0);
    try (TestNode node = TestNode.startWith(vertx, backend, settings)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      long gid = createGroup(node, alice, bob.getLong("uid"));
      ImClient aliceWs = node.online("ws", alice);
      ImClient bobWs = node.online("ws", bob);
      await(bobWs.next("groups"));
      String bobsMid = await(bobWs.request(groupSend("b1", gid, "oops"))).getString("mid");
      await(nextGroupMsg(aliceWs, gid));
      assertEquals("recall_expired", await(bobWs.request(new JsonObject().put("op", "msg.recall")
          .put("group", gid).put("mid", bobsMid))).getString("code"), "past the window for the sender");
      JsonObject ok = await(aliceWs.request(new JsonObject().put("op", "msg.recall").put("group", gid)
          .put("mid", bobsMid)));
      assertEquals("msg.recall.ok", ok.getString("op"), "the owner may recall at any time");
      JsonObject recalled = await(bobWs.next("msg.recalled"));
      assertEquals(bobsMid, recalled.getString("mid"));
      assertEquals(gid, recalled.getLong("group"));
      String alicesMid = await(aliceWs.request(groupSend("a1", gid, "mine"))).getString("mid");
      assertEquals("forbidden", await(bobWs.request(new JsonObject().put("op", "msg.recall").put("group", gid)
          .put("mid", alicesMid))).getString("code"));

      JsonObject info = call(node, HttpMethod.GET, "/api/v1/groups/" + gid, null, bob, 200);
      assertEquals(2L, info.getLong("members"));
      assertEquals("member", info.getString("role"));
      JsonArray mine = call(node, HttpMethod.GET, "/api/v1/groups", null, alice, 200).getJsonArray("groups");
      assertEquals(gid, mine.getJsonObject(0).getLong("gid"));
      JsonObject read = await(bobWs.request(new JsonObject().put("op", "msg.read").put("group", gid)
          .put("upTo", info.getLong("seq"))));
      assertEquals(0L, read.getLong("unread"));
      JsonArray page = call(node, HttpMethod.GET, "/api/v1/groups/" + gid + "/members?limit=1", null, bob, 200)
          .getJsonArray("members");
      assertEquals(1, page.size());
      call(node, HttpMethod.DELETE, "/api/v1/groups/" + gid, null, alice, 200);
      assertEquals("dissolved", await(bobWs.next(f -> "group.event".equals(f.getString("op"))
          && "dissolved".equals(f.getString("kind")))).getString("kind"));
      assertEquals("not_member", await(bobWs.request(groupSend("late", gid, "anyone?"))).getString("code"));
    }
  }
}
