package dev.switchboard.api.devices;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.presence.Presence;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.KickSession;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Your online sessions: {@code GET /api/v1/devices} → {@code {devices: [{session, device, transport, node, since}]}};
 * {@code DELETE /api/v1/devices/{session}} closes one of them on whatever node it is ({@code kicked {reason:
 * "removed"}}, close reason {@code kicked}), 204, or {@code 404 not_found}.
 */
public final class DevicesRoutes {
  private final EventBus bus;
  private final UserBus users;
  private final Presence presence;

  public DevicesRoutes(EventBus bus, UserBus users, Presence presence) {
    this.bus = bus;
    this.users = users;
    this.presence = presence;
  }

  public void mount(Router router, Authn authn) {
    router.get("/api/v1/devices").handler(authn::handle).handler(this::list);
    router.delete("/api/v1/devices/:session").handler(authn::handle).handler(this::kick);
  }

  private void list(RoutingContext ctx) {
    presence.sessions(Authn.uid(ctx)).onSuccess(devices -> ctx.json(new JsonObject().put("devices", devices)))
        .onFailure(ctx::fail);
  }

  private void kick(RoutingContext ctx) {
    long uid = Authn.uid(ctx);
    String session = ctx.pathParam("session");
    presence.sessions(uid).onSuccess(devices -> {
      boolean found = devices.stream().anyMatch(d -> session.equals(((JsonObject) d).getString("session")));
      if (!found) {
        ctx.fail(new ImException(ErrorCode.NOT_FOUND, "no online session '" + session + "'"));
        return;
      }
      users.publish(uid, new KickSession(session, "api", null));
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }
}
