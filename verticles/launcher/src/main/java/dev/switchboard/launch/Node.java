package dev.switchboard.launch;

import dev.switchboard.shared.config.Secrets;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.Migrations;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One node: applies schema migrations, claims a node id, and deploys the verticles its config names, in
 * {@link NodeConfig#VERTICLES} order. {@link #stop()} undeploys them and releases what the node holds.
 */
public final class Node {
  private static final Logger LOG = Logger.getLogger(Node.class.getName());
  private final Vertx vertx;
  private final Map<String, Supplier<VerticleBase>> factories;
  private final List<String> deployments = new ArrayList<>();
  private StateStore state;
  private NodeIds nodeIds;

  private Node(Vertx vertx, Map<String, Supplier<VerticleBase>> factories) {
    this.vertx = vertx;
    this.factories = factories;
  }

  /**
   * Starts a node on {@code vertx} with the verticles of {@code config}, each made by its factory; fails (after undoing
   * what started) when any part fails, or when the config names a verticle there is no factory for.
   */
  public static Future<Node> start(Vertx vertx, NodeConfig config, Map<String, Supplier<VerticleBase>> factories) {
    Node node = new Node(vertx, factories);
    return node.run(config).map(node).recover(t -> node.stop().transform(v -> Future.failedFuture(t)));
  }

  private Future<Void> run(NodeConfig config) {
    try {
      config.validate();
      for (String name : NodeConfig.VERTICLES) {
        if (config.verticle(name) != null && !factories.containsKey(name)) {
          throw new IllegalArgumentException("this jar cannot run the '" + name + "' verticle; it runs "
              + factories.keySet());
        }
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    state = StateStore.create(vertx, config.state());
    nodeIds = new NodeIds(vertx, state);
    boolean needsDb = config.verticle("api") != null || config.verticle("router") != null
        || config.verticle("group") != null;
    Future<JsonObject> auth = resolveAuth(config);
    Future<Integer> migrated = needsDb ? migrate(config) : Future.succeededFuture(0);
    return Future.all(auth, migrated, nodeIds.claim()).compose(ready -> {
      JsonObject shared = new JsonObject().put("auth", auth.result()).put("storage", config.storage())
          .put("nodeId", nodeIds.claimedId());
      Future<Void> chain = Future.succeededFuture();
      for (String name : NodeConfig.VERTICLES) {
        JsonObject section = inheritSendRate(config, name, inheritContactsOnly(config, name, config.verticle(name)));
        if (section != null) {
          chain = chain.compose(v -> deploy(name, section, shared));
        }
      }
      return chain;
    });
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

  private Future<Integer> migrate(NodeConfig config) {
    // The embedded database's directory and files are the owner's only: they hold every account and message.
    Future<Void> secured = config.db().embedded()
        ? vertx.executeBlocking(() -> {
          DataDir.secure(DataDir.of(config.db()));
          return null;
        })
        : Future.succeededFuture();
    return secured.compose(v -> {
      Pool pool = Database.pool(vertx, config.db());
      return Migrations.apply(pool, config.db()).onSuccess(n -> {
        if (n > 0) {
          LOG.info("applied " + n + " schema migration(s)");
        }
      }).eventually(pool::close);
    }).compose(n -> !config.db().embedded() ? Future.succeededFuture(n) : vertx.executeBlocking(() -> {
      DataDir.restrictDatabaseFiles(config.db());
      return n;
    }));
  }

  private Future<Void> deploy(String name, JsonObject section, JsonObject shared) {
    JsonObject config = section.copy().mergeIn(shared);
    int instances = section.getInteger("instances", 1);
    return vertx.deployVerticle(() -> factories.get(name).get(),
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

  /** Undeploys in reverse order (gateways first) and releases the node id. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    deployments.clear();
    return chain.compose(v -> nodeIds == null ? Future.succeededFuture() : nodeIds.release())
        .eventually(() -> state == null ? Future.succeededFuture() : state.close());
  }
}
