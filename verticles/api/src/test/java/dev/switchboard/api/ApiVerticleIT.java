package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.store.SqlUserStore;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.users.Passwords;
import dev.switchboard.launch.SchemaMigrations;
import dev.switchboard.launch.Services;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.ContractCodec;
import dev.switchboard.protocol.contract.ConversationsReply;
import dev.switchboard.protocol.contract.ConversationsRequest;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.protocol.contract.SearchReply;
import dev.switchboard.protocol.contract.SearchRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.protocol.contract.UserLookup;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.StateStore;
import dev.switchboard.shared.testing.Backend;
import dev.switchboard.shared.testing.Ports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
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
 * consumer that answers {@link ConversationsRequest} with a fixed {@link ConversationsReply}. Between them the calls use
 * every method of the API's stores ({@code UserStore}, {@code ContactStore}) on both backends.
 */
@ExtendWith(VertxExtension.class)
class ApiVerticleIT {
  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private static int freePort() {
    return Ports.free();
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

  private static List<Long> uids(JsonArray profiles) {
    return profiles.stream().map(p -> ((JsonObject) p).getLong("uid")).toList();
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
      Pool pool = Database.pool(vertx, db);
      Services services = new Services(vertx, pool, Dialect.of(db), state, tokens, 1);
      await(vertx.deployVerticle(new ApiVerticle(services), new DeploymentOptions().setConfig(config)));
      HttpClient http = vertx.createHttpClient();

      JsonObject login = new JsonObject().put("password", "correct horse battery").put("device", "web");
      Answer alice = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "alice").put("password", "correct horse battery"));
      assertEquals(201, alice.status(), alice.body().encode());
      Answer bob = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "bob").put("password", "correct horse battery"));
      Answer carol = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "carol").put("password", "correct horse battery"));
      Answer taken = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "alice").put("password", "another password here"));
      assertEquals(409, taken.status(), "a taken username (insert-ignore) is a conflict: " + taken.body());
      assertEquals("conflict", taken.body().getString("code"));
      long a = alice.body().getLong("uid");
      long b = bob.body().getLong("uid");
      long c = carol.body().getLong("uid");
      String aliceToken = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "alice")).body().getString("token");
      String bobToken = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "bob")).body().getString("token");
      String carolToken = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "carol")).body().getString("token");
      Answer wrong = call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "bob").put("password", "not the password"));
      assertEquals(401, wrong.status(), wrong.body().encode());

      UserInfo found = await(vertx.eventBus().<UserInfo>request(Addresses.API_USERS, new UserLookup("bob"))
          .map(m -> m.body()));
      assertEquals(b, found.uid());

      assertEquals(200, call(http, port, HttpMethod.PATCH, "/api/v1/users/me", bobToken, new JsonObject()
          .put("nickname", " Bob ").put("avatar", "https://example.com/b.png").put("groupAdd", "contacts")).status());
      assertEquals(200, call(http, port, HttpMethod.PATCH, "/api/v1/users/me", bobToken, new JsonObject()
          .put("avatar", "https://example.com/b2.png")).status(), "the second write updates the row");
      JsonObject me = call(http, port, HttpMethod.GET, "/api/v1/users/me", bobToken, null).body();
      assertEquals("https://example.com/b2.png", me.getString("avatar"), me.encode());
      assertEquals("contacts", me.getString("groupAdd"), me.encode());
      assertEquals("Bob", me.getString("nickname"), me.encode());
      JsonObject search = call(http, port, HttpMethod.GET, "/api/v1/users?q=B&limit=1", aliceToken, null).body();
      assertEquals(new JsonObject().put("users", new JsonArray().add(new JsonObject().put("uid", b)
          .put("username", "bob").put("nickname", "Bob").put("avatar", "https://example.com/b2.png")
          .put("kind", "user"))).put("more", false), search);

      assertTrue(call(http, port, HttpMethod.POST, "/api/v1/contacts/requests", aliceToken,
          new JsonObject().put("uid", b).put("message", "hi")).status() < 300);
      assertTrue(call(http, port, HttpMethod.POST, "/api/v1/contacts/requests/" + a + "/accept", bobToken, null)
          .status() < 300);
      JsonObject contacts = call(http, port, HttpMethod.GET, "/api/v1/contacts", aliceToken, null).body();
      assertEquals(new JsonObject().put("contacts", new JsonArray().add(new JsonObject().put("uid", b)
          .put("username", "bob").put("nickname", "Bob").put("avatar", "https://example.com/b2.png")
          .put("kind", "user").put("online", false).put("devices", new JsonArray()))), contacts);
      assertEquals(204, call(http, port, HttpMethod.PUT, "/api/v1/blocks/" + a, bobToken, null).status());
      assertEquals(204, call(http, port, HttpMethod.PUT, "/api/v1/blocks/" + a, bobToken, null).status(),
          "blocking twice is the same block");
      assertEquals(new JsonObject().put("blocked", new JsonArray().add(a)),
          call(http, port, HttpMethod.GET, "/api/v1/blocks", bobToken, null).body());

      int all = PeerCheck.EXISTS | PeerCheck.BLOCKED | PeerCheck.CONTACT | PeerCheck.GROUP_ADD;
      PeerFacts facts = await(vertx.eventBus().<PeerFacts>request(Addresses.API_PEERS,
          new PeerCheck(List.of(a, b, a), List.of(b, a, 999_999L), all)).map(m -> m.body()));
      assertTrue(facts.has(0, PeerCheck.EXISTS | PeerCheck.BLOCKED | PeerCheck.CONTACT), "bob blocked alice");
      assertTrue(facts.has(1, PeerCheck.EXISTS | PeerCheck.CONTACT) && !facts.has(1, PeerCheck.BLOCKED));
      assertEquals(0, facts.flags().get(2), "no such user");
      assertEquals(GroupAdd.CONTACTS.code(), facts.groupAdd().get(0));

      Answer conversations = call(http, port, HttpMethod.GET, "/api/v1/conversations", aliceToken, null);
      assertEquals(a, conversations.body().getLong("uid"), "asked the router for alice: " + conversations.body());

      assertEquals(201, call(http, port, HttpMethod.POST, "/api/v1/contacts/requests", aliceToken,
          new JsonObject().put("uid", c).put("message", "hey")).status());
      JsonObject toCarol = call(http, port, HttpMethod.GET, "/api/v1/contacts/requests", carolToken, null).body();
      assertEquals(List.of(a), uids(toCarol.getJsonArray("incoming")), toCarol.encode());
      assertEquals("hey", toCarol.getJsonArray("incoming").getJsonObject(0).getString("message"));
      assertEquals("alice", toCarol.getJsonArray("incoming").getJsonObject(0).getString("username"));
      assertEquals(List.of(), uids(toCarol.getJsonArray("outgoing")));
      JsonObject fromAlice = call(http, port, HttpMethod.GET, "/api/v1/contacts/requests", aliceToken, null).body();
      assertEquals(List.of(c), uids(fromAlice.getJsonArray("outgoing")), fromAlice.encode());
      assertEquals(200, call(http, port, HttpMethod.POST, "/api/v1/contacts/requests/" + a + "/reject", carolToken,
          null).status());
      assertEquals(404, call(http, port, HttpMethod.POST, "/api/v1/contacts/requests/" + a + "/accept", carolToken,
          null).status(), "a rejected request is gone");
      assertEquals(201, call(http, port, HttpMethod.POST, "/api/v1/contacts/requests", aliceToken,
          new JsonObject().put("uid", c)).status());
      assertEquals(204, call(http, port, HttpMethod.DELETE, "/api/v1/contacts/" + c, aliceToken, null).status(),
          "alice withdraws her request");
      assertEquals(404, call(http, port, HttpMethod.DELETE, "/api/v1/contacts/" + c, aliceToken, null).status());
      assertEquals(204, call(http, port, HttpMethod.DELETE, "/api/v1/contacts/" + b, aliceToken, null).status());
      assertEquals(new JsonObject().put("contacts", new JsonArray()),
          call(http, port, HttpMethod.GET, "/api/v1/contacts", aliceToken, null).body());
      assertEquals(204, call(http, port, HttpMethod.DELETE, "/api/v1/blocks/" + a, bobToken, null).status());
      assertEquals(new JsonObject().put("blocked", new JsonArray()),
          call(http, port, HttpMethod.GET, "/api/v1/blocks", bobToken, null).body());

      assertEquals(200, call(http, port, HttpMethod.PUT, "/api/v1/users/me/password", carolToken, new JsonObject()
          .put("current", "correct horse battery").put("password", "another horse battery")).status());
      assertEquals(200, call(http, port, HttpMethod.POST, "/api/v1/sessions", null, login.copy()
          .put("username", "carol").put("password", "another horse battery")).status(), "the new password");

      // A hash weaker than the configured cost is upgraded at the next login.
      UserStore users = new SqlUserStore(pool, Dialect.of(db));
      long d = await(users.create("dave", Passwords.hash("correct horse battery", new AuthConfig.Argon2(64, 1, 1)),
          "user", null));
      assertEquals(200, call(http, port, HttpMethod.POST, "/api/v1/sessions", null,
          login.copy().put("username", "dave")).status());
      String upgraded = await(users.find(d)).passwordHash();
      assertTrue(upgraded.startsWith("$argon2id$v=19$m=256,t=1,p=1$"), upgraded);
    }
  }

  /**
   * {@code GET /api/v1/search} with the router and the group verticle played by consumers: both are asked with the
   * parsed request, their pages are merged newest first, {@code peer} asks only the router and {@code group} only the
   * group verticle, and a page cut at the limit carries the last mid as {@code next}.
   */
  @ParameterizedTest
  @EnumSource(Backend.class)
  void searchAsksTheRouterAndTheGroupsAndMergesTheirPages(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      DbConfig db = DbConfig.from(storage.config().getJsonObject("db"));
      await(vertx.executeBlocking(() -> SchemaMigrations.apply(db, List.of(ApiVerticle.SCHEMA))));
      ContractCodec.register(vertx.eventBus());
      List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
      byte[] body = "\"cats and dogs\"".getBytes(StandardCharsets.UTF_8);
      vertx.eventBus().<SearchRequest>consumer(Addresses.ROUTER_SEARCH, m -> {
        asked.add("router " + m.body().terms() + " peer=" + m.body().peer() + " limit=" + m.body().limit());
        m.reply(new SearchReply(List.of(SyncEntry.message(30, "c", 2, m.body().uid(), 5, 3, "text", body, false),
            SyncEntry.message(10, "c", m.body().uid(), 2, 4, 1, "text", body, false)), 0));
      });
      vertx.eventBus().<SearchRequest>consumer(Addresses.GROUP_SEARCH, m -> {
        asked.add("group " + m.body().terms() + " group=" + m.body().group());
        m.reply(new SearchReply(List.of(SyncEntry.groupMessage(20, "c", 3, 9, 7, 2, "text", body, false)), 0));
      });
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
      long uid = call(http, port, HttpMethod.POST, "/api/v1/users", null,
          new JsonObject().put("username", "finder").put("password", "correct horse battery")).body().getLong("uid");
      String token = call(http, port, HttpMethod.POST, "/api/v1/sessions", null, new JsonObject()
          .put("username", "finder").put("password", "correct horse battery").put("device", "web")).body()
          .getString("token");

      Answer all = call(http, port, HttpMethod.GET, "/api/v1/search?q=Cats%20DOGS&limit=2", token, null);
      assertEquals(200, all.status(), all.body().encode());
      JsonArray results = all.body().getJsonArray("results");
      assertEquals(List.of("30", "20"), results.stream().map(r -> ((JsonObject) r).getString("mid")).toList());
      assertEquals(new JsonObject().put("mid", "30").put("from", 2).put("to", uid).put("seq", 5).put("ts", 3)
          .put("type", "text").put("body", "cats and dogs"), results.getJsonObject(0));
      assertEquals(9L, results.getJsonObject(1).getLong("group"));
      assertEquals("20", all.body().getString("next"), "cut at the limit");
      assertEquals(List.of("group [cats, dogs] group=0", "router [cats, dogs] peer=0 limit=2"),
          asked.stream().sorted().toList());

      asked.clear();
      Answer one = call(http, port, HttpMethod.GET, "/api/v1/search?q=cats&peer=2", token, null);
      assertEquals(2, one.body().getJsonArray("results").size(), "the router's two only: " + one.body());
      assertTrue(!one.body().containsKey("next"), "both pages were complete");
      assertEquals(List.of("router [cats] peer=2 limit=20"), asked);
      asked.clear();
      assertEquals(200, call(http, port, HttpMethod.GET, "/api/v1/search?q=cats&group=9", token, null).status());
      assertEquals(List.of("group [cats] group=9"), asked);
      assertEquals(400, call(http, port, HttpMethod.GET, "/api/v1/search?q=%3F", token, null).status());
    }
  }
}
