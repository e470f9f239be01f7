package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * The per-user send budget a gateway (or the bridge, for bots) enforces on one-to-one and group sends, and how often
 * its rate limiter reports to shared state. Read from the verticle's own section: {@code sendRate}, {@code sendBurst}
 * (the launcher copies {@code verticles.router.sendRate}/{@code sendBurst} there when the section has none, so the
 * router's keys keep working on a node that runs both) and {@code rateLimitIntervalMs}.
 *
 * @param perSecond  sends per second a user may make, across every node
 * @param burst      sends a user may make at once before the rate applies
 * @param intervalMs how often the local limiter reports to shared state (and so how stale its view of other nodes is)
 */
public record SendRateConfig(double perSecond, int burst, long intervalMs) {
  public static SendRateConfig from(JsonObject j) {
    JsonObject s = j == null ? new JsonObject() : j;
    SendRateConfig c = new SendRateConfig(s.getDouble("sendRate", 50.0), s.getInteger("sendBurst", 100),
        s.getLong("rateLimitIntervalMs", 1_000L));
    if (c.perSecond <= 0 || c.burst < 1 || c.intervalMs < 1) {
      throw new IllegalArgumentException("sendRate, sendBurst and rateLimitIntervalMs must be positive");
    }
    return c;
  }
}
