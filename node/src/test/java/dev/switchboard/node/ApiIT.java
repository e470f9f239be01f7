package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Registration, login and health over real HTTP, on both backends. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ApiIT {
  private static JsonObject user(String name, String password) {
    return new JsonObject().put("username", name).put("password", password);
  }

  private static void assertError(ApiClient.Result r, int status, String code) {
    assertEquals(status, r.status(), String.valueOf(r.body()));
    assertEquals(code, r.body().getString("code"));
    assertNotNull(r.body().getString("message"));
    assertNotNull(r.body().getString("requestId"), "every error names its request");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void registersAndLogsIn(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      ApiClient api = node.api;
      ApiClient.Result created = await(api.call(HttpMethod.POST, "/api/v1/users", user("Carol_1", "secret-pass"),
          null));
      assertEquals(201, created.status());
      long uid = created.body().getLong("uid");
      assertTrue(uid > 0);
      assertEquals("carol_1", created.body().getString("username"));

      assertError(await(api.call(HttpMethod.POST, "/api/v1/users", user("CAROL_1", "another-pass"), null)),
          409, "conflict");
      assertError(await(api.call(HttpMethod.POST, "/api/v1/users", user("x", "secret-pass"), null)),
          400, "invalid_field");
      assertError(await(api.call(HttpMethod.POST, "/api/v1/users", user("has space", "secret-pass"), null)),
          400, "invalid_field");
      ApiClient.Result shortPw = await(api.call(HttpMethod.POST, "/api/v1/users", user("dave", "short"), null));
      assertError(shortPw, 400, "invalid_field");
      assertTrue(shortPw.body().getString("message").contains("8"), shortPw.body().getString("message"));
      assertError(await(api.call(HttpMethod.POST, "/api/v1/users", Buffer.buffer("{oops"), null)),
          400, "bad_request");
      assertError(await(api.call(HttpMethod.POST, "/api/v1/users", new JsonObject().put("username", 5), null)),
          400, "invalid_field");

      ApiClient.Result login = await(api.call(HttpMethod.POST, "/api/v1/sessions",
          user("carol_1", "secret-pass").put("device", "web"), null));
      assertEquals(200, login.status());
      assertEquals(uid, login.body().getLong("uid"));
      assertTrue(login.body().getString("token").split("\\.").length == 3, "a signed JWT");
      assertTrue(login.body().getLong("expiresAt") > System.currentTimeMillis());
      assertTrue(login.body().getJsonObject("gateways").getString("ws").startsWith("ws://"));
      assertTrue(login.body().getJsonObject("gateways").getString("tcp").startsWith("tcp://"));

      assertError(await(api.call(HttpMethod.POST, "/api/v1/sessions",
          user("carol_1", "wrong-pass").put("device", "web"), null)), 401, "bad_credentials");
      assertError(await(api.call(HttpMethod.POST, "/api/v1/sessions",
          user("nobody", "secret-pass").put("device", "web"), null)), 401, "bad_credentials");
      assertError(await(api.call(HttpMethod.POST, "/api/v1/sessions",
          user("carol_1", "secret-pass").put("device", "Bad Device"), null)), 400, "invalid_field");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void answersHealthUnknownPathsAndOversizedBodies(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, backend)) {
      ApiClient.Result health = await(node.api.call(HttpMethod.GET, "/health", null, null));
      assertEquals(200, health.status());
      assertEquals("ok", health.body().getString("status"));
      assertError(await(node.api.call(HttpMethod.GET, "/api/v1/nothing", null, null)), 404, "not_found");
      String huge = "x".repeat(8192);
      assertError(await(node.api.call(HttpMethod.POST, "/api/v1/users", user("big", huge), null)),
          413, "request_too_large");

      ApiClient gateway = new ApiClient(vertx, "127.0.0.1", node.gateway().getInteger("wsPort"));
      ApiClient.Result gwHealth = await(gateway.call(HttpMethod.GET, "/health", null, null));
      assertEquals(200, gwHealth.status());
      assertEquals("ok", gwHealth.body().getString("status"));
      await(gateway.close());
    }
  }
}
