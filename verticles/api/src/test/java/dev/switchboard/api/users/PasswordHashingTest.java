package dev.switchboard.api.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PasswordHashingTest {
  private static final AuthConfig.Argon2 COST = new AuthConfig.Argon2(256, 1, 1);

  @Test
  void aLegacyMatchComesWithAnArgon2idReplacement(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      PasswordHashing hashing = new PasswordHashing(vertx, COST, new AuthConfig.Hashing(1, 8));
      hashing.check("password-123", PasswordsTest.LEGACY).onComplete(test.succeeding(check -> test.verify(() -> {
        assertTrue(check.matches());
        assertTrue(check.upgraded().startsWith("$argon2id$v=19$m=256,t=1,p=1$"), check.upgraded());
        assertTrue(Passwords.verify("password-123", check.upgraded()));
        assertFalse(Passwords.needsRehash(check.upgraded(), COST));
        test.completeNow();
      })));
    });
  }

  @Test
  void aCurrentMatchIsKeptAndMismatchesUnknownUsersAndBotsDoNotMatch(Vertx vertx, VertxTestContext test) {
    vertx.runOnContext(v -> {
      PasswordHashing hashing = new PasswordHashing(vertx, COST, new AuthConfig.Hashing(1, 8));
      String current = Passwords.hash("password-123", COST);
      Future.all(hashing.check("password-123", current), hashing.check("password-124", current),
          hashing.check("password-123", null), hashing.check("password-123", "!bot"),
          hashing.check("password-124", PasswordsTest.LEGACY)).onComplete(test.succeeding(all -> test.verify(() -> {
            PasswordHashing.Check kept = all.resultAt(0);
            assertTrue(kept.matches());
            assertNull(kept.upgraded());
            for (int i = 1; i < 5; i++) {
              PasswordHashing.Check no = all.resultAt(i);
              assertFalse(no.matches(), "check " + i);
              assertNull(no.upgraded(), "check " + i);
            }
            test.completeNow();
          })));
    });
  }

  @Test
  void pastMaxPendingRequestsAreRefusedAtOnceAndTheSlotsComeBack(Vertx vertx, VertxTestContext test) {
    // Submitted in one event-loop task: no completion (which runs on this same event loop) can free a slot before
    // all ten are in, whatever the workers' speed.
    vertx.runOnContext(v -> {
      PasswordHashing hashing = new PasswordHashing(vertx, COST, new AuthConfig.Hashing(1, 3));
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        all.add(hashing.hash("password-" + i));
      }
      Future.join(new ArrayList<>(all)).onComplete(done -> test.verify(() -> {
        for (int i = 0; i < 10; i++) {
          if (i < 3) {
            assertTrue(all.get(i).succeeded(), "request " + i);
          } else {
            ImException refused = assertInstanceOf(ImException.class, all.get(i).cause(), "request " + i);
            assertEquals(ErrorCode.UNAVAILABLE, refused.code());
          }
        }
        hashing.hash("after").onComplete(test.succeedingThenComplete());
      }));
    });
  }
}
