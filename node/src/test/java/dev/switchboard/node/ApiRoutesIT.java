package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The user-facing API routes (profiles, search, contacts, devices, recall, logout and refresh), each through HTTP and
 * through {@code api} frames on the long connection, on both backends.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class ApiRoutesIT {
  /** One way of calling the API as one user. */
  interface Api {
    ApiClient.Result call(HttpMethod method, String path, Object body) throws Exception;
  }

  enum Via { HTTP, CONNECTION }

  static Stream<Arguments> cases() {
    return Stream.of(Backend.values()).flatMap(b -> Stream.of(Via.values()).map(v -> Arguments.of(b, v)));
  }

  /** A logged-in user: its session, an online WebSocket client, and the API as that user via {@code via}. */
  record User(JsonObject session, ImClient client, Api api) {
    long uid() {
      return session.getLong("uid");
    }
  }

  static User user(TestNode node, Via via) throws Exception {
    JsonObject session = node.login(node.newUser(), "web");
    ImClient c = node.online("ws", session);
    await(c.next("groups"));
    Api api = via == Via.HTTP
        ? (m, path, body) -> await(node.api.call(m, path, body, session.getString("token")))
        : (m, path, body) -> {
          JsonObject frame = new JsonObject().put("op", "api").put("method", m.name()).put("path", path);
          if (body != null) {
            frame.put("body", body);
          }
          JsonObject reply = await(c.request(frame));
          assertEquals("api.result", reply.getString("op"), reply.encode());
          return new ApiClient.Result(reply.getInteger("status"), reply.getJsonObject("body"));
        };
    return new User(session, c, api);
  }

  static JsonObject ok(ApiClient.Result r, int status) {
    assertEquals(status, r.status(), String.valueOf(r.body()));
    return r.body();
  }

  static void error(ApiClient.Result r, int status, String code) {
    assertEquals(status, r.status(), String.valueOf(r.body()));
    assertEquals(code, r.body().getString("code"), r.body().encode());
    assertNotNull(r.body().getString("requestId"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void profilesAndSearch(Backend backend, Via via, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      User alice = user(node, via);
      User bob = user(node, via);
      String aliceName = node.usernames.get(alice.uid());
      assertEquals(aliceName, ok(alice.api().call(HttpMethod.GET, "/api/v1/users/me", null), 200)
          .getString("username"));
      JsonObject changed = ok(alice.api().call(HttpMethod.PATCH, "/api/v1/users/me", new JsonObject()
          .put("nickname", "Alice A.").put("avatar", "https://example.com/a.png")), 200);
      assertEquals("Alice A.", changed.getString("nickname"));
      assertEquals("https://example.com/a.png", changed.getString("avatar"));
      JsonObject seen = ok(bob.api().call(HttpMethod.GET, "/api/v1/users/" + alice.uid(), null), 200);
      assertEquals("Alice A.", seen.getString("nickname"));
      ApiClient.Result bad = alice.api().call(HttpMethod.PATCH, "/api/v1/users/me",
          new JsonObject().put("avatar", "javascript:alert(1)"));
      error(bad, 400, "invalid_field");
      assertEquals("avatar", bad.body().getJsonObject("details").getString("field"));
      error(alice.api().call(HttpMethod.PATCH, "/api/v1/users/me", new JsonObject()), 400, "invalid_field");
      error(alice.api().call(HttpMethod.GET, "/api/v1/users/987654321", null), 404, "not_found");
      error(alice.api().call(HttpMethod.GET, "/api/v1/users/abc", null), 400, "invalid_field");

      // Usernames are "u" + 16 hex digits: search by a prefix that only alice's name has.
      JsonObject found = ok(bob.api().call(HttpMethod.GET, "/api/v1/users?q=" + aliceName.substring(0, 12), null),
          200);
      assertEquals(1, found.getJsonArray("users").size(), found.encode());
      assertEquals(alice.uid(), found.getJsonArray("users").getJsonObject(0).getLong("uid"));
      JsonObject page = ok(bob.api().call(HttpMethod.GET, "/api/v1/users?q=u&limit=1", null), 200);
      assertEquals(1, page.getJsonArray("users").size());
      assertTrue(page.getBoolean("more"));
      String first = page.getJsonArray("users").getJsonObject(0).getString("username");
      JsonObject next = ok(bob.api().call(HttpMethod.GET, "/api/v1/users?q=u&limit=1&after=" + first, null), 200);
      assertTrue(next.getJsonArray("users").getJsonObject(0).getString("username").compareTo(first) > 0);
      error(bob.api().call(HttpMethod.GET, "/api/v1/users?q=%25", null), 400, "invalid_field");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void contactsByConsentWithOnlineStatus(Backend backend, Via via, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      User alice = user(node, via);
      User bob = user(node, via);
      User carol = user(node, via);
      JsonObject ask = new JsonObject().put("uid", bob.uid()).put("message", "hi, it's alice");
      assertEquals("requested", ok(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests", ask), 201)
          .getString("state"));
      JsonObject event = await(bob.client().next("contact.event"));
      assertEquals("request", event.getString("kind"));
      assertEquals(alice.uid(), event.getLong("uid"));
      assertEquals("hi, it's alice", event.getString("message"));
      JsonObject requests = ok(bob.api().call(HttpMethod.GET, "/api/v1/contacts/requests", null), 200);
      assertEquals(alice.uid(), requests.getJsonArray("incoming").getJsonObject(0).getLong("uid"));
      assertEquals(0, requests.getJsonArray("outgoing").size());
      error(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests/" + bob.uid() + "/accept", null), 404,
          "not_found");

      assertEquals("contacts", ok(bob.api().call(HttpMethod.POST, "/api/v1/contacts/requests/" + alice.uid()
          + "/accept", null), 200).getString("state"));
      assertEquals("accepted", await(alice.client().next("contact.event")).getString("kind"));
      JsonArray contacts = ok(alice.api().call(HttpMethod.GET, "/api/v1/contacts", null), 200)
          .getJsonArray("contacts");
      assertEquals(1, contacts.size());
      assertEquals(bob.uid(), contacts.getJsonObject(0).getLong("uid"));
      assertTrue(contacts.getJsonObject(0).getBoolean("online"));
      assertEquals("web", contacts.getJsonObject(0).getJsonArray("devices").getJsonObject(0).getString("device"));
      error(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests", ask), 409, "conflict");

      // Bob goes offline: his status follows.
      await(bob.client().close());
      JsonObject status;
      do {
        status = ok(alice.api().call(HttpMethod.GET, "/api/v1/contacts", null), 200).getJsonArray("contacts")
            .getJsonObject(0);
      } while (status.getBoolean("online"));
      assertEquals(0, status.getJsonArray("devices").size());

      ok(carol.api().call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", alice.uid())),
          201);
      assertEquals("none", ok(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests/" + carol.uid()
          + "/reject", null), 200).getString("state"));
      error(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests/" + carol.uid() + "/reject", null), 404,
          "not_found");
      error(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", alice.uid())),
          400, "invalid_field");
      error(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", 987654321)),
          404, "not_found");
      ok(alice.api().call(HttpMethod.PUT, "/api/v1/blocks/" + carol.uid(), null), 204);
      error(carol.api().call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", alice.uid())),
          403, "blocked");

      ok(alice.api().call(HttpMethod.DELETE, "/api/v1/contacts/" + bob.uid(), null), 204);
      error(alice.api().call(HttpMethod.DELETE, "/api/v1/contacts/" + bob.uid(), null), 404, "not_found");
      // Bob's connection is closed: ask over HTTP.
      assertEquals(0, ok(await(node.api.call(HttpMethod.GET, "/api/v1/contacts", null,
          bob.session().getString("token"))), 200).getJsonArray("contacts").size());
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void devicesRecallLogoutAndRefresh(Backend backend, Via via, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      User alice = user(node, via);
      User bob = user(node, via);
      JsonObject phone = node.login(node.usernames.get(alice.uid()), "phone");
      ImClient phoneClient = node.online("tcp", phone);
      String phoneSession;
      JsonArray devices;
      do {
        devices = ok(alice.api().call(HttpMethod.GET, "/api/v1/devices", null), 200).getJsonArray("devices");
      } while (devices.size() < 2);
      assertEquals(2, devices.size(), devices.encode());
      phoneSession = devices.stream().map(d -> (JsonObject) d).filter(d -> d.getString("device").equals("phone"))
          .findFirst().orElseThrow().getString("session");
      assertEquals("tcp", devices.stream().map(d -> (JsonObject) d)
          .filter(d -> d.getString("device").equals("phone")).findFirst().orElseThrow().getString("transport"));
      ok(alice.api().call(HttpMethod.DELETE, "/api/v1/devices/" + phoneSession, null), 204);
      JsonObject kicked = await(phoneClient.next("kicked"));
      assertEquals("removed", kicked.getString("reason"));
      await(phoneClient.closed());
      error(alice.api().call(HttpMethod.DELETE, "/api/v1/devices/nope", null), 404, "not_found");

      // Recall over the API, with the rules of msg.recall.
      JsonObject ack = await(alice.client().request(new JsonObject().put("op", "msg.send").put("cid", "c1")
          .put("to", bob.uid()).put("type", "text").put("body", "oops")));
      String mid = ack.getString("mid");
      error(bob.api().call(HttpMethod.POST, "/api/v1/messages/" + mid + "/recall", null), 403, "forbidden");
      assertEquals(mid, ok(alice.api().call(HttpMethod.POST, "/api/v1/messages/" + mid + "/recall", null), 200)
          .getString("mid"));
      assertEquals(mid, await(bob.client().next("msg.recalled")).getString("mid"));
      error(alice.api().call(HttpMethod.POST, "/api/v1/messages/x/recall", null), 400, "invalid_field");

      // Refresh, then log out: the token stops working and its sessions close.
      JsonObject fresh = ok(await(node.api.call(HttpMethod.POST, "/api/v1/sessions/refresh", null,
          alice.session().getString("token"))), 200);
      assertNotEquals(alice.session().getString("token"), fresh.getString("token"));
      if (via == Via.HTTP) {
        ok(alice.api().call(HttpMethod.DELETE, "/api/v1/sessions/current", null), 204);
      } else {
        // Logging out over the connection closes that very connection, possibly before the reply arrives.
        alice.client().send(new JsonObject().put("op", "api").put("method", "DELETE")
            .put("path", "/api/v1/sessions/current"));
      }
      assertEquals("logged_out", await(alice.client().next("kicked")).getString("reason"));
      ImClient.Closed closed = await(alice.client().closed());
      assertEquals(4008, (int) closed.status());
      error(await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, alice.session().getString("token"))), 401,
          "auth_failed");
      ImClient again = node.ws("/ws");
      assertEquals("auth_failed", await(again.request(new JsonObject().put("op", "auth")
          .put("token", alice.session().getString("token")).put("device", "web"))).getString("code"));
      assertEquals(200, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, fresh.getString("token")))
          .status(), "the refreshed token is another token");
    }
  }

  /** A token signed with the node's secret, as the API signs them, expiring at {@code exp} (epoch seconds). */
  static String token(Vertx vertx, TestNode node, long uid, long exp) {
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(node.config.getJsonObject("auth").getString("secret"))));
    return jwt.generateToken(new JsonObject().put("sub", Long.toString(uid)).put("iss", "switchboard")
        .put("jti", java.util.UUID.randomUUID().toString()).put("exp", exp), new JWTOptions().setAlgorithm("HS256"));
  }

  @Test
  void missingAndExpiredTokensAndTheRateLimit(Vertx vertx) throws Exception {
    JsonObject overrides = new JsonObject()
        .put("api", new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 0.01).put("burst", 3)));
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, overrides)) {
      error(await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, null)), 401, "auth_failed");
      error(await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, "not-a-token")), 401, "auth_failed");

      // A token that expired a minute ago is refused; the same token with a future expiry passes, so the refusal is
      // the expiry.
      JsonObject other = node.login(node.newUser(), "web");
      long now = System.currentTimeMillis() / 1000;
      ApiClient.Result expired = await(node.api.call(HttpMethod.GET, "/api/v1/devices", null,
          token(vertx, node, other.getLong("uid"), now - 60)));
      error(expired, 401, "auth_failed");
      assertFalse(expired.body().getString("message").isEmpty());
      assertEquals(200, await(node.api.call(HttpMethod.GET, "/api/v1/devices", null,
          token(vertx, node, other.getLong("uid"), now + 600))).status());

      JsonObject s = node.login(node.newUser(), "web");
      ApiClient.Result r;
      int ok = 0;
      do {
        r = await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, s.getString("token")));
        ok += r.status() == 200 ? 1 : 0;
      } while (r.status() == 200);
      assertEquals(3, ok, "the burst");
      error(r, 429, "rate_limited");
      assertTrue(r.body().getJsonObject("details").getLong("retryAfterMs") > 0);
    }
  }

  @Test
  void contactsOnlyModeLetsOnlyContactsMessageEachOther(Vertx vertx) throws Exception {
    JsonObject overrides = new JsonObject().put("router", new JsonObject().put("contactsOnly", true));
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, overrides)) {
      User alice = user(node, Via.HTTP);
      User bob = user(node, Via.HTTP);
      JsonObject send = new JsonObject().put("op", "msg.send").put("to", bob.uid()).put("type", "text")
          .put("body", "hi");
      assertEquals("not_contact", await(alice.client().request(send.copy().put("cid", "a"))).getString("code"));
      ok(alice.api().call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", bob.uid())), 201);
      ok(bob.api().call(HttpMethod.POST, "/api/v1/contacts/requests/" + alice.uid() + "/accept", null), 200);
      assertEquals("msg.ack", await(alice.client().request(send.copy().put("cid", "b"))).getString("op"));
      assertEquals("msg.ack", await(alice.client().request(send.copy().put("cid", "c").put("to", alice.uid())))
          .getString("op"), "a note to yourself needs no contact");
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Backend.class)
  void twoUsersAskingEachOtherAtOnceBecomeContacts(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      for (int round = 0; round < 5; round++) {
        User a = user(node, Via.HTTP);
        User b = user(node, Via.HTTP);
        var ab = node.api.call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", b.uid()),
            a.session().getString("token"));
        var ba = node.api.call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", a.uid()),
            b.session().getString("token"));
        java.util.Set<String> states = new java.util.HashSet<>();
        for (var r : java.util.List.of(await(ab), await(ba))) {
          assertTrue(r.status() == 200 || r.status() == 201, String.valueOf(r.body()));
          states.add(r.body().getString("state"));
        }
        assertEquals(java.util.Set.of("requested", "contacts"), states, "one asks, the other's request accepts");
        assertEquals(1, ok(a.api().call(HttpMethod.GET, "/api/v1/contacts", null), 200).getJsonArray("contacts")
            .size());
        assertEquals(1, ok(b.api().call(HttpMethod.GET, "/api/v1/contacts", null), 200).getJsonArray("contacts")
            .size());
      }
    }
  }
}
