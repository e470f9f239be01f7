package dev.switchboard.api.contacts;

import dev.switchboard.api.http.Authn;
import dev.switchboard.api.store.ContactStore;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Blocking: {@code PUT /api/v1/blocks/{uid}} (204), {@code DELETE /api/v1/blocks/{uid}} (204),
 * {@code GET /api/v1/blocks} → {@code {blocked: [uid, ...]}}. A blocked user's sends to the blocker fail with
 * {@code blocked}. Idempotent.
 */
public final class BlocksRoutes {
  private final ContactStore contacts;

  public BlocksRoutes(ContactStore contacts) {
    this.contacts = contacts;
  }

  public void mount(Router router, Authn authn) {
    router.put("/api/v1/blocks/:uid").handler(authn::handle).handler(this::block);
    router.delete("/api/v1/blocks/:uid").handler(authn::handle).handler(this::unblock);
    router.get("/api/v1/blocks").handler(authn::handle).handler(this::list);
  }

  private void block(RoutingContext ctx) {
    long owner = Authn.uid(ctx);
    long blocked = Authn.pathId(ctx, "uid");
    if (blocked == owner) {
      throw new ImException(ErrorCode.INVALID_FIELD, "you cannot block yourself");
    }
    contacts.block(owner, blocked)
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void unblock(RoutingContext ctx) {
    contacts.unblock(Authn.uid(ctx), Authn.pathId(ctx, "uid"))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    contacts.blocked(Authn.uid(ctx))
        .onSuccess(uids -> ctx.json(new JsonObject().put("blocked", new JsonArray(uids))))
        .onFailure(ctx::fail);
  }
}
