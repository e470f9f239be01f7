package dev.switchboard.shared.auth;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.UUID;

/**
 * Signed, expiring access tokens (JWT, HS256). The API signs them at login; gateways verify them in-process, without
 * a database round trip. Claims: {@code sub} is the uid, {@code jti} a unique token id (for revocation).
 */
public final class Tokens {
  private static final String ISSUER = "switchboard";

  private final JWTAuth jwt;
  private final long ttlSeconds;

  private Tokens(JWTAuth jwt, long ttlSeconds) {
    this.jwt = jwt;
    this.ttlSeconds = ttlSeconds;
  }

  public static Tokens create(Vertx vertx, AuthConfig config) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.secret()))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER));
    return new Tokens(JWTAuth.create(vertx, options), config.tokenTtlSeconds());
  }

  /** An issued token and when it expires (epoch ms). */
  public record Issued(String token, long expiresAt) {
  }

  public Issued issue(long uid) {
    long expiresAt = (System.currentTimeMillis() / 1000 + ttlSeconds) * 1000;
    String token = jwt.generateToken(new JsonObject().put("jti", UUID.randomUUID().toString()),
        new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setSubject(Long.toString(uid))
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttlSeconds)));
    return new Issued(token, expiresAt);
  }

  /** The uid a valid token was issued to; fails with {@code auth_failed} for anything else. */
  public Future<Long> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token missing or malformed"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(t -> Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token invalid or expired")))
        .compose(user -> {
          try {
            return Future.succeededFuture(Long.parseLong(user.principal().getString("sub")));
          } catch (RuntimeException e) {
            return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token has no valid subject"));
          }
        });
  }
}
