package dev.switchboard.shared.auth;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.IdentityReply;
import dev.switchboard.protocol.contract.IdentityRequest;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.UUID;

/**
 * Signed, expiring access tokens (JWT, HS256). The API signs them at login; gateways verify them in-process, without
 * a database round trip. Claims: {@code sub} is the uid, {@code jti} a unique token id (for revocation), {@code iatMs}
 * when it was issued (epoch ms, for "every token issued before T" revocations).
 *
 * <p>Revocation lives in shared state, so it holds on every node: one token ({@link #revoke}, logout; {@link #rotate},
 * refresh, with a grace) or every token of a user issued before a moment ({@link #revokeAll}, logout everywhere and
 * password change). {@link #check} and {@link #stillValid} apply both, and refuse every token of a banned user
 * ({@code banned}).
 *
 * <p>With {@code auth.external} set, tokens whose {@code iss} is the app's are verified by {@link AppTokens} instead,
 * and their user (the app's id for them) is mapped to a uid: from shared state, else by the API, which makes the user
 * on first use ({@code im.api.identities}). Revocations and bans apply to them as to Switchboard's own tokens.
 */
public final class Tokens {
  private static final String ISSUER = "switchboard";

  private final JWTAuth jwt;
  private final long ttlSeconds;
  private final long graceMs;
  private final StateStore state;
  private final AppTokens app;
  private final EventBus bus;

  private Tokens(JWTAuth jwt, long ttlSeconds, long graceMs, StateStore state, AppTokens app, EventBus bus) {
    this.jwt = jwt;
    this.app = app;
    this.bus = bus;
    this.ttlSeconds = ttlSeconds;
    this.graceMs = graceMs;
    this.state = state;
  }

