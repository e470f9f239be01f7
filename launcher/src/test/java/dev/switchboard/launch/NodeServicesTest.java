package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Services.Need;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher builds the services the deployed verticles declare, and only those, once per node: stand-in verticles
 * (the real ones live in modules that depend on this one) record the {@link Services} they were made with.
 */
class NodeServicesTest {
  private static final String SECRET = "launcher-module-test-secret-0123456789abcdef";
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A verticle that keeps the services it was made with. */
  private static final class Recording extends VerticleBase {
    private Recording(Services services, List<Services> made) {
      made.add(services);
    }

    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  private static VerticleKind kind(List<Services> made, Need... needs) {
    return VerticleKind.tableless(services -> new Recording(services, made), needs);
  }

  private static NodeConfig config(JsonObject storage, JsonObject auth, Map<String, JsonObject> verticles) {
    JsonObject sections = new JsonObject();
    verticles.forEach(sections::put);
    return new NodeConfig(new JsonObject().put("storage", storage).put("auth", auth).put("verticles", sections));
  }

  private static Node start(NodeConfig config, Map<String, VerticleKind> kinds) throws Exception {
    return Node.start(vertx, config, kinds).await(30, TimeUnit.SECONDS);
  }

  @Test
  void aGatewayOnlyNodeOpensNoPool() throws Exception {
    List<Services> made = new CopyOnWriteArrayList<>();
    try (Backend.Storage storage = Backend.EMBEDDED.open(vertx)) {
      Node node = start(config(storage.config(), new JsonObject().put("secret", SECRET),
          Map.of("gateway", new JsonObject().put("instances", 2))),
          Map.of("gateway", kind(made, Need.STATE, Need.TOKENS, Need.IDS)));
      try {
        assertEquals(2, made.size());
        Services services = made.get(0);
        assertTrue(services.has(Need.STATE) && services.has(Need.TOKENS) && services.has(Need.IDS));
        assertFalse(services.has(Need.POOL));
        assertTrue(services.nodeId() >= 0, "a node id was leased");
        IllegalStateException e = assertThrows(IllegalStateException.class, services::pool);
        assertTrue(e.getMessage().contains("Need.POOL"), e.getMessage());
        Path db = Path.of(storage.config().getJsonObject("db").getString("path"));
        assertFalse(Files.exists(db.resolveSibling(db.getFileName() + ".mv.db")), "no database file was created");
        assertTrue(services.tokens().check(services.tokens().issue(7).token()).map(v -> v.uid())
            .await(10, TimeUnit.SECONDS) == 7, "the token service verifies what it issued");
      } finally {
        node.stop().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aBridgeOnlyNodeBuildsTheStateStoreAndNeedsNoSecretNorDatabase() throws Exception {
    List<Services> made = new CopyOnWriteArrayList<>();
    // A MySQL nobody listens on and no token secret: a node with a database or tokens would refuse to start.
    JsonObject storage = new JsonObject()
        .put("db", new JsonObject().put("kind", "mysql").put("host", "127.0.0.1").put("port", 1))
        .put("state", new JsonObject().put("kind", "local").put("prefix", "bridge-only-test:"));
    Node node = start(config(storage, new JsonObject(), Map.of("bridge", new JsonObject())),
        Map.of("bridge", kind(made, Need.STATE)));
    try {
      Services services = made.get(0);
      assertTrue(services.has(Need.STATE));
      assertFalse(services.has(Need.POOL) || services.has(Need.TOKENS) || services.has(Need.IDS));
      assertThrows(IllegalStateException.class, services::nodeId, "no node id was claimed");
      services.state().set("k", "v", 10_000).await(10, TimeUnit.SECONDS);
      assertEquals("v", services.state().get("k").await(10, TimeUnit.SECONDS));
    } finally {
      node.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyInstanceOfEveryVerticleSharesTheOnePoolAndIdGenerator() throws Exception {
    List<Services> router = new CopyOnWriteArrayList<>();
    List<Services> gateway = new CopyOnWriteArrayList<>();
    try (Backend.Storage storage = Backend.EMBEDDED.open(vertx)) {
      Node node = start(config(storage.config(), new JsonObject().put("secret", SECRET),
              Map.of("router", new JsonObject().put("instances", 3), "gateway", new JsonObject())),
          Map.of("router", kind(router, Need.POOL, Need.IDS), "gateway", kind(gateway, Need.TOKENS)));
      try {
        assertEquals(3, router.size());
        router.forEach(s -> assertSame(node.services(), s));
        assertSame(node.services(), gateway.get(0));
        Services services = node.services();
        assertTrue(services.has(Need.POOL) && services.has(Need.IDS) && services.has(Need.TOKENS));
        assertEquals(1, services.pool().query("SELECT 1").execute().await(10, TimeUnit.SECONDS).size());
        assertTrue(services.ids().next() < services.ids().next());
      } finally {
        node.stop().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void declarationsImplyWhatTheirServicesRunOn() {
    VerticleKind owning = VerticleKind.owning(new Schema("x"), s -> null);
    assertEquals(Set.of(Need.POOL), owning.needs(), "owning tables means the pool");
    assertEquals(EnumSet.of(Need.TOKENS, Need.STATE), kind(List.of(), Need.TOKENS).needs(),
        "revocations live in the state store");
    assertEquals(EnumSet.of(Need.IDS, Need.STATE), kind(List.of(), Need.IDS).needs(), "node ids are leased there");
    assertEquals(EnumSet.of(Need.POOL, Need.STATE), VerticleKind.needs(List.of(owning, kind(List.of(), Need.STATE))));
  }

  @Test
  void readinessChecksFollowTheDeclarations() throws Exception {
    try (Backend.Storage storage = Backend.EMBEDDED.open(vertx)) {
      NodeConfig config = config(storage.config(), new JsonObject().put("secret", SECRET),
          Map.of("gateway", new JsonObject()));
      Map<String, VerticleKind> kinds = Map.of("gateway", kind(new CopyOnWriteArrayList<>(), Need.TOKENS));
      Monitor monitor = new Monitor(vertx, config, Node.needs(config, kinds), null);
      assertEquals(new JsonObject().put("node", "starting").put("state", "starting"),
          monitor.ready().await(10, TimeUnit.SECONDS));
      Node node = start(config, kinds);
      try {
        monitor.started(node.services());
        assertEquals(new JsonObject().put("node", "ok").put("state", "ok"),
            monitor.ready().await(10, TimeUnit.SECONDS), "a gateway-only node has no database to check");
      } finally {
        node.stop().await(10, TimeUnit.SECONDS);
      }
      Map<String, VerticleKind> withPool = Map.of("gateway", kind(new CopyOnWriteArrayList<>(), Need.POOL));
      Node pooled = start(config, withPool);
      try {
        Monitor checks = new Monitor(vertx, config, Node.needs(config, withPool), null);
        checks.started(pooled.services());
        assertEquals(new JsonObject().put("node", "ok").put("database", "ok"),
            checks.ready().await(10, TimeUnit.SECONDS), "a pool-only node has no state store to check");
      } finally {
        pooled.stop().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
