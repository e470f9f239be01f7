package dev.switchboard.launch;

import dev.switchboard.launch.Services.Need;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Set;

/**
 * The process's monitoring endpoints, on {@code monitor.port} (every process, whatever verticles it runs):
 * {@code GET /health} (liveness: the process answers), {@code GET /ready} (200 when the node started, its cluster is
 * joined, and the services its verticles declare — the SQL database, the state store — answer; 503 with the failing
 * checks otherwise) and {@code GET /metrics}
 * (Prometheus text format: Vert.x's own meters — event bus, HTTP, net, pools — and Switchboard's).
 */
final class Monitor {
  private final Vertx vertx;
  private final NodeConfig config;
  private final Set<Need> needs;
  private final PrometheusMeterRegistry registry;
  private volatile Services services;
  private HttpServer server;

  /** A monitor whose readiness checks are the services {@code needs} names (what the node's verticles declare). */
  Monitor(Vertx vertx, NodeConfig config, Set<Need> needs, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.needs = needs;
    this.registry = registry;
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

  /** The node started with {@code services}: readiness now checks them. */
  void started(Services services) {
    this.services = services;
  }

  /** Each check's outcome: {@code "ok"} or why not. Never fails. */
  Future<JsonObject> ready() {
    Services built = services;
    JsonObject checks = new JsonObject().put("node", built != null ? "ok" : "starting");
    if (config.clustered()) {
      checks.put("cluster", vertx.isClustered() ? "ok" : "not joined");
    }
    Future<Void> redis = !needs.contains(Need.STATE) ? Future.succeededFuture()
        : check(checks, "state", built == null ? null : built.state().get("ready-probe"));
    Future<Void> db = !needs.contains(Need.POOL) ? Future.succeededFuture()
        : check(checks, "database", built == null ? null : built.pool().query("SELECT 1").execute());
    return Future.join(redis, db).transform(ar -> Future.succeededFuture(checks));
  }

  /** Puts {@code probe}'s outcome under {@code name}: ok, why not, or "starting" while there is nothing to probe. */
  private static Future<Void> check(JsonObject checks, String name, Future<?> probe) {
    if (probe == null) {
      checks.put(name, "starting");
      return Future.succeededFuture();
    }
    return probe.<Void>mapEmpty()
        .andThen(ar -> checks.put(name, ar.succeeded() ? "ok" : String.valueOf(ar.cause().getMessage())));
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
