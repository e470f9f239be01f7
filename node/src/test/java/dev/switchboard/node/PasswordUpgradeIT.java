package dev.switchboard.node;

import static dev.switchboard.node.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.users.Passwords;
import dev.switchboard.protocol.client.ApiClient;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stored password hashes are upgraded at the next successful login: a PBKDF2 hash of the earlier code, and an
 * Argon2id hash weaker than the configured cost, become Argon2id at the configured cost; a failed login changes
 * nothing; the user logs in with the same password before and after.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class PasswordUpgradeIT {
  /** Made by the PBKDF2 code that Argon2id replaced: {@code Passwords.hash("password-123", 1000)}. */
  private static final String LEGACY = "pbkdf2-sha256$1000$+kTmetSSaqfm8NGZ0X73RQ$"
      + "Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec";

  @ParameterizedTest
  @EnumSource(Backend.class)
  void legacyAndWeakHashesBecomeArgon2idAtTheConfiguredCost(Backend backend, Vertx vertx) throws Exception {
    try (TestNode node = TestNode.startWith(vertx, backend, new JsonObject())) {
      Pool pool = Database.pool(vertx, DbConfig.from(node.config.getJsonObject("storage").getJsonObject("db")));
      try {
        String weak = Passwords.hash(TestNode.PASSWORD, new AuthConfig.Argon2(64, 1, 1));
        for (String stored : new String[] {LEGACY, weak}) {
          String name = "pw" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
          await(pool.preparedQuery("INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)")
              .execute(Tuple.of(name, stored, 0L)));

          assertLoginStatus(node, name, "wrong-password", 401);
          assertEquals(stored, storedHash(pool, name), "a failed login changes nothing");

          node.login(name, "web");
          String upgraded = storedHash(pool, name);
          assertTrue(upgraded.startsWith("$argon2id$v=19$m=256,t=1,p=1$"), upgraded);
          assertTrue(Passwords.verify(TestNode.PASSWORD, upgraded));

          node.login(name, "app");
          assertEquals(upgraded, storedHash(pool, name), "an up-to-date hash is kept");
        }
      } finally {
        pool.close();
      }
    }
  }

  private static String storedHash(Pool pool, String username) throws Exception {
    for (Row r : await(pool.preparedQuery("SELECT password_hash FROM users WHERE username = ?")
        .execute(Tuple.of(username)))) {
      return r.getString("password_hash");
    }
    throw new AssertionError("no user " + username);
  }

  private static void assertLoginStatus(TestNode node, String username, String password, int status)
      throws Exception {
    ApiClient.Result result = await(node.api.call(HttpMethod.POST, "/api/v1/sessions", new JsonObject()
        .put("username", username).put("password", password).put("device", "web"), null));
    assertEquals(status, result.status(), String.valueOf(result.body()));
  }
}
