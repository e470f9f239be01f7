package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.http.OpenApi;
import dev.switchboard.api.media.MediaConfig;
import dev.switchboard.api.media.MediaParts;
import dev.switchboard.api.stats.GatewayStats;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.store.LocalStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAPI document and the router agree: every route served is documented, every documented path is served. */
@ExtendWith(VertxExtension.class)
class OpenApiTest {
  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteIsServed(Vertx vertx) {
    AuthConfig auth = AuthConfig.from(new JsonObject()
        .put("secret", java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID()));
    LocalStateStore state = LocalStateStore.shared(vertx, "openapi-test:");
    Router router = ApiVerticle.router(vertx, ApiConfig.from(new JsonObject()), auth,
        Tokens.create(vertx, auth, state), null, null, null, state, new GatewayStats(),
        new MediaParts(MediaConfig.from(new JsonObject()), null, null, null, null, null, r -> { }), 30_000);
    Set<String> served = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      if (r.methods() == null || r.methods().isEmpty() || r.getPath() == null) {
        continue;
      }
      String path = r.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      for (HttpMethod m : r.methods()) {
        served.add(m.name().toLowerCase() + " " + path);
      }
    }
    JsonObject paths = new JsonObject(OpenApi.document()).getJsonObject("paths");
    Set<String> documented = new TreeSet<>();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        documented.add(method + " " + path);
      }
    }
    assertTrue(served.size() > 40, "the router has its routes: " + served);
    assertEquals(served, documented);
  }

  @Test
  void everyOperationDocumentsItsResponsesAndSecurity() {
    JsonObject paths = new JsonObject(OpenApi.document()).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject op = paths.getJsonObject(path).getJsonObject(method);
        assertTrue(op.containsKey("summary") && op.containsKey("security"), method + " " + path);
        assertTrue(!op.getJsonObject("responses").isEmpty(), method + " " + path);
        if (path.startsWith("/api/v1/") && !op.getJsonArray("security").isEmpty()) {
          assertTrue(op.getJsonObject("responses").containsKey("401"), "authenticated: " + method + " " + path);
        }
      }
    }
  }
}
