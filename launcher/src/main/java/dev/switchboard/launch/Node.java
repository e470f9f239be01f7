package dev.switchboard.launch;

import dev.switchboard.launch.Services.Need;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.config.Secrets;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Dialect;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node: applies the schema migrations of the verticles its config names ({@link SchemaMigrations}), builds the
 * {@link Services} those verticles declare they need (and only those: a gateway-only node opens no SQL pool and claims
 * no node id), and deploys the verticles, in {@link NodeConfig#VERTICLES} order, each instance made with those
 * services. {@link #stop()} undeploys them and releases
 * what the node holds.
 */
public final class Node {
  private final Vertx vertx;
  private final Map<String, VerticleKind> kinds;
  private final List<String> deployments = new ArrayList<>();
  private StateStore state;
  private Pool pool;
  private NodeIds nodeIds;
  private Services services;

  private Node(Vertx vertx, Map<String, VerticleKind> kinds) {
    this.vertx = vertx;
    this.kinds = kinds;
  }

  /**
   * Starts a node on {@code vertx} with the verticles of {@code config}, each made by the factory of its kind once the
   * schemas of all of them are up to date; fails (after undoing what started) when any part fails, or when the config
   * names a verticle this node has no kind for.
   */
  public static Future<Node> start(Vertx vertx, NodeConfig config, Map<String, VerticleKind> kinds) {
    Node node = new Node(vertx, kinds);
    return node.run(config).map(node).recover(t -> node.stop().transform(v -> Future.failedFuture(t)));
  }

  private Future<Void> run(NodeConfig config) {
    try {
      config.validate();
      for (String name : NodeConfig.VERTICLES) {
        if (config.verticle(name) != null && !kinds.containsKey(name)) {
          throw new IllegalArgumentException("this jar cannot run the '" + name + "' verticle; it runs "
              + kinds.keySet());
        }
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<String> names = deployed(config);
    Set<Need> needs = needs(config, kinds);
    if (config.clustered()) {
      UserBus.install(vertx, UserBus.Mode.of(config.cluster().getString("userAddresses")));
    }
    if (needs.contains(Need.STATE)) {
      state = StateStore.create(vertx, config.state());
    }
    if (needs.contains(Need.IDS)) {
      nodeIds = new NodeIds(vertx, state);
    }
    List<Schema> schemas = names.stream().flatMap(name -> kinds.get(name).schema().stream()).toList();
    // Only a node whose verticles use tokens needs the secret; the API also reads its hashing settings from `auth`.
    Future<JsonObject> auth = needs.contains(Need.TOKENS) ? resolveAuth(config) : Future.succeededFuture(config.auth());
    Future<JsonObject> hooks = resolveHooks(config);
    Future<Integer> migrated = schemas.isEmpty() ? Future.succeededFuture(0) : migrate(config, schemas);
    Future<?> claimed = nodeIds == null ? Future.succeededFuture() : nodeIds.claim();
    return Future.all(auth, hooks, migrated, claimed).compose(ready -> {
      if (needs.contains(Need.POOL)) {
        pool = Database.pool(vertx, config.db());
      }
      Tokens tokens = needs.contains(Need.TOKENS) ? Tokens.create(vertx, AuthConfig.from(auth.result()), state) : null;
      services = new Services(vertx, pool, pool == null ? null : Dialect.of(config.db()), state, tokens,
          nodeIds == null ? null : nodeIds.claimedId());
      JsonObject shared = new JsonObject().put("auth", auth.result()).put("hooks", hooks.result());
      Future<Void> chain = Future.succeededFuture();
      for (String name : names) {
        JsonObject section = inheritMediaRetention(config, name,
            inheritSendRate(config, name, inheritContactsOnly(config, name, config.verticle(name))));
        chain = chain.compose(v -> deploy(name, section, shared));
      }
      return chain;
    });
  }

  /** The verticles {@code config} names, in deployment order. */
  static List<String> deployed(NodeConfig config) {
    return NodeConfig.VERTICLES.stream().filter(name -> config.verticle(name) != null).toList();
  }

  /** The services a node of {@code config} builds: what its verticles declare, together. */
  static Set<Need> needs(NodeConfig config, Map<String, VerticleKind> kinds) {
    return VerticleKind.needs(deployed(config).stream().filter(kinds::containsKey).map(kinds::get).toList());
  }

  /** The services this node built for its verticles (null until it started). */
  public Services services() {
    return services;
  }

  /**
   * Contacts-only mode is set on the router ({@code verticles.router.contactsOnly}) but must also hold for group adds,
   * so the group verticle follows the router's setting unless its own section sets {@code contactsOnly}.
   */
  private static JsonObject inheritContactsOnly(NodeConfig config, String name, JsonObject section) {
    JsonObject router = config.verticle("router");
    if (!"group".equals(name) || section == null || section.containsKey("contactsOnly") || router == null
        || !router.containsKey("contactsOnly")) {
      return section;
    }
    return section.copy().put("contactsOnly", router.getValue("contactsOnly"));
  }

  /**
   * The per-user send budget is set on the router ({@code verticles.router.sendRate}/{@code sendBurst}) but enforced
   * where sends come in: the gateway (sessions) and the bridge (bots) take those keys from the router's section when
   * their own has none. A node that runs a gateway without a router reads the gateway's own keys (default 50/s, 100).
   */
  private static JsonObject inheritSendRate(NodeConfig config, String name, JsonObject section) {
    JsonObject router = config.verticle("router");
    if (!("gateway".equals(name) || "bridge".equals(name)) || section == null || router == null) {
      return section;
    }
    JsonObject out = section;
    for (String key : new String[] {"sendRate", "sendBurst"}) {
      if (!section.containsKey(key) && router.containsKey(key)) {
        out = (out == section ? section.copy() : out).put(key, router.getValue(key));
      }
    }
    return out;
  }

  /**
   * Media is kept as long as messages: the API's {@code media.retention} follows the router's {@code retention} (the
   * global one) unless the API's section sets its own.
   */
  private static JsonObject inheritMediaRetention(NodeConfig config, String name, JsonObject section) {
    JsonObject router = config.verticle("router");
    if (!"api".equals(name) || section == null || router == null || !router.containsKey("retention")) {
      return section;
    }
    JsonObject media = section.getJsonObject("media", new JsonObject());
    if (media.containsKey("retention")) {
      return section;
    }
    return section.copy().put("media", media.copy().put("retention", router.getValue("retention")));
  }

  /** Brings {@code schemas} up to date on a worker (JDBC and Flyway block); the future holds how many migrations ran. */
  private Future<Integer> migrate(NodeConfig config, List<Schema> schemas) {
    return vertx.executeBlocking(() -> {
      // The embedded database's directory and files are the owner's only: they hold every account and message.
      if (config.db().embedded()) {
        DataDir.secure(DataDir.of(config.db()));
      }
      int applied = SchemaMigrations.apply(config.db(), schemas);
      if (config.db().embedded()) {
        DataDir.restrictDatabaseFiles(config.db());
      }
      return applied;
    }, false);
  }

  private Future<Void> deploy(String name, JsonObject section, JsonObject shared) {
    JsonObject config = section.copy().mergeIn(shared);
    int instances = section.getInteger("instances", 1);
    return vertx.deployVerticle(() -> kinds.get(name).factory().apply(services),
            new DeploymentOptions().setConfig(config).setInstances(instances))
        .onSuccess(deployments::add)
        .mapEmpty();
  }

  /**
   * The token secret: {@code SWITCHBOARD_AUTH_SECRET}, else the file named by {@code SWITCHBOARD_AUTH_SECRET_FILE},
   * else {@code auth.secret}; on a single node with the embedded database and none of these, a random secret kept
   * beside the database file (created on first start, owner-only), so tokens survive restarts without any setup. The
   * secret is then checked by {@code AuthConfig} (length, not a shipped placeholder, random-looking).
   */
  private Future<JsonObject> resolveAuth(NodeConfig config) {
    JsonObject auth = config.auth().copy();
    return vertx.executeBlocking(() -> {
      String secret = Secrets.resolve(auth.getString("secret"), "SWITCHBOARD_AUTH_SECRET", System.getenv());
      if (secret != null) {
        return auth.put("secret", secret);
      }
      if (config.clustered() || !config.db().embedded()) {
        throw new IllegalArgumentException("auth.secret (or SWITCHBOARD_AUTH_SECRET or SWITCHBOARD_AUTH_SECRET_FILE) "
            + "must be set unless the node runs alone on the embedded database");
      }
      Path file = DataDir.of(config.db()).resolve("jwt.secret");
      DataDir.secure(file.getParent());
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        DataDir.writePrivate(file, HexFormat.of().formatHex(random));
      }
      DataDir.restrict(file);
      return auth.put("secret", Files.readString(file).strip());
    });
  }

  /**
   * The {@code hooks} section with its secrets resolved like the token secret's
   * ({@code SWITCHBOARD_HOOKS_BEFORESEND_SECRET} and {@code SWITCHBOARD_HOOKS_WEBHOOKS_<index>_SECRET}, or their
   * {@code _FILE} forms, win over the file), checked by {@link HooksConfig#from} so that a bad section fails the start
   * with a message naming the key.
   */
  private Future<JsonObject> resolveHooks(NodeConfig config) {
    JsonObject hooks = config.json().getJsonObject("hooks", new JsonObject()).copy();
    return vertx.executeBlocking(() -> {
      Map<String, String> env = System.getenv();
      JsonObject before = hooks.getJsonObject("beforeSend");
      if (before != null) {
        before.put("secret", Secrets.resolve(before.getString("secret"), "SWITCHBOARD_HOOKS_BEFORESEND_SECRET", env));
      }
      io.vertx.core.json.JsonArray webhooks = hooks.getJsonArray("webhooks", new io.vertx.core.json.JsonArray());
      for (int i = 0; i < webhooks.size(); i++) {
        if (webhooks.getValue(i) instanceof JsonObject w) {
          w.put("secret", Secrets.resolve(w.getString("secret"), "SWITCHBOARD_HOOKS_WEBHOOKS_" + i + "_SECRET", env));
        }
      }
      HooksConfig.from(hooks);
      return hooks;
    });
  }

  /** Undeploys in reverse order (gateways first), releases the node id and closes the services. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    deployments.clear();
    return chain.compose(v -> nodeIds == null ? Future.succeededFuture() : nodeIds.release())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(() -> state == null ? Future.succeededFuture() : state.close());
  }
}
