package dev.switchboard.launch;

import dev.switchboard.protocol.UserBus;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.config.TlsConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A node's JSON config: which verticles to deploy ({@code verticles.<name>}, each with {@code instances} and its own
 * settings), shared sections ({@code auth}, {@code storage}) and {@code cluster}. See conf/default.json.
 */
public record NodeConfig(JsonObject json) {
  /** Deployment order: services first, so a gateway never accepts a client before a router answers. */
  public static final List<String> VERTICLES = List.of("router", "group", "api", "bridge", "gateway");

  /** Reads {@code path}, or with null: ./conf/default.json when present, else the default.json in the jar. */
  public static NodeConfig load(String path) {
    try {
      if (path != null) {
        return new NodeConfig(new JsonObject(Files.readString(Path.of(path))));
      }
      Path local = Path.of("conf", "default.json");
      if (Files.exists(local)) {
        return new NodeConfig(new JsonObject(Files.readString(local)));
      }
      try (InputStream in = NodeConfig.class.getClassLoader().getResourceAsStream("default.json")) {
        return new NodeConfig(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config " + path, e);
    }
  }

  /**
   * The config a single-role jar runs: when the config lists no verticle at all, {@code role} with default settings;
   * otherwise the config as it is ({@code role} null, or verticles listed, leaves it unchanged). A config listing
   * verticles this jar cannot run fails at start with a clear error.
   */
  public NodeConfig forRole(String role, java.util.Set<String> runnable) {
    JsonObject verticles = json.getJsonObject("verticles");
    if (role == null || (verticles != null && !verticles.isEmpty())) {
      return this;
    }
    return new NodeConfig(json.copy().put("verticles", new JsonObject().put(role, new JsonObject())));
  }

  public boolean clustered() {
    return json.getJsonObject("cluster", new JsonObject()).getBoolean("enabled", false);
  }

  /** The network transport: {@code epoll} (default), {@code io_uring} or {@code nio}; see {@link Cluster#transport}. */
  public String transport() {
    return json.getString("transport", System.getProperty("switchboard.transport", "epoll"));
  }

  public JsonObject cluster() {
    return json.getJsonObject("cluster", new JsonObject());
  }

  public JsonObject storage() {
    return json.getJsonObject("storage", new JsonObject());
  }

  public DbConfig db() {
    return DbConfig.from(storage().getJsonObject("db"));
  }

  public StateConfig state() {
    return StateConfig.from(storage().getJsonObject("state"));
  }

  public JsonObject auth() {
    return json.getJsonObject("auth", new JsonObject());
  }

  /** The section of verticle {@code name}, or null when this node does not deploy it. */
  public JsonObject verticle(String name) {
    JsonObject v = json.getJsonObject("verticles", new JsonObject()).getJsonObject(name);
    return v == null || !v.getBoolean("enabled", true) ? null : v;
  }

  /**
   * Fails when the config cannot work: a cluster needs shared storage that every node sees; a server or the event bus
   * with TLS on needs its PEM files readable. Reads the file system: the launcher calls it before any event loop runs.
   */
  public void validate() {
    Cluster.transport(transport());
    if (clustered()) {
      Cluster.clusterName(cluster());
      UserBus.Mode.of(cluster().getString("userAddresses"));
      TlsConfig bus = TlsConfig.from(cluster());
      if (bus != null) {
        bus.check("cluster.tls", true);
      }
    }
    for (String name : List.of("gateway", "api")) {
      TlsConfig tls = verticle(name) == null ? null : TlsConfig.from(verticle(name));
      if (tls != null) {
        tls.check("verticles." + name + ".tls", false);
      }
    }
    if (clustered() && db().embedded()) {
      throw new IllegalArgumentException("cluster mode needs storage.db.kind=mysql: the embedded database is "
          + "visible to one node only");
    }
    if (clustered() && !state().kind().equals("redis")) {
      throw new IllegalArgumentException("cluster mode needs storage.state.kind=redis: in-process state is visible "
          + "to one node only");
    }
    for (String name : json.getJsonObject("verticles", new JsonObject()).fieldNames()) {
      if (!VERTICLES.contains(name)) {
        throw new IllegalArgumentException("unknown verticle '" + name + "'; known: " + VERTICLES);
      }
    }
  }
}
