package dev.switchboard.api.users;

import static dev.switchboard.api.http.HttpErrors.jsonBody;
import static dev.switchboard.api.http.HttpErrors.string;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.http.RateLimit;
import dev.switchboard.api.presence.LastSeen;
import dev.switchboard.api.presence.LivePresence;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.store.UserStore.Profile;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.shared.privacy.GroupAdd;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Users: {@code POST /api/v1/users} registers; {@code GET /api/v1/users/me} and {@code PATCH /api/v1/users/me
 * {nickname?, avatar?, groupAdd?, lastSeen?}} read and change your profile and your privacy settings (only you see
 * {@code groupAdd} and {@code lastSeen}); {@code GET /api/v1/users/{uid}} reads anyone's, with {@code online} and
 * {@code lastSeen} where their {@code lastSeen} setting lets the caller see them ({@link LastSeen});
 * {@code GET /api/v1/users?q=&after=&limit=} searches usernames by prefix, in username order, paged by the last
 * username seen.
 */
public final class UsersRoutes {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}");
  private static final Pattern SEARCH = Pattern.compile("[a-z0-9_.-]{1,32}");
  public static final int MIN_PASSWORD = 8;
  public static final int MAX_PASSWORD = 128;

  private final UserStore users;
  private final PasswordHashing hashing;
  private final ContactStore contacts;
  private final Presence presence;
  private final EventBus bus;

  public UsersRoutes(UserStore users, PasswordHashing hashing, ContactStore contacts, Presence presence,
                     EventBus bus) {
    this.users = users;
    this.hashing = hashing;
    this.contacts = contacts;
    this.presence = presence;
    this.bus = bus;
  }

  public void mount(Router router, Authn authn, RateLimit byAddress, dev.switchboard.api.http.ApiKeys keys) {
    router.post("/api/v1/bots").handler(keys::handle).handler(this::createBot);
    router.post("/api/v1/users").handler(byAddress::byAddress).handler(this::register);
    router.get("/api/v1/users/me").handler(authn::handle).handler(this::me);
    router.patch("/api/v1/users/me").handler(authn::handle).handler(this::update);
    router.get("/api/v1/users/:uid").handler(authn::handle).handler(ctx -> show(ctx, Authn.pathId(ctx, "uid")));
    router.get("/api/v1/users").handler(authn::handle).handler(this::search);
  }

  private void show(RoutingContext ctx, long uid) {
    long me = Authn.uid(ctx);
    users.profile(uid).compose(p -> {
      if (p == null) {
        return Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + uid));
      }
      JsonObject shown = Profiles.full(p);
      Future<Boolean> contact = me == uid ? Future.succeededFuture(true)
          : contacts.facts(new PeerCheck(List.of(me), List.of(uid), PeerCheck.CONTACT))
              .map(f -> f.has(0, PeerCheck.CONTACT));
      Future<UserStore.Seen> seen = users.lastSeen(List.of(uid)).map(m -> m.get(uid));
      return Future.all(contact, seen).compose(v -> {
        boolean isContact = contact.result();
        UserStore.Seen s = seen.result();
        LastSeen setting = s == null ? LastSeen.EVERYONE : s.setting();
        // Online shows to contacts always, and to anyone the setting shows lastSeen to; lastSeen as the setting says.
        boolean showsLastSeen = me == uid || setting.shows(isContact);
        if (!isContact && !showsLastSeen) {
          return Future.succeededFuture(shown);
        }
        return presence.sessions(uid).map(sessions -> {
          shown.put("online", !sessions.isEmpty());
          if (sessions.isEmpty() && showsLastSeen && s != null && s.at() != null) {
            shown.put("lastSeen", s.at());
          }
          return shown;
        });
      });
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  /** Your profile with your privacy settings. */
  private void me(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    users.profile(uid).compose(p -> p == null ? Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user "
            + uid)) : users.groupAdd(uid).compose(g -> users.lastSeenSetting(uid)
            .map(l -> Profiles.full(p).put("groupAdd", g.wire()).put("lastSeen", l.wire()))))
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    boolean nickname = body.containsKey("nickname");
    String n = ProfileFields.nickname(body);
    boolean avatar = body.containsKey("avatar");
    String a = ProfileFields.avatar(body);
    GroupAdd groupAdd = null;
    if (body.containsKey("groupAdd")) {
      groupAdd = GroupAdd.fromWire(body.getValue("groupAdd"));
      if (groupAdd == null) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'groupAdd' must be 'everyone', 'contacts' or 'nobody'");
      }
    }
    LastSeen lastSeen = null;
    if (body.containsKey("lastSeen")) {
      lastSeen = LastSeen.fromWire(body.getValue("lastSeen"));
      if (lastSeen == null) {
        throw new ImException(ErrorCode.INVALID_FIELD, "field 'lastSeen' must be 'everyone', 'contacts' or 'nobody'");
      }
    }
    if (!nickname && !avatar && groupAdd == null && lastSeen == null) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'nickname', 'avatar', 'groupAdd' or 'lastSeen' is "
          + "required");
    }
    long uid = Authn.uid(ctx);
    GroupAdd privacy = groupAdd;
    LastSeen seen = lastSeen;
    Future<Void> nick = nickname ? users.setNickname(uid, n) : Future.succeededFuture();
    nick.compose(v -> avatar ? users.setAvatar(uid, a) : Future.<Void>succeededFuture())
        .compose(v -> privacy == null ? Future.succeededFuture() : users.setGroupAdd(uid, privacy))
        .compose(v -> {
          if (seen == null) {
            return Future.succeededFuture();
          }
          return users.setLastSeenSetting(uid, seen).onSuccess(x -> LivePresence.audienceChanged(bus, uid));
        })
        .onSuccess(v -> me(ctx)).onFailure(ctx::fail);
  }

  private void search(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    if (q == null || !SEARCH.matcher(q.toLowerCase(Locale.ROOT)).matches()) {
      throw new ImException(ErrorCode.INVALID_FIELD, "query parameter 'q' must be 1 to 32 characters of a-z, 0-9, "
          + "'_', '.', '-'");
    }
    String after = ctx.request().getParam("after", "");
    int limit = (int) Authn.query(ctx, "limit", 20, 1, 100);
    users.search(q.toLowerCase(Locale.ROOT), after.toLowerCase(Locale.ROOT), limit).onSuccess(profiles -> {
      JsonArray found = new JsonArray();
      for (Profile p : profiles.subList(0, Math.min(limit, profiles.size()))) {
        found.add(Profiles.card(p));
      }
      ctx.json(new JsonObject().put("users", found).put("more", profiles.size() > limit));
    }).onFailure(ctx::fail);
  }

  private void register(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String username = username(string(body, "username"));
    String password = password(string(body, "password"));
    hashing.hash(password)
        .compose(hash -> users.create(username, hash, "user", null))
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

  /**
   * {@code POST /api/v1/bots {username, nickname?}} (API key): a user of kind {@code bot}. A bot has no password and
   * cannot log in; a service speaks for it through the TCP event-bus bridge (docs/bridge.md).
   */
  private void createBot(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    String username = username(string(body, "username"));
    Object nick = body.getValue("nickname");
    if (nick != null && (!(nick instanceof String s) || s.isBlank() || s.length() > 64)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field 'nickname' must be 1 to 64 characters");
    }
    users.create(username, NO_PASSWORD, "bot", (String) nick).onSuccess(uid -> {
      if (uid == null) {
        ctx.fail(new ImException(ErrorCode.CONFLICT, "username '" + username + "' is taken"));
      } else {
        ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
            .end(new JsonObject().put("uid", uid).put("username", username).put("kind", "bot").toBuffer());
      }
    }).onFailure(ctx::fail);
  }

  /** A password hash no password matches (not in the PBKDF2 format): bots cannot log in. */
  private static final String NO_PASSWORD = "!bot";

  /** Lower-cased; 3–32 of {@code a-z 0-9 _ . -}; {@code invalid_field} otherwise. */
  public static String username(String raw) {
    String u = raw.toLowerCase(Locale.ROOT);
    if (!USERNAME.matcher(u).matches()) {
      throw new ImException(ErrorCode.INVALID_FIELD,
          "field 'username' must be 3 to 32 characters of a-z, 0-9, '_', '.', '-'");
    }
    return u;
  }

  /** 8–128 characters; {@code invalid_field} otherwise. */
  public static String password(String p) {
    if (p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD) {
      throw new ImException(ErrorCode.INVALID_FIELD,
          "field 'password' must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return p;
  }
}
