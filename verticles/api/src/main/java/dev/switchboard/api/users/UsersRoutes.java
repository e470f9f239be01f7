package dev.switchboard.api.users;

import static dev.switchboard.api.http.HttpErrors.jsonBody;
import static dev.switchboard.api.http.HttpErrors.string;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code POST /api/v1/users}: registration. */
public final class UsersRoutes {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}");
  public static final int MIN_PASSWORD = 8;
  public static final int MAX_PASSWORD = 128;

  private final Vertx vertx;
  private final UserStore users;
  private final int iterations;

  public UsersRoutes(Vertx vertx, UserStore users, int iterations) {
    this.vertx = vertx;
    this.users = users;
    this.iterations = iterations;
  }

  public void mount(Router router) {
    router.post("/api/v1/users").handler(this::register);
  }

  private void register(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String username = username(string(body, "username"));
    String password = password(string(body, "password"));
    vertx.executeBlocking(() -> Passwords.hash(password, iterations), false)
        .compose(hash -> users.create(username, hash))
        .onSuccess(uid -> {
          if (uid == null) {
            ctx.fail(new ImException(ErrorCode.CONFLICT, "username '" + username + "' is taken"));
          } else {
            ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                .end(new JsonObject().put("uid", uid).put("username", username).toBuffer());
          }
        })
        .onFailure(ctx::fail);
  }

  /** Lower-cased; 3–32 of {@code a-z 0-9 _ . -}. */
  static String username(String raw) {
    String u = raw.toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(u).matches()) {
      throw new ImException(ErrorCode.INVALID_FIELD,
          "field 'username' must be 3 to 32 characters of a-z, 0-9, '_', '.', '-'");
    }
    return u;
  }

  private static String password(String p) {
    if (p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD) {
      throw new ImException(ErrorCode.INVALID_FIELD,
          "field 'password' must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return p;
  }
}
