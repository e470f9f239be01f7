package dev.switchboard.api.admin;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.api.http.Authn;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The server API's moderation of messages ({@code X-Api-Key}): {@code DELETE /api/v1/admin/messages/{mid}}
 * (one-to-one) and {@code DELETE /api/v1/admin/groups/{gid}/messages/{mid}} delete a message for everyone, at any
 * age: a recall by the server ({@link RecallRequest#SERVER}), so every device hears {@code msg.recalled} live or on
 * sync. {@code 200 {mid, seq[, group]}} ({@code seq} 0 when it was deleted already); {@code 404 not_found}.
 */
public final class AdminMessagesRoutes {
  private final EventBus bus;
  private final DeliveryOptions options;

  public AdminMessagesRoutes(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public void mount(Router router, Handler<RoutingContext> service) {
    router.delete("/api/v1/admin/messages/:mid").handler(service).handler(ctx -> delete(ctx, null));
    router.delete("/api/v1/admin/groups/:gid/messages/:mid").handler(service)
        .handler(ctx -> delete(ctx, Authn.pathId(ctx, "gid")));
  }

  private void delete(RoutingContext ctx, Long gid) {
    long mid;
    try {
      mid = Long.parseLong(ctx.pathParam("mid"));
    } catch (NumberFormatException e) {
      throw new ImException(ErrorCode.INVALID_FIELD, "path parameter 'mid' must be a message id");
    }
    Object request = gid == null ? new RecallRequest(RecallRequest.SERVER, "http", mid)
        : new GroupRecallRequest(RecallRequest.SERVER, "http", gid, mid);
    bus.<RecallReply>request(gid == null ? Addresses.ROUTER_RECALL : Addresses.GROUP_RECALL, request, options)
        .onSuccess(reply -> ctx.json(reply.body().fields()))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }
}
