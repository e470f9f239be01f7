package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Webhooks against a real receiver (docs/integration.md, "Webhooks"): signed batches, retries through a receiver that
 * fails on purpose for a while with nothing lost and nothing repeated, offline notifications only for recipients with
 * no device online, presence and group events, and the queue bound when the receiver stays down.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class WebhooksIT {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void meters() {
    Metrics.globalRegistry.add(meters);
  }

  @AfterEach
  void noMeters() {
    Metrics.globalRegistry.remove(meters);
  }

  private static JsonObject send(String cid, long to, Object body) {
    return new JsonObject().put("op", "msg.send").put("cid", cid).put("to", to).put("type", "text").put("body", body);
  }

  private static JsonObject hooks(JsonObject webhook) {
    return new JsonObject().put("hooks", new JsonObject().put("webhooks", new JsonArray().add(webhook)));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyEventArrivesOnceSignedThroughFailuresAndRetries(Backend backend, Vertx vertx) throws Exception {
    try (HookReceiver receiver = HookReceiver.start(vertx);
         TestNode node = TestNode.startWith(vertx, backend, hooks(receiver.webhook(new JsonObject()
             .put("events", new JsonArray().add("message.sent").add("group.message.sent").add("message.offline")
                 .add("user.online").add("user.offline").add("group.*")).put("maxBatch", 7))))) {
      receiver.failNext.set(5);
      JsonObject a = node.login(node.newUser(), "web");
      String bobName = node.newUser();
      JsonObject b = node.login(bobName, "mobile");
      JsonObject c = node.login(node.newUser(), "web");
      long alice = a.getLong("uid");
      long bob = b.getLong("uid");
      long carol = c.getLong("uid");
      ImClient aliceWs = node.online("ws", a);
      ImClient bobTcp = node.online("tcp", b);

      List<String> toBob = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        toBob.add(await(aliceWs.request(send("b" + i, bob, "hi bob " + i))).getString("mid"));
      }
      JsonObject toCarol = await(aliceWs.request(send("c1", carol, new JsonObject().put("text", "are you there?"))));
      long gid = GroupIT.call(node, HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "crew")
          .put("members", new JsonArray().add(bob).add(carol)), a, 201).getLong("gid");
      JsonObject groupAck = await(aliceWs.request(GroupIT.groupSend("g1", gid, "hello crew")));
      GroupIT.call(node, HttpMethod.PATCH, "/api/v1/groups/" + gid, new JsonObject().put("name", "crew 2"), a, 200);
      // Bob stays online throughout (his offline checks run after the sends, at any time); his second device comes
      // and goes.
      ImClient bobPad = node.online("ws", node.login(bobName, "pad"));
      await(bobPad.close());

      receiver.waitFor("every message.sent", () -> receiver.ofType("message.sent").size() == 31);
      receiver.waitFor("the group events", () -> receiver.ofType("group.renamed").size() == 1
          && receiver.ofType("group.created").size() == 1 && receiver.ofType("group.message.sent").size() == 1);
      receiver.waitFor("carol's two offline notifications",
          () -> receiver.ofType("message.offline").size() >= 2);
      receiver.waitFor("bob's pad going offline", () -> receiver.ofType("user.offline").stream()
          .anyMatch(e -> e.getJsonObject("data").getLong("uid") == bob));

      assertEquals(0, receiver.badSignatures.get(), "every POST is signed with the endpoint's secret");
      assertEquals(List.of(), receiver.schemaErrors, "every batch matches docs/schemas");
      assertEquals(5, receiver.refusedOnPurpose.get(), "the receiver failed five batches, each retried");
      assertEquals(0, receiver.duplicates.get(), "no event is delivered twice");
      assertTrue(receiver.largestBatch.get() <= 7, "batches hold at most maxBatch events");

      Set<String> sentMids = receiver.ofType("message.sent").stream()
          .map(e -> e.getJsonObject("data").getString("mid")).collect(Collectors.toSet());
      assertTrue(sentMids.containsAll(toBob) && sentMids.contains(toCarol.getString("mid")), "nothing lost");
      JsonObject first = receiver.events.get("message.sent:" + toBob.get(0)).getJsonObject("data");
      assertEquals(alice, first.getLong("from"));
      assertEquals(bob, first.getLong("to"));
      assertEquals("hi bob 0", first.getString("body"));
      assertEquals("b0", first.getString("cid"));
      assertEquals("text", first.getString("type"));

      List<JsonObject> offline = receiver.ofType("message.offline");
      assertEquals(2, offline.size(), "only carol had no device online: " + offline);
      JsonObject direct = receiver.events.get("message.offline:" + toCarol.getString("mid") + ":" + carol)
          .getJsonObject("data");
      assertEquals(carol, direct.getLong("uid"));
      assertEquals(alice, direct.getLong("from"));
      assertEquals(new JsonObject().put("kind", "direct").put("id", alice), direct.getJsonObject("conversation"));
      assertEquals("are you there?", direct.getString("preview"));
      assertEquals(1L, direct.getLong("unread"));
      JsonObject inGroup = receiver.events.get("message.offline:" + groupAck.getString("mid") + ":" + carol)
          .getJsonObject("data");
      assertEquals(new JsonObject().put("kind", "group").put("id", gid), inGroup.getJsonObject("conversation"));
      assertEquals("hello crew", inGroup.getString("preview"));
      assertTrue(inGroup.getLong("unread") >= 1);

      JsonObject groupSent = receiver.events.get("group.message.sent:" + groupAck.getString("mid"))
          .getJsonObject("data");
      assertEquals(gid, groupSent.getLong("group"));
      assertEquals(groupAck.getLong("seq"), groupSent.getLong("seq"));
      assertEquals("crew 2", receiver.ofType("group.renamed").get(0).getJsonObject("data").getString("name"));
      assertEquals(new JsonArray().add(alice).add(bob).add(carol),
          receiver.ofType("group.created").get(0).getJsonObject("data").getJsonArray("members"));

      Set<Long> cameOnline = receiver.ofType("user.online").stream()
          .map(e -> e.getJsonObject("data").getLong("uid")).collect(Collectors.toSet());
      assertEquals(Set.of(alice, bob), cameOnline, "a session coming online is announced");
      assertEquals(1, receiver.ofType("user.offline").size(), "only the pad's session closed");
      JsonObject bobOff = receiver.ofType("user.offline").get(0).getJsonObject("data");
      assertEquals("ws", bobOff.getString("transport"));
      assertEquals("pad", bobOff.getString("device"));
      assertTrue(receiver.ofType("user.online").stream().anyMatch(e -> e.getJsonObject("data").getString("session")
          .equals(bobOff.getString("session"))), "the session that went offline had come online");
      assertEquals("hi bob 0", await(bobTcp.next("msg")).getString("body"), "bob was online and got it live");
      assertTrue(receiver.arrivals.stream().allMatch(e -> e.getLong("ts") > 0 && e.getJsonObject("data") != null));
    }
  }

  /**
   * Push notifications follow each member's notification level: all (Dave) hears every message, mentions only
   * (Carol) the messages that mention her or everyone, marked {@code mention: true}, none (Bob) nothing.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void offlineNotificationsFollowTheMembersLevelAndMentionsGetThrough(Backend backend, Vertx vertx) throws Exception {
    try (HookReceiver receiver = HookReceiver.start(vertx);
         TestNode node = TestNode.startWith(vertx, backend, hooks(receiver.webhook(new JsonObject()
             .put("events", new JsonArray().add("message.offline")))))) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      JsonObject c = node.login(node.newUser(), "web");
      JsonObject d = node.login(node.newUser(), "web");
      long bob = b.getLong("uid");
      long carol = c.getLong("uid");
      long dave = d.getLong("uid");
      long gid = GroupIT.createGroup(node, a, bob, carol, dave);
      GroupIT.call(node, HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications",
          new JsonObject().put("level", "none"), b, 200);
      GroupIT.call(node, HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications",
          new JsonObject().put("level", "mentions"), c, 200);
      ImClient alice = node.online("ws", a);
      String plain = await(alice.request(GroupIT.groupSend("p", gid, "plain"))).getString("mid");
      String toCarol = await(alice.request(GroupIT.groupSend("m", gid, "carol?")
          .put("mentions", new JsonArray().add(carol).add(bob)))).getString("mid");
      String toAll = await(alice.request(GroupIT.groupSend("a", gid, "everyone").put("mentionAll", true)))
          .getString("mid");
      // Each message's notifications are emitted together: Dave's mark that a message's are all out.
      receiver.waitFor("dave's three and carol's two", () -> receiver.ofType("message.offline").size() >= 5
          && receiver.events.containsKey("message.offline:" + plain + ":" + dave)
          && receiver.events.containsKey("message.offline:" + toCarol + ":" + dave)
          && receiver.events.containsKey("message.offline:" + toAll + ":" + dave));
      assertEquals(5, receiver.ofType("message.offline").size(), receiver.ofType("message.offline").toString());
      assertTrue(receiver.events.get("message.offline:" + toCarol + ":" + carol).getJsonObject("data")
          .getBoolean("mention"));
      assertTrue(receiver.events.get("message.offline:" + toAll + ":" + carol).getJsonObject("data")
          .getBoolean("mention"));
      assertTrue(receiver.events.get("message.offline:" + toAll + ":" + dave).getJsonObject("data")
          .getBoolean("mention"));
      assertEquals(null, receiver.events.get("message.offline:" + plain + ":" + dave).getJsonObject("data")
          .getValue("mention"));
      assertEquals(List.of(), receiver.schemaErrors, "every batch matches docs/schemas");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aFullQueueDropsTheOldestAndSendsStayFast(Backend backend, Vertx vertx) throws Exception {
    try (HookReceiver receiver = HookReceiver.start(vertx);
         TestNode node = TestNode.startWith(vertx, backend, hooks(receiver.webhook(new JsonObject()
             .put("events", new JsonArray().add("message.sent")).put("queue", 5).put("maxBatch", 2))))) {
      receiver.down = true;
      String endpoint = receiver.url("/events");
      JsonObject a = node.login(node.newUser(), "web");
      long bob = node.login(node.newUser(), "web").getLong("uid");
      ImClient aliceWs = node.online("ws", a);
      Gauge queue = meters.find("switchboard.webhook.queue").tag("endpoint", endpoint).gauge();
      assertTrue(queue != null, "the queue gauge is registered for the endpoint");
      double longest = 0;
      long started = System.nanoTime();
      List<String> mids = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        mids.add(await(aliceWs.request(send("q" + i, bob, "n" + i))).getString("mid"));
        longest = Math.max(longest, queue.value());
      }
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      receiver.waitFor("a retry against the down receiver", () -> receiver.refusedOnPurpose.get() >= 2);
      Counter dropped = meters.find("switchboard.webhook.dropped").tag("endpoint", endpoint).counter();
      receiver.waitFor("drops counted", () -> dropped.count() >= 50);
      assertTrue(longest <= 5, "the queue never holds more than its bound: " + longest);
      assertTrue(tookMs < 20_000, "sends are acked whatever the endpoint does: " + tookMs + " ms for 60");

      receiver.down = false;
      receiver.waitFor("the newest event",
          () -> receiver.events.containsKey("message.sent:" + mids.get(59)));
      receiver.waitForMeter("the queue drained", () -> queue.value() == 0);
      assertTrue(receiver.events.size() <= 5 + 2, "only the bound (plus a batch in flight) survives: "
          + receiver.events.size());
      for (int i = 55; i < 60; i++) {
        assertTrue(receiver.events.containsKey("message.sent:" + mids.get(i)), "the newest five are kept");
      }
      assertEquals(0, receiver.badSignatures.get());
      assertEquals(List.of(), receiver.schemaErrors);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void busEventsReachABridgeServiceThatMayConsumeThem(Backend backend, Vertx vertx) throws Exception {
    String secret = "events-service-secret-0123456789";
    JsonObject bridge = new JsonObject().put("services", new JsonArray().add(new JsonObject().put("name", "events")
        .put("secret", secret).put("outbound", new JsonArray().add("im.events.*"))));
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject().put("bridge", bridge)
        .put("hooks", new JsonObject().put("busEvents", true)))) {
      BridgeIT.BridgeClient service = BridgeIT.BridgeClient.connect(vertx, node.bridgePort());
      JsonObject hello = await(service.request("im.bridge.auth", new JsonObject().put("service", "events")
          .put("secret", secret)));
      assertEquals("message", hello.getString("type"), hello.encode());
      service.send(new JsonObject().put("type", "register").put("address", "im.events.message.sent"));
      service.send(new JsonObject().put("type", "ping"));
      await(service.next("pong"));

      JsonObject a = node.login(node.newUser(), "web");
      long bob = node.login(node.newUser(), "web").getLong("uid");
      JsonObject ack = await(node.online("ws", a).request(send("e1", bob, "over the bus")));
      JsonObject frame = await(service.next(f -> "message".equals(f.getString("type"))
          && "im.events.message.sent".equals(f.getString("address"))));
      JsonObject event = frame.getJsonObject("body");
      HookSchemas.check("message.sent.schema.json", event);
      assertEquals("message.sent:" + ack.getString("mid"), event.getString("id"));
      assertEquals("over the bus", event.getJsonObject("data").getString("body"));
    }
  }

  @Test
  void aBadHooksSectionStopsTheStartNamingTheKey(Vertx vertx) {
    Exception e = assertThrows(Exception.class, () -> TestNode.startWith(vertx,
        Backend.EMBEDDED, hooks(new JsonObject().put("url", "http://127.0.0.1:9/e").put("secret", "short"))));
    assertTrue(String.valueOf(e.getMessage()).contains("hooks.webhooks[0].secret"), String.valueOf(e));
    Exception placeholder = assertThrows(Exception.class, () -> TestNode.startWith(
        vertx, Backend.EMBEDDED, new JsonObject().put("hooks", new JsonObject().put("beforeSend", new JsonObject()
            .put("url", "http://127.0.0.1:9/b").put("secret", "change-me-before-send-secret")))));
    assertTrue(String.valueOf(placeholder.getMessage()).contains("hooks.beforeSend.secret"),
        String.valueOf(placeholder));
  }
}
