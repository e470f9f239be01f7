package dev.switchboard.launch;

import dev.switchboard.shared.config.DbConfig;
import dev.switchboard.shared.store.Database;
import dev.switchboard.shared.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * The process's monitoring endpoints, on {@code monitor.port} (every process, whatever verticles it runs):
 * {@code GET /health} (liveness: the process answers), {@code GET /ready} (200 when the node started, its cluster is
 * joined, and the MySQL and Redis it depends on answer; 503 with the failing checks otherwise) and {@code GET /metrics}
 * (Prometheus text format: Vert.x's own meters — event bus, HTTP, net, pools — and Switchboard's).
 */
final class Monitor {
  private final Vertx vertx;
  private final NodeConfig config;
  private final StateStore state;
  private final Pool pool;
  private final PrometheusMeterRegistry registry;
  private volatile boolean started;
  private HttpServer server;

  Monitor(Vertx vertx, NodeConfig config, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.state = StateStore.create(vertx, config.state());
    boolean needsDb = config.verticle("api") != null || config.verticle("router") != null
        || config.verticle("group") != null;
    DbConfig db = config.db();
    this.pool = needsDb ? Database.pool(vertx, db) : null;
  }

  /** Listens when {@code monitor.port} is set (0: a free port; absent: no monitor). */
  Future<Void> start() {
    JsonObject m = config.json().getJsonObject("monitor");
    if (m == null || m.getInteger("port") == null) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    router.get("/ready").handler(ctx -> ready().onComplete(ar -> {
      JsonObject checks = ar.result();
      boolean ok = checks.stream().allMatch(e -> "ok".equals(e.getValue()));
      ctx.response().setStatusCode(ok ? 200 : 503);
      ctx.json(new JsonObject().put("status", ok ? "ready" : "not_ready").put("checks", checks));
    }));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4")
        .end(registry == null ? "" : registry.scrape()));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(m.getString("host", "127.0.0.1"))
        .setPort(m.getInteger("port")));
    return server.requestHandler(router).listen().mapEmpty();
  }

  void started() {
    started = true;
  }

  /** Each check's outcome: {@code "ok"} or why not. Never fails. */
  private Future<JsonObject> ready() {
    JsonObject checks = new JsonObject().put("node", started ? "ok" : "starting");
    if (config.clustered()) {
      checks.put("cluster", vertx.isClustered() ? "ok" : "not joined");
    }
    Future<Void> redis = state.get("ready-probe").<Void>mapEmpty()
        .andThen(ar -> checks.put("state", ar.succeeded() ? "ok" : String.valueOf(ar.cause().getMessage())));
    Future<Void> db = pool == null ? Future.succeededFuture() : pool.query("SELECT 1").execute().<Void>mapEmpty()
        .andThen(ar -> checks.put("database", ar.succeeded() ? "ok" : String.valueOf(ar.cause().getMessage())));
    return Future.join(redis, db).transform(ar -> Future.succeededFuture(checks));
  }

  Future<Void> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> pool == null ? Future.succeededFuture() : pool.close())
        .eventually(state::close);
  }
}
