package dev.switchboard.api.sessions;

import static dev.switchboard.api.http.HttpErrors.jsonBody;
import static dev.switchboard.api.http.HttpErrors.string;

import dev.switchboard.api.users.Passwords;
import dev.switchboard.api.users.UserStore;
import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.ApiConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code POST /api/v1/sessions}: login with username and password, answered with a signed token. */
public final class SessionsRoutes {
  private static final Pattern DEVICE = Pattern.compile("[a-z0-9_-]{1,16}");
  private final Vertx vertx;
  private final UserStore users;
  private final Tokens tokens;
  private final ApiConfig config;
  private final int iterations;

  public SessionsRoutes(Vertx vertx, UserStore users, Tokens tokens, ApiConfig config, int iterations) {
    this.vertx = vertx;
    this.users = users;
    this.tokens = tokens;
    this.config = config;
    this.iterations = iterations;
  }

  public void mount(Router router) {
    router.post("/api/v1/sessions").handler(this::login);
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
        .compose(user -> vertx.executeBlocking(() -> checkPassword(user, password), false)
            .compose(ok -> ok ? Future.succeededFuture(user)
                : Future.failedFuture(new ImException(ErrorCode.BAD_CREDENTIALS, "wrong username or password"))))
        .onSuccess(user -> {
          Tokens.Issued issued = tokens.issue(user.uid());
          ctx.response().putHeader("content-type", "application/json").end(new JsonObject()
              .put("token", issued.token()).put("uid", user.uid()).put("device", device)
              .put("expiresAt", issued.expiresAt())
              .put("gateways", new JsonObject().put("ws", config.publicWs()).put("tcp", config.publicTcp()))
              .toBuffer());
        })
        .onFailure(ctx::fail);
  }

  /** Blocking. An unknown username costs one hash too, so timing does not tell which usernames exist. */
  private boolean checkPassword(UserStore.User user, String password) {
    if (user == null) {
      Passwords.hash(password, iterations);
      return false;
    }
    return Passwords.verify(password, user.passwordHash());
  }
}
