package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Token signing: an HMAC secret shared by the API (which signs) and the gateways (which verify without a database
 * round trip), the token lifetime, and the password hashing cost. The secret must pass {@link Secrets#requireStrong}.
 *
 * @param refreshGraceSeconds how long a token replaced by {@code POST /api/v1/sessions/refresh} keeps working, for the
 *                            requests already in flight with it ({@code refreshGraceSeconds}, default 30)
 */
public record AuthConfig(String secret, long tokenTtlSeconds, int passwordIterations, long refreshGraceSeconds) {
  public static AuthConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String secret = Secrets.requireStrong("auth.secret (or SWITCHBOARD_AUTH_SECRET)", j.getString("secret"));
    long grace = j.getLong("refreshGraceSeconds", 30L);
    if (grace < 0) {
      throw new IllegalArgumentException("auth.refreshGraceSeconds must be 0 or more");
    }
    return new AuthConfig(secret, j.getLong("tokenTtlSeconds", 7L * 24 * 3600),
        j.getInteger("passwordIterations", 120_000), grace);
  }
}
