package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Token signing: an HMAC secret shared by the API (which signs) and the gateways (which verify without a database
 * round trip), the token lifetime, and the password hashing cost.
 */
public record AuthConfig(String secret, long tokenTtlSeconds, int passwordIterations) {
  public static AuthConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String secret = j.getString("secret");
    if (secret == null || secret.length() < 32) {
      throw new IllegalArgumentException("auth.secret must be set and at least 32 characters long");
    }
    return new AuthConfig(secret, j.getLong("tokenTtlSeconds", 7L * 24 * 3600),
        j.getInteger("passwordIterations", 120_000));
  }
}
