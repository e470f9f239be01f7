package dev.switchboard.api.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
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
  private final String internalSecret;

  /** {@code internalSecret} identifies calls forwarded from long connections, which carry their client's address. */
  public RateLimit(StateStore state, double perSecond, int burst, String internalSecret) {
    this.state = state;
    this.perSecond = perSecond;
    this.burst = burst;
    this.internalSecret = internalSecret;
  }

  /**
   * A handler charging the caller's address (for routes without a user): the client's own address, also when the call
   * came over a long connection ({@link Authn#clientAddress}), so connected clients do not share one budget.
   */
  public void byAddress(RoutingContext ctx) {
    charge(ctx, "a" + Authn.clientAddress(ctx, internalSecret));
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
