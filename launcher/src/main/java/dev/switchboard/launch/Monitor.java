package dev.switchboard.launch;

import dev.switchboard.launch.Services.Need;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Set;

/**
 * The process's monitoring endpoints, on {@code monitor.port} (every process, whatever verticles it runs):
 * {@code GET /health} (liveness: the process answers), {@code GET /ready} (200 when the node started, its cluster is
 * joined, and the services its verticles declare — the SQL database, the state store — answer; 503 with the failing
 * checks otherwise) and {@code GET /metrics}
 * (Prometheus text format through Vert.x's {@code PrometheusScrapingHandler}: Vert.x's own meters — event bus, HTTP,
 * net, pools — and Switchboard's). The readiness checks run on vertx-health-check, each with a timeout.
 */
final class Monitor {
  private final Vertx vertx;
  private final NodeConfig config;
  private final Set<Need> needs;
  private final PrometheusMeterRegistry registry;
  private volatile Services services;
  private HttpServer server;
  private final HealthChecks healthChecks;

  /** A monitor whose readiness checks are the services {@code needs} names (what the node's verticles declare). */
  Monitor(Vertx vertx, NodeConfig config, Set<Need> needs, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.needs = needs;
    this.registry = registry;
    this.healthChecks = checks();
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
    if (registry != null) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    } else {
      router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4")
          .end(""));
    }
    server = vertx.createHttpServer(new HttpServerOptions().setHost(m.getString("host", "127.0.0.1"))
        .setPort(m.getInteger("port")));
    return server.requestHandler(router).listen().mapEmpty();
  }

  /** The port it listens on (after {@link #start}). */
  int port() {
    return server.actualPort();
  }

  /** The node started with {@code services}: readiness now checks them. */
  void started(Services services) {
    this.services = services;
  }

  /**
   * The readiness checks, on vertx-health-check: one procedure per check, each with {@code monitor.checkTimeoutMs}
   * (2,000) to answer, so a database or Redis that hangs makes {@code /ready} answer 503 in time instead of not at all.
   */
  private HealthChecks checks() {
    long timeout = config.json().getJsonObject("monitor", new JsonObject()).getLong("checkTimeoutMs", 2_000L);
    HealthChecks h = HealthChecks.create(vertx);
    h.register("node", timeout, p -> p.complete(services != null ? Status.OK() : down("starting")));
    if (config.clustered()) {
      h.register("cluster", timeout, p -> p.complete(vertx.isClustered() ? Status.OK() : down("not joined")));
    }
    if (needs.contains(Need.STATE)) {
      h.register("state", timeout, p -> probe(p, services == null ? null
          : services.state().get("ready-probe")));
    }
    if (needs.contains(Need.POOL)) {
      h.register("database", timeout, p -> probe(p, services == null ? null
          : services.pool().query("SELECT 1").execute()));
    }
    return h;
  }

  private static Status down(String reason) {
    return Status.KO(new JsonObject().put("reason", reason));
  }

  /** Completes {@code p} with {@code probe}'s outcome, or "starting" while there is nothing to probe. */
  private static void probe(Promise<Status> p, Future<?> probe) {
    if (probe == null) {
      p.complete(down("starting"));
      return;
    }
    probe.onComplete(ar -> p.tryComplete(ar.succeeded() ? Status.OK() : down(String.valueOf(ar.cause().getMessage()))));
  }

  /** Each check's outcome: {@code "ok"} or why not (a check that did not answer in time: "timeout"). Never fails. */
  Future<JsonObject> ready() {
    return healthChecks.checkStatus().transform(ar -> {
      JsonObject out = new JsonObject();
      if (ar.failed()) {
        return Future.succeededFuture(out.put("node", String.valueOf(ar.cause().getMessage())));
      }
      for (CheckResult c : ar.result().getChecks()) {
        String outcome;
        if (c.getUp()) {
          outcome = "ok";
        } else if (c.getData() != null && c.getData().getString("reason") != null) {
          outcome = c.getData().getString("reason");
        } else if (c.getFailure() != null) {
          outcome = "Timeout".equals(c.getFailure().getMessage()) ? "timeout" : c.getFailure().getMessage();
        } else {
          outcome = "failed";
        }
        out.put(c.getId(), outcome);
      }
      return Future.succeededFuture(out);
    });
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
