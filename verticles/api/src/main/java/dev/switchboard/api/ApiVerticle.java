package dev.switchboard.api;

import dev.switchboard.api.admin.AdminDataRoutes;
import dev.switchboard.api.admin.AdminMessagesRoutes;
import dev.switchboard.api.admin.AdminUsersRoutes;
import dev.switchboard.api.calls.ConnectionCalls;
import dev.switchboard.api.contacts.BlocksRoutes;
import dev.switchboard.api.contacts.ContactsRoutes;
import dev.switchboard.api.contacts.PeerChecks;
import dev.switchboard.api.conversations.ConversationsRoutes;
import dev.switchboard.api.devices.DevicesRoutes;
import dev.switchboard.api.groups.GroupsRoutes;
import dev.switchboard.api.identities.Identities;
import dev.switchboard.api.media.Images;
import dev.switchboard.api.media.LocalBlobStore;
import dev.switchboard.api.media.MediaAccess;
import dev.switchboard.api.media.MediaConfig;
import dev.switchboard.api.media.MediaDeletion;
import dev.switchboard.api.media.MediaParts;
import dev.switchboard.api.media.MediaRoutes;
import dev.switchboard.api.media.MediaUrls;
import dev.switchboard.api.http.AccessLog;
import dev.switchboard.api.http.ApiKeys;
import dev.switchboard.api.http.Authn;
import dev.switchboard.api.http.HttpErrors;
import dev.switchboard.api.http.OpenApi;
import dev.switchboard.api.http.RateLimit;
import dev.switchboard.api.http.SecurityHeaders;
import dev.switchboard.api.messages.RecallRoutes;
import dev.switchboard.api.presence.LivePresence;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.api.presence.PresenceConfig;
import dev.switchboard.api.push.PushRoutes;
import dev.switchboard.api.search.SearchRoutes;
import dev.switchboard.api.sessions.PasswordRoutes;
import dev.switchboard.api.sessions.SessionsRoutes;
import dev.switchboard.api.stats.GatewayStats;
import dev.switchboard.api.stats.StatsRoutes;
import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.IdentityStore;
import dev.switchboard.api.store.MediaStore;
import dev.switchboard.api.store.SqlContactStore;
import dev.switchboard.api.store.SqlIdentityStore;
import dev.switchboard.api.store.SqlMediaStore;
import dev.switchboard.api.store.SqlUserStore;
import dev.switchboard.api.store.UserStore;
import dev.switchboard.api.users.PasswordHashing;
import dev.switchboard.api.users.UserLookups;
import dev.switchboard.api.users.UsersRoutes;
import dev.switchboard.api.webhooks.Webhooks;
import dev.switchboard.launch.Services.Need;
import dev.switchboard.launch.Services;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.config.ConnectionLimitsConfig;
import dev.switchboard.shared.net.ConnectionGuard;
import dev.switchboard.shared.store.RetentionJob;
import dev.switchboard.shared.store.Schema;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API ({@code /api/v1}, described by {@code GET /api/v1/openapi.json}), the web client at {@code /}, and
 * {@code GET /health}; default port 8080, HTTPS only when {@code tls} is set. Also answers API calls forwarded from
 * long connections ({@code im.api.call}), and other verticles' asks for the data it owns (accounts and the social
 * graph): {@code im.api.peers}, {@code im.api.users}, {@code im.api.identities} (the app's users, made on first use).
 */
public final class ApiVerticle extends VerticleBase {
  /**
   * The tables this verticle owns (users, user_profiles, user_privacy, contacts, blocks, external_identities, media):
   * migrations in db/api/.
   */
  public static final Schema SCHEMA = new Schema("api");

  /**
   * How the launcher deploys it. The API runs on the pool (its tables), the state store (rate limits, presence) and the
   * token service.
   */
  public static final VerticleKind KIND =
      VerticleKind.owning(SCHEMA, ApiVerticle::new, Need.POOL, Need.STATE, Need.TOKENS);

  /** Authenticates calls this process forwards to itself from long connections; never leaves the process. */
  private static final String INTERNAL_SECRET = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();

  private final Services services;
  private StateStore state;
  private GatewayStats stats;
  private ConnectionCalls calls;
  private ConnectionGuard guard;
  private Webhooks webhooks;
  private RetentionJob mediaRetention;
  private LivePresence livePresence;
  private List<MessageConsumer<?>> consumers;

  /** The API on the launcher's {@code services} (it declares the pool, the state store and the token service). */
  public ApiVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    ApiConfig config = ApiConfig.from(config());
    AuthConfig auth = AuthConfig.from(config().getJsonObject("auth"));
    state = services.state();
    stats = new GatewayStats();
    UserStore users = new SqlUserStore(services.pool(), services.dialect());
    ContactStore contacts = new SqlContactStore(services.pool(), services.dialect());
    IdentityStore identities = new SqlIdentityStore(services.pool());
    ConnectionLimitsConfig limits = ConnectionLimitsConfig.from(config().getJsonObject("connectionLimits"), 256);
    guard = new ConnectionGuard(vertx, "api", "api", limits);
    MediaConfig mediaConfig = config.media();
    MediaStore mediaStore = new SqlMediaStore(services.pool());
    LocalBlobStore blobs = new LocalBlobStore(vertx, mediaConfig.dir());
    MediaParts media = new MediaParts(mediaConfig, mediaStore, blobs, new Images(vertx, mediaConfig),
        new MediaUrls(auth.secret(), mediaConfig.urlTtlSeconds()), new MediaDeletion(mediaStore, blobs),
        guard::streamed);
    Router router = router(vertx, config, auth, services.tokens(), users, contacts, identities, state, stats, media,
        limits.bodyTimeoutMs());
    if (mediaConfig.retention().days() > 0) {
      long keepMs = mediaConfig.retention().days() * 86_400_000L;
      mediaRetention = new RetentionJob(vertx, state, "media", mediaConfig.retention(),
          n -> media.deletion().deleteOlderThan(System.currentTimeMillis() - keepMs, n));
      mediaRetention.start();
    }
    calls = new ConnectionCalls(vertx, config.host(), config.port(), config.tls(), INTERNAL_SECRET,
        (int) Math.max(1, limits.headerTimeoutMs() / 2_000));
    guard.start();
    webhooks = new Webhooks(vertx, HooksConfig.from(config().getJsonObject("hooks")));
    EventBus bus = vertx.eventBus();
    livePresence = new LivePresence(vertx, state, users, contacts,
        PresenceConfig.from(config().getJsonObject("presence")));
    consumers = List.of(
        bus.consumer(Addresses.API_PEERS, new PeerChecks(contacts)::handle),
        bus.consumer(Addresses.API_USERS, new UserLookups(users)::handle),
        bus.consumer(Addresses.API_IDENTITIES, new Identities(identities)::handle));
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) limits.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (config.tls() != null) {
      config.tls().server(options);
    }
    // The media store's directories exist before the first upload can arrive.
    return blobs.start().compose(ready -> Future.join(stats.start(vertx.eventBus()), vertx.createHttpServer(options)
        .connectionHandler(guard::onConnection)
        .requestHandler(req -> {
          guard.onRequest(req);
          router.handle(req);
        }).listen(), calls.start(vertx), webhooks.ready(), livePresence.start(),
        Future.all(consumers.stream().map(MessageConsumer::completion).toList())));
  }

  /**
   * Every route of the API on a new router. The verticle serves it; the OpenAPI test lists its routes. Collaborators
   * (the stores among them) are only used when a request arrives.
   */
  public static Router router(Vertx vertx, ApiConfig config, AuthConfig auth, Tokens tokens, UserStore users,
                              ContactStore contacts, IdentityStore identities, StateStore state,
                              GatewayStats stats, MediaParts media, long bodyTimeoutMs) {
    Presence presence = new Presence(state);
    Router router = Router.router(vertx);
    HttpErrors.install(router);
    if (config.accessLog()) {
      router.route().order(-999).handler(AccessLog::handle);
    }
    router.route().handler(new SecurityHeaders(config.publicWs(), stats)::handle);
    RateLimit perUser = new RateLimit(state, config.rate(), config.rateBurst(), INTERNAL_SECRET);
    RateLimit perAddress = new RateLimit(state, config.addressRate(), config.addressRateBurst(), INTERNAL_SECRET);
    Authn authn = new Authn(tokens, perUser, INTERNAL_SECRET);
    MediaRoutes mediaRoutes = new MediaRoutes(vertx, media, new MediaAccess(contacts, vertx.eventBus(),
        config.requestTimeoutMs()), bodyTimeoutMs);
    // Before the body handler: an upload is streamed to the store, never read into memory.
    mediaRoutes.mountUpload(router, authn);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    ApiKeys keys = new ApiKeys(config.apiKeys());
    PasswordHashing hashing = new PasswordHashing(vertx, auth.argon2(), auth.hashing());
    new UsersRoutes(users, hashing, contacts, presence, vertx.eventBus()).mount(router, authn, perAddress, keys);
    new SessionsRoutes(vertx, users, tokens, config, hashing, stats).mount(router, authn, perAddress);
    new PasswordRoutes(vertx, users, tokens, hashing).mount(router, authn);
    new ConversationsRoutes(vertx.eventBus(), config.requestTimeoutMs()).mount(router, authn);
    new RecallRoutes(vertx.eventBus(), config.requestTimeoutMs()).mount(router, authn);
    new SearchRoutes(vertx.eventBus(), config.requestTimeoutMs(),
        new RateLimit(state, config.searchRate(), config.searchRateBurst(), INTERNAL_SECRET)).mount(router, authn);
    new BlocksRoutes(contacts).mount(router, authn);
    new ContactsRoutes(contacts, vertx.eventBus(), UserBus.of(vertx), users, presence).mount(router, authn);
    new DevicesRoutes(vertx.eventBus(), UserBus.of(vertx), presence).mount(router, authn);
    new GroupsRoutes(vertx.eventBus()).mount(router, authn);
    new PushRoutes(vertx.eventBus(), UserBus.of(vertx), state, stats, config.pushMaxBodyBytes(),
        config.requestTimeoutMs()).mount(router, keys);
    new StatsRoutes(stats).mount(router, authn, keys);
    io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> service = keys.withLimit(
        new RateLimit(state, config.adminRate(), config.adminRateBurst(), INTERNAL_SECRET));
    AdminUsersRoutes admin = new AdminUsersRoutes(vertx, users, identities, tokens, hashing, state, presence,
        auth.external() == null ? null : auth.external().issuer());
    admin.mount(router, service);
    mediaRoutes.mount(router, authn);
    new AdminDataRoutes(vertx.eventBus(), config.requestTimeoutMs(), users, contacts, admin::view, admin::deleteAccount,
        uid -> media.deletion().deleteOwner(uid)).mount(router, service);
    new AdminMessagesRoutes(vertx.eventBus(), config.requestTimeoutMs()).mount(router, service);
    OpenApi.mount(router);
    router.route("/*").handler(SecurityHeaders::revalidate).handler(config.webRoot() == null ? StaticHandler.create("web")
        : StaticHandler.create(FileSystemAccess.ROOT, config.webRoot()));
    return router;
  }

  @Override
  public Future<?> stop() {
    guard.stop();
    if (mediaRetention != null) {
      mediaRetention.stop();
    }
    return Future.join(stats.stop(), calls.stop(), webhooks.stop(), livePresence.stop(),
            Future.all(consumers.stream().map(MessageConsumer::unregister).toList()))
        .mapEmpty();
  }
}
