package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * The group verticle. Sends share the one-to-one per-user rate limit ({@code verticles.router.sendRate}/{@code
 * sendBurst} defaults: 50/s, burst 100).
 *
 * @param maxMembers     the largest a group may grow
 * @param recallWindowMs how long the sender may recall a message (owners and admins may at any time)
 */
public record GroupConfig(int maxBodyBytes, double sendRate, int sendBurst, long recallWindowMs, int maxMembers,
                          int maxBatch, long flushDelayMs, int maxPending, int syncPageMax) {
  public static GroupConfig from(JsonObject j) {
    return new GroupConfig(j.getInteger("maxBodyBytes", 16 * 1024), j.getDouble("sendRate", 50.0),
        j.getInteger("sendBurst", 100), j.getLong("recallWindowMs", 120_000L), j.getInteger("maxMembers", 100_000),
        j.getInteger("maxBatch", 256), j.getLong("flushDelayMs", 2L), j.getInteger("maxPending", 10_000),
        j.getInteger("syncPageMax", 500));
  }
}
