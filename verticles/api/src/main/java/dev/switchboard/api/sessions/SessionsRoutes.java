package dev.switchboard.api.sessions;

import static dev.switchboard.api.http.HttpErrors.jsonBody;
import static dev.switchboard.api.http.HttpErrors.string;

import dev.switchboard.api.ApiConfig;
import dev.switchboard.api.http.Authn;
import dev.switchboard.api.http.RateLimit;
import dev.switchboard.api.stats.GatewayStats;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.users.PasswordHashing;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.Revoke;
import dev.switchboard.protocol.contract.RevokeAll;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sessions: {@code POST /api/v1/sessions} logs in with username and password and answers a signed token and the
 * gateways to connect to; {@code POST /api/v1/sessions/refresh} trades a valid token for a fresh one and rotates: the
 * old token stops working after {@code auth.refreshGraceSeconds} and cannot be refreshed again, and the sessions
 * running on it end then unless they send {@code auth.refresh} with the new one; {@code DELETE
 * /api/v1/sessions/current} logs out: the token is revoked on every node at once and the sessions that authenticated
 * with it are closed ({@code kicked {reason: "logged_out"}}, close reason {@code revoked}); {@code POST
 * /api/v1/sessions/logout-all} does that for every token of the user issued until now.
 */
public final class SessionsRoutes {
  private static final Pattern DEVICE = Pattern.compile("[a-z0-9_-]{1,16}");
  private final Vertx vertx;
  private final UserStore users;
  private final Tokens tokens;
  private final ApiConfig config;
  private final PasswordHashing hashing;

  private final GatewayStats stats;

  public SessionsRoutes(Vertx vertx, UserStore users, Tokens tokens, ApiConfig config,
                        PasswordHashing hashing, GatewayStats stats) {
    this.stats = stats;
    this.vertx = vertx;
    this.users = users;
    this.tokens = tokens;
    this.config = config;
    this.hashing = hashing;
  }

  public void mount(Router router, Authn authn, RateLimit byAddress) {
    router.post("/api/v1/sessions").handler(byAddress::byAddress).handler(this::login);
    router.post("/api/v1/sessions/refresh").handler(authn::handle).handler(this::refresh);
    router.delete("/api/v1/sessions/current").handler(authn::handle).handler(this::logout);
    router.post("/api/v1/sessions/logout-all").handler(authn::handle).handler(this::logoutAll);
  }

  private void refresh(RoutingContext ctx) {
    Authn.Caller caller = Authn.caller(ctx);
    tokens.rotate(caller.tokenHash(), caller.expiresAt()).onSuccess(until -> {
      // Sessions running on the old token end with it (after the grace) unless they move on with auth.refresh.
      UserBus.of(vertx).publish(caller.uid(), new Revoke(caller.tokenHash(), until));
      Tokens.Issued issued = tokens.issue(caller.uid());
      ctx.json(new JsonObject().put("token", issued.token()).put("uid", caller.uid())
          .put("expiresAt", issued.expiresAt()).put("gateways", gateways()));
    }).onFailure(ctx::fail);
  }

  private void logoutAll(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    revokeAll(vertx, tokens, uid).onSuccess(before -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /**
   * Revokes every token of {@code uid} issued until now and closes every session authenticated with one of them, on
   * every gateway ({@code kicked {reason: "logged_out"}}, close reason {@code revoked}). Completes with that moment.
   */
  public static Future<Long> revokeAll(Vertx vertx, Tokens tokens, long uid) {
    return tokens.revokeAll(uid).onSuccess(before -> UserBus.of(vertx).publish(uid,
        new RevokeAll(before)));
  }

  private void logout(RoutingContext ctx) {
    Authn.Caller caller = Authn.caller(ctx);
    tokens.revoke(caller.tokenHash(), caller.expiresAt()).onSuccess(v -> {
      UserBus.of(vertx).publish(caller.uid(), new Revoke(caller.tokenHash(), 0));
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  /** The least loaded live gateway (from the gateways' reports), else the configured default. */
  private JsonObject gateways() {
    JsonObject picked = stats.pick();
    return picked != null ? picked : new JsonObject().put("ws", config.publicWs()).put("tcp", config.publicTcp());
  }

  private void login(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String username = string(body, "username").toLowerCase(Locale.ROOT);
    String password = string(body, "password");
    String device = string(body, "device");
    if (!DEVICE.matcher(device).matches()) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'device' must match [a-z0-9_-]{1,16}");
    }
    users.find(username)
        .compose(user -> hashing.check(password, user == null ? null : user.passwordHash())
            .compose(check -> !check.matches()
                ? Future.failedFuture(new ImException(ErrorCode.BAD_CREDENTIALS, "wrong username or password"))
                : user.banned() ? Future.failedFuture(new ImException(ErrorCode.BANNED, "this user is banned"))
                : check.upgraded() == null ? Future.succeededFuture(user)
                : users.upgradePasswordHash(user.uid(), user.passwordHash(), check.upgraded()).map(user)))
        .onSuccess(user -> {
          Tokens.Issued issued = tokens.issue(user.uid());
          ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
              .put("token", issued.token()).put("uid", user.uid()).put("device", device)
              .put("expiresAt", issued.expiresAt())
              .put("gateways", gateways())
              .toBuffer());
        })
        .onFailure(ctx::fail);
  }
}
