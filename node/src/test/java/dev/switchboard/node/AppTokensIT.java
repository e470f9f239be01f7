package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.protocol.client.ImClient;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tokens from the app's own backend (auth.external): a JWKS endpoint started by the test rotates keys mid-test (RS256,
 * ES256 and EdDSA), users are made on first use with the token's profile claims and keep their uid, and bad tokens
 * (wrong audience, expired, a removed key, an HMAC algorithm, no user claim) are refused with {@code auth_failed}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class AppTokensIT {
  private static final String ISSUER = "https://id.app.test";
  private static final String AUDIENCE = "switchboard-test";

  /** A JWKS endpoint whose keys the test changes; counts its fetches. */
  private static final class Jwks implements AutoCloseable {
    final List<JsonObject> keys = new CopyOnWriteArrayList<>();
    final AtomicInteger fetches = new AtomicInteger();
    final HttpServer server;

    Jwks(Vertx vertx) throws Exception {
      server = await(vertx.createHttpServer().requestHandler(req -> {
        fetches.incrementAndGet();
        req.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("keys", new JsonArray(new ArrayList<>(keys))).encode());
      }).listen(0, "127.0.0.1"));
    }

    String url() {
      return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
    }

    @Override
    public void close() throws Exception {
      server.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static JsonObject external(JsonObject source) {
    return new JsonObject().put("auth", new JsonObject().put("external", new JsonObject().put("issuer", ISSUER)
        .put("audience", AUDIENCE).put("jwksMinRefreshSeconds", 0).put("jwksRefreshSeconds", 300)
        .mergeIn(source)));
  }

  /** {@code auth} on a new WebSocket: the reply ({@code auth.ok} or {@code error}). */
  private static JsonObject auth(TestNode node, String token) throws Exception {
    ImClient ws = node.ws("/ws");
    return await(ws.request(new JsonObject().put("op", "auth").put("token", token).put("device", "web")));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void appTokensSignInUsersMadeOnFirstUseAcrossAKeyRotation(Backend backend, Vertx vertx) throws Exception {
    AppKeys rsa = new AppKeys("RS256", "k-rsa");
    AppKeys ec = new AppKeys("ES256", "k-ec");
    AppKeys ed = new AppKeys("EdDSA", "k-ed");
    try (Jwks jwks = new Jwks(vertx);
         TestNode node = TestNode.startWith(vertx, backend, external(new JsonObject().put("jwksUrl", jwks.url())))) {
      jwks.keys.add(rsa.jwk());
      String ext = "ext-" + System.nanoTime();
      JsonObject claims = AppKeys.claims(ISSUER, AUDIENCE, ext, 600).put("name", "Ada Lovelace")
          .put("picture", "https://cdn.app.test/ada.png");
      JsonObject ok = auth(node, rsa.sign(claims));
      assertEquals("auth.ok", ok.getString("op"), ok.encode());
      long uid = ok.getLong("uid");

      // The user was made with the token's profile, and the server API knows the app's id for them.
      ApiClient.Result me = await(node.api.call(HttpMethod.GET, "/api/v1/users/me", null, rsa.sign(claims)));
      assertEquals(200, me.status(), me.body().encode());
      assertEquals("Ada Lovelace", me.body().getString("nickname"));
      assertEquals("https://cdn.app.test/ada.png", me.body().getString("avatar"));
      ApiClient.Result view = node.service(HttpMethod.GET, "/api/v1/admin/users/" + uid, null);
      assertEquals(ext, view.body().getString("externalId"), view.body().encode());
      assertEquals(ISSUER, view.body().getString("issuer"));

      // The backend can ask for (or provision) the user of one of its users.
      ApiClient.Result same = node.service(HttpMethod.POST, "/api/v1/admin/identities",
          new JsonObject().put("externalId", ext));
      assertEquals(200, same.status(), same.body().encode());
      assertEquals(uid, same.body().getLong("uid"));
      ApiClient.Result made = node.service(HttpMethod.POST, "/api/v1/admin/identities",
          new JsonObject().put("externalId", "pre-" + ext).put("nickname", "Early"));
      assertEquals(201, made.status(), made.body().encode());
      assertEquals("Early", made.body().getString("nickname"));
      JsonObject early = auth(node, rsa.sign(AppKeys.claims(ISSUER, AUDIENCE, "pre-" + ext, 600)));
      assertEquals(made.body().getLong("uid"), early.getLong("uid"), early.encode());

      // Rotation: the app adds an ES256 and an EdDSA key; tokens naming them work at once (the unknown kid refetches).
      int before = jwks.fetches.get();
      jwks.keys.add(ec.jwk());
      jwks.keys.add(ed.jwk());
      JsonObject viaEc = auth(node, ec.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600)));
      assertEquals(uid, viaEc.getLong("uid"), viaEc.encode());
      JsonObject viaEd = auth(node, ed.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600)));
      assertEquals(uid, viaEd.getLong("uid"), viaEd.encode());
      assertTrue(jwks.fetches.get() > before, "an unknown kid fetched the JWKS again");

      // The app removes the RSA key: tokens signed with it stop working once the JWKS is fetched again. A token naming
      // a key the JWKS does not hold (the app's next key, not published yet) makes that fetch now.
      jwks.keys.remove(0);
      int fetched = jwks.fetches.get();
      AppKeys unpublished = new AppKeys("ES256", "k-next");
      JsonObject notYet = auth(node, unpublished.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600)));
      assertEquals("auth_failed", notYet.getString("code"), notYet.encode());
      assertTrue(jwks.fetches.get() > fetched, "the unknown kid fetched the JWKS again");
      JsonObject removed = auth(node, rsa.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600)));
      assertEquals("auth_failed", removed.getString("code"), removed.encode());

      // A second user of the app gets a uid of their own; an app user and a password user talk as any two users.
      JsonObject other = auth(node, ed.sign(AppKeys.claims(ISSUER, AUDIENCE, "other-" + ext, 600)));
      assertNotEquals(uid, other.getLong("uid"));
      JsonObject bob = node.login(node.newUser(), "web");
      ImClient bobWs = node.online("ws", bob);
      ImClient adaWs = node.ws("/ws");
      assertEquals("auth.ok", await(adaWs.request(new JsonObject().put("op", "auth")
          .put("token", ec.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600))).put("device", "phone"))).getString("op"));
      JsonObject ack = await(adaWs.request(new JsonObject().put("op", "msg.send").put("type", "text").put("cid", "c1")
          .put("to", bob.getLong("uid")).put("body", new JsonObject().put("text", "hi from the app"))));
      assertEquals("msg.ack", ack.getString("op"), ack.encode());
      JsonObject got = await(bobWs.next("msg"));
      assertEquals(uid, got.getLong("from"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void badAppTokensAreRefused(Backend backend, Vertx vertx) throws Exception {
    AppKeys ed = new AppKeys("EdDSA", null);
    AppKeys stranger = new AppKeys("EdDSA", null);
    // Static keys: a PEM public key, no JWKS.
    JsonObject keys = new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("alg", "EdDSA")
        .put("pem", ed.pem())));
    try (TestNode node = TestNode.startWith(vertx, backend, external(keys))) {
      String ext = "u-" + System.nanoTime();
      JsonObject ok = auth(node, ed.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600)));
      assertEquals("auth.ok", ok.getString("op"), ok.encode());
      JsonObject noUser = AppKeys.claims(ISSUER, AUDIENCE, ext, 600);
      noUser.remove("sub");
      JsonObject noExpiry = AppKeys.claims(ISSUER, AUDIENCE, ext, 600);
      noExpiry.remove("exp");
      Map<String, JsonObject> bad = Map.of(
          "wrong audience", AppKeys.claims(ISSUER, "someone-else", ext, 600),
          "expired", AppKeys.claims(ISSUER, AUDIENCE, ext, -120),
          "no user claim", noUser,
          "no expiry", noExpiry);
      for (Map.Entry<String, JsonObject> e : bad.entrySet()) {
        JsonObject r = auth(node, ed.sign(e.getValue()));
        assertEquals("auth_failed", r.getString("code"), e.getKey() + ": " + r.encode());
      }
      JsonObject forged = auth(node, stranger.sign(AppKeys.claims(ISSUER, AUDIENCE, ext, 600)));
      assertEquals("auth_failed", forged.getString("code"), "signed by another key: " + forged.encode());
      // An HMAC token with the app's issuer is refused by its algorithm, whatever its key.
      String hs = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
          .setBuffer("a-secret-the-app-should-not-share-0123")))
          .generateToken(AppKeys.claims(ISSUER, AUDIENCE, ext, 600), new JWTOptions().setAlgorithm("HS256"));
      JsonObject hmac = auth(node, hs);
      assertEquals("auth_failed", hmac.getString("code"), hmac.encode());
      assertTrue(hmac.getString("message").contains("algorithm"), hmac.encode());

      // Concurrent first uses of one new app user agree on one uid.
      String fresh = "fresh-" + System.nanoTime();
      List<Future<JsonObject>> firsts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ImClient c = node.ws("/ws");
        firsts.add(c.request(new JsonObject().put("op", "auth").put("device", "web")
            .put("token", ed.sign(AppKeys.claims(ISSUER, AUDIENCE, fresh, 600)))));
      }
      await(Future.all(firsts));
      long first = firsts.get(0).result().getLong("uid");
      for (Future<JsonObject> f : firsts) {
        assertEquals(first, f.result().getLong("uid"), f.result().encode());
      }
    }
  }
}
