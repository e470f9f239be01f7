package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config values from {@code SWITCHBOARD__...} variables (docs in README, "Configuration"). */
class EnvOverridesTest {
  private static JsonObject config() {
    return new JsonObject()
        .put("auth", new JsonObject().put("secret", "from-the-file").put("tokenTtlSeconds", 3600))
        .put("storage", new JsonObject().put("db", new JsonObject().put("kind", "mysql").put("password", "x")))
        .put("verticles", new JsonObject().put("gateway", new JsonObject().put("wsPort", 8081).put("host", "0.0.0.0")));
  }

  @Test
  void aKeyPathInUpperSnakeCaseSetsTheExistingKeyWithItsType() {
    JsonObject c = config();
    List<String> set = EnvOverrides.apply(c, Map.of(
        "SWITCHBOARD__VERTICLES__GATEWAY__WS_PORT", "9081",
        "SWITCHBOARD__AUTH__TOKEN_TTL_SECONDS", "60",
        "SWITCHBOARD__VERTICLES__GATEWAY__HOST", "127.0.0.1"));
    assertEquals(9081, c.getJsonObject("verticles").getJsonObject("gateway").getValue("wsPort"));
    assertEquals(60, c.getJsonObject("auth").getValue("tokenTtlSeconds"));
    assertEquals("127.0.0.1", c.getJsonObject("verticles").getJsonObject("gateway").getValue("host"));
    assertEquals(List.of("auth.tokenTtlSeconds", "verticles.gateway.host", "verticles.gateway.wsPort"), set,
        "the paths set, in the order of the variables' names");
  }

  @Test
  void aStringStaysAStringEvenWhenItLooksLikeJson() {
    JsonObject c = config();
    EnvOverrides.apply(c, Map.of("SWITCHBOARD__STORAGE__DB__PASSWORD", "12345",
        "SWITCHBOARD__AUTH__SECRET", "true"));
    assertEquals("12345", c.getJsonObject("storage").getJsonObject("db").getValue("password"));
    assertEquals("true", c.getJsonObject("auth").getValue("secret"));
  }

  @Test
  void newKeysAreCamelCaseAndNewSectionsAreMadeAndJsonValuesAreJson() {
    JsonObject c = config();
    EnvOverrides.apply(c, Map.of(
        "SWITCHBOARD__CLUSTER__MERGE_SECONDS", "5",
        "SWITCHBOARD__CLUSTER__ENABLED", "true",
        "SWITCHBOARD__CLUSTER__MEMBERS", "[\"10.0.0.1:5701\",\"10.0.0.2:5701\"]",
        "SWITCHBOARD__STORAGE__STATE", "{\"kind\":\"redis\",\"redisUrl\":\"redis://r:6379\"}",
        "SWITCHBOARD__CLUSTER__NAME", "prod"));
    JsonObject cluster = c.getJsonObject("cluster");
    assertEquals(5, cluster.getValue("mergeSeconds"));
    assertEquals(true, cluster.getValue("enabled"));
    assertEquals(new JsonArray().add("10.0.0.1:5701").add("10.0.0.2:5701"), cluster.getValue("members"));
    assertEquals("prod", cluster.getValue("name"), "not JSON: a string");
    assertEquals("redis", c.getJsonObject("storage").getJsonObject("state").getString("kind"));
  }

  @Test
  void fileSuffixReadsTheValueFromAFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("db-password");
    Files.writeString(secret, "s3cr3t-from-a-file\n");
    JsonObject c = config();
    List<String> set = EnvOverrides.apply(c, Map.of("SWITCHBOARD__STORAGE__DB__PASSWORD_FILE", secret.toString(),
        "SWITCHBOARD__AUTH__TOKEN_TTL_SECONDS_FILE", secret.toString()));
    assertEquals("s3cr3t-from-a-file", c.getJsonObject("storage").getJsonObject("db").getString("password"));
    assertEquals(List.of("auth.tokenTtlSeconds", "storage.db.password"), set);
    UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> EnvOverrides.apply(config(),
        Map.of("SWITCHBOARD__AUTH__SECRET_FILE", dir.resolve("absent").toString())));
    assertTrue(missing.getMessage().contains("SWITCHBOARD__AUTH__SECRET_FILE"), missing.getMessage());
  }

  @Test
  void otherVariablesAreLeftAlone() {
    JsonObject c = config();
    assertEquals(List.of(), EnvOverrides.apply(c, Map.of("SWITCHBOARD_AUTH_SECRET", "old-style", "PATH", "/bin",
        "SWITCHBOARD_CONFIG", "conf/x.json")));
    assertEquals(config(), c);
  }

  @Test
  void aPathThroughAValueOrWithAnEmptyKeyIsRefusedByName() {
    IllegalArgumentException through = assertThrows(IllegalArgumentException.class, () -> EnvOverrides.apply(config(),
        Map.of("SWITCHBOARD__AUTH__SECRET__LENGTH", "3")));
    assertTrue(through.getMessage().startsWith("SWITCHBOARD__AUTH__SECRET__LENGTH: auth.secret is not a section"),
        through.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> EnvOverrides.apply(config(),
        Map.of("SWITCHBOARD__AUTH____SECRET", "x")));
    assertTrue(empty.getMessage().startsWith("SWITCHBOARD__AUTH____SECRET: an empty key"), empty.getMessage());
  }
}
