package dev.switchboard.api.users;

import dev.switchboard.shared.config.AuthConfig.Argon2;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Slow salted password hashes. New hashes are Argon2id (Bouncy Castle) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded standard Base64, 16-byte salt,
 * 32-byte hash, about 100 characters), so the cost travels with each hash and can be raised later. Hashes of the
 * earlier format {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} still verify; {@link #needsRehash} tells the caller
 * to replace them (and Argon2id hashes weaker than the configured cost) after a successful login.
 *
 * <p>CPU- and memory-heavy by design: call only from a worker thread ({@link PasswordHashing}), never on an event
 * loop. A stored value that is not a well-formed hash of either format matches no password.
 */
public final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PBKDF2 = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  /** Caps on what a stored hash may ask for, so a damaged row cannot make one check allocate or loop without end. */
  private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");

  /** A parsed Argon2id hash: its cost, salt and expected output. */
  record Argon2Hash(Argon2 cost, byte[] salt, byte[] hash) {
  }

  private Passwords() {
  }

  /** A new Argon2id hash of {@code password} at {@code cost}, with a fresh random salt. */
  public static String hash(String password, Argon2 cost) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = argon2(password, salt, cost, HASH_BYTES);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
        + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code stored} (either format); false for a malformed or unknown format. */
  public static boolean verify(String password, String stored) {
    if (stored == null) {
      return false;
    }
    if (stored.startsWith(PBKDF2 + "$")) {
      return verifyPbkdf2(password, stored);
    }
    Argon2Hash parsed = parseArgon2(stored);
    if (parsed == null) {
      return false;
    }
    byte[] actual = argon2(password, parsed.salt(), parsed.cost(), parsed.hash().length);
    return MessageDigest.isEqual(parsed.hash(), actual);
  }

  /** Whether {@code stored} is in one of the two formats (a bot's placeholder or null is not). */
  public static boolean isHash(String stored) {
    return stored != null && (stored.startsWith(PBKDF2 + "$") || parseArgon2(stored) != null);
  }

  /**
   * Whether a hash that just verified should be replaced by a new one at {@code cost}: it is not Argon2id, or it
   * uses less memory or fewer passes than {@code cost}, or a shorter output. Lanes do not count: with the same memory
   * and passes, more lanes cost an attacker no more.
   */
  public static boolean needsRehash(String stored, Argon2 cost) {
    Argon2Hash parsed = stored == null ? null : parseArgon2(stored);
    return parsed == null || parsed.cost().memoryKiB() < cost.memoryKiB()
        || parsed.cost().iterations() < cost.iterations() || parsed.hash().length < HASH_BYTES;
  }

  /** The parts of a PHC Argon2id string, or null when it is not one this class accepts. */
  static Argon2Hash parseArgon2(String stored) {
    Matcher m = PHC.matcher(stored);
    if (!m.matches()) {
      return null;
    }
    try {
      Argon2 cost = new Argon2(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)));
      Base64.Decoder b64 = Base64.getDecoder();
      return new Argon2Hash(cost, b64.decode(m.group(4)), b64.decode(m.group(5)));
    } catch (IllegalArgumentException e) {
      // Out-of-range cost, or Base64 of an impossible length: not a hash this class wrote.
      return null;
    }
  }

  private static byte[] argon2(String password, byte[] salt, Argon2 cost, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(cost.memoryKiB())
        .withIterations(cost.iterations())
        .withParallelism(cost.parallelism())
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }

  private static boolean verifyPbkdf2(String password, String stored) {
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 4) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] salt = b64.decode(parts[2]);
      byte[] expected = b64.decode(parts[3]);
      if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS || salt.length == 0 || expected.length != HASH_BYTES) {
        return false;
      }
      return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      // A non-numeric iteration count or bad Base64: a damaged row matches nothing.
      return false;
    }
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BYTES * 8);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }
}
