package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.protocol.frame.MessageJson;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Live rooms and the push API on one node: membership, batching, release, broadcast, slow readers, API errors. */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class RoomIT {
  static JsonObject join(String room) {
    return new JsonObject().put("op", "room.join").put("room", room);
  }

  static JsonObject leave(String room) {
    return new JsonObject().put("op", "room.leave").put("room", room);
  }

  static JsonObject push(Object body) {
    return new JsonObject().put("body", body);
  }

  /** A session that joined {@code rooms}. */
  static ImClient member(TestNode node, String transport, String... rooms) throws Exception {
    ImClient c = node.online(transport, node.login(node.newUser(), "web"));
    for (String room : rooms) {
      JsonObject ok = await(c.request(join(room)));
      assertEquals("ok", ok.getString("op"), ok.encode());
    }
    return c;
  }

  static ImClient wsMember(TestNode node, String... rooms) throws Exception {
    return member(node, "ws", rooms);
  }

  static void pushTo(TestNode node, String room, Object body) throws Exception {
    ApiClient.Result r = node.service(HttpMethod.POST, "/api/v1/push/rooms/" + room, push(body));
    assertEquals(200, r.status(), r.body() == null ? "" : r.body().encode());
  }

  /** The next {@code room.msgs} frame of {@code room}. */
  static JsonObject nextBatch(ImClient c, String room) throws Exception {
    return await(c.next(f -> "room.msgs".equals(f.getString("op")) && room.equals(f.getString("room"))));
  }

  /** Bodies of the next room messages of {@code c}, across frames, until {@code count} were seen. */
  static List<Object> bodies(ImClient c, String room, int count) throws Exception {
    List<Object> seen = new ArrayList<>();
    while (seen.size() < count) {
      nextBatch(c, room).getJsonArray("msgs").forEach(m -> seen.add(((JsonObject) m).getValue("body")));
    }
    return seen;
  }

  /**
   * {@code GET path} with the API key until {@code done} holds. Counts change only when a gateway instance reports
   * (every {@code statsIntervalMs}), so between two reads this waits for the next report on the event bus.
   */
  static JsonObject until(TestNode node, String path, Predicate<JsonObject> done) throws Exception {
    return until(node.vertx, node.api, path, done);
  }

  /** {@link #until(TestNode, String, Predicate)} against any API, with the reports seen on {@code vertx}'s bus. */
  static JsonObject until(Vertx vertx, ApiClient api, String path, Predicate<JsonObject> done) throws Exception {
    LinkedBlockingQueue<Object> reports = new LinkedBlockingQueue<>();
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.GATEWAY_STATS,
        m -> reports.offer(m.body()));
    await(consumer.completion());
    try {
      while (true) {
        ApiClient.Result r = await(api.call(HttpMethod.GET, path, null, null, Map.of("X-Api-Key", TestNode.API_KEY)));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        if (done.test(r.body())) {
          return r.body();
        }
        assertNotNull(reports.poll(TestNode.WAIT_S, TimeUnit.SECONDS), "no gateway reported its counts");
      }
    } finally {
      consumer.unregister();
    }
  }

  /** Room message bodies a client received, in order; a test thread can wait for a count. */
  static final class Bodies {
    private final List<Object> bodies = new ArrayList<>();

    synchronized void add(Object body) {
      bodies.add(body);
      notifyAll();
    }

    synchronized Object get(int i) {
      return bodies.get(i);
    }

    /** Waits until at least {@code n} bodies arrived. */
    synchronized void awaitAtLeast(int n) throws InterruptedException {
      long deadline = System.currentTimeMillis() + TestNode.WAIT_S * 1000;
      while (bodies.size() < n) {
        long left = deadline - System.currentTimeMillis();
        assertTrue(left > 0, "only " + bodies.size() + " of " + n + " room messages arrived");
        wait(left);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void pushReachesExactlyTheRoomsMembersAndLeavingStopsIt(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      ImClient a = member(node, "ws", "lobby");
      ImClient b = member(node, "tcp", "lobby", "other");
      ImClient c = member(node, "ws", "other");
      until(node, "/api/v1/rooms/lobby", r -> r.getLong("sessions") == 2);

      pushTo(node, "lobby", "hello");
      pushTo(node, "other", "marker-1");
      assertEquals(List.of("hello"), bodies(a, "lobby", 1));
      assertEquals(List.of("hello"), bodies(b, "lobby", 1));
      // c's first room message is the marker pushed after "hello": the lobby push never reached it.
      JsonObject first = await(c.next("room.msgs"));
      assertEquals("other", first.getString("room"));
      assertEquals("marker-1", first.getJsonArray("msgs").getJsonObject(0).getString("body"));
      assertTrue(first.getJsonArray("msgs").getJsonObject(0).getLong("ts") > 0);

      assertEquals("ok", await(b.request(leave("lobby"))).getString("op"));
      pushTo(node, "lobby", "after-leave");
      pushTo(node, "other", "marker-2");
      assertEquals(List.of("after-leave"), bodies(a, "lobby", 1));
      JsonObject next = await(b.next("room.msgs"));
      assertEquals("other", next.getString("room"), "b left the lobby: " + next.encode());
      JsonObject counts = until(node, "/api/v1/rooms/lobby", r -> r.getLong("sessions") == 1);
      assertEquals(1, counts.getJsonArray("nodes").size());
    }
  }

  @Test
  void batchingMergesPushesInsideOneWindowIntoOneFrameInOrder(Vertx vertx) throws Exception {
    // A window that only a full batch closes: the five pushes must arrive as one frame, in push order.
    JsonObject rooms = new JsonObject().put("batchMs", 600_000).put("batchMax", 5);
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("rooms", rooms))) {
      ImClient a = member(node, "ws", "live");
      ImClient b = member(node, "tcp", "live");
      for (int i = 0; i < 5; i++) {
        pushTo(node, "live", i);
      }
      for (ImClient c : List.of(a, b)) {
        JsonArray msgs = nextBatch(c, "live").getJsonArray("msgs");
        assertEquals(List.of(0, 1, 2, 3, 4), msgs.stream().map(m -> ((JsonObject) m).getValue("body")).toList());
      }
    }
  }

  @Test
  void theWindowTimerFlushesAPartialBatch(Vertx vertx) throws Exception {
    JsonObject rooms = new JsonObject().put("batchMs", 30).put("batchMax", 1_000);
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("rooms", rooms))) {
      ImClient a = wsMember(node, "live");
      pushTo(node, "live", "alone");
      assertEquals(List.of("alone"), bodies(a, "live", 1));
    }
  }

  @Test
  void windowZeroSendsEachPushAlone(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED,
        new JsonObject().put("rooms", new JsonObject().put("batchMs", 0)))) {
      ImClient a = wsMember(node, "live");
      for (int i = 0; i < 5; i++) {
        pushTo(node, "live", i);
      }
      for (int i = 0; i < 5; i++) {
        JsonArray msgs = nextBatch(a, "live").getJsonArray("msgs");
        assertEquals(1, msgs.size(), msgs.encode());
        assertEquals(i, msgs.getJsonObject(0).getInteger("body"));
      }
    }
  }

  /** True when nothing consumes the room's address on this node's event bus. */
  private static boolean noConsumer(Vertx vertx, String room) throws Exception {
    try {
      await(vertx.eventBus().request(Addresses.room(room), null,
          new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(500)));
      return false;
    } catch (ReplyException e) {
      return e.failureType() == ReplyFailure.NO_HANDLERS;
    }
  }

  @Test
  void theLastLocalMemberOutReleasesTheNodesConsumer(Vertx vertx) throws Exception {
    // One gateway instance, so both members share one consumer.
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, new JsonObject().put("instances", 1))) {
      assertTrue(noConsumer(vertx, "stage"));
      ImClient a = wsMember(node, "stage");
      ImClient b = wsMember(node, "stage");
      until(node, "/api/v1/stats", s -> s.getLong("rooms") == 1 && s.getLong("sessions") == 2);
      await(a.request(leave("stage")));
      pushTo(node, "stage", "still-here");
      assertEquals(List.of("still-here"), bodies(b, "stage", 1));
      await(b.request(leave("stage")));
      assertTrue(noConsumer(vertx, "stage"), "the room's consumer is unregistered after the last leave");
      until(node, "/api/v1/stats", s -> s.getLong("rooms") == 0);

      // Closing the connection is a leave too.
      ImClient c = wsMember(node, "stage");
      // Counts are reported periodically: until a report shows c, the latest one (sessions 2, rooms 0) predates c
      // and would end the wait below before the server has seen c's close.
      until(node, "/api/v1/stats", s -> s.getLong("sessions") == 3 && s.getLong("rooms") == 1);
      await(c.close());
      until(node, "/api/v1/stats", s -> s.getLong("sessions") == 2 && s.getLong("rooms") == 0);
      assertTrue(noConsumer(vertx, "stage"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void membersSendOnlyWhereTheRoomAllowsItAndWithinTheRate(Backend backend, Vertx vertx) throws Exception {
    JsonObject rooms = new JsonObject().put("sendRate", 0.001).put("sendBurst", 2).put("maxBodyBytes", 64)
        .put("batchMs", 0);
    try (TestNode node = TestNode.start(vertx, backend, new JsonObject().put("rooms", rooms))) {
      JsonObject alice = node.login(node.newUser(), "web");
      ImClient a = node.online("ws", alice);
      await(a.request(join("chat")));
      ImClient b = wsMember(node, "chat");
      JsonObject say = new JsonObject().put("op", "room.send").put("room", "chat").put("body", "hi");
      assertEquals("forbidden", await(a.request(say)).getString("code"), "rooms are push-only by default");

      ApiClient.Result flag = node.service(HttpMethod.PUT, "/api/v1/rooms/chat",
          new JsonObject().put("membersMaySend", true));
      assertEquals(200, flag.status(), String.valueOf(flag.body()));
      // The flag reaches the node's room subscription by a publish on the room's address; poll until it applies.
      JsonObject reply;
      do {
        reply = await(a.request(say));
      } while ("forbidden".equals(reply.getString("code")));
      assertEquals("ok", reply.getString("op"), reply.encode());
      JsonObject msg = nextBatch(b, "chat").getJsonArray("msgs").getJsonObject(0);
      assertEquals("hi", msg.getString("body"));
      assertEquals(alice.getLong("uid"), msg.getLong("from"));

      assertEquals("ok", await(a.request(say)).getString("op"));
      assertEquals("rate_limited", await(a.request(say)).getString("code"), "burst of 2 used up");
      assertEquals("body_too_large", await(b.request(say.copy().put("body", "x".repeat(65)))).getString("code"));
      assertEquals("not_member", await(b.request(say.copy().put("room", "elsewhere"))).getString("code"));
      assertEquals("invalid_field", await(b.request(join("bad room!"))).getString("code"));

      node.service(HttpMethod.PUT, "/api/v1/rooms/chat", new JsonObject().put("membersMaySend", false));
      do {
        reply = await(b.request(say));
      } while ("ok".equals(reply.getString("op")));
      assertEquals("forbidden", reply.getString("code"));
    }
  }

  @Test
  void aSessionMayBeInAtMostTheConfiguredNumberOfRooms(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED,
        new JsonObject().put("rooms", new JsonObject().put("maxPerSession", 2)))) {
      ImClient a = wsMember(node, "r1", "r2");
      assertEquals("ok", await(a.request(join("r2"))).getString("op"), "joining a room twice is a no-op");
      assertEquals("too_many_rooms", await(a.request(join("r3"))).getString("code"));
      await(a.request(leave("r1")));
      assertEquals("ok", await(a.request(join("r3"))).getString("op"));
      ImClient anonymous = node.ws("/ws");
      assertEquals("not_authenticated", await(anonymous.request(join("r1"))).getString("code"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void pushApiRejectsMissingOrWrongKeysAndBadBodies(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject user = node.login(node.newUser(), "web");
      for (String path : List.of("/api/v1/push/users", "/api/v1/push/groups/1", "/api/v1/push/rooms/r",
          "/api/v1/push/all")) {
        JsonObject body = push("x").put("uids", new JsonArray().add(1));
        ApiClient.Result none = await(node.api.call(HttpMethod.POST, path, body, null));
        assertEquals(401, none.status(), path);
        assertEquals("auth_failed", none.body().getString("code"));
        assertTrue(none.body().containsKey("requestId"));
        ApiClient.Result wrong = await(node.api.call(HttpMethod.POST, path, body, null,
            Map.of("X-Api-Key", "not-the-key-0123456789")));
        assertEquals(401, wrong.status(), path);
        ApiClient.Result userToken = await(node.api.call(HttpMethod.POST, path, body, user.getString("token")));
        assertEquals(401, userToken.status(), "a user token is not an API key: " + path);
      }
      Map<String, JsonObject> bad = Map.of(
          "/api/v1/push/rooms/r", new JsonObject(),
          "/api/v1/push/all", new JsonObject().put("body", "x").put("type", 7),
          "/api/v1/push/users", push("x"),
          "/api/v1/push/users ", push("x").put("uids", new JsonArray().add(-1)),
          "/api/v1/push/users  ", push("x").put("uids", new JsonArray().add(1)).put("persist", true));
      for (var e : bad.entrySet()) {
        ApiClient.Result r = node.service(HttpMethod.POST, e.getKey().strip(), e.getValue());
        assertEquals(400, r.status(), e.getKey() + " " + e.getValue().encode());
        assertEquals("invalid_field", r.body().getString("code"));
      }
      ApiClient.Result notJson = node.service(HttpMethod.POST, "/api/v1/push/all",
          io.vertx.core.buffer.Buffer.buffer("{nope"));
      assertEquals(400, notJson.status());
      assertEquals("bad_request", notJson.body().getString("code"));
      ApiClient.Result badRoom = node.service(HttpMethod.POST, "/api/v1/push/rooms/a%20b", push("x"));
      assertEquals(400, badRoom.status());
      ApiClient.Result noGroup = node.service(HttpMethod.POST, "/api/v1/push/groups/999999", push("x"));
      assertEquals(404, noGroup.status());
      assertEquals("not_found", noGroup.body().getString("code"));
      ApiClient.Result noStats = await(node.api.call(HttpMethod.GET, "/api/v1/stats", null, null));
      assertEquals(401, noStats.status());
      ApiClient.Result userStats = await(node.api.call(HttpMethod.GET, "/api/v1/stats", null, user.getString("token")));
      assertEquals(200, userStats.status());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void userAndGroupPushesLiveAndPersisted(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject official = node.login(node.newUser(), "web");
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      ImClient a = node.online("ws", alice);
      ImClient aPhone = node.online("tcp", node.login(node.usernames.get(alice.getLong("uid")), "phone"));

      JsonObject live = push(new JsonObject().put("title", "sale")).put("type", "promo")
          .put("uids", new JsonArray().add(alice.getLong("uid")));
      ApiClient.Result r = node.service(HttpMethod.POST, "/api/v1/push/users", live);
      assertEquals(200, r.status(), String.valueOf(r.body()));
      assertEquals(1, r.body().getInteger("users"));
      for (ImClient c : List.of(a, aPhone)) {
        JsonObject p = await(c.next("push"));
        assertEquals("user", p.getString("scope"));
        assertEquals("promo", p.getString("type"));
        assertEquals("sale", p.getJsonObject("body").getString("title"));
      }

      // Persisted: bob is offline; he finds it on sync. A retry with the same cid stores nothing new.
      JsonObject stored = push("your order shipped").put("persist", true).put("from", official.getLong("uid"))
          .put("cid", "order-42").put("uids", new JsonArray().add(bob.getLong("uid")).add(alice.getLong("uid")));
      ApiClient.Result first = node.service(HttpMethod.POST, "/api/v1/push/users", stored);
      assertEquals(200, first.status(), String.valueOf(first.body()));
      assertEquals(2, first.body().getJsonArray("stored").size(), first.body().encode());
      JsonObject live2 = await(a.next(f -> "msg".equals(f.getString("op"))));
      assertEquals("your order shipped", live2.getString("body"));
      ApiClient.Result retry = node.service(HttpMethod.POST, "/api/v1/push/users", stored);
      assertEquals(first.body().getJsonArray("stored"), retry.body().getJsonArray("stored"));
      ImClient b = node.online("ws", bob);
      JsonObject page = await(b.request(new JsonObject().put("op", "sync").put("after", 0)));
      assertEquals(1, page.getJsonArray("msgs").size(), page.encode());
      assertEquals("your order shipped", page.getJsonArray("msgs").getJsonObject(0).getString("body"));
      assertEquals(official.getLong("uid"), page.getJsonArray("msgs").getJsonObject(0).getLong("from"));

      ApiClient.Result unknown = node.service(HttpMethod.POST, "/api/v1/push/users", stored.copy().put("cid", "x")
          .put("uids", new JsonArray().add(987654321L)));
      assertEquals("not_found", unknown.body().getJsonArray("failed").getJsonObject(0).getString("code"));

      // Group push: members online get it; it is not stored in the timeline.
      long gid = GroupIT.createGroup(node, alice, bob.getLong("uid"));
      await(b.next("groups"));
      ApiClient.Result g = node.service(HttpMethod.POST, "/api/v1/push/groups/" + gid, push("meeting at 3"));
      assertEquals(200, g.status(), String.valueOf(g.body()));
      JsonObject gp = await(b.next("push"));
      assertEquals("group", gp.getString("scope"));
      assertEquals(gid, gp.getLong("group"));
      assertEquals("meeting at 3", gp.getString("body"));
    }
  }

  @Test
  void broadcastReachesEveryConnectedSession(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      List<ImClient> sessions = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        sessions.add(member(node, i % 2 == 0 ? "ws" : "tcp"));
      }
      ImClient anonymous = node.ws("/ws");
      until(node, "/api/v1/stats", s -> s.getLong("sessions") == 6);
      ApiClient.Result r = node.service(HttpMethod.POST, "/api/v1/push/all", push("maintenance at 5"));
      assertEquals(200, r.status());
      assertEquals(6, r.body().getLong("sessions"));
      assertEquals(1, r.body().getLong("nodes"));
      for (ImClient c : sessions) {
        JsonObject p = await(c.next("push"));
        assertEquals("all", p.getString("scope"));
        assertEquals("maintenance at 5", p.getString("body"));
      }
      // The unauthenticated connection got nothing: its first frame is the reply to its ping.
      assertEquals("pong", await(anonymous.request(new JsonObject().put("op", "ping"))).getString("op"));
      assertEquals(0, anonymous.queued());
    }
  }

  /** Writes one length-prefixed TCP frame. */
  private static void write(DataOutputStream out, JsonObject frame) throws Exception {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
    out.flush();
  }

  private static JsonObject read(DataInputStream in) throws Exception {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void aStalledReaderIsCutOffWhileTheOthersKeepReceiving(Vertx vertx) throws Exception {
    JsonObject gateway = new JsonObject().put("instances", 1).put("writeQueueBytes", 64 * 1024)
        .put("rooms", new JsonObject().put("batchMs", 0));
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED, gateway);
         Socket stalled = new Socket()) {
      ImClient reader = member(node, "tcp", "busy");
      JsonObject session = node.login(node.newUser(), "web");
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", node.gateway().getInteger("tcpPort")));
      DataOutputStream out = new DataOutputStream(stalled.getOutputStream());
      DataInputStream in = new DataInputStream(stalled.getInputStream());
      write(out, new JsonObject().put("op", "auth").put("token", session.getString("token")).put("device", "web"));
      assertEquals("auth.ok", read(in).getString("op"));
      write(out, join("busy").put("id", 1));
      JsonObject joined;
      do {
        joined = read(in);
      } while (!"ok".equals(joined.getString("op")));
      // From here on the stalled socket reads nothing.

      Bodies received = new Bodies();
      reader.onFrame(f -> {
        if ("room.msgs".equals(f.getString("op"))) {
          f.getJsonArray("msgs").forEach(m -> received.add(((JsonObject) m).getValue("body")));
        }
      });
      String big = "x".repeat(32 * 1024);
      int pushed = 0;
      long drops = 0;
      while (drops == 0) {
        assertTrue(pushed < 2_000, "the stalled reader was never cut off");
        for (int i = 0; i < 20; i++) {
          vertx.eventBus().publish(Addresses.room("busy"), MessageJson.roomMessage(null, "t",
              io.vertx.core.json.Json.encode(big + pushed)));
          pushed++;
        }
        received.awaitAtLeast(pushed);
        drops = node.service(HttpMethod.GET, "/api/v1/stats", null).body().getLong("slowConsumerDrops");
      }
      until(node, "/api/v1/rooms/busy", r -> r.getLong("sessions") == 1);
      // The reader kept receiving every push, in order, after the cut as before it.
      for (int i = 0; i < 20; i++) {
        vertx.eventBus().publish(Addresses.room("busy"), MessageJson.roomMessage(null, "t", "\"after-" + i + "\""));
      }
      int total = pushed + 20;
      received.awaitAtLeast(total);
      for (int i = 0; i < pushed; i++) {
        assertEquals(big + i, received.get(i));
      }
      assertEquals("after-19", received.get(total - 1));
    }
  }
}
