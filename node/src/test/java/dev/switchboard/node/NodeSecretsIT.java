package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.launch.Node;
import dev.switchboard.launch.NodeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets a node starts with: the generated token secret and the embedded database are readable by the owner only
 * (also when an older version left them readable by everyone), and a secret from a shipped example stops the start.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class NodeSecretsIT {
  private static JsonObject config(Path db) {
    return new JsonObject()
        .put("storage", new JsonObject()
            .put("db", new JsonObject().put("kind", "h2").put("path", db.toString()))
            .put("state", new JsonObject().put("kind", "local").put("prefix", "secrets-it:")))
        .put("auth", new JsonObject().put("argon2", TestNode.fastArgon2()))
        .put("verticles", new JsonObject().put("api", new JsonObject().put("host", "127.0.0.1")
            .put("port", TestNode.freePort()).put("apiKeys", new JsonArray())));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aNewDataDirectoryAndItsFilesAreTheOwnersOnly(Vertx vertx, @TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Node node = Node.start(vertx, new NodeConfig(config(data.resolve("switchboard"))), Main.VERTICLES)
        .await(30, TimeUnit.SECONDS);
    try {
      assertEquals("rwx------", mode(data));
      assertEquals("rw-------", mode(data.resolve("jwt.secret")));
      assertEquals("rw-------", mode(data.resolve("switchboard.mv.db")));
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void filesLeftReadableByAnOlderVersionAreCorrectedAtStart(Vertx vertx, @TempDir Path tmp) throws Exception {
    Path data = Files.createDirectory(tmp.resolve("data"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path secret = data.resolve("jwt.secret");
    String hex = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(32));
    Files.writeString(secret, hex);
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    // A first run makes the database file; then it is made world-readable as older versions left it.
    Node first = Node.start(vertx, new NodeConfig(config(data.resolve("switchboard"))), Main.VERTICLES)
        .await(30, TimeUnit.SECONDS);
    first.stop().await(30, TimeUnit.SECONDS);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(data.resolve("switchboard.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

    Node node = Node.start(vertx, new NodeConfig(config(data.resolve("switchboard"))), Main.VERTICLES)
        .await(30, TimeUnit.SECONDS);
    try {
      assertEquals("rwx------", mode(data));
      assertEquals("rw-------", mode(secret));
      assertEquals("rw-------", mode(data.resolve("switchboard.mv.db")));
      assertEquals(hex, Files.readString(secret).strip(), "the existing secret is kept");
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSecretFromAShippedExampleStopsTheStart(Vertx vertx, @TempDir Path tmp) throws Exception {
    String shipped = NodeConfig.load(Path.of("..", "conf", "mysql-redis.example.json").toString()).auth()
        .getString("secret");
    JsonObject config = config(tmp.resolve("data").resolve("switchboard"));
    config.getJsonObject("auth").put("secret", shipped);
    String refused = startFailure(vertx, config);
    assertTrue(refused.contains("placeholder"), refused);

    config.getJsonObject("auth").put("secret", "too-short-0123456789abcdef");
    String tooShort = startFailure(vertx, config);
    assertTrue(tooShort.contains("at least 32"), tooShort);
  }

  /** The messages of the failure that stopped a start (the test fails when the node starts). */
  private static String startFailure(Vertx vertx, JsonObject config) {
    Exception e = assertThrows(Exception.class,
        () -> Node.start(vertx, new NodeConfig(config), Main.VERTICLES).await(30, TimeUnit.SECONDS));
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t).append('\n');
    }
    return messages.toString();
  }
}
