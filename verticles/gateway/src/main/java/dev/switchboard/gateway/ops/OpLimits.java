package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.config.OpLimitsConfig;
import dev.switchboard.gateway.session.Session;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The per-user op budgets of a gateway instance ({@code gateway.opLimits} and the send budget): token buckets in this
 * instance's {@link RateLimiter}, taken without any I/O before a request leaves the gateway (the limiter settles them
 * with shared state once per interval). Over budget an op fails {@code rate_limited} with {@code retryAfterMs}, counted
 * in {@code switchboard.ops.rate.limited{op}}. Called on the connection's event loop.
 */
public final class OpLimits {
  private static final Map<String, Counter> LIMITED = Map.of("sync", limitedCounter("sync"),
      "read", limitedCounter("read"), "recv", limitedCounter("recv"), "recall", limitedCounter("recall"),
      "send", limitedCounter("send"), "edit", limitedCounter("edit"), "react", limitedCounter("react"),
      "typing", limitedCounter("typing"));

  private static Counter limitedCounter(String kind) {
    return Counter.builder("switchboard.ops.rate.limited").tag("op", kind)
        .description("ops refused with rate_limited").register(Metrics.globalRegistry);
  }

  private final RateLimiter limiter;
  private final OpLimitsConfig config;
  private final SendRateConfig sendRate;

  /** {@code limiter}: this gateway instance's, for the op limits and the per-user send budget {@code sendRate}. */
  public OpLimits(RateLimiter limiter, OpLimitsConfig config, SendRateConfig sendRate) {
    this.limiter = limiter;
    this.config = config;
    this.sendRate = sendRate;
  }

  public OpLimitsConfig config() {
    return config;
  }

  /**
   * Takes {@code count} tokens of the user's {@code kind} bucket (a constant: sync, read, recv, recall); fails
   * {@code rate_limited} with {@code retryAfterMs} when the bucket has too few.
   */
  Future<Void> charge(Session session, String kind, OpLimitsConfig.Rate rate, int count) {
    long waitMs = limiter.take(StateKeys.opRate(kind, session.uid()), rate.perSecond(), rate.burst(), count);
    if (waitMs == 0) {
      return Future.succeededFuture();
    }
    LIMITED.get(kind).increment();
    return Future.failedFuture(new ImException(ErrorCode.RATE_LIMITED, "too many " + kind + " requests",
        new JsonObject().put("retryAfterMs", waitMs)));
  }

  /**
   * One send from the user's budget (one-to-one and group sends share it); throws {@code rate_limited} with
   * {@code retryAfterMs} when it is spent.
   */
  void chargeSend(Session session) {
    long waitMs = limiter.take(StateKeys.sendRate(session.uid()), sendRate.perSecond(), sendRate.burst(), 1);
    if (waitMs > 0) {
      LIMITED.get("send").increment();
      throw new ImException(ErrorCode.RATE_LIMITED, "sending too fast", new JsonObject().put("retryAfterMs", waitMs));
    }
  }
}
