package dev.switchboard.launch;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.switchboard.shared.config.TlsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.EnumSet;

/**
 * A clustered Vert.x on Hazelcast from the {@code cluster} config section: cluster name, this member's host and port,
 * the TCP-IP member list (multicast and auto-detection off), and the event-bus host and port. With
 * {@code cluster.tls} the event bus runs mutual TLS: a process without a certificate of the cluster's CA can neither
 * deliver a message to a member nor receive one. Hazelcast's own member protocol stays plain (TLS there is a
 * Hazelcast Enterprise feature); docs/cluster.md says what that leaves open.
 */
public final class Cluster {
  private Cluster() {
  }

  /**
   * The Hazelcast cluster name: {@code name} joined with a digest of the shared {@code secret}. Hazelcast compares
   * cluster names in the join handshake, so a member without the secret is refused (a digest, so the secret itself
   * never travels). This keeps foreign and misconfigured members out; against an attacker on the network, also turn on
   * {@code cluster.tls} for the event bus (docs/cluster.md).
   */
  static String clusterName(JsonObject cluster) {
    String name = cluster.getString("name", "switchboard");
    String secret = dev.switchboard.shared.config.Secrets.requireStrong(
        "cluster.secret (or SWITCHBOARD_CLUSTER_SECRET or SWITCHBOARD_CLUSTER_SECRET_FILE), shared by every member,",
        dev.switchboard.shared.config.Secrets.resolve(cluster.getString("secret"), "SWITCHBOARD_CLUSTER_SECRET",
            System.getenv()));
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest((name + "\n" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return name + "-" + java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The address other members reach this one at: {@code SWITCHBOARD_CLUSTER_PUBLIC_HOST} (in Kubernetes, the pod's IP
   * from the downward API), else {@code cluster.publicHost}, else {@code fallback}.
   */
  static String publicHost(JsonObject cluster, String fallback) {
    String env = System.getenv("SWITCHBOARD_CLUSTER_PUBLIC_HOST");
    return env != null && !env.isBlank() ? env.strip() : cluster.getString("publicHost", fallback);
  }

  /**
   * How a member finds the others: the TCP-IP member list ({@link #members}), or with {@code cluster.kubernetes}
   * ({@code {"serviceDns": "<headless service>.<namespace>.svc.cluster.local"}}) Hazelcast's Kubernetes discovery in
   * DNS mode: the members are the addresses behind that headless Service (it needs no API access, so no RBAC).
   * Multicast and auto-detection are always off.
   */
  static void join(JoinConfig join, JsonObject cluster, String host, int port) {
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    JsonObject kubernetes = cluster.getJsonObject("kubernetes");
    if (kubernetes != null) {
      String dns = kubernetes.getString("serviceDns");
      if (dns == null || dns.isBlank()) {
        throw new IllegalArgumentException("cluster.kubernetes.serviceDns must name the cluster's headless Service");
      }
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", dns)
          .setProperty("service-port", Integer.toString(port));
      return;
    }
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    for (String member : members(cluster, host)) {
      join.getTcpIpConfig().addMember(member);
    }
  }

  /** The TCP-IP member list: {@code cluster.members}, else {@code SWITCHBOARD_CLUSTER_MEMBERS} (comma-separated). */
  static java.util.List<String> members(JsonObject cluster, String host) {
    JsonArray configured = cluster.getJsonArray("members");
    if (configured != null && !configured.isEmpty()) {
      return configured.stream().map(String::valueOf).toList();
    }
    String env = System.getenv("SWITCHBOARD_CLUSTER_MEMBERS");
    if (env != null && !env.isBlank()) {
      return java.util.Arrays.stream(env.split(",")).map(String::strip).filter(m -> !m.isEmpty()).toList();
    }
    return java.util.List.of(host);
  }

  /**
   * The network transport a node runs on, from config {@code transport}: {@code epoll} (the default: Linux x86-64 and
   * aarch64; fewer copies and cheaper system calls than NIO), {@code io_uring} (Linux 5.10+, batches system calls),
   * or {@code nio}. A native transport that is not available here falls back to NIO, which the start log names.
   */
  public static Transport transport(String name) {
    Transport t = switch (name) {
      case "io_uring" -> Transport.IO_URING;
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      default -> throw new IllegalArgumentException("transport must be epoll, io_uring or nio, not '" + name + "'");
    };
    return t.available() ? t : Transport.NIO;
  }

  /**
   * The labels Vert.x's meters carry: never the event-bus address, since there is one address per online user
   * ({@code im.user.<uid>}), group and room; labelled by address, every login would register new gauges and every
   * message would look up meters by a new tag set. (Vert.x's default today, named here so an upgrade cannot turn it
   * on.)
   */
  static final EnumSet<Label> METER_LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE,
      Label.POOL_NAME, Label.EB_SIDE);

  /** An unclustered Vert.x on {@code transport}. */
  public static Vertx vertx(String transport) {
    return vertx(transport, null);
  }

  /**
   * An unclustered Vert.x on {@code transport}, reporting Vert.x's meters to {@code registry} (null: none), without
   * its event-bus meters (see {@link #vertx(String, MeterRegistry, boolean)}).
   */
  public static Vertx vertx(String transport, MeterRegistry registry) {
    return vertx(transport, registry, false);
  }

  /**
   * An unclustered Vert.x on {@code transport}, reporting Vert.x's meters to {@code registry} (null: none).
   * {@code eventBusMeters}: also Vert.x's {@code vertx_eventbus_*} meters, which look a meter up in the registry for
   * every message sent and received (measured: about 3 µs of CPU per one-to-one message, 5% of the node's; see
   * docs/benchmarks.md), so they are off unless {@code monitor.eventBusMeters} asks for them.
   */
  public static Vertx vertx(String transport, MeterRegistry registry, boolean eventBusMeters) {
    return builder(new VertxOptions(), transport, registry, eventBusMeters).build();
  }

  private static VertxBuilder builder(VertxOptions options, String transport, MeterRegistry registry,
                                      boolean eventBusMeters) {
    // One event loop per core (Vert.x's default is two): on the message path every extra loop is more cross-thread
    // hand-offs and wake-ups per message (measured in docs/benchmarks.md, "The message path rebuilt").
    options.setEventLoopPoolSize(Integer.getInteger("switchboard.eventLoops",
        Runtime.getRuntime().availableProcessors()));
    VertxBuilder b = Vertx.builder().withTransport(transport(transport));
    if (registry != null) {
      MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
          .setLabels(METER_LABELS);
      // The gateway takes its sockets over from Vert.x (docs/websocket-transport.md), so Vert.x's net-server meters
      // would count them open forever: they are off; the gateway counts its own (switchboard.connections.open).
      metrics.addDisabledMetricsCategory(MetricsDomain.NET_SERVER);
      if (!eventBusMeters) {
        metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
      }
      options.setMetricsOptions(metrics);
      b.withMetrics(new MicrometerMetricsFactory(registry));
    }
    return b.with(options);
  }

  public static Future<Vertx> vertx(JsonObject cluster, String transport) {
    return vertx(cluster, transport, null);
  }

  /** A clustered Vert.x from the {@code cluster} section, reporting Vert.x's meters to {@code registry} (or none). */
  public static Future<Vertx> vertx(JsonObject cluster, String transport, MeterRegistry registry) {
    return vertx(cluster, transport, registry, false);
  }

  /** As {@link #vertx(JsonObject, String, MeterRegistry)}; {@code eventBusMeters} as in the unclustered form. */
  public static Future<Vertx> vertx(JsonObject cluster, String transport, MeterRegistry registry,
                                    boolean eventBusMeters) {
    String host = cluster.getString("host", "127.0.0.1");
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(clusterName(cluster));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // host: the address to bind ("0.0.0.0" in containers); publicHost: the address other members reach this one at.
    boolean any = host.equals("0.0.0.0");
    String publicHost = publicHost(cluster, any ? null : host);
    if (publicHost == null) {
      throw new IllegalArgumentException("cluster.publicHost is required when cluster.host is 0.0.0.0");
    }
    hz.setProperty("hazelcast.socket.bind.any", Boolean.toString(any));
    if (!any) {
      hz.setProperty("hazelcast.local.localAddress", host);
    }
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    // A member that stops answering is dropped after this long, and with it its event-bus consumers, so sends stop
    // going to a dead router within seconds (the default is a minute).
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.getInteger("failureSeconds", 5)));
    // After a network partition each side runs as a cluster of its own; Hazelcast looks for the other side to merge
    // with after this long, and again as often (its defaults, 300 s then 120 s, leave a healed network split for
    // minutes). On merge every member publishes its event-bus consumers again (docs/cluster.md, "Partitions").
    String merge = Integer.toString(cluster.getInteger("mergeSeconds", 10));
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", merge);
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", merge);
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.getInteger("port", 5701)).setPortAutoIncrement(cluster.getBoolean("portAutoIncrement",
        true));
    if (any) {
      network.setPublicAddress(publicHost + ":" + network.getPort());
    } else {
      network.getInterfaces().setEnabled(true).addInterface(host);
    }
    join(network.getJoin(), cluster, host, network.getPort());
    EventBusOptions bus = new EventBusOptions().setHost(host).setPort(cluster.getInteger("eventBusPort", 0))
        .setClusterPublicHost(publicHost);
    TlsConfig tls = TlsConfig.from(cluster);
    if (tls != null) {
      tls.eventBus(bus);
    }
    return builder(new VertxOptions().setEventBusOptions(bus), transport, registry, eventBusMeters)
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered();
  }
}
