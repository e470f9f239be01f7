package dev.switchboard.api.admin;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.GroupRecallRequest;
import dev.switchboard.protocol.contract.MessageVersionsRequest;
import dev.switchboard.protocol.contract.RecallReply;
import dev.switchboard.protocol.contract.RecallRequest;
import dev.switchboard.protocol.contract.SyncEntry;
import dev.switchboard.protocol.contract.SyncPage;
import dev.switchboard.protocol.frame.JsonBytes;
import dev.switchboard.api.http.Authn;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The server API's moderation of messages ({@code X-Api-Key}): {@code DELETE /api/v1/admin/messages/{mid}}
 * (one-to-one) and {@code DELETE /api/v1/admin/groups/{gid}/messages/{mid}} delete a message for everyone, at any
 * age: a recall by the server ({@link RecallRequest#SERVER}), so every device hears {@code msg.recalled} live or on
 * sync. {@code 200 {mid, seq[, group]}} ({@code seq} 0 when it was deleted already); {@code 404 not_found}. And the
 * versions of an edited message ({@code GET .../messages/{mid}/versions}).
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
    router.get("/api/v1/admin/messages/:mid/versions").handler(service).handler(ctx -> versions(ctx, 0));
    router.get("/api/v1/admin/groups/:gid/messages/:mid/versions").handler(service)
        .handler(ctx -> versions(ctx, Authn.pathId(ctx, "gid")));
  }

  private static long mid(RoutingContext ctx) {
    try {
      long mid = Long.parseLong(ctx.pathParam("mid"));
      if (mid > 0) {
        return mid;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ImException(ErrorCode.INVALID_FIELD, "path parameter 'mid' must be a message id");
  }

  /**
   * {@code GET .../messages/{mid}/versions}: {@code 200 {mid, from, type, recalled, versions: [{body, at}]}}, every
   * body the message has had, oldest first (the last is the current one; {@code at} when it was written), for
   * moderation. Clients never see earlier versions.
   */
  private void versions(RoutingContext ctx, long gid) {
    long mid = mid(ctx);
    bus.<SyncPage>request(gid == 0 ? Addresses.ROUTER_VERSIONS : Addresses.GROUP_VERSIONS,
            new MessageVersionsRequest(gid, mid), options)
        .onSuccess(reply -> {
          List<SyncEntry> all = reply.body().entries();
          SyncEntry current = all.get(all.size() - 1);
          List<byte[]> versions = new ArrayList<>(all.size());
          int size = 128;
          for (SyncEntry v : all) {
            byte[] one = new JsonBytes(48 + (v.body() == null ? 4 : v.body().length)).raw("body", v.body())
                .number("at", v.ts()).close();
            versions.add(one);
            size += one.length + 1;
          }
          JsonBytes json = new JsonBytes(size).string("mid", Long.toString(mid)).number("from", current.from());
          if (gid != 0) {
            json.number("group", gid);
          } else {
            json.number("to", current.to());
          }
          byte[] body = json.string("type", current.msgType()).bool("recalled", current.recalled())
              .array("versions", versions).close();
          ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
        })
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }

  private void delete(RoutingContext ctx, Long gid) {
    long mid = mid(ctx);
    Object request = gid == null ? new RecallRequest(RecallRequest.SERVER, "http", mid)
        : new GroupRecallRequest(RecallRequest.SERVER, "http", gid, mid);
    bus.<RecallReply>request(gid == null ? Addresses.ROUTER_RECALL : Addresses.GROUP_RECALL, request, options)
        .onSuccess(reply -> ctx.json(reply.body().fields()))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }
}
