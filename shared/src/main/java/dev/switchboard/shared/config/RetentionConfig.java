package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * How long messages are kept ({@code retention} in the router's and the group verticle's sections): messages older than
 * {@code days} are deleted by a background job that runs every {@code intervalSeconds} on one instance of the
 * cluster, deletes {@code batch} messages per transaction and at most {@code maxPerRun} per run (the rest wait for
 * the next run), so it never holds the database for long. {@code days} 0 keeps messages forever (the default); a group
 * may have its own limit (server API), which wins over the global one.
 */
public record RetentionConfig(int days, long intervalSeconds, int batch, int maxPerRun) {
  public static RetentionConfig from(JsonObject j) {
    JsonObject r = j == null ? new JsonObject() : j;
    RetentionConfig c = new RetentionConfig(r.getInteger("days", 0), r.getLong("intervalSeconds", 3600L),
        r.getInteger("batch", 1000), r.getInteger("maxPerRun", 100_000));
    if (c.days < 0 || c.days > 10_000 || c.intervalSeconds < 1 || c.batch < 1 || c.batch > 10_000 || c.maxPerRun < c.batch) {
      throw new IllegalArgumentException("retention: days 0..10000, intervalSeconds ≥ 1, batch 1..10000, maxPerRun ≥ batch");
    }
    return c;
  }
}
