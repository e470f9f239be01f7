package dev.switchboard.shared.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tokens signed by the app's own backend ({@code auth.external}): JWTs whose {@code iss} is {@code issuer}, signed
 * with one of {@code algorithms} by a key from the JWKS at {@code jwksUrl} or from the static {@code keys}, whose
 * {@code aud} contains one of {@code audiences} (when any are set). The user is the {@code claims.userId} claim,
 * mapped to a Switchboard uid on first use; {@code claims.name} and {@code claims.avatar} fill the new user's profile.
 *
 * @param keys                  JWKs ({@code {"kty": ...}}) or PEM public keys ({@code {"alg": "RS256", "pem": "...",
 *                              "kid"?: "..."}}); empty when {@code jwksUrl} is set
 * @param jwksRefreshSeconds    how often the JWKS is fetched again (default 300), so removed keys stop working
 * @param jwksMinRefreshSeconds the least time between two fetches caused by tokens with an unknown {@code kid}
 *                              (default 10): a flood of forged kids costs one fetch per interval
 * @param leewaySeconds         clock skew allowed on {@code exp}, {@code nbf} and {@code iat} (default 30)
 * @param fetchTimeoutMs        how long a JWKS fetch may take (default 5000)
 */
public record AppTokensConfig(String issuer, List<String> audiences, List<String> algorithms, String jwksUrl,
                              List<JsonObject> keys, Claims claims, long jwksRefreshSeconds,
                              long jwksMinRefreshSeconds, int leewaySeconds, long fetchTimeoutMs) {
  /** The algorithms accepted when the config names none: the asymmetric ones vertx-auth-jwt verifies. */
  public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256", "EdDSA");
  private static final Set<String> SUPPORTED = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
      "ES384", "ES512", "EdDSA");

  /** The names of the claims that carry the user's id, display name and avatar URL. */
  public record Claims(String userId, String name, String avatar) {
    static Claims from(JsonObject j) {
      return new Claims(j.getString("userId", "sub"), j.getString("name", "name"), j.getString("avatar", "picture"));
    }
  }

  /** The {@code auth.external} section, or null when it is absent; fails with a message naming the bad key. */
  public static AppTokensConfig from(JsonObject j) {
    if (j == null) {
      return null;
    }
    String issuer = j.getString("issuer");
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("auth.external.issuer is required (the iss of the app's tokens)");
    }
    if ("switchboard".equals(issuer)) {
      throw new IllegalArgumentException("auth.external.issuer cannot be 'switchboard' (Switchboard's own tokens)");
    }
    String jwksUrl = j.getString("jwksUrl");
    List<JsonObject> keys = new ArrayList<>();
    for (Object k : j.getJsonArray("keys", new JsonArray())) {
      if (!(k instanceof JsonObject key) || !(key.containsKey("kty") || key.containsKey("pem") && key.containsKey("alg"))) {
        throw new IllegalArgumentException("auth.external.keys holds JWKs or {alg, pem} objects");
      }
      keys.add(key);
    }
    if ((jwksUrl == null) == keys.isEmpty()) {
      throw new IllegalArgumentException("auth.external needs either jwksUrl or keys (not both)");
    }
    if (jwksUrl != null && !jwksUrl.matches("https?://.+")) {
      throw new IllegalArgumentException("auth.external.jwksUrl must be an http(s) URL");
    }
    List<String> algorithms = strings(j.getJsonArray("algorithms"), DEFAULT_ALGORITHMS);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("auth.external.algorithms is empty");
    }
    for (String alg : algorithms) {
      if (!SUPPORTED.contains(alg)) {
        throw new IllegalArgumentException("auth.external.algorithms: '" + alg + "' is not one of " + SUPPORTED
            + " (HMAC algorithms are refused: the app would share its signing secret)");
      }
    }
    Object audience = j.getValue("audience");
    List<String> audiences = audience instanceof String one ? List.of(one)
        : strings(audience instanceof JsonArray a ? a : null, List.of());
    AppTokensConfig c = new AppTokensConfig(issuer, audiences, algorithms,
        jwksUrl, List.copyOf(keys), Claims.from(j.getJsonObject("claims", new JsonObject())),
        j.getLong("jwksRefreshSeconds", 300L), j.getLong("jwksMinRefreshSeconds", 10L),
        j.getInteger("leewaySeconds", 30), j.getLong("fetchTimeoutMs", 5_000L));
    if (c.jwksRefreshSeconds < 1 || c.jwksMinRefreshSeconds < 0 || c.leewaySeconds < 0 || c.fetchTimeoutMs < 1) {
      throw new IllegalArgumentException("auth.external: jwksRefreshSeconds ≥ 1, jwksMinRefreshSeconds ≥ 0, "
          + "leewaySeconds ≥ 0, fetchTimeoutMs ≥ 1");
    }
    return c;
  }

  private static List<String> strings(JsonArray array, List<String> otherwise) {
    if (array == null) {
      return otherwise;
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      out.add(String.valueOf(o));
    }
    return List.copyOf(out);
  }
}
