package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A verticle asks the owner of data it needs over the bus (docs/architecture.md, "Data ownership"). When the owner
 * does not answer, the asker's client gets {@code unavailable} within the ask's timeout, nothing half-done; when it
 * answers again, the same request succeeds. The owner's silence is made by dropping the asks on the node's bus.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class OwnerAsksIT {
  private static final JsonObject SHORT_ASKS = new JsonObject()
      .put("router", new JsonObject().put("askTimeoutMs", 300))
      .put("group", new JsonObject().put("askTimeoutMs", 300))
      .put("api", new JsonObject().put("requestTimeoutMs", 300));

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aSilentOwnerMeansUnavailableAndTheRetrySucceeds(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, SHORT_ASKS)) {
      JsonObject a = node.login(node.newUser(), "web");
      JsonObject b = node.login(node.newUser(), "web");
      ImClient alice = node.online("ws", a);
      Set<String> silent = ConcurrentHashMap.newKeySet();
      Handler<DeliveryContext<Object>> drop = ctx -> {
        if (!silent.contains(ctx.message().address())) {
          ctx.next();
        }
      };
      vertx.eventBus().addOutboundInterceptor(drop);
      try {
        // The router asks the API who may message whom, once per batch.
        silent.add(Addresses.API_PEERS);
        JsonObject send = DeliveryIT.send("c1", b.getLong("uid"), "hi");
        long started = System.nanoTime();
        JsonObject failed = await(alice.request(send));
        assertEquals("unavailable", failed.getString("code"), failed.encode());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "failed within the ask's timeout");
        // The group verticle asks the API about the users a create names.
        ApiClient.Result create = await(node.api.call(HttpMethod.POST, "/api/v1/groups",
            new JsonObject().put("name", "g").put("members", new JsonArray().add(b.getLong("uid"))),
            a.getString("token")));
        assertEquals(503, create.status(), create.body().encode());
        assertEquals("unavailable", create.body().getString("code"));
        silent.clear();

        JsonObject acked = await(alice.request(send));
        assertEquals("msg.ack", acked.getString("op"), acked.encode());
        create = await(node.api.call(HttpMethod.POST, "/api/v1/groups",
            new JsonObject().put("name", "g").put("members", new JsonArray().add(b.getLong("uid"))),
            a.getString("token")));
        assertEquals(201, create.status(), create.body().encode());
        long gid = create.body().getLong("gid");

        // The API asks the router for conversations, and the group verticle whether a pushed-to group exists.
        silent.addAll(List.of(Addresses.ROUTER_CONVERSATIONS, Addresses.GROUP_MANAGE));
        assertUnavailable(await(node.api.call(HttpMethod.GET, "/api/v1/conversations", null, a.getString("token"))));
        assertUnavailable(node.service(HttpMethod.POST, "/api/v1/push/groups/" + gid,
            new JsonObject().put("body", "x")));
        silent.clear();

        ApiClient.Result list = await(node.api.call(HttpMethod.GET, "/api/v1/conversations", null,
            a.getString("token")));
        assertEquals(200, list.status());
        JsonArray conversations = list.body().getJsonArray("conversations");
        assertEquals(1, conversations.size(), "the retried send was stored once: " + list.body().encode());
        assertEquals(acked.getString("mid"), conversations.getJsonObject(0).getJsonObject("last").getString("mid"));
        assertEquals(200, node.service(HttpMethod.POST, "/api/v1/push/groups/" + gid,
            new JsonObject().put("body", "x")).status());
        assertEquals(404, node.service(HttpMethod.POST, "/api/v1/push/groups/" + (gid + 1000),
            new JsonObject().put("body", "x")).status());
      } finally {
        vertx.eventBus().removeOutboundInterceptor(drop);
      }
    }
  }

  private static void assertUnavailable(ApiClient.Result r) {
    assertEquals(Map.of("status", 503, "code", "unavailable"),
        Map.of("status", r.status(), "code", String.valueOf(r.body().getString("code"))), r.body().encode());
  }
}
