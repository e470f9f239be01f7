package dev.switchboard.node;

import static dev.switchboard.node.ApiRoutesIT.error;
import static dev.switchboard.node.ApiRoutesIT.ok;
import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.node.ApiRoutesIT.Api;
import dev.switchboard.node.ApiRoutesIT.User;
import dev.switchboard.node.ApiRoutesIT.Via;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tour of every {@code /api/v1} route, each with a success and a main failure, through HTTP and through {@code api}
 * frames on the long connection, on both backends. The tour records which documented routes it called and fails when
 * one was left out, so a new route needs a stop on the tour.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class ApiTourIT {
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return ApiRoutesIT.cases();
  }

  /** Wraps {@code api}, recording every call as "METHOD path" (query stripped). */
  static Api recording(Api api, Set<String> calls) {
    return (m, path, body) -> {
      calls.add(m.name() + " " + path.replaceAll("\\?.*", ""));
      return api.call(m, path, body);
    };
  }

  /**
   * The API of {@code u} for a call that ends the connection it is made over: over HTTP as usual; over the connection
   * sent without waiting (the session may close before the reply arrives), answering null.
   */
  static Api ending(TestNode node, User u, Via via, Set<String> calls) {
    return recording(via == Via.HTTP
        ? (m, path, body) -> await(node.api.call(m, path, body, u.session().getString("token")))
        : (m, path, body) -> {
          JsonObject frame = new JsonObject().put("op", "api").put("method", m.name()).put("path", path);
          if (body != null) {
            frame.put("body", body);
          }
          u.client().send(frame);
          return null;
        }, calls);
  }

  static User recorded(User u, Set<String> calls) {
    return new User(u.session(), u.client(), recording(u.api(), calls));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyRouteSucceedsAndFailsAsDocumented(Backend backend, Via via, Vertx vertx) throws Exception {
    Set<String> calls = new TreeSet<>();
    try (TestNode node = TestNode.start(vertx, backend)) {
      User alice = recorded(ApiRoutesIT.user(node, via), calls);
      User bob = recorded(ApiRoutesIT.user(node, via), calls);
      Api a = alice.api();
      Api b = bob.api();

      ok(a.call(HttpMethod.GET, "/api/v1/openapi.json", null), 200);
      String dave = "d" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      JsonObject account = new JsonObject().put("username", dave).put("password", "password-123");
      ok(a.call(HttpMethod.POST, "/api/v1/users", account), 201);
      error(a.call(HttpMethod.POST, "/api/v1/users", account), 409, "conflict");
      JsonObject daveSession = ok(a.call(HttpMethod.POST, "/api/v1/sessions", account.copy().put("device", "web")),
          200);
      error(a.call(HttpMethod.POST, "/api/v1/sessions", account.copy().put("password", "wrong-password")
          .put("device", "web")), 401, "bad_credentials");
      ok(a.call(HttpMethod.GET, "/api/v1/users/me", null), 200);
      ok(a.call(HttpMethod.PATCH, "/api/v1/users/me", new JsonObject().put("nickname", "Al")), 200);
      error(a.call(HttpMethod.PATCH, "/api/v1/users/me", new JsonObject().put("nickname", 5)), 400, "invalid_field");
      ok(a.call(HttpMethod.GET, "/api/v1/users/" + bob.uid(), null), 200);
      error(a.call(HttpMethod.GET, "/api/v1/users/987654321", null), 404, "not_found");
      ok(a.call(HttpMethod.GET, "/api/v1/users?q=" + dave, null), 200);
      error(a.call(HttpMethod.GET, "/api/v1/users?q=", null), 400, "invalid_field");

      // Contacts and blocks.
      ok(a.call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", bob.uid())), 201);
      error(a.call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", 987654321)), 404,
          "not_found");
      ok(b.call(HttpMethod.GET, "/api/v1/contacts/requests", null), 200);
      error(b.call(HttpMethod.POST, "/api/v1/contacts/requests/987654321/accept", null), 404, "not_found");
      ok(b.call(HttpMethod.POST, "/api/v1/contacts/requests/" + alice.uid() + "/accept", null), 200);
      error(b.call(HttpMethod.POST, "/api/v1/contacts/requests/" + alice.uid() + "/reject", null), 404,
          "not_found");
      ok(a.call(HttpMethod.GET, "/api/v1/contacts", null), 200);
      ok(a.call(HttpMethod.DELETE, "/api/v1/contacts/" + bob.uid(), null), 204);
      error(a.call(HttpMethod.DELETE, "/api/v1/contacts/" + bob.uid(), null), 404, "not_found");
      ok(b.call(HttpMethod.POST, "/api/v1/contacts/requests", new JsonObject().put("uid", alice.uid())), 201);
      ok(a.call(HttpMethod.POST, "/api/v1/contacts/requests/" + bob.uid() + "/reject", null), 200);
      ok(a.call(HttpMethod.PUT, "/api/v1/blocks/" + bob.uid(), null), 204);
      error(a.call(HttpMethod.PUT, "/api/v1/blocks/987654321", null), 404, "not_found");
      assertEquals(new JsonArray().add(bob.uid()), ok(a.call(HttpMethod.GET, "/api/v1/blocks", null), 200)
          .getJsonArray("blocked"));
      ok(a.call(HttpMethod.DELETE, "/api/v1/blocks/" + bob.uid(), null), 204);

      // Conversations, history, recall.
      JsonObject ack = await(alice.client().request(new JsonObject().put("op", "msg.send").put("cid", "t1")
          .put("to", bob.uid()).put("type", "text").put("body", "tour")));
      ok(b.call(HttpMethod.GET, "/api/v1/conversations", null), 200);
      error(b.call(HttpMethod.GET, "/api/v1/conversations?limit=0", null), 400, "invalid_field");
      assertEquals("tour", ok(b.call(HttpMethod.GET, "/api/v1/conversations/" + alice.uid() + "/messages", null),
          200).getJsonArray("messages").getJsonObject(0).getString("body"));
      error(b.call(HttpMethod.GET, "/api/v1/conversations/x/messages", null), 400, "invalid_field");
      error(b.call(HttpMethod.POST, "/api/v1/messages/" + ack.getString("mid") + "/recall", null), 403, "forbidden");
      ok(a.call(HttpMethod.POST, "/api/v1/messages/" + ack.getString("mid") + "/recall", null), 200);

      // Media: an upload's body is the file, so it goes over HTTP with the file's type (MediaIT covers it); a JSON
      // body (all an api frame can carry) is refused for its type.
      error(a.call(HttpMethod.POST, "/api/v1/media?to=" + bob.uid(), new JsonObject().put("x", 1)), 415,
          "unsupported_media_type");
      String media = MediaIT.upload(node, alice.session(), "to=" + bob.uid(), "text/plain",
          io.vertx.core.buffer.Buffer.buffer("tour")).json().getString("id");
      assertEquals(media, ok(b.call(HttpMethod.GET, "/api/v1/media/" + media, null), 200).getString("id"));
      error(b.call(HttpMethod.DELETE, "/api/v1/media/" + media, null), 403, "forbidden");
      ok(a.call(HttpMethod.DELETE, "/api/v1/media/" + media, null), 204);
      error(a.call(HttpMethod.GET, "/api/v1/media/" + media, null), 404, "not_found");

      // Devices.
      ok(a.call(HttpMethod.GET, "/api/v1/devices", null), 200);
      error(a.call(HttpMethod.DELETE, "/api/v1/devices/nope", null), 404, "not_found");

      // Groups.
      long gid = ok(a.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "tour")), 201)
          .getLong("gid");
      error(a.call(HttpMethod.POST, "/api/v1/groups", new JsonObject()), 400, "invalid_field");
      ok(a.call(HttpMethod.GET, "/api/v1/groups", null), 200);
      ok(a.call(HttpMethod.GET, "/api/v1/groups/" + gid, null), 200);
      error(b.call(HttpMethod.GET, "/api/v1/groups/" + gid, null), 403, "not_member");
      ok(a.call(HttpMethod.PATCH, "/api/v1/groups/" + gid, new JsonObject().put("name", "tour 2")), 200);
      error(b.call(HttpMethod.PATCH, "/api/v1/groups/" + gid, new JsonObject().put("name", "x")), 403, "not_member");
      ok(a.call(HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications", new JsonObject().put("level", "mentions")),
          200);
      error(a.call(HttpMethod.PUT, "/api/v1/groups/" + gid + "/notifications", new JsonObject().put("level", "loud")),
          400, "invalid_field");
      ok(a.call(HttpMethod.POST, "/api/v1/groups/" + gid + "/members", new JsonObject()
          .put("members", new JsonArray().add(bob.uid()))), 200);
      error(a.call(HttpMethod.POST, "/api/v1/groups/" + gid + "/members", new JsonObject()
          .put("members", new JsonArray().add(987654321))), 404, "not_found");
      ok(b.call(HttpMethod.GET, "/api/v1/groups/" + gid + "/members", null), 200);
      ok(a.call(HttpMethod.PATCH, "/api/v1/groups/" + gid + "/members/" + bob.uid(), new JsonObject()
          .put("admin", true)), 200);
      error(b.call(HttpMethod.PATCH, "/api/v1/groups/" + gid + "/members/" + alice.uid(), new JsonObject()
          .put("muted", true)), 403, "forbidden");
      JsonObject gack = await(alice.client().request(new JsonObject().put("op", "msg.send").put("cid", "t2")
          .put("group", gid).put("type", "text").put("body", "group tour")));
      ok(b.call(HttpMethod.GET, "/api/v1/groups/" + gid + "/messages", null), 200);
      // Search: bob finds alice's group message (the one-to-one "tour" is recalled by now), not with a bad query.
      assertEquals(gack.getString("mid"), ok(b.call(HttpMethod.GET, "/api/v1/search?q=tour", null), 200)
          .getJsonArray("results").getJsonObject(0).getString("mid"));
      error(b.call(HttpMethod.GET, "/api/v1/search?q=tour&limit=99", null), 400, "invalid_field");
      ok(a.call(HttpMethod.POST, "/api/v1/groups/" + gid + "/messages/" + gack.getString("mid") + "/recall", null),
          200);
      error(a.call(HttpMethod.POST, "/api/v1/groups/" + gid + "/messages/1/recall", null), 404, "not_found");
      // Invitations: with groupAdd "nobody", an add becomes an invitation bob answers.
      ok(b.call(HttpMethod.PATCH, "/api/v1/users/me", new JsonObject().put("groupAdd", "nobody")), 200);
      error(b.call(HttpMethod.PATCH, "/api/v1/users/me", new JsonObject().put("groupAdd", "all")), 400,
          "invalid_field");
      JsonArray onlyBob = new JsonArray().add(bob.uid());
      long invitedTo = ok(a.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "invite")
          .put("members", onlyBob)), 201).getLong("gid");
      long declined = ok(a.call(HttpMethod.POST, "/api/v1/groups", new JsonObject().put("name", "decline")
          .put("members", onlyBob)), 201).getLong("gid");
      assertEquals(2, ok(b.call(HttpMethod.GET, "/api/v1/groups/invitations", null), 200).getJsonArray("invitations")
          .size());
      ok(b.call(HttpMethod.POST, "/api/v1/groups/invitations/" + invitedTo + "/accept", null), 200);
      error(b.call(HttpMethod.POST, "/api/v1/groups/invitations/" + invitedTo + "/accept", null), 404, "not_found");
      ok(b.call(HttpMethod.POST, "/api/v1/groups/invitations/" + declined + "/decline", null), 200);
      error(b.call(HttpMethod.POST, "/api/v1/groups/invitations/" + declined + "/decline", null), 404, "not_found");
      ok(b.call(HttpMethod.DELETE, "/api/v1/groups/" + gid + "/members/" + bob.uid(), null), 200);
      error(b.call(HttpMethod.DELETE, "/api/v1/groups/" + gid, null), 403, "not_member");
      ok(a.call(HttpMethod.DELETE, "/api/v1/groups/" + gid, null), 200);

      // Counts, rooms and the push API: over HTTP with the API key; a user (any way it calls) is refused.
      ok(a.call(HttpMethod.GET, "/api/v1/stats", null), 200);
      ok(a.call(HttpMethod.GET, "/api/v1/rooms/lobby", null), 200);
      error(a.call(HttpMethod.GET, "/api/v1/rooms/no%20spaces", null), 400, "invalid_field");
      Map<String, JsonObject> pushes = Map.of(
          "PUT /api/v1/rooms/lobby", new JsonObject().put("membersMaySend", true),
          "POST /api/v1/push/users", new JsonObject().put("uids", new JsonArray().add(bob.uid())).put("body", "x"),
          "POST /api/v1/push/groups/" + gid, new JsonObject().put("body", "x"),
          "POST /api/v1/push/rooms/lobby", new JsonObject().put("body", "x"),
          "POST /api/v1/push/all", new JsonObject().put("body", "x"));
      for (var p : pushes.entrySet()) {
        HttpMethod m = HttpMethod.valueOf(p.getKey().split(" ")[0]);
        String path = p.getKey().split(" ")[1];
        error(a.call(m, path, p.getValue()), 401, "auth_failed");
        int status = node.service(m, path, p.getValue()).status();
        assertEquals(path.contains("/groups/") ? 404 : 200, status, p.getKey() + " with the API key");
      }

      // Bots: created with the API key; a user is refused, a taken name conflicts; the profile says kind bot.
      JsonObject bot = new JsonObject().put("username", "tourbot" + Math.abs(System.nanoTime() % 1_000_000_000L));
      error(a.call(HttpMethod.POST, "/api/v1/bots", bot), 401, "auth_failed");
      ApiClient.Result created = node.service(HttpMethod.POST, "/api/v1/bots", bot);
      assertEquals(201, created.status(), created.body().encode());
      assertEquals(409, node.service(HttpMethod.POST, "/api/v1/bots", bot).status());
      assertEquals("bot", await(node.api.call(HttpMethod.GET, "/api/v1/users/" + created.body().getLong("uid"), null,
          alice.session().getString("token"))).body().getString("kind"));

      // The server API: a user (any way it calls) is refused; ServerApiIT, ServerDataIT and AppTokensIT call it with
      // the key.
      String admin = "/api/v1/admin/users/" + bob.uid();
      for (String route : List.of("POST /api/v1/admin/users", "POST /api/v1/admin/identities", "GET " + admin,
          "PATCH " + admin, "DELETE " + admin, "POST " + admin + "/tokens", "PUT " + admin + "/ban",
          "DELETE " + admin + "/ban", "GET " + admin + "/sessions", "GET " + admin + "/export",
          "POST " + admin + "/purge", "GET /api/v1/admin/presence?uids=" + bob.uid(),
          "DELETE /api/v1/admin/messages/1", "DELETE /api/v1/admin/groups/" + gid + "/messages/1",
          "GET /api/v1/admin/messages/1/versions", "GET /api/v1/admin/groups/" + gid + "/messages/1/versions",
          "PUT /api/v1/admin/groups/" + gid + "/retention")) {
        String[] mp = route.split(" ");
        error(a.call(HttpMethod.valueOf(mp[0]), mp[1], new JsonObject()), 401, "auth_failed");
      }

      // Logout, last: dave's session ends.
      ImClient daveClient = node.online("ws", daveSession);
      User daveUser = recorded(new User(daveSession, daveClient, via == Via.HTTP
          ? (m, path, body) -> await(node.api.call(m, path, body, daveSession.getString("token")))
          : (m, path, body) -> {
            daveClient.send(new JsonObject().put("op", "api").put("method", m.name()).put("path", path));
            return null;
          }), calls);
      ApiClient.Result out = daveUser.api().call(HttpMethod.DELETE, "/api/v1/sessions/current", null);
      if (out != null) {
        assertEquals(204, out.status());
      }
      assertEquals("logged_out", await(daveClient.next("kicked")).getString("reason"));

      // Refresh rotates (a token refreshes once); a password change and logout everywhere end every session.
      User carol = recorded(ApiRoutesIT.user(node, via), calls);
      ok(carol.api().call(HttpMethod.POST, "/api/v1/sessions/refresh", null), 200);
      error(carol.api().call(HttpMethod.POST, "/api/v1/sessions/refresh", null), 401, "auth_failed");
      error(carol.api().call(HttpMethod.PUT, "/api/v1/users/me/password", new JsonObject()
          .put("current", "wrong-password").put("password", "password-456")), 401, "bad_credentials");
      error(carol.api().call(HttpMethod.PUT, "/api/v1/users/me/password", new JsonObject()
          .put("current", TestNode.PASSWORD).put("password", "short")), 400, "invalid_field");
      ApiClient.Result changed = ending(node, carol, via, calls).call(HttpMethod.PUT, "/api/v1/users/me/password",
          new JsonObject().put("current", TestNode.PASSWORD).put("password", "password-456"));
      if (changed != null) {
        assertEquals(200, changed.status());
      }
      assertEquals("logged_out", await(carol.client().next("kicked")).getString("reason"));
      User erin = recorded(ApiRoutesIT.user(node, via), calls);
      ApiClient.Result all = ending(node, erin, via, calls).call(HttpMethod.POST, "/api/v1/sessions/logout-all", null);
      if (all != null) {
        assertEquals(204, all.status());
      }
      assertEquals("logged_out", await(erin.client().next("kicked")).getString("reason"));
    }

    JsonObject paths = new JsonObject(dev.switchboard.api.http.OpenApi.document()).getJsonObject("paths");
    Set<String> missed = new TreeSet<>();
    for (String template : paths.fieldNames()) {
      if (!template.startsWith("/api/v1/")) {
        continue;
      }
      Pattern p = Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+"));
      for (String method : paths.getJsonObject(template).fieldNames()) {
        String m = method.toUpperCase();
        if (calls.stream().noneMatch(c -> c.startsWith(m + " ") && p.matcher(c.substring(m.length() + 1)).matches())) {
          missed.add(m + " " + template);
        }
      }
    }
    assertEquals(Set.of(), missed, "routes the tour did not call as a user");
  }
}
