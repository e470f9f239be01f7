package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live presence on one node, both backends: a user's contacts (and only they) hear {@code presence} once per change
 * of the user as a whole, in either codec; a second device and a reconnect within the grace announce nothing; the
 * {@code lastSeen} setting governs frames, {@code GET /contacts} and {@code GET /users/{uid}}. And room member counts,
 * throttled, for rooms that enable them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class PresenceIT {
  /** Short enough for a test, long enough that a reconnect right after a close falls inside it. */
  static final long GRACE_MS = 1_500;

  static JsonObject withGrace() {
    return new JsonObject().put("api", new JsonObject().put("presence",
        new JsonObject().put("offlineGraceMs", GRACE_MS)));
  }

  static ApiClient.Result call(TestNode node, JsonObject session, HttpMethod method, String path, Object body)
      throws Exception {
    return await(node.api.call(method, path, body, session.getString("token")));
  }

  /** {@code a} asks {@code b}, {@code b} accepts: contacts. */
  static void befriend(ApiClient api, JsonObject a, JsonObject b) throws Exception {
    ApiClient.Result asked = await(api.call(HttpMethod.POST, "/api/v1/contacts/requests",
        new JsonObject().put("uid", b.getLong("uid")), a.getString("token")));
    assertEquals(201, asked.status(), String.valueOf(asked.body()));
    ApiClient.Result accepted = await(api.call(HttpMethod.POST, "/api/v1/contacts/requests/" + a.getLong("uid")
        + "/accept", null, b.getString("token")));
    assertEquals(200, accepted.status(), String.valueOf(accepted.body()));
  }

  static void setLastSeen(TestNode node, JsonObject session, String setting) throws Exception {
    ApiClient.Result r = call(node, session, HttpMethod.PATCH, "/api/v1/users/me",
        new JsonObject().put("lastSeen", setting));
    assertEquals(200, r.status(), String.valueOf(r.body()));
    assertEquals(setting, r.body().getString("lastSeen"));
  }

  /** The next {@code presence} frame about {@code uid}. */
  static JsonObject presenceOf(ImClient c, long uid) throws Exception {
    return await(c.next(f -> "presence".equals(f.getString("op")) && f.getLong("uid") == uid));
  }

  private static ImClient settled(ImClient c) throws Exception {
    await(c.next("groups"));
    return c;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void contactsHearEachChangeOnceInEitherCodecAndQuickReconnectsAndSecondDevicesAreSilent(Backend backend,
      Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, withGrace())) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject aliceMobile = node.login(node.usernames.get(alice.getLong("uid")), "mobile");
      JsonObject bob = node.login(node.newUser(), "web");
      JsonObject carol = node.login(node.newUser(), "web");
      JsonObject mark = node.login(node.newUser(), "web");
      JsonObject dave = node.login(node.newUser(), "web");
      long a = alice.getLong("uid");
      long m = mark.getLong("uid");
      befriend(node.api, alice, bob);
      befriend(node.api, carol, alice);
      befriend(node.api, bob, mark);
      setLastSeen(node, mark, "nobody");

      ImClient bobC = settled(node.online("ws", bob));
      ImClient carolC = settled(node.onlineProto("tcp", carol));
      ImClient daveC = settled(node.online("ws", dave));
      ImClient markC = settled(node.online("tcp", mark));
      JsonObject markOn = presenceOf(bobC, m);
      assertTrue(markOn.getBoolean("online"));

      ImClient web = settled(node.online("ws", alice));
      for (ImClient contact : List.of(bobC, carolC)) {
        JsonObject on = presenceOf(contact, a);
        assertEquals(new JsonObject().put("op", "presence").put("uid", a).put("online", true), on);
      }
      // A second device, the first one leaving, and a reconnect of the last one within the grace: nothing.
      ImClient mobile = settled(node.onlineProto("tcp", aliceMobile));
      await(web.close());
      await(mobile.close());
      ImClient again = settled(node.online("tcp", aliceMobile));
      // Mark goes offline after all that: by the time Bob hears it (a grace later), Alice's grace ran out too.
      await(markC.close());
      JsonObject markOff = presenceOf(bobC, m);
      assertFalse(markOff.getBoolean("online"));
      assertFalse(markOff.containsKey("lastSeen"), "mark's setting is nobody: " + markOff.encode());

      long closedAt = System.currentTimeMillis();
      await(again.close());
      List<Long> lastSeen = new ArrayList<>();
      for (ImClient contact : List.of(bobC, carolC)) {
        JsonObject off = presenceOf(contact, a);
        assertFalse(off.getBoolean("online"), off.encode());
        lastSeen.add(off.getLong("lastSeen"));
        assertTrue(off.getLong("lastSeen") >= closedAt && off.getLong("lastSeen") <= System.currentTimeMillis(),
            off.encode());
      }
      assertEquals(lastSeen.get(0), lastSeen.get(1), "one announcement, the same frame for both");
      // Nothing else reached anyone: no offline/online pair for the reconnect, nothing for Dave (no contact).
      assertEquals(0, bobC.queued(), "bob got only the transitions");
      assertEquals(0, carolC.queued(), "carol got only the transitions");
      assertEquals(0, daveC.queued(), "dave is nobody's contact");
      assertEquals(0, carolC.textFrames(), "carol's connection is protobuf");

      // The snapshot a client starts from says the same as the frames.
      JsonObject contacts = call(node, bob, HttpMethod.GET, "/api/v1/contacts", null).body();
      JsonObject aliceEntry = entry(contacts, a);
      assertFalse(aliceEntry.getBoolean("online"));
      assertEquals(lastSeen.get(0), aliceEntry.getLong("lastSeen"));
      assertNull(entry(contacts, m).getLong("lastSeen"), "mark hides his last-seen time");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theLastSeenSettingDecidesWhoSeesItAndARemovedContactStopsHearing(Backend backend, Vertx vertx)
      throws Exception {
    JsonObject noGrace = new JsonObject().put("api", new JsonObject().put("presence",
        new JsonObject().put("offlineGraceMs", 0)));
    try (TestNode node = TestNode.startWith(vertx, backend, noGrace)) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      JsonObject carol = node.login(node.newUser(), "web");
      JsonObject dave = node.login(node.newUser(), "web");
      long a = alice.getLong("uid");
      befriend(node.api, alice, bob);
      befriend(node.api, carol, bob);
      ImClient bobC = settled(node.online("ws", bob));

      settled(node.online("ws", alice)).close().await(TestNode.WAIT_S, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(presenceOf(bobC, a).getBoolean("online"));
      long seen = presenceOf(bobC, a).getLong("lastSeen");
      String path = "/api/v1/users/" + a;
      assertEquals(seen, call(node, dave, HttpMethod.GET, path, null).body().getLong("lastSeen"), "everyone");
      assertFalse(call(node, dave, HttpMethod.GET, path, null).body().getBoolean("online"));

      setLastSeen(node, alice, "contacts");
      JsonObject toDave = call(node, dave, HttpMethod.GET, path, null).body();
      assertFalse(toDave.containsKey("lastSeen") || toDave.containsKey("online"), toDave.encode());
      assertEquals(seen, call(node, bob, HttpMethod.GET, path, null).body().getLong("lastSeen"), "bob is a contact");

      setLastSeen(node, alice, "nobody");
      JsonObject toBob = call(node, bob, HttpMethod.GET, path, null).body();
      assertFalse(toBob.getBoolean("online"), toBob.encode());
      assertFalse(toBob.containsKey("lastSeen"), toBob.encode());
      assertEquals(seen, call(node, alice, HttpMethod.GET, path, null).body().getLong("lastSeen"), "her own");
      assertFalse(entry(call(node, bob, HttpMethod.GET, "/api/v1/contacts", null).body(), a).containsKey("lastSeen"));
      // The frames follow the new setting at once (the audience cached at the first change was dropped).
      settled(node.online("ws", alice)).close().await(TestNode.WAIT_S, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(presenceOf(bobC, a).getBoolean("online"));
      JsonObject hidden = presenceOf(bobC, a);
      assertEquals(new JsonObject().put("op", "presence").put("uid", a).put("online", false), hidden);

      ApiClient.Result bad = call(node, alice, HttpMethod.PATCH, "/api/v1/users/me",
          new JsonObject().put("lastSeen", "friends"));
      assertEquals(400, bad.status());
      assertEquals("invalid_field", bad.body().getString("code"));
      assertTrue(bad.body().containsKey("requestId"), bad.body().encode());

      // Once no longer contacts, Bob hears nothing of Alice; Carol's change, announced after hers, still reaches him.
      assertEquals(204, call(node, bob, HttpMethod.DELETE, "/api/v1/contacts/" + a, null).status());
      ImClient aliceAgain = settled(node.online("ws", alice));
      ImClient carolC = settled(node.online("ws", carol));
      assertTrue(presenceOf(bobC, carol.getLong("uid")).getBoolean("online"));
      assertEquals(0, bobC.queued(), "nothing about alice");
      await(Future.all(aliceAgain.close(), carolC.close()));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void roomsThatCountTellTheirMembersTheCountThrottled(Backend backend, Vertx vertx) throws Exception {
    JsonObject rooms = new JsonObject().put("gateway", new JsonObject().put("rooms",
        new JsonObject().put("countIntervalMs", 1_000)));
    try (TestNode node = TestNode.startWith(vertx, backend, rooms)) {
      ApiClient.Result set = node.service(HttpMethod.PUT, "/api/v1/rooms/loud", new JsonObject().put("counts", true));
      assertEquals(200, set.status(), String.valueOf(set.body()));
      assertEquals(new JsonObject().put("room", "loud").put("membersMaySend", null).put("counts", true), set.body());
      ApiClient.Result bad = node.service(HttpMethod.PUT, "/api/v1/rooms/loud", new JsonObject().put("counts", 1));
      assertEquals(400, bad.status());
      assertEquals("invalid_field", bad.body().getString("code"));

      List<ImClient> members = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        members.add(settled(node.online(i % 2 == 0 ? "ws" : "tcp", node.login(node.newUser(), "web"))));
      }
      ImClient first = members.get(0);
      assertEquals("ok", await(first.request(RoomIT.join("quiet"))).getString("op"));
      // Five joins at once: the members hear the count at most once per interval, and the last one says 5.
      List<Future<JsonObject>> joined = new ArrayList<>();
      for (ImClient c : members) {
        joined.add(c.request(RoomIT.join("loud")));
      }
      await(Future.all(joined));
      int frames = 0;
      long count = 0;
      while (count != 5) {
        JsonObject f = await(first.next("room.count"));
        assertEquals("loud", f.getString("room"), f.encode());
        count = f.getLong("count");
        frames++;
      }
      assertTrue(frames < 5, "five changes, " + frames + " frames");
      for (ImClient c : members.subList(1, 5)) {
        long last = 0;
        while (last != 5) {
          last = await(c.next("room.count")).getLong("count");
        }
      }
      for (ImClient c : members.subList(1, 5)) {
        assertEquals("ok", await(c.request(RoomIT.leave("loud"))).getString("op"));
      }
      while (count != 1) {
        count = await(first.next("room.count")).getLong("count");
      }
      assertEquals(0, first.queued(), "no count for the room that does not count");
    }
  }

  private static JsonObject entry(JsonObject contacts, long uid) {
    for (Object o : contacts.getJsonArray("contacts")) {
      if (((JsonObject) o).getLong("uid") == uid) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no contact " + uid + " in " + contacts.encode());
  }
}
