package dev.switchboard.api.messages;

import dev.switchboard.api.http.Authn;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Recall over HTTP, with the rules of {@code msg.recall}: {@code POST /api/v1/messages/{mid}/recall} (one-to-one) and
 * {@code POST /api/v1/groups/{gid}/messages/{mid}/recall} → {@code 200 {mid, seq[, group]}}; errors {@code 403
 * forbidden}, {@code 404 not_found}, {@code 409 recall_expired}, {@code 403 not_member}.
 */
public final class RecallRoutes {
  private final EventBus bus;
  private final DeliveryOptions options;

  public RecallRoutes(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public void mount(Router router, Authn authn) {
    router.post("/api/v1/messages/:mid/recall").handler(authn::handle).handler(ctx -> recall(ctx, null));
    router.post("/api/v1/groups/:gid/messages/:mid/recall").handler(authn::handle)
        .handler(ctx -> recall(ctx, Authn.pathId(ctx, "gid")));
  }

  private void recall(RoutingContext ctx, Long gid) {
    long mid;
    try {
      mid = Long.parseLong(ctx.pathParam("mid"));
    } catch (NumberFormatException e) {
      throw new ImException(ErrorCode.INVALID_FIELD, "path parameter 'mid' must be a message id");
    }
    // "http" stands for the recalling session: every device of the user, this one included, hears of the recall.
    long uid = Authn.uid(ctx);
    Object request = gid == null ? new RecallRequest(uid, "http", mid) : new GroupRecallRequest(uid, "http", gid, mid);
    bus.<RecallReply>request(gid == null ? Addresses.ROUTER_RECALL : Addresses.GROUP_RECALL, request, options)
        .onSuccess(reply -> ctx.json(reply.body().fields()))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }
}
