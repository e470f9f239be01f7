package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ApiConfig;
import dev.switchboard.launch.NodeConfig;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.config.Secrets;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Static checks of what ships for deployment (Docker cannot run on our build machines): every config under conf/ and
 * docker/ is a valid node config, docker/compose.yml runs the local cluster layout on MySQL 8 and Redis 7 with configs
 * that exist, the Dockerfile copies what the build makes, and {@code docker compose config} accepts the file when a
 * Docker client with compose is installed.
 */
class DeploymentFilesTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static List<Path> configs(String dir) throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void everyShippedConfigIsAValidNodeConfig() throws IOException {
    List<Path> all = Stream.of(configs("conf"), configs("conf/cluster"), configs("docker/cluster"))
        .flatMap(List::stream).toList();
    assertTrue(all.size() >= 14, all.toString());
    for (Path f : all) {
      NodeConfig config = NodeConfig.load(f.toString());
      // A shipped cluster secret is public: the config is refused with it, and valid with a secret of one's own.
      if (config.clustered()) {
        assertTrue(Secrets.shipped(config.cluster().getString("secret")), f + ": cluster.secret");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, config::validate);
        assertTrue(refused.getMessage().contains("placeholder"), f + ": " + refused.getMessage());
        config.cluster().put("secret", HexFormat.of().formatHex(SecureRandom.getSeed(32)));
      }
      config.validate();
      JsonObject hooks = config.json().getJsonObject("hooks");
      if (hooks != null) {
        // Its secrets are placeholders, which are refused; with secrets of one's own the section is valid.
        assertThrows(IllegalArgumentException.class, () -> HooksConfig.from(hooks), f + ": hooks secrets");
        JsonObject own = hooks.copy();
        own.getJsonArray("webhooks", new io.vertx.core.json.JsonArray()).forEach(w -> ((JsonObject) w)
            .put("secret", HexFormat.of().formatHex(SecureRandom.getSeed(16))));
        if (own.getJsonObject("beforeSend") != null) {
          own.getJsonObject("beforeSend").put("secret", HexFormat.of().formatHex(SecureRandom.getSeed(16)));
        }
        HooksConfig.from(own);
      }
      for (String verticle : config.json().getJsonObject("verticles").fieldNames()) {
        assertTrue(Main.VERTICLES.containsKey(verticle), f + ": " + verticle);
      }
    }
  }

  /** Every secret and API key printed in a shipped file is one that a node refuses to run with. */
  @Test
  void everyShippedSecretIsRefused() throws IOException {
    List<Path> all = Stream.of(configs("conf"), configs("conf/cluster"), configs("docker/cluster"))
        .flatMap(List::stream).toList();
    int found = 0;
    for (Path f : all) {
      Matcher m = Pattern.compile("\"(secret|SECRET)\"\\s*:\\s*\"([^\"]*)\"").matcher(Files.readString(f));
      while (m.find()) {
        found++;
        assertTrue(Secrets.shipped(m.group(2)), f + ": " + m.group(2) + " is not in Secrets.SHIPPED");
      }
      JsonObject api = NodeConfig.load(f.toString()).verticle("api");
      if (api != null) {
        for (Object key : api.getJsonArray("apiKeys", new io.vertx.core.json.JsonArray())) {
          found++;
          assertTrue(Secrets.shipped(String.valueOf(key)), f + ": api key " + key + " is not in Secrets.SHIPPED");
          assertThrows(IllegalArgumentException.class, () -> ApiConfig.from(api), f + ": api keys");
        }
      }
      JsonObject auth = NodeConfig.load(f.toString()).auth();
      if (auth.containsKey("secret")) {
        assertThrows(IllegalArgumentException.class, () -> AuthConfig.from(auth), f + ": auth.secret");
      }
    }
    assertTrue(found >= 20, "secrets found: " + found);
  }

  @Test
  void composeRunsTheClusterLayoutOnMysqlAndRedis() throws Exception {
    String file = Files.readString(ROOT.resolve("docker/compose.yml"));
    assertTrue(file.contains("image: mysql:8"), "MySQL 8");
    assertTrue(file.contains("image: redis:7"), "Redis 7");
    Matcher m = Pattern.compile("command: \\[\"/app/cluster/([a-z0-9-]+\\.json)\"]").matcher(file);
    int services = 0;
    while (m.find()) {
      services++;
      assertTrue(Files.exists(ROOT.resolve("docker/cluster").resolve(m.group(1))), m.group(1));
    }
    assertEquals(configs("docker/cluster").size(), services, "one service per config");
    long gateways = configs("docker/cluster").stream().filter(f -> f.getFileName().toString().startsWith("gateway"))
        .count();
    long routers = configs("docker/cluster").stream().filter(f -> f.getFileName().toString().startsWith("router"))
        .count();
    assertEquals(2, gateways);
    assertEquals(2, routers);

    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    assertTrue(dockerfile.contains("node/target/switchboard-node.jar"), "the image runs the node jar");
    assertTrue(dockerfile.contains("HEALTHCHECK") && dockerfile.contains(dev.switchboard.launch.HealthCheck.class
        .getName()), "the image checks its health with the class the node jar holds");
    assertTrue(Files.readString(ROOT.resolve("node/pom.xml"))
        .contains("<shade.finalName>switchboard-node</shade.finalName>"), "the build makes that jar");

    List<String> compose;
    if (run("docker", "compose", "version") == 0) {
      compose = List.of("docker", "compose");
    } else if (run("docker-compose", "version") == 0) {
      compose = List.of("docker-compose");
    } else {
      return; // no compose client here: the checks above are all we can do
    }
    List<String> command = new java.util.ArrayList<>(compose);
    command.addAll(List.of("-f", "docker/compose.yml", "config", "-q"));
    ProcessBuilder check = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    Process p = check.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
  }

  /** The exit code of a command, or -1 when it cannot be started. */
  private static int run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
