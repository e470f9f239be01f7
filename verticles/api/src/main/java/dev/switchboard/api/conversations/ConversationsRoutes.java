package dev.switchboard.api.conversations;

import dev.switchboard.api.http.Authn;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.ConversationsReply;
import dev.switchboard.protocol.contract.ConversationsRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * One-to-one conversations of the authenticated user, read by the router (which owns messages and conversations)
 * over {@code im.router.conversations}:
 * <ul>
 *   <li>{@code GET /api/v1/conversations?limit=} → {@code {conversations: [{peer, unread, readSeq, last}]}}, most
 *   recent first; {@code last} is the last message (as in {@code msg} frames), {@code unread} comes from the read
 *   cursor.</li>
 *   <li>{@code GET /api/v1/conversations/{peer}/messages?before=&limit=} → {@code {messages, more}}: newest first,
 *   {@code before} a mid (exclusive). Messages the user sent carry {@code delivered} and {@code read}.</li>
 * </ul>
 * Only the two parties can read a conversation: the path names the peer, the token the user. The router's JSON bytes
 * are the response body as they are. {@code 503 unavailable} when no router answers within the request timeout.
 */
public final class ConversationsRoutes {
  private final EventBus bus;
  private final DeliveryOptions options;

  public ConversationsRoutes(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  public void mount(Router router, Authn authn) {
    router.get("/api/v1/conversations").handler(authn::handle).handler(ctx -> ask(ctx, new ConversationsRequest(
        Authn.uid(ctx), 0, 0, (int) Authn.query(ctx, "limit", 50, 1, 200))));
    router.get("/api/v1/conversations/:peer/messages").handler(authn::handle).handler(ctx -> ask(ctx,
        new ConversationsRequest(Authn.uid(ctx), Authn.pathId(ctx, "peer"),
            Authn.query(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE),
            (int) Authn.query(ctx, "limit", 50, 1, 200))));
  }

  private void ask(RoutingContext ctx, ConversationsRequest request) {
    bus.<ConversationsReply>request(Addresses.ROUTER_CONVERSATIONS, request, options)
        .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(Buffer.buffer(reply.body().json())).onFailure(ctx::fail))
        .onFailure(t -> ctx.fail(ImException.of(t)));
  }
}
