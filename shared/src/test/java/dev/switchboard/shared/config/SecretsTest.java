package dev.switchboard.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  private static final String STRONG = HexFormat.of().formatHex(random(32));

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Test
  void everyShippedPlaceholderIsRefusedWhateverItsLength() {
    for (String shipped : Secrets.SHIPPED) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AuthConfig.from(new JsonObject().put("secret", shipped)), shipped);
      assertTrue(e.getMessage().contains("placeholder"), e.getMessage());
      assertFalse(e.getMessage().contains(shipped), "the message does not repeat the secret");
    }
    assertThrows(IllegalArgumentException.class, () -> AuthConfig.from(new JsonObject()
        .put("secret", "  change-me-to-a-long-random-string-of-32-or-more-chars\n")), "surrounding blanks");
  }

  @Test
  void shortAndNonRandomSecretsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Secrets.requireStrong("s", null));
    assertThrows(IllegalArgumentException.class, () -> Secrets.requireStrong("s", STRONG.substring(0, 31)));
    assertThrows(IllegalArgumentException.class, () -> Secrets.requireStrong("s", "a".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Secrets.requireStrong("s", "abab".repeat(16)));
    assertThrows(IllegalArgumentException.class, () -> Secrets.requireStrong("s", "x".repeat(32)));
  }

  @Test
  void randomSecretsPass() {
    for (int i = 0; i < 200; i++) {
      String hex = HexFormat.of().formatHex(random(32));
      assertEquals(hex, Secrets.requireStrong("s", hex));
      String b64 = Base64.getEncoder().encodeToString(random(24));
      assertEquals(b64, Secrets.requireStrong("s", b64));
    }
    assertEquals(STRONG, AuthConfig.from(new JsonObject().put("secret", STRONG)).secret());
  }

  @Test
  void theEnvironmentWinsThenItsFileThenTheConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, "from-file\n");
    String env = "SWITCHBOARD_AUTH_SECRET";
    assertEquals("from-env", Secrets.resolve("from-config", env,
        Map.of(env, "from-env", env + "_FILE", file.toString())));
    assertEquals("from-file", Secrets.resolve("from-config", env, Map.of(env + "_FILE", file.toString())));
    assertEquals("from-config", Secrets.resolve("from-config", env, Map.of()));
    assertNull(Secrets.resolve(null, env, Map.of()));
    assertThrows(java.io.UncheckedIOException.class,
        () -> Secrets.resolve(null, env, Map.of(env + "_FILE", dir.resolve("missing").toString())));
  }
}
