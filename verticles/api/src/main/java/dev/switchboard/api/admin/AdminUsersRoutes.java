package dev.switchboard.api.admin;

import static dev.switchboard.api.http.HttpErrors.jsonBody;
import static dev.switchboard.api.http.HttpErrors.string;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.store.IdentityStore;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.users.PasswordHashing;
import dev.switchboard.api.users.Passwords;
import dev.switchboard.api.users.ProfileFields;
import dev.switchboard.api.users.Profiles;
import dev.switchboard.api.users.UsersRoutes;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.RevokeAll;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The server API's users ({@code X-Api-Key}, the admin rate limit), for the app's backend:
 * {@code POST /api/v1/admin/users} creates a user (password optional: without one it only logs in with tokens the
 * backend mints), {@code GET}/{@code PATCH}/{@code DELETE /api/v1/admin/users/{uid}} read, change and delete one
 * (a deleted user loses its profile and every session and cannot log in; its uid stays taken),
 * {@code POST .../tokens} mints a token, {@code PUT}/{@code DELETE .../ban} bans (every session of the user closes at
 * once on every node, logins and tokens are refused with {@code banned}) and lifts the ban (the user's unexpired
 * tokens work again),
 * {@code GET .../sessions} lists the user's online sessions and {@code GET /api/v1/admin/presence?uids=} tells who of
 * up to 100 users is online.
 */
public final class AdminUsersRoutes {
  /** The password hash of a user made without a password: no password matches it ({@link Passwords#isHash}). */
  private static final String NO_PASSWORD = "!";

  private final Vertx vertx;
  private final UserStore users;
  private final IdentityStore identities;
  private final Tokens tokens;
  private final PasswordHashing hashing;
  private final StateStore state;
  private final Presence presence;
  private final String issuer;

  /** {@code issuer}: the app's identity provider ({@code auth.external.issuer}), or null when there is none. */
  public AdminUsersRoutes(Vertx vertx, UserStore users, IdentityStore identities, Tokens tokens,
                          PasswordHashing hashing, StateStore state, Presence presence, String issuer) {
    this.issuer = issuer;
    this.vertx = vertx;
    this.users = users;
    this.identities = identities;
    this.tokens = tokens;
    this.hashing = hashing;
    this.state = state;
    this.presence = presence;
  }

  /** Mounts the routes behind {@code service}, the API-key check and the admin rate limit. */
  public void mount(Router router, io.vertx.core.Handler<RoutingContext> service) {
    router.post("/api/v1/admin/users").handler(service).handler(this::create);
    router.post("/api/v1/admin/identities").handler(service).handler(this::identity);
    router.get("/api/v1/admin/users/:uid").handler(service).handler(this::show);
    router.patch("/api/v1/admin/users/:uid").handler(service).handler(this::update);
    router.delete("/api/v1/admin/users/:uid").handler(service).handler(this::delete);
    router.post("/api/v1/admin/users/:uid/tokens").handler(service).handler(this::mint);
    router.put("/api/v1/admin/users/:uid/ban").handler(service).handler(this::ban);
    router.delete("/api/v1/admin/users/:uid/ban").handler(service).handler(this::unban);
    router.get("/api/v1/admin/users/:uid/sessions").handler(service).handler(this::sessions);
    router.get("/api/v1/admin/presence").handler(service).handler(this::presence);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String name = UsersRoutes.username(string(body, "username"));
    String nickname = ProfileFields.nickname(body);
    String avatar = ProfileFields.avatar(body);
    String password = body.getValue("password") == null ? null : UsersRoutes.password(string(body, "password"));
    Future<String> hash = password == null ? Future.succeededFuture(NO_PASSWORD) : hashing.hash(password);
    hash.compose(h -> users.create(name, h, "user", nickname))
        .compose(uid -> uid == null
            ? Future.failedFuture(new ImException(ErrorCode.CONFLICT, "username '" + name + "' is taken"))
            : (avatar == null ? Future.<Void>succeededFuture() : users.setAvatar(uid, avatar)).map(uid))
        .compose(uid -> view(uid))
        .onSuccess(view -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
            .end(view.toBuffer()))
        .onFailure(ctx::fail);
  }

