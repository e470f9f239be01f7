package dev.switchboard.shared.auth;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
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
  private final StateStore state;

  private Tokens(JWTAuth jwt, long ttlSeconds, StateStore state) {
    this.jwt = jwt;
    this.ttlSeconds = ttlSeconds;
    this.state = state;
  }

  /** Tokens signed with the config's secret; revocations are kept in {@code state}, shared by every node. */
  public static Tokens create(Vertx vertx, AuthConfig config, StateStore state) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.secret()))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER));
    return new Tokens(JWTAuth.create(vertx, options), config.tokenTtlSeconds(), state);
  }

  /** A token that passed {@link #check}: its user, its id and when it expires (epoch ms). */
  public record Verified(long uid, String jti, long expiresAt) {
    /** A 64-bit hash of the token id, small enough to keep with every session. */
    public long idHash() {
      return Tokens.idHash(jti);
    }
  }

  /** A 64-bit hash of a token id. */
  public static long idHash(String jti) {
    long h = 1125899906842597L;
    for (int i = 0; i < jti.length(); i++) {
      h = 31 * h + jti.charAt(i);
    }
    return h;
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
    return check(token).map(Verified::uid);
  }

  /** The claims of a valid, unrevoked token; fails with {@code auth_failed} for anything else. */
  public Future<Verified> check(String token) {
    if (token == null || token.isEmpty() || token.length() > 4096) {
      return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token missing or malformed"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(t -> Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token invalid or expired")))
        .compose(user -> {
          Verified v;
          try {
            JsonObject p = user.principal();
            JsonObject claims = p.containsKey("exp") ? p
                : user.attributes().getJsonObject("accessToken", user.attributes());
            Object exp = claims.getValue("exp");
            v = new Verified(Long.parseLong(p.getString("sub")), p.getString("jti", claims.getString("jti")),
                ((Number) exp).longValue() * 1000);
          } catch (RuntimeException e) {
            return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token has no valid subject"));
          }
          if (v.jti() == null) {
            return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token has no id"));
          }
          return state.get(StateKeys.revokedToken(v.idHash())).compose(revoked -> revoked == null
              ? Future.succeededFuture(v)
              : Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token revoked (logged out)")));
        });
  }

  /**
   * Revokes the token with id hash {@code idHash} everywhere until it would have expired ({@code expiresAt}, epoch
   * ms). Sessions already authenticated with it are closed by whoever calls this (a control message to the user).
   */
  public Future<Void> revoke(long idHash, long expiresAt) {
    return state.set(StateKeys.revokedToken(idHash), "1", Math.max(1_000, expiresAt - System.currentTimeMillis()));
  }
}
