package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server API for the app's backend ({@code /api/v1/admin}, {@code X-Api-Key}): users made, read, changed and
 * deleted, tokens minted, bans that close every session at once and refuse logins and tokens, online sessions and
 * presence, messages deleted for everyone, its own rate limit, and errors for every bad input.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class ServerApiIT {

  private static void status(ApiClient.Result r, int status, String code) {
    assertEquals(status, r.status(), r.body() == null ? "" : r.body().encode());
    if (code != null) {
      assertEquals(code, r.body().getString("code"), r.body().encode());
      assertNotNull(r.body().getString("requestId"), r.body().encode());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void usersTokensBansAndSessions(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      String name = "srv" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      ApiClient.Result made = node.service(HttpMethod.POST, "/api/v1/admin/users", new JsonObject()
          .put("username", name).put("nickname", "Grace").put("avatar", "https://cdn.example/g.png"));
      status(made, 201, null);
      long uid = made.body().getLong("uid");
      assertFalse(made.body().getBoolean("password"), made.body().encode());
      status(node.service(HttpMethod.POST, "/api/v1/admin/users", new JsonObject().put("username", name)), 409,
          "conflict");
      status(node.service(HttpMethod.POST, "/api/v1/admin/users", new JsonObject().put("username", "x")), 400,
          "invalid_field");

      // A user without a password logs in only with tokens the backend mints.
      ApiClient.Result minted = node.service(HttpMethod.POST, "/api/v1/admin/users/" + uid + "/tokens",
          new JsonObject().put("ttlSeconds", 3600));
      status(minted, 201, null);
      assertTrue(minted.body().getLong("expiresAt") <= System.currentTimeMillis() + 3_601_000);
      JsonObject session = new JsonObject().put("token", minted.body().getString("token")).put("uid", uid)
          .put("device", "web");
      ImClient ws = node.online("ws", session);
      ImClient tcp = node.online("tcp", session.copy().put("device", "phone"));
      status(await(node.api.call(HttpMethod.POST, "/api/v1/sessions", new JsonObject().put("username", name)
          .put("password", TestNode.PASSWORD).put("device", "web"), null)), 401, "bad_credentials");

      // Update: nickname and a password; the user can then log in with it.
      ApiClient.Result changed = node.service(HttpMethod.PATCH, "/api/v1/admin/users/" + uid, new JsonObject()
          .put("nickname", "Grace H.").put("password", TestNode.PASSWORD));
      status(changed, 200, null);
      assertEquals("Grace H.", changed.body().getString("nickname"));
      assertTrue(changed.body().getBoolean("password"));
      assertEquals(uid, await(node.api.login(name, TestNode.PASSWORD, "tv")).getLong("uid"));

      // Sessions and presence.
      ApiClient.Result sessions = node.service(HttpMethod.GET, "/api/v1/admin/users/" + uid + "/sessions", null);
      status(sessions, 200, null);
      assertEquals(2, sessions.body().getJsonArray("sessions").size(), sessions.body().encode());
      long offline = await(node.api.register(node.newUser() + "x", TestNode.PASSWORD));
      ApiClient.Result presence = node.service(HttpMethod.GET, "/api/v1/admin/presence?uids=" + uid + "," + offline,
          null);
      assertTrue(presence.body().getJsonObject("users").getJsonObject(Long.toString(uid)).getBoolean("online"));
      assertFalse(presence.body().getJsonObject("users").getJsonObject(Long.toString(offline)).getBoolean("online"));
      status(node.service(HttpMethod.GET, "/api/v1/admin/presence?uids=1,x", null), 400, "invalid_field");

      // A ban closes every session at once, and refuses logins, tokens and mints until it is lifted.
      status(node.service(HttpMethod.PUT, "/api/v1/admin/users/" + uid + "/ban", null), 200, null);
      assertEquals("banned", await(ws.next("kicked")).getString("reason"));
      assertEquals(4010, (int) await(ws.closed()).status());
      assertEquals("banned", await(tcp.next("kicked")).getString("reason"));
      ApiClient.Result login = await(node.api.call(HttpMethod.POST, "/api/v1/sessions", new JsonObject()
          .put("username", name).put("password", TestNode.PASSWORD).put("device", "web"), null));
      status(login, 403, "banned");
      status(node.service(HttpMethod.POST, "/api/v1/admin/users/" + uid + "/tokens", null), 403, "banned");
      ImClient again = node.ws("/ws");
      JsonObject refused = await(again.request(new JsonObject().put("op", "auth")
          .put("token", ApiRoutesIT.token(vertx, node, uid, System.currentTimeMillis() / 1000 + 600))
          .put("device", "web")));
      assertEquals("banned", refused.getString("code"), refused.encode());
      assertTrue(node.service(HttpMethod.GET, "/api/v1/admin/users/" + uid, null).body().getBoolean("banned"));

      status(node.service(HttpMethod.DELETE, "/api/v1/admin/users/" + uid + "/ban", null), 200, null);
      JsonObject back = await(node.api.login(name, TestNode.PASSWORD, "web"));
      node.online("ws", back);
      // A ban refuses the user, not their tokens: the one minted before the ban works again.
      node.online("tcp", session.copy().put("device", "phone"));

      // Delete: the profile goes, every session closes, logins fail, the uid answers 404.
      status(node.service(HttpMethod.DELETE, "/api/v1/admin/users/" + uid, null), 204, null);
      status(node.service(HttpMethod.GET, "/api/v1/admin/users/" + uid, null), 404, "not_found");
      status(await(node.api.call(HttpMethod.POST, "/api/v1/sessions", new JsonObject().put("username", name)
          .put("password", TestNode.PASSWORD).put("device", "web"), null)), 401, "bad_credentials");
      status(node.service(HttpMethod.DELETE, "/api/v1/admin/users/" + uid, null), 404, "not_found");
      status(node.service(HttpMethod.PUT, "/api/v1/admin/users/999999999/ban", null), 404, "not_found");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void messagesAreDeletedForEveryoneAtAnyAge(Backend backend, Vertx vertx) throws Exception {
    // A recall window of a millisecond: the senders' own recalls are too late; the server API deletes anyway.
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject()
        .put("router", new JsonObject().put("recallWindowMs", 1))
        .put("group", new JsonObject().put("recallWindowMs", 1)))) {
      JsonObject alice = node.login(node.newUser(), "web");
      JsonObject bob = node.login(node.newUser(), "web");
      ImClient a = node.online("ws", alice);
      ImClient b = node.online("tcp", bob);
      JsonObject ack = await(a.request(new JsonObject().put("op", "msg.send").put("type", "text").put("cid", "d1")
          .put("to", bob.getLong("uid")).put("body", new JsonObject().put("text", "spam"))));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      String mid = ack.getString("mid");
      await(b.next("msg"));
      JsonObject late = await(a.request(new JsonObject().put("op", "msg.recall").put("mid", mid)));
      assertEquals("recall_expired", late.getString("code"), late.encode());
      ApiClient.Result deleted = node.service(HttpMethod.DELETE, "/api/v1/admin/messages/" + mid, null);
      status(deleted, 200, null);
      assertTrue(deleted.body().getLong("seq") > 0, deleted.body().encode());
      assertEquals(mid, await(b.next("msg.recalled")).getString("mid"));
      assertEquals(mid, await(a.next("msg.recalled")).getString("mid"));
      // Deleted already: no new recall entry.
      assertEquals(0L, node.service(HttpMethod.DELETE, "/api/v1/admin/messages/" + mid, null).body()
          .getLong("seq", 0L));
      status(node.service(HttpMethod.DELETE, "/api/v1/admin/messages/12345", null), 404, "not_found");

      ApiClient.Result group = await(node.api.call(HttpMethod.POST, "/api/v1/groups", new JsonObject()
          .put("name", "g").put("members", new JsonArray().add(bob.getLong("uid"))), alice.getString("token")));
      long gid = group.body().getLong("gid");
      JsonObject gack = await(b.request(new JsonObject().put("op", "msg.send").put("type", "text").put("cid", "g1").put("group", gid)
          .put("body", new JsonObject().put("text", "spam in a group"))));
      assertEquals("msg.ack", gack.getString("op"), gack.encode());
      ApiClient.Result gdel = node.service(HttpMethod.DELETE, "/api/v1/admin/groups/" + gid + "/messages/"
          + gack.getString("mid"), null);
      status(gdel, 200, null);
      JsonObject recalled = await(a.next(f -> "msg.recalled".equals(f.getString("op")) && f.containsKey("group")));
      assertEquals(gack.getString("mid"), recalled.getString("mid"));
      assertEquals(0L, recalled.getLong("by"), recalled.encode());
    }
  }

  @Test
  void theServerApiNeedsAKeyAndHasItsOwnRateLimit(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, Backend.EMBEDDED, new JsonObject().put("api", new JsonObject()
        .put("adminRateLimit", new JsonObject().put("perSecond", 0.01).put("burst", 3))))) {
      status(await(node.api.call(HttpMethod.GET, "/api/v1/admin/presence?uids=1", null, null)), 401, "auth_failed");
      status(await(node.api.call(HttpMethod.GET, "/api/v1/admin/presence?uids=1", null, null,
          Map.of("X-Api-Key", "wrong-key-0123456789"))), 401, "auth_failed");
      for (int i = 0; i < 3; i++) {
        status(node.service(HttpMethod.GET, "/api/v1/admin/presence?uids=1", null), 200, null);
      }
      ApiClient.Result limited = node.service(HttpMethod.GET, "/api/v1/admin/presence?uids=1", null);
      status(limited, 429, "rate_limited");
      // Users' own budgets are apart from the server API's.
      JsonObject user = node.login(node.newUser(), "web");
      status(await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, user.getString("token"))), 200, null);
    }
  }
}
