package dev.switchboard.api.users;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.config.AuthConfig.Argon2;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {
  private static final Argon2 COST = new Argon2(256, 1, 1);
  /** Made by the PBKDF2 code this class replaced: {@code Passwords.hash("password-123", 1000)}. */
  static final String LEGACY = "pbkdf2-sha256$1000$+kTmetSSaqfm8NGZ0X73RQ$Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec";
  /** Made by the reference implementation: {@code echo -n password-123 | argon2 saltsaltsalt16b -id -t 1 -k 256 -p 1 -l 32 -e}. */
  private static final String REFERENCE = "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$"
      + "Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc";
  /** {@code echo -n 'correct horse' | argon2 0123456789abcdef -id -t 2 -k 1024 -p 2 -l 32 -e}: two lanes. */
  private static final String REFERENCE_2_LANES = "$argon2id$v=19$m=1024,t=2,p=2$MDEyMzQ1Njc4OWFiY2RlZg$"
      + "gyAB513YsKkumS8py9dwwMvzgLeFFFEb+oaTMHycsgU";

  @Test
  void aNewHashIsPhcArgon2idThatVerifiesOnlyItsPassword() {
    String hash = Passwords.hash("password-123", COST);
    assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=256,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
    assertTrue(hash.length() <= 200, "fits users.password_hash VARCHAR(200)");
    assertTrue(Passwords.verify("password-123", hash));
    assertFalse(Passwords.verify("password-124", hash));
    assertFalse(Passwords.verify("", hash));
    assertNotEquals(hash, Passwords.hash("password-123", COST), "a fresh salt each time");
  }

  @Test
  void theDefaultCostFitsTheColumnToo() {
    Argon2 strong = new Argon2(4 * 1024 * 1024, 64, 64);
    String prefix = "$argon2id$v=19$m=" + strong.memoryKiB() + ",t=" + strong.iterations() + ",p="
        + strong.parallelism() + "$";
    assertTrue(prefix.length() + 22 + 1 + 43 <= 200);
  }

  @Test
  void hashesOfTheReferenceImplementationVerify() {
    assertTrue(Passwords.verify("password-123", REFERENCE));
    assertFalse(Passwords.verify("password-12", REFERENCE));
    assertTrue(Passwords.verify("correct horse", REFERENCE_2_LANES));
    assertFalse(Passwords.verify("correct horsE", REFERENCE_2_LANES));
  }

  @Test
  void parsesThePhcParts() {
    Passwords.Argon2Hash parsed = Passwords.parseArgon2(REFERENCE_2_LANES);
    assertNotNull(parsed);
    assertEquals(new Argon2(1024, 2, 2), parsed.cost());
    assertArrayEquals("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), parsed.salt());
    assertEquals(32, parsed.hash().length);
  }

  @Test
  void legacyPbkdf2HashesVerifyAndAskForAnUpgrade() {
    assertTrue(Passwords.isHash(LEGACY));
    assertTrue(Passwords.verify("password-123", LEGACY));
    assertFalse(Passwords.verify("password-12", LEGACY));
    assertTrue(Passwords.needsRehash(LEGACY, COST));
  }

  @Test
  void argon2HashesWeakerThanTheConfiguredCostAskForAnUpgrade() {
    String hash = Passwords.hash("pw", new Argon2(512, 2, 1));
    assertFalse(Passwords.needsRehash(hash, new Argon2(512, 2, 1)));
    assertFalse(Passwords.needsRehash(hash, new Argon2(256, 1, 1)), "stronger than configured: kept");
    assertFalse(Passwords.needsRehash(hash, new Argon2(512, 2, 4)), "lanes alone do not make it weaker");
    assertTrue(Passwords.needsRehash(hash, new Argon2(1024, 2, 1)), "less memory");
    assertTrue(Passwords.needsRehash(hash, new Argon2(512, 3, 1)), "fewer passes");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "!bot", "argon2id", "$argon2id$", "$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=16$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=19$t=1,m=256,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=19$m=256,t=0,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=19$m=256,t=1,p=0$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=19$m=9999999,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      // Base64 of an impossible length (4n + 1 characters) in the salt, then in the hash.
      "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTZiY$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5K",
      "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0MTZi$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc$",
      "$argon2id$v=19$m=256,t=1,p=1$c2Fs$Af/dAnmSH45vuKJRNwC7SfKiQegVeSSThpf5KMQ5KPc",
      "pbkdf2-sha256$x$+kTmetSSaqfm8NGZ0X73RQ$Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec",
      "pbkdf2-sha256$0$+kTmetSSaqfm8NGZ0X73RQ$Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec",
      "pbkdf2-sha256$99999999999$+kTmetSSaqfm8NGZ0X73RQ$Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec",
      "pbkdf2-sha256$1000$+kTmetSSaqfm8NGZ0X73RQ",
      "pbkdf2-sha256$1000$%%%$Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec",
      "pbkdf2-sha256$1000$+kTmetSSaqfm8NGZ0X73RQ$Q8a5B8cL6zsLnNEGrUZdbBiQ18HhWojlrDuA7DISdec$"})
  void malformedStoredValuesMatchNothingAndThrowNothing(String stored) {
    assertFalse(Passwords.verify("password-123", stored));
    assertTrue(Passwords.needsRehash(stored, COST));
    if (!stored.startsWith("pbkdf2-sha256$")) {
      assertFalse(Passwords.isHash(stored));
      assertNull(Passwords.parseArgon2(stored));
    }
  }

  @Test
  void nullMatchesNothing() {
    assertFalse(Passwords.verify("password-123", null));
    assertFalse(Passwords.isHash(null));
    assertTrue(Passwords.needsRehash(null, COST));
  }
}
