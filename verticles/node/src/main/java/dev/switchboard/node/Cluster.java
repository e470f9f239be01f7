package dev.switchboard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
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
   * Options every node starts with: the native epoll transport where it is available (Linux x86-64 and aarch64; it
   * writes to sockets with fewer copies and cheaper system calls than NIO), NIO elsewhere.
   */
  static VertxOptions options() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  static Future<Vertx> vertx(JsonObject cluster) {
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
    return Vertx.builder().with(options().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
  }
}
