package dev.switchboard.api.sessions;

import static dev.switchboard.api.http.HttpErrors.jsonBody;
import static dev.switchboard.api.http.HttpErrors.string;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.users.PasswordHashing;
import dev.switchboard.api.users.UsersRoutes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PUT /api/v1/users/me/password {current, password}}: changes the password. Every token of the user issued
 * until then is revoked and every session closed, as by {@code POST /api/v1/sessions/logout-all} (whoever held the old
 * password or a token may have been the reason for the change); the answer carries a fresh token
 * {@code {token, uid, expiresAt}} so the device that made the change stays logged in. A wrong {@code current} fails
 * with {@code 401 bad_credentials}.
 */
public final class PasswordRoutes {
  private final Vertx vertx;
  private final UserStore users;
  private final Tokens tokens;
  private final PasswordHashing hashing;

  public PasswordRoutes(Vertx vertx, UserStore users, Tokens tokens, PasswordHashing hashing) {
    this.vertx = vertx;
    this.users = users;
    this.tokens = tokens;
    this.hashing = hashing;
  }

  public void mount(Router router, Authn authn) {
    router.put("/api/v1/users/me/password").handler(authn::handle).handler(this::change);
  }

  private void change(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String current = string(body, "current");
    String password = UsersRoutes.password(string(body, "password"));
    long uid = Authn.uid(ctx);
    users.find(uid)
        // Both hashes on the bounded hashing pool: Argon2id is CPU- and memory-heavy by design.
        .compose(user -> hashing.check(current, user == null ? null : user.passwordHash()))
        .compose(check -> {
          if (!check.matches()) {
            throw new ImException(ErrorCode.BAD_CREDENTIALS, "field 'current' is not the current password");
          }
          return hashing.hash(password);
        })
        .compose(hash -> users.setPasswordHash(uid, hash))
        .compose(v -> SessionsRoutes.revokeAll(vertx, tokens, uid))
        .compose(before -> {
          Tokens.Issued issued = tokens.issue(uid);
          return Future.succeededFuture(new JsonObject().put("token", issued.token()).put("uid", uid)
              .put("expiresAt", issued.expiresAt()));
        })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }
}
