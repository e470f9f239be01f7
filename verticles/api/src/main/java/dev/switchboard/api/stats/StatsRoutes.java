package dev.switchboard.api.stats;

import dev.switchboard.api.http.ApiKeys;
import dev.switchboard.api.http.Authn;
import dev.switchboard.protocol.RoomName;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Online counts, per node and cluster-wide: {@code GET /api/v1/stats} and {@code GET /api/v1/rooms/{room}}. Either
 * a user's bearer token or a service's API key is accepted.
 */
public final class StatsRoutes {
  private final GatewayStats stats;

  public StatsRoutes(GatewayStats stats) {
    this.stats = stats;
  }

  public void mount(Router router, Authn authn, ApiKeys keys) {
    router.get("/api/v1/stats").handler(ctx -> userOrService(ctx, authn, keys)).handler(this::cluster);
    router.get("/api/v1/rooms/:room").handler(ctx -> userOrService(ctx, authn, keys)).handler(this::room);
  }

  private static void userOrService(RoutingContext ctx, Authn authn, ApiKeys keys) {
    if (keys.accepts(ctx)) {
      ctx.next();
    } else {
      authn.handle(ctx);
    }
  }

  private void cluster(RoutingContext ctx) {
    ctx.json(stats.cluster());
  }

  private void room(RoutingContext ctx) {
    ctx.json(stats.room(RoomName.require(ctx.pathParam("room"), "room")));
  }
}
