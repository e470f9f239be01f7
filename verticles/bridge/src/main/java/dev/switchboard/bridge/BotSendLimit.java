package dev.switchboard.bridge;

import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.store.StateKeys;

/**
 * The send budget of bots: a bot's {@code msg.send} through the bridge spends from the same per-user bucket as a
 * user's sends through a gateway ({@code StateKeys.sendRate}), held in this bridge instance's {@link RateLimiter} and
 * reported to shared state once per interval. Confined to the bridge instance's event loop.
 */
final class BotSendLimit {
  private final RateLimiter limiter;
  private final SendRateConfig rate;

  BotSendLimit(RateLimiter limiter, SendRateConfig rate) {
    this.limiter = limiter;
    this.rate = rate;
  }

  /** Takes one send from the bot's budget; throws {@code rate_limited} with {@code retryAfterMs} when spent. */
  void charge(long botUid) {
    limiter.require(StateKeys.sendRate(botUid), rate.perSecond(), rate.burst(), 1, "sending too fast");
  }
}