  /** Tokens signed with the config's secret; revocations are kept in {@code state}, shared by every node. */
  public static Tokens create(Vertx vertx, AuthConfig config, StateStore state) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.secret()))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER));
    return new Tokens(JWTAuth.create(vertx, options), config.tokenTtlSeconds(), config.refreshGraceSeconds() * 1000,
        state, config.external() == null ? null : new AppTokens(vertx, config.external()), vertx.eventBus());
  }

  /** A token that passed {@link #check}: its user, its id, when it was issued and when it expires (epoch ms). */
  public record Verified(long uid, String jti, long issuedAt, long expiresAt) {
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
    return issue(uid, ttlSeconds);
  }

  /** A token for {@code uid} that expires in {@code seconds}, at most {@code auth.tokenTtlSeconds}. */
  public Issued issue(long uid, long seconds) {
    long ttlSeconds = Math.min(seconds, this.ttlSeconds);
    long now = System.currentTimeMillis();
    long expiresAt = (now / 1000 + ttlSeconds) * 1000;
    String token = jwt.generateToken(new JsonObject().put("jti", UUID.randomUUID().toString()).put("iatMs", now),
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
    if (app != null && app.issuer().equals(AppTokens.unverifiedIssuer(token))) {
      return app.verify(token).compose(c -> identity(c).compose(uid -> {
        Verified v = new Verified(uid, c.jti(), c.issuedAt(), c.expiresAt());
        return stillValid(v.uid(), v.idHash(), v.issuedAt(), v.expiresAt()).map(v);
      }));
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
            Object iatMs = p.getValue("iatMs", claims.getValue("iatMs"));
            Object iat = p.getValue("iat", claims.getValue("iat"));
            // Tokens signed before iatMs existed carry only iat (seconds); tokens with neither count as issued at 0.
            long issuedAt = iatMs instanceof Number n ? n.longValue()
                : iat instanceof Number n ? n.longValue() * 1000 : 0;
            v = new Verified(Long.parseLong(p.getString("sub")), p.getString("jti", claims.getString("jti")),
                issuedAt, ((Number) exp).longValue() * 1000);
          } catch (RuntimeException e) {
            return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token has no valid subject"));
          }
          if (v.jti() == null) {
            return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token has no id"));
          }
          return stillValid(v.uid(), v.idHash(), v.issuedAt(), v.expiresAt()).map(v);
        });
  }

  /** The uid of the app's user in {@code claims}: from shared state, else from the API (made on first use). */
  private Future<Long> identity(AppTokens.Claims claims) {
    String key = StateKeys.appIdentity(app.issuer(), claims.externalId());
    return state.get(key).compose(cached -> {
      if (cached != null) {
        return Future.succeededFuture(Long.parseLong(cached));
      }
      return bus.<Object>request(Addresses.API_IDENTITIES, new IdentityRequest(app.issuer(), claims.externalId(),
              claims.name(), claims.avatar()), new DeliveryOptions().setSendTimeout(5_000))
          .recover(t -> Future.failedFuture(ImException.of(t)))
          .compose(reply -> {
            long uid = ((IdentityReply) reply.body()).uid();
            return state.set(key, Long.toString(uid), 0).map(uid);
          });
    });
  }

  /**
   * Succeeds when a token verified earlier (by its uid, id hash, issue and expiry times) is still good now: not
   * expired, not revoked, not issued before a revocation of all the user's tokens. Fails with {@code auth_failed}
   * otherwise. Used for every call a long connection forwards, so such a call is checked like an HTTP call.
   */
  public Future<Void> stillValid(long uid, long idHash, long issuedAt, long expiresAt) {
    long now = System.currentTimeMillis();
    if (expiresAt <= now) {
      return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token expired"));
    }
    Future<String> revoked = state.get(StateKeys.revokedToken(idHash));
    Future<String> before = state.get(StateKeys.tokensRevokedBefore(uid));
    Future<String> banned = state.get(StateKeys.banned(uid));
    return Future.all(revoked, before, banned).compose(ignored -> {
      if (banned.result() != null) {
        return Future.failedFuture(new ImException(ErrorCode.BANNED, "user " + uid + " is banned"));
      }
      if (revoked.result() != null && now >= epochMs(revoked.result())) {
        return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token revoked (logged out or refreshed)"));
      }
      if (before.result() != null && issuedAt < epochMs(before.result())) {
        return Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED,
            "token revoked (logged out everywhere or password changed)"));
      }
      return Future.succeededFuture();
    });
  }

  /** A stored epoch ms; anything else (an older "1" marker) counts as "since always". */
  private static long epochMs(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Revokes the token with id hash {@code idHash} everywhere, now, until it would have expired ({@code expiresAt},
   * epoch ms). Sessions already authenticated with it are closed by whoever calls this (a control message to the user).
   */
  public Future<Void> revoke(long idHash, long expiresAt) {
    long now = System.currentTimeMillis();
    return state.set(StateKeys.revokedToken(idHash), Long.toString(now), Math.max(1_000, expiresAt - now));
  }

  /**
   * Refresh rotation: the token with id hash {@code idHash} stops working after the grace
   * ({@code auth.refreshGraceSeconds}), so requests already sent with it still pass. A token can be rotated once:
   * a second refresh with it (or a refresh of a revoked token) fails with {@code auth_failed}, so a stolen token
   * cannot grow a chain of its own beside the owner's. Completes with the moment the token stops working (epoch ms).
   */
  public Future<Long> rotate(long idHash, long expiresAt) {
    long now = System.currentTimeMillis();
    long until = Math.min(expiresAt, now + graceMs);
    return state.setIfAbsent(StateKeys.revokedToken(idHash), Long.toString(until), Math.max(1_000, expiresAt - now))
        .compose(set -> set ? Future.succeededFuture(until)
            : Future.failedFuture(new ImException(ErrorCode.AUTH_FAILED, "token already refreshed or revoked")));
  }

  /**
   * Revokes every token of {@code uid} issued before now, on every node; returns that moment (epoch ms). The marker is
   * kept for a token lifetime, after which the tokens it covers have expired anyway. Sessions are closed by the caller
   * (a {@code CTL_REVOKE_ALL} control message to the user).
   */
  public Future<Long> revokeAll(long uid) {
    long now = System.currentTimeMillis();
    // App tokens live as long as the app makes them: their revocations are kept for at least 31 days.
    long keepMs = Math.max(ttlSeconds * 1000, app == null ? 0 : 31L * 24 * 3600 * 1000) + 60_000;
    return state.set(StateKeys.tokensRevokedBefore(uid), Long.toString(now), keepMs).map(now);
  }
}
