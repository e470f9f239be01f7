package dev.switchboard.gateway.config;

import io.vertx.core.json.JsonObject;

/**
 * Live rooms on a gateway ({@code gateway.rooms}).
 *
 * @param maxPerSession  rooms one session may be in at once
 * @param batchMs        batching window: room messages arriving within it go out as one {@code room.msgs} frame;
 *                       0 sends every message alone
 * @param batchMax       a window closes early once it holds this many messages
 * @param membersMaySend whether members may {@code room.send} in a room that has no flag of its own
 * @param sendRate       {@code room.send} per second per user (the gateway's rate limiter), with {@code sendBurst}
 * @param maxBodyBytes   largest {@code body} of a room message, counted like message bodies
 * @param counts         whether members get {@code room.count} frames in a room that has no counts flag of its own
 * @param countIntervalMs at most one {@code room.count} per room per interval to a gateway instance's members, and
 *                       one count report per room per interval from each instance (the latest count)
 */
public record RoomConfig(int maxPerSession, long batchMs, int batchMax, boolean membersMaySend, double sendRate,
                         int sendBurst, int maxBodyBytes, boolean counts, long countIntervalMs) {
  public static RoomConfig from(JsonObject j) {
    JsonObject r = j == null ? new JsonObject() : j;
    RoomConfig c = new RoomConfig(r.getInteger("maxPerSession", 16), r.getLong("batchMs", 50L),
        r.getInteger("batchMax", 20), r.getBoolean("membersMaySend", false), r.getDouble("sendRate", 5.0),
        r.getInteger("sendBurst", 10), r.getInteger("maxBodyBytes", 4096), r.getBoolean("counts", false),
        r.getLong("countIntervalMs", 1_000L));
    if (c.maxPerSession < 1 || c.batchMs < 0 || c.batchMax < 1 || c.sendRate <= 0 || c.sendBurst < 1
        || c.maxBodyBytes < 1 || c.countIntervalMs < 1) {
      throw new IllegalArgumentException("gateway.rooms: maxPerSession, batchMax, sendRate, sendBurst, "
          + "maxBodyBytes and countIntervalMs must be positive and batchMs >= 0");
    }
    return c;
  }
}
