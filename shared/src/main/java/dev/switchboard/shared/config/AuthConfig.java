package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Token signing: an HMAC secret shared by the API (which signs) and the gateways (which verify without a database
 * round trip), the token lifetime, and password hashing: the Argon2id cost of new hashes ({@code argon2}) and the
 * bounded worker pool that computes them ({@code hashing}). The secret must pass {@link Secrets#requireStrong}.
 *
 * @param refreshGraceSeconds how long a token replaced by {@code POST /api/v1/sessions/refresh} keeps working, for the
 *                            requests already in flight with it ({@code refreshGraceSeconds}, default 30)
 * @param external            tokens signed by the app's own backend ({@code external}), or null: see
 *                            {@link AppTokensConfig}
 */
public record AuthConfig(String secret, long tokenTtlSeconds, Argon2 argon2, Hashing hashing,
                         long refreshGraceSeconds, AppTokensConfig external) {
  /**
   * Argon2id cost. The defaults are OWASP's first recommended setting (19 MiB, 2 passes, 1 lane); tests set much
   * lower values to stay fast.
   *
   * @param memoryKiB   memory per hash in KiB ({@code auth.argon2.memoryKiB}, default 19456); at least 8 per lane
   * @param iterations  passes over the memory ({@code auth.argon2.iterations}, default 2)
   * @param parallelism lanes ({@code auth.argon2.parallelism}, default 1)
   */
  public record Argon2(int memoryKiB, int iterations, int parallelism) {
    public static final Argon2 DEFAULT = new Argon2(19_456, 2, 1);

    public Argon2 {
      if (parallelism < 1 || parallelism > 64 || iterations < 1 || iterations > 64
          || memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
        throw new IllegalArgumentException("auth.argon2 needs parallelism 1..64, iterations 1..64 and memoryKiB "
            + "from 8 x parallelism to 4194304; got " + memoryKiB + "/" + iterations + "/" + parallelism);
      }
    }

    static Argon2 from(JsonObject j) {
      return new Argon2(j.getInteger("memoryKiB", DEFAULT.memoryKiB), j.getInteger("iterations", DEFAULT.iterations),
          j.getInteger("parallelism", DEFAULT.parallelism));
    }
  }

  /**
   * The worker pool that hashes and verifies passwords, off the event loops. Memory in use for hashing is at most
   * {@code threads × argon2.memoryKiB}.
   *
   * @param threads    hashes computed at once ({@code auth.hashing.threads}, default: the number of cores)
   * @param maxPending hashes running or waiting, per API verticle instance ({@code auth.hashing.maxPending}, default
   *                   64): a registration or login beyond it is answered {@code unavailable} (503) at once
   */
  public record Hashing(int threads, int maxPending) {
    public Hashing {
      if (threads < 1 || maxPending < 1) {
        throw new IllegalArgumentException("auth.hashing.threads and auth.hashing.maxPending must be at least 1");
      }
    }

    static Hashing from(JsonObject j) {
      return new Hashing(j.getInteger("threads", Runtime.getRuntime().availableProcessors()),
          j.getInteger("maxPending", 64));
    }
  }

  public static AuthConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String secret = Secrets.requireStrong("auth.secret (or SWITCHBOARD_AUTH_SECRET)", j.getString("secret"));
    long grace = j.getLong("refreshGraceSeconds", 30L);
    if (grace < 0) {
      throw new IllegalArgumentException("auth.refreshGraceSeconds must be 0 or more");
    }
    return new AuthConfig(secret, j.getLong("tokenTtlSeconds", 7L * 24 * 3600),
        Argon2.from(j.getJsonObject("argon2", new JsonObject())),
        Hashing.from(j.getJsonObject("hashing", new JsonObject())), grace,
        AppTokensConfig.from(j.getJsonObject("external")));
  }
}
