package dev.switchboard.api.contacts;

import dev.switchboard.api.http.Authn;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.store.Dialect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Blocking: {@code PUT /api/v1/blocks/{uid}} (204), {@code DELETE /api/v1/blocks/{uid}} (204),
 * {@code GET /api/v1/blocks} → {@code {blocked: [uid, ...]}}. A blocked user's sends to the blocker fail with
 * {@code blocked}. Idempotent.
 */
public final class BlocksRoutes {
  private final Pool pool;
  private final Dialect dialect;

  public BlocksRoutes(Pool pool, Dialect dialect) {
    this.dialect = dialect;
    this.pool = pool;
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
    pool.preparedQuery("SELECT id FROM users WHERE id = ?").execute(Tuple.of(blocked))
        .compose(rows -> rows.size() == 0
            ? io.vertx.core.Future.failedFuture(new ImException(ErrorCode.NOT_FOUND, "no user " + blocked))
            : pool.preparedQuery(dialect.insertIgnore("blocks") + " (owner, blocked, created_at) VALUES (?, ?, ?)")
                .execute(Tuple.of(owner, blocked, System.currentTimeMillis())))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void unblock(RoutingContext ctx) {
    pool.preparedQuery("DELETE FROM blocks WHERE owner = ? AND blocked = ?")
        .execute(Tuple.of(Authn.uid(ctx), Authn.pathId(ctx, "uid")))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    pool.preparedQuery("SELECT blocked FROM blocks WHERE owner = ? ORDER BY blocked").execute(Tuple.of(Authn.uid(ctx)))
        .onSuccess(rows -> {
          JsonArray uids = new JsonArray();
          rows.forEach(r -> uids.add(r.getLong("blocked")));
          ctx.json(new JsonObject().put("blocked", uids));
        })
        .onFailure(ctx::fail);
  }
}
