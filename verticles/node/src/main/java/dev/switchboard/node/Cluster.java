package dev.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A clustered Vert.x on Hazelcast from the {@code cluster} config section: cluster name, this member's host and port,
 * the TCP-IP member list (multicast and auto-detection off), and the event-bus host and port.
 */
final class Cluster {
  private Cluster() {
  }

  /**
   * The network transport a node runs on, from config {@code transport}: {@code epoll} (the default: Linux x86-64 and
   * aarch64; fewer copies and cheaper system calls than NIO), {@code io_uring} (Linux 5.10+, batches system calls),
   * or {@code nio}. A native transport that is not available here falls back to NIO, which the start log names.
   */
  static Transport transport(String name) {
    Transport t = switch (name) {
      case "io_uring" -> Transport.IO_URING;
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      default -> throw new IllegalArgumentException("transport must be epoll, io_uring or nio, not '" + name + "'");
    };
    return t.available() ? t : Transport.NIO;
  }

  /** An unclustered Vert.x on {@code transport}. */
  static Vertx vertx(String transport) {
    return Vertx.builder().withTransport(transport(transport)).build();
  }

  static Future<Vertx> vertx(JsonObject cluster, String transport) {
    String host = cluster.getString("host", "127.0.0.1");
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.getString("name", "switchboard"));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.local.localAddress", host);
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.getInteger("port", 5701)).setPortAutoIncrement(cluster.getBoolean("portAutoIncrement",
        true));
    network.getInterfaces().setEnabled(true).addInterface(host);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    for (Object member : cluster.getJsonArray("members", new JsonArray().add(host))) {
      join.getTcpIpConfig().addMember(member.toString());
    }
    EventBusOptions bus = new EventBusOptions().setHost(host).setPort(cluster.getInteger("eventBusPort", 0))
        .setClusterPublicHost(cluster.getString("publicHost", host));
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(bus)).withTransport(transport(transport))
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
  }
}
