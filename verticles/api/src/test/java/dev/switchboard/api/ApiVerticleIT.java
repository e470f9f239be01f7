package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.launch.Services;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.protocol.contract.ContractCodec;
import dev.switchboard.protocol.contract.ConversationsReply;
import dev.switchboard.protocol.contract.ConversationsRequest;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.protocol.contract.UserLookup;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The API verticle alone, over real HTTP and a real event bus, against its own tables on both backends (H2 file
 * database and MariaDB, migrated with the API schema only; state in-process or Redis), with the router played by a
 * consumer that answers {@link ConversationsRequest} with a fixed {@link ConversationsReply}.
 */
@ExtendWith(VertxExtension.class)
class ApiVerticleIT {
  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One HTTP exchange: {@code {status, body}} (body as JSON, or empty). */
  private record Answer(int status, JsonObject body) {
  }

  private static Answer call(HttpClient http, int port, HttpMethod method, String path, String token,
                             JsonObject body) throws Exception {
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(path);
    if (token != null) {
      options.putHeader("authorization", "Bearer " + token);
    }
    if (body != null) {
      options.putHeader("content-type", "application/json");
    }
    return await(http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(),
            b.length() == 0 ? new JsonObject() : new JsonObject(b)))));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void registersLogsInBlocksBefriendsAndAnswersPeerChecks(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = DbConfig.from(storage.config().getJsonObject("db"));
      await(vertx.executeBlocking(() -> SchemaMigrations.apply(db, List.of(ApiVerticle.SCHEMA))));
      ContractCodec.register(vertx.eventBus());
      vertx.eventBus().<ConversationsRequest>consumer(Addresses.ROUTER_CONVERSATIONS, m -> m.reply(
          new ConversationsReply(("{\"conversations\":[],\"uid\":" + m.body().uid() + "}")
              .getBytes(StandardCharsets.UTF_8))));
      int port = freePort();
      JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", port)
          .put("storage", storage.config())
          .put("auth", new JsonObject().put("secret", "test-secret-" + UUID.randomUUID() + UUID.randomUUID())
              .put("argon2", new JsonObject().put("memoryKiB", 256).put("iterations", 1).put("parallelism", 1)));
      StateStore state = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      Tokens tokens = Tokens.create(vertx, AuthConfig.from(config.getJsonObject("auth")), state);
      Services services = new Services(vertx, Database.pool(vertx, db), Dialect.of(db), state, tokens, 1);
      await(vertx.deployVerticle(new ApiVerticle(services), new DeploymentOptions().setConfig(config)));
      HttpClient http = vertx.createHttpClient();

      JsonObject login = new JsonObject().put("password", "correct horse battery").put("device", "web");
      Answer alice = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "alice").put("password", "correct horse battery"));
      assertEquals(201, alice.status(), alice.body().encode());
      Answer bob = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "bob").put("password", "correct horse battery"));
      Answer taken = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "alice").put("password", "another password here"));
      assertEquals(409, taken.status(), "a taken username (insert-ignore) is a conflict: " + taken.body());
      assertEquals("conflict", taken.body().getString("code"));
      long a = alice.body().getLong("uid");
      long b = bob.body().getLong("uid");
      String aliceToken = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "alice")).body().getString("token");
      String bobToken = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "bob")).body().getString("token");
      Answer wrong = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "bob").put("password", "not the password"));
      assertEquals(401, wrong.status(), wrong.body().encode());

      UserInfo found = await(vertx.eventBus().<UserInfo>request(Addresses.API_USERS, new UserLookup("bob"))
          .map(m -> m.body()));
      assertEquals(b, found.uid());

      assertEquals(200, call(http, port, HttpMethod.PATCH, "/api/v1/users/me", bobToken, new JsonObject()
          .put("avatar", "https://example.com/b.png").put("groupAdd", "contacts")).status());
      assertEquals(200, call(http, port, HttpMethod.PATCH, "/api/v1/users/me", bobToken, new JsonObject()
          .put("avatar", "https://example.com/b2.png")).status(), "the second write updates the row");
      JsonObject me = call(http, port, HttpMethod.GET, "/api/v1/users/me", bobToken, null).body();
      assertEquals("https://example.com/b2.png", me.getString("avatar"), me.encode());
      assertEquals("contacts", me.getString("groupAdd"), me.encode());

      assertTrue(call(http, port, HttpMethod.POST, "/api/v1/contacts/requests", aliceToken,
          new JsonObject().put("uid", b).put("message", "hi")).status() < 300);
      assertTrue(call(http, port, HttpMethod.POST, "/api/v1/contacts/requests/" + a + "/accept", bobToken, null)
          .status() < 300);
      assertEquals(204, call(http, port, HttpMethod.PUT, "/api/v1/blocks/" + a, bobToken, null).status());
      assertEquals(204, call(http, port, HttpMethod.PUT, "/api/v1/blocks/" + a, bobToken, null).status(),
          "blocking twice is the same block");

      int all = PeerCheck.EXISTS | PeerCheck.BLOCKED | PeerCheck.CONTACT | PeerCheck.GROUP_ADD;
      PeerFacts facts = await(vertx.eventBus().<PeerFacts>request(Addresses.API_PEERS,
          new PeerCheck(List.of(a, b, a), List.of(b, a, 999_999L), all)).map(m -> m.body()));
      assertTrue(facts.has(0, PeerCheck.EXISTS | PeerCheck.BLOCKED | PeerCheck.CONTACT), "bob blocked alice");
      assertTrue(facts.has(1, PeerCheck.EXISTS | PeerCheck.CONTACT) && !facts.has(1, PeerCheck.BLOCKED));
      assertEquals(0, facts.flags().get(2), "no such user");
      assertEquals(GroupAdd.CONTACTS.code(), facts.groupAdd().get(0));

      Answer conversations = call(http, port, HttpMethod.GET, "/api/v1/conversations", aliceToken, null);
      assertEquals(a, conversations.body().getLong("uid"), "asked the router for alice: " + conversations.body());
    }
  }
}
