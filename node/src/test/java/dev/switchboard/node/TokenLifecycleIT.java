package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token's life on a live connection and across the API: a session ends when its token expires unless the client
 * sends {@code auth.refresh}; every call over the connection is checked again; refresh rotates; logout everywhere and
 * a password change revoke every earlier token and close every session.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class TokenLifecycleIT {
  /** Auth timeout 2 s: the gateway sweeps every 500 ms, so expiry is noticed within half a second. */
  private static final JsonObject FAST_SWEEP = new JsonObject().put("authTimeoutMs", 2000);
  /** A refreshed token keeps working for one second. */
  private static final JsonObject SHORT_GRACE = new JsonObject()
      .put("gateway", FAST_SWEEP).put("auth", new JsonObject().put("refreshGraceSeconds", 1));

  private static JsonObject session(String token, long uid, String device) {
    return new JsonObject().put("token", token).put("uid", uid).put("device", device);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aSessionEndsWhenItsTokenExpires(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend, FAST_SWEEP)) {
      JsonObject login = node.login(node.newUser(), "web");
      long uid = login.getLong("uid");
      String shortLived = ApiRoutesIT.token(vertx, node, uid, System.currentTimeMillis() / 1000 + 3);
      ImClient ws = node.online("ws", session(shortLived, uid, "web"));
      ImClient tcp = node.online("tcp", session(shortLived, uid, "phone"));
      // Less than a minute left: the server says so, so that a client can refresh in time.
      JsonObject warning = await(ws.next("token.expiring"));
      assertTrue(warning.getLong("expiresAt") <= System.currentTimeMillis() + 3_000, warning.encode());
      assertEquals(200, await(ws.request(new JsonObject().put("op", "api").put("method", "GET")
          .put("path", "/api/v1/users/me"))).getInteger("status"));

      assertEquals("token_expired", await(ws.next("kicked")).getString("reason"));
      assertEquals(4009, (int) await(ws.closed()).status());
      assertEquals("token_expired", await(tcp.next("kicked")).getString("reason"));
      await(tcp.closed());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void authRefreshKeepsTheSessionPastItsFirstToken(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend, FAST_SWEEP)) {
      JsonObject login = node.login(node.newUser(), "web");
      long uid = login.getLong("uid");
      JsonObject stranger = node.login(node.newUser(), "web");
      long exp = System.currentTimeMillis() / 1000 + 3;
      ImClient refreshed = node.online("ws", session(ApiRoutesIT.token(vertx, node, uid, exp), uid, "web"));
      ImClient control = node.online("ws", session(ApiRoutesIT.token(vertx, node, uid, exp), uid, "desk"));

      // Someone else's token or a bad one is refused, and the session goes on with its own.
      JsonObject foreign = await(refreshed.request(new JsonObject().put("op", "auth.refresh")
          .put("token", stranger.getString("token"))));
      assertEquals("auth_failed", foreign.getString("code"), foreign.encode());
      assertEquals("auth_failed", await(refreshed.request(new JsonObject().put("op", "auth.refresh")
          .put("token", "not-a-token"))).getString("code"));
      JsonObject ok = await(refreshed.request(new JsonObject().put("op", "auth.refresh")
          .put("token", login.getString("token"))));
      assertEquals("auth.refresh.ok", ok.getString("op"), ok.encode());
      assertEquals(login.getLong("expiresAt"), ok.getLong("expiresAt"));

      // The session that did not refresh ends; the refreshed one outlives its first token by more than a sweep.
      assertEquals("token_expired", await(control.next("kicked")).getString("reason"));
      Promise<Void> sweeps = Promise.promise();
      vertx.setTimer(1_500, id -> sweeps.complete());
      await(sweeps.future());
      assertEquals("pong", await(refreshed.request(new JsonObject().put("op", "ping"))).getString("op"));
      assertEquals(200, await(refreshed.request(new JsonObject().put("op", "api").put("method", "GET")
          .put("path", "/api/v1/users/me"))).getInteger("status"));
      assertFalse(refreshed.next("kicked").isComplete(), "no kicked frame");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void refreshRotatesAndSessionsOnTheOldTokenMoveOnOrEnd(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, SHORT_GRACE)) {
      String name = node.newUser();
      JsonObject first = node.login(name, "web");
      String old = first.getString("token");
      ImClient moves = node.online("ws", first);
      ImClient stays = node.online("tcp", first.copy().put("device", "phone"));
      ApiClient.Result refreshed = await(node.api.call(HttpMethod.POST, "/api/v1/sessions/refresh", null, old));
      assertEquals(200, refreshed.status());
      String fresh = refreshed.body().getString("token");
      assertNotEquals(old, fresh);
      // A token refreshes once: a second refresh (say, by whoever stole it) is refused even within the grace.
      ApiClient.Result again = await(node.api.call(HttpMethod.POST, "/api/v1/sessions/refresh", null, old));
      assertEquals(401, again.status());
      assertEquals("auth_failed", again.body().getString("code"));

      // Sessions on the old token learn that it ends with the grace; one moves to the new token, the other ends.
      long until = await(moves.next("token.expiring")).getLong("expiresAt");
      assertTrue(until <= System.currentTimeMillis() + 1_000, "the grace, not the old token's own expiry");
      assertEquals("auth.refresh.ok", await(moves.request(new JsonObject().put("op", "auth.refresh")
          .put("token", fresh))).getString("op"));
      assertEquals("token_expired", await(stays.next("kicked")).getString("reason"));
      await(stays.closed());
      assertEquals(401, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, old)).status());
      assertEquals(200, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, fresh)).status());
      assertEquals(200, await(moves.request(new JsonObject().put("op", "api").put("method", "GET")
          .put("path", "/api/v1/users/me"))).getInteger("status"));
      assertEquals("pong", await(moves.request(new JsonObject().put("op", "ping"))).getString("op"));
    }
  }

  /**
   * Control messages that close revoked sessions are best effort (a publish); shared state is the authority. A call
   * over a connection whose token was revoked without the message reaching the gateway is refused like an HTTP call.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void callsOverTheConnectionCheckTheTokenAgain(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      JsonObject login = node.login(node.newUser(), "web");
      ImClient c = node.online("ws", login);
      JsonObject me = new JsonObject().put("op", "api").put("method", "GET").put("path", "/api/v1/users/me");
      assertEquals(200, await(c.request(me)).getInteger("status"));

      StateStore state = StateStore.create(vertx, StateConfig.from(node.config.getJsonObject("storage")
          .getJsonObject("state")));
      try {
        await(state.set(StateKeys.tokensRevokedBefore(login.getLong("uid")),
            Long.toString(System.currentTimeMillis() + 1), 60_000));
      } finally {
        await(state.close());
      }
      JsonObject refused = await(c.request(me));
      assertEquals(401, refused.getInteger("status"), refused.encode());
      assertEquals("auth_failed", refused.getJsonObject("body").getString("code"));
      assertEquals(401, await(c.request(new JsonObject().put("op", "api").put("method", "POST")
          .put("path", "/api/v1/sessions/refresh"))).getInteger("status"), "no fresh token from a revoked one");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void logoutEverywhereRevokesEveryTokenAndClosesEverySession(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      String name = node.newUser();
      JsonObject web = node.login(name, "web");
      JsonObject phone = node.login(name, "phone");
      ImClient ws = node.online("ws", web);
      ImClient tcp = node.online("tcp", phone);
      JsonObject other = node.login(node.newUser(), "web");
      ImClient bystander = node.online("ws", other);

      assertEquals(204, await(node.api.call(HttpMethod.POST, "/api/v1/sessions/logout-all", null,
          web.getString("token"))).status());
      assertEquals("logged_out", await(ws.next("kicked")).getString("reason"));
      assertEquals(4008, (int) await(ws.closed()).status());
      assertEquals("logged_out", await(tcp.next("kicked")).getString("reason"));
      await(tcp.closed());
      for (JsonObject s : new JsonObject[] {web, phone}) {
        assertEquals(401, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, s.getString("token")))
            .status());
        assertEquals("auth_failed", await(node.ws("/ws").request(new JsonObject().put("op", "auth")
            .put("token", s.getString("token")).put("device", "web"))).getString("code"));
      }
      // A login afterwards works; another user was not touched.
      JsonObject later = node.login(name, "web");
      assertEquals(200, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, later.getString("token")))
          .status());
      node.online("ws", later);
      assertEquals("pong", await(bystander.request(new JsonObject().put("op", "ping"))).getString("op"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aPasswordChangeRevokesEveryTokenAndClosesEverySession(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      String name = node.newUser();
      JsonObject web = node.login(name, "web");
      JsonObject phone = node.login(name, "phone");
      ImClient ws = node.online("ws", web);
      ImClient tcp = node.online("tcp", phone);

      ApiClient.Result changed = await(node.api.call(HttpMethod.PUT, "/api/v1/users/me/password",
          new JsonObject().put("current", TestNode.PASSWORD).put("password", "another-password-1"),
          web.getString("token")));
      assertEquals(200, changed.status(), String.valueOf(changed.body()));
      assertEquals("logged_out", await(ws.next("kicked")).getString("reason"));
      assertEquals("logged_out", await(tcp.next("kicked")).getString("reason"));
      await(ws.closed());
      await(tcp.closed());
      assertEquals(401, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, web.getString("token")))
          .status());
      assertEquals(401, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, phone.getString("token")))
          .status());
      // The answer's token is issued after the revocation: the device that changed the password stays logged in.
      String fresh = changed.body().getString("token");
      assertEquals(200, await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, fresh)).status());
      node.online("ws", web.copy().put("token", fresh));

      ApiClient.Result oldPassword = await(node.api.call(HttpMethod.POST, "/api/v1/sessions",
          new JsonObject().put("username", name).put("password", TestNode.PASSWORD).put("device", "web"), null));
      assertEquals(401, oldPassword.status());
      assertEquals("bad_credentials", oldPassword.body().getString("code"));
      assertEquals(200, await(node.api.call(HttpMethod.POST, "/api/v1/sessions",
          new JsonObject().put("username", name).put("password", "another-password-1").put("device", "web"), null))
          .status());
    }
  }
}
