package dev.switchboard.api.http;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.store.StateKeys;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Request budgets over HTTP, kept in shared state so they hold across API nodes: a token bucket per user for
 * authenticated routes and per client address for registration and login. A spent budget fails the request with
 * {@code 429 rate_limited}, {@code retryAfterMs} in the body and a {@code Retry-After} header (seconds).
 */
public final class RateLimit {
  private final StateStore state;
  private final double perSecond;
  private final int burst;

  public RateLimit(StateStore state, double perSecond, int burst) {
    this.state = state;
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** A handler charging the caller's address (for routes without a user). */
  public void byAddress(RoutingContext ctx) {
    charge(ctx, "a" + ctx.request().remoteAddress().hostAddress());
  }

  /** Takes one token from {@code caller}'s bucket, then continues the chain or fails it. */
  public void charge(RoutingContext ctx, String caller) {
    state.takeToken(StateKeys.apiRate(caller), perSecond, burst).onSuccess(waitMs -> {
      if (waitMs == 0) {
        ctx.next();
      } else {
        ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (waitMs + 999) / 1000)));
        ctx.fail(new ImException(ErrorCode.RATE_LIMITED, "too many requests",
            new JsonObject().put("retryAfterMs", waitMs)));
      }
    }).onFailure(ctx::fail);
  }
}
