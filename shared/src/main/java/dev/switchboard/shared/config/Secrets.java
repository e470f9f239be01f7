package dev.switchboard.shared.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Rules for the secrets a node runs with (the token secret, the cluster secret, API keys, bridge service secrets):
 * where they come from ({@link #resolve}) and which ones are refused ({@link #requireStrong}, {@link #requireNotShipped}).
 * A secret printed in a shipped example config is public: a copied example must not run with it.
 */
public final class Secrets {
  /** Minimum length of the token and cluster secrets. */
  public static final int MIN_LENGTH = 32;

  /**
   * Every secret and API key that appears (or appeared) in an example config we ship (conf/, docker/);
   * DeploymentFilesTest checks that this list covers them all. Refused wherever a secret is read.
   */
  static final Set<String> SHIPPED = Set.of(
      "change-me-to-a-long-random-string-of-32-or-more-chars",
      "change-me-local-cluster-secret",
      "change-me-local-api-key",
      "change-me-to-a-random-api-key",
      "change-me-api-key-0123456789",
      "change-me-echo-service-secret",
      "replace-with-your-cluster-secret",
      "replace-this-docker-compose-secret-with-your-own-32+",
      "replace-with-your-api-key",
      "change-me-webhook-secret",
      "change-me-before-send-secret");

  private Secrets() {
  }

  /** True when {@code value} is one of the placeholder secrets of the shipped example configs. */
  public static boolean shipped(String value) {
    return value != null && SHIPPED.contains(value.strip());
  }

  /**
   * The secret named by {@code env} (e.g. {@code SWITCHBOARD_AUTH_SECRET}): the variable itself, else the contents of
   * the file named by {@code <env>_FILE} (stripped), else {@code configured} (may be null). The environment wins over
   * the config file so that a config can be shared while its secret is not. Blocking when a file is read.
   */
  public static String resolve(String configured, String env, Map<String, String> environment) {
    String direct = environment.get(env);
    if (direct != null && !direct.isBlank()) {
      return direct.strip();
    }
    String file = environment.get(env + "_FILE");
    if (file != null && !file.isBlank()) {
      try {
        return Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new UncheckedIOException(env + "_FILE names a file that cannot be read: " + file, e);
      }
    }
    return configured;
  }

  /**
   * {@code value} when it may serve as the token or cluster secret: at least {@link #MIN_LENGTH} characters, not a
   * shipped placeholder, and random-looking (at least 12 distinct characters and 3 bits of entropy per character, which
   * 32 random bytes in hex or base64 pass easily and a repeated word does not). Otherwise an
   * {@link IllegalArgumentException} naming {@code what} (never the value).
   */
  public static String requireStrong(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must be set (" + MIN_LENGTH + "+ random characters)");
    }
    requireNotShipped(what, value);
    if (value.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(what + " must be at least " + MIN_LENGTH + " characters long");
    }
    if (value.chars().distinct().count() < 12 || bitsPerChar(value) < 3.0) {
      throw new IllegalArgumentException(what + " does not look random: use e.g. `openssl rand -hex 32`");
    }
    return value;
  }

  /** {@code value} unless it is a shipped placeholder; then an {@link IllegalArgumentException} naming {@code what}. */
  public static String requireNotShipped(String what, String value) {
    if (shipped(value)) {
      throw new IllegalArgumentException(what + " is the placeholder from a shipped example config, which anyone can "
          + "read: set your own (e.g. `openssl rand -hex 32`)");
    }
    return value;
  }

  /** Shannon entropy of the character distribution of {@code s}, in bits per character. */
  static double bitsPerChar(String s) {
    Map<Integer, Long> counts = s.chars().boxed()
        .collect(java.util.stream.Collectors.groupingBy(c -> c, java.util.stream.Collectors.counting()));
    double bits = 0;
    for (long n : counts.values()) {
      double p = (double) n / s.length();
      bits -= p * Math.log(p) / Math.log(2);
    }
    return bits;
  }
}
