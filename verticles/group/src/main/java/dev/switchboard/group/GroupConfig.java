package dev.switchboard.group;

import dev.switchboard.shared.config.RetentionConfig;
import io.vertx.core.json.JsonObject;

/**
 * The group verticle. Sends share the one-to-one per-user rate limit, enforced by the gateway before the request
 * ({@code verticles.gateway.sendRate}/{@code sendBurst}, else the router's: 50/s, burst 100); this section's
 * {@code sendRate}/{@code sendBurst} are no longer read.
 *
 * @param maxMembers     the largest a group may grow
 * @param recallWindowMs how long the sender may recall a message (owners and admins may at any time)
 * @param contactsOnly   contacts-only mode for group adds: only a contact may add a user directly, anyone else's add
 *                       becomes an invitation (default: the router's {@code contactsOnly}, which the launcher hands on)
 * @param maxInvitations pending group invitations kept per user (default 100); a newer one pushes out the oldest
 * @param askTimeoutMs   longest a group command waits for the API's answer about the users it names
 *                       ({@code im.api.peers}); past it, or with no API deployed, the command fails {@code unavailable}
 * @param retention      how long group messages are kept ({@code retention}; default: forever; a group's own limit,
 *                       set through the server API, wins)
 */
public record GroupConfig(int maxBodyBytes, double sendRate, int sendBurst, long recallWindowMs, int maxMembers,
                          int maxBatch, long flushDelayMs, int maxPending, int syncPageMax, boolean contactsOnly,
                          int maxInvitations, long askTimeoutMs, RetentionConfig retention) {
  public static GroupConfig from(JsonObject j) {
    return new GroupConfig(j.getInteger("maxBodyBytes", 16 * 1024), j.getDouble("sendRate", 50.0),
        j.getInteger("sendBurst", 100), j.getLong("recallWindowMs", 120_000L), j.getInteger("maxMembers", 100_000),
        j.getInteger("maxBatch", 256), j.getLong("flushDelayMs", 2L), j.getInteger("maxPending", 10_000),
        j.getInteger("syncPageMax", 500), j.getBoolean("contactsOnly", false), j.getInteger("maxInvitations", 100),
        j.getLong("askTimeoutMs", 5_000L), RetentionConfig.from(j.getJsonObject("retention")));
  }
}
