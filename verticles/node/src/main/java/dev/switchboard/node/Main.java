package dev.switchboard.node;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The launcher: {@code java -jar switchboard-node.jar [config.json]}. With no argument it runs every verticle in one
 * unclustered JVM on the embedded default (conf/default.json).
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    NodeConfig config = NodeConfig.load(args.length > 0 ? args[0] : System.getenv("SWITCHBOARD_CONFIG"));
    config.validate();
    Vertx vertx = config.clustered() ? Cluster.vertx(config.cluster(), config.transport()).await(60, TimeUnit.SECONDS)
        : Cluster.vertx(config.transport());
    Node node;
    try {
      node = Node.start(vertx, config).await(120, TimeUnit.SECONDS);
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
        node.stop().eventually(vertx::close).await(20, TimeUnit.SECONDS);
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
