package dev.switchboard.launch;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts a node process: reads the config (the first argument, else {@code SWITCHBOARD_CONFIG}, else
 * conf/default.json, else the default inside the jar), builds the Vert.x instance (clustered over Hazelcast when
 * {@code cluster.enabled}), deploys the verticles of the config that this jar can run ({@code kinds}), serves
 * {@code /health}, {@code /ready} and {@code /metrics} on the monitor port, and stops cleanly on SIGTERM. Every
 * runnable jar's {@code main} calls {@link #run}: the all-in-one node with every kind, each role's jar with its own.
 */
public final class Launcher {
  private static final Logger LOG = Logger.getLogger(Launcher.class.getName());

  private Launcher() {
  }

  /**
   * Runs a node for {@code args}. {@code role} names the verticle a single-role jar deploys when the config does not
   * list any verticle (null for the all-in-one node).
   */
  public static void run(String[] args, String role, Map<String, VerticleKind> kinds) throws Exception {
    NodeConfig config = NodeConfig.load(args.length > 0 ? args[0] : System.getenv("SWITCHBOARD_CONFIG"));
    JsonObject json = config.json().copy();
    List<String> fromEnv = EnvOverrides.apply(json, System.getenv());
    LogFormat.apply(json.getJsonObject("logging"));
    if (!fromEnv.isEmpty()) {
      LOG.info("config values from the environment (" + EnvOverrides.PREFIX + "...): " + String.join(", ", fromEnv));
    }
    config = new NodeConfig(json).forRole(role, kinds.keySet());
    config.validate();
    // Switchboard's meters go to the global registry; Prometheus scrapes it with Vert.x's own meters.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.globalRegistry.add(registry);
    boolean busMeters = config.json().getJsonObject("monitor", new JsonObject())
        .getBoolean("eventBusMeters", false);
    Vertx vertx = config.clustered()
        ? Cluster.vertx(config.cluster(), config.transport(), registry, busMeters).await(60, TimeUnit.SECONDS)
        : Cluster.vertx(config.transport(), registry, busMeters);
    Monitor monitor = new Monitor(vertx, config, Node.needs(config, kinds), registry);
    Node node;
    try {
      monitor.start().await(30, TimeUnit.SECONDS);
      node = Node.start(vertx, config, kinds).await(120, TimeUnit.SECONDS);
      monitor.started(node.services());
    } catch (Exception e) {
      LOG.log(Level.SEVERE, "node failed to start: " + e.getMessage(), e);
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("switchboard node started: " + describe(config) + "; transport: "
        + ((io.vertx.core.internal.VertxInternal) vertx).transport().getClass().getSimpleName());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop().eventually(monitor::stop).eventually(vertx::close).await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "unclean stop: " + e.getMessage());
      }
    }, "switchboard-shutdown"));
  }

  private static String describe(NodeConfig config) {
    StringBuilder sb = new StringBuilder();
    var api = config.verticle("api");
    var gw = config.verticle("gateway");
    if (api != null) {
      sb.append("api http://127.0.0.1:").append(api.getInteger("port", 8080)).append(' ');
    }
    if (gw != null) {
      sb.append("websocket ws://127.0.0.1:").append(gw.getInteger("wsPort", 8081)).append(gw.getString("wsPath", "/ws"))
          .append(" tcp 127.0.0.1:").append(gw.getInteger("tcpPort", 9000));
    }
    return sb.toString().strip();
  }
}