  /**
   * The user of the app's user {@code externalId}, made now if it has none (as its first app token would): lets the
   * backend learn a user's uid, or provision users before they ever connect.
   */
  private void identity(RoutingContext ctx) {
    if (issuer == null) {
      throw new ImException(ErrorCode.FORBIDDEN, "no identity provider is configured (auth.external)");
    }
    JsonObject body = jsonBody(ctx);
    Object id = body.getValue("externalId");
    if (!(id instanceof String ext) || ext.isEmpty() || ext.length() > 128 || ext.chars().anyMatch(c -> c < 0x20)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'externalId' must be 1 to 128 printable characters");
    }
    String nickname = ProfileFields.nickname(body);
    String avatar = ProfileFields.avatar(body);
    identities.resolve(issuer, ext, nickname, avatar)
        .compose(done -> view(done.uid()).map(v -> v.put("created", done.created())))
        .onSuccess(v -> ctx.response().setStatusCode(v.getBoolean("created") ? 201 : 200)
            .putHeader("content-type", "application/json").end(v.toBuffer()))
        .onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    view(Authn.pathId(ctx, "uid")).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** The user's profile as the server API shows it: with {@code banned} and the app's id for them. */
  public Future<JsonObject> view(long uid) {
    Future<UserStore.User> account = users.find(uid);
    Future<UserStore.Profile> profile = users.profile(uid);
    Future<String[]> external = identities.externalId(uid);
    return Future.all(account, profile, external).compose(v -> {
      if (account.result() == null || account.result().deleted()) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + uid));
      }
      JsonObject out = Profiles.full(profile.result()).put("banned", account.result().banned())
          .put("password", Passwords.isHash(account.result().passwordHash()));
      if (external.result() != null) {
        out.put("externalId", external.result()[1]).put("issuer", external.result()[0]);
      }
      return Future.succeededFuture(out);
    });
  }

  private void update(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    JsonObject body = jsonBody(ctx);
    boolean hasNickname = body.containsKey("nickname");
    boolean hasAvatar = body.containsKey("avatar");
    String nickname = ProfileFields.nickname(body);
    String avatar = ProfileFields.avatar(body);
    String p = body.containsKey("password") ? UsersRoutes.password(string(body, "password")) : null;
    if (!hasNickname && !hasAvatar && p == null) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'nickname', 'avatar' or 'password' is required");
    }
    existing(uid)
        .compose(v -> hasNickname ? users.setNickname(uid, nickname) : Future.<Void>succeededFuture())
        .compose(v -> hasAvatar ? users.setAvatar(uid, avatar) : Future.<Void>succeededFuture())
        .compose(v -> p == null ? Future.<Void>succeededFuture()
            : hashing.hash(p).compose(h -> users.setPasswordHash(uid, h)))
        .compose(v -> view(uid))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    deleteAccount(uid).compose(found -> found ? Future.succeededFuture()
            : Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + uid)))
        .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /**
   * Deletes the user's account (profile, password, the app's id for them) and closes every session of theirs;
   * false when there was none, or it was deleted already.
   */
  public Future<Boolean> deleteAccount(long uid) {
    return identities.externalId(uid).compose(ext -> users.delete(uid).compose(found -> {
      if (!found) {
        return Future.succeededFuture(false);
      }
      List<Future<?>> steps = new ArrayList<>();
      if (ext != null) {
        steps.add(identities.forget(uid).compose(v -> state.delete(StateKeys.appIdentity(ext[0], ext[1]))));
      }
      steps.add(closeEverySession(uid, RevokeAll.LOGGED_OUT));
      return Future.all(steps).map(true);
    }));
  }

  private void mint(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    // The body is optional: none, or JSON null, asks for the default lifetime.
    io.vertx.core.buffer.Buffer raw = ctx.body().buffer();
    JsonObject body = raw == null || "null".equals(raw.toString().strip()) || raw.toString().isBlank()
        ? new JsonObject() : jsonBody(ctx);
    Object ttl = body.getValue("ttlSeconds");
    if (ttl != null && (!(ttl instanceof Number n) || n.longValue() < 60)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'ttlSeconds' must be at least 60 (at most "
          + "auth.tokenTtlSeconds is granted)");
    }
    usable(uid).onSuccess(v -> {
      Tokens.Issued issued = ttl == null ? tokens.issue(uid) : tokens.issue(uid, ((Number) ttl).longValue());
      ctx.response().setStatusCode(201).putHeader("content-type", "application/json").end(new JsonObject()
          .put("token", issued.token()).put("uid", uid).put("expiresAt", issued.expiresAt()).toBuffer());
    }).onFailure(ctx::fail);
  }

  private void ban(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    long now = System.currentTimeMillis();
    existing(uid)
        .compose(v -> users.setBanned(uid, now))
        // The state key first: every gateway and API refuses the user's tokens from here on; then every session closes
        // (whatever its token: the user is refused, not the tokens, which work again once the ban is lifted).
        .compose(v -> state.set(StateKeys.banned(uid), Long.toString(now), 0))
        .onSuccess(v -> UserBus.of(vertx).publish(uid, new RevokeAll(Long.MAX_VALUE, RevokeAll.BANNED)))
        .onSuccess(v -> ctx.json(new JsonObject().put("uid", uid).put("banned", true).put("since", now)))
        .onFailure(ctx::fail);
  }

  private void unban(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    existing(uid)
        .compose(v -> users.setBanned(uid, null))
        .compose(v -> state.delete(StateKeys.banned(uid)))
        .onSuccess(v -> ctx.json(new JsonObject().put("uid", uid).put("banned", false)))
        .onFailure(ctx::fail);
  }

  /**
   * Revokes every token of {@code uid} issued until now and closes every session of the user on every gateway
   * ({@code kicked {reason}}).
   */
  private Future<Long> closeEverySession(long uid, String reason) {
    return tokens.revokeAll(uid).onSuccess(before -> UserBus.of(vertx).publish(uid, new RevokeAll(before, reason)));
  }

  private void sessions(RoutingContext ctx) {
    long uid = Authn.pathId(ctx, "uid");
    existing(uid).compose(v -> presence.sessions(uid))
        .onSuccess(list -> ctx.json(new JsonObject().put("uid", uid).put("sessions", list)))
        .onFailure(ctx::fail);
  }

  private void presence(RoutingContext ctx) {
    String raw = ctx.request().getParam("uids", "");
    List<Long> uids = new ArrayList<>();
    for (String part : raw.split(",")) {
      try {
        long uid = Long.parseLong(part.strip());
        if (uid > 0 && !uids.contains(uid)) {
          uids.add(uid);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'uids' must be 1 to 100 positive integers, "
          + "comma-separated");
    }
    if (uids.size() > 100) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'uids' names more than 100 users");
    }
    presence.sessions(uids).onSuccess(all -> {
      JsonObject online = new JsonObject();
      for (long uid : uids) {
        online.put(Long.toString(uid), new JsonObject().put("online", !all.get(uid).isEmpty())
            .put("sessions", all.get(uid).size()));
      }
      ctx.json(new JsonObject().put("users", online));
    }).onFailure(ctx::fail);
  }

  /** Succeeds when the user exists and is not deleted; {@code not_found} otherwise. */
  private Future<UserStore.User> existing(long uid) {
    return users.find(uid).compose(u -> u == null || u.deleted()
        ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + uid)) : Future.succeededFuture(u));
  }

  /** Like {@link #existing}, and fails {@code banned} for a banned user. */
  private Future<UserStore.User> usable(long uid) {
    return existing(uid).compose(u -> u.banned()
        ? Future.failedFuture(new ImException(ErrorCode.BANNED, "user " + uid + " is banned"))
        : Future.succeededFuture(u));
  }
}
