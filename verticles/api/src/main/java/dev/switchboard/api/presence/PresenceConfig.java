package dev.switchboard.api.presence;

import io.vertx.core.json.JsonObject;

/**
 * Live presence on the API ({@code verticles.api.presence}).
 *
 * @param offlineGraceMs how long a user must stay without any session before their contacts hear they went offline:
 *                       a reconnect within it announces nothing (default 5,000; 0 announces at once)
 * @param maxPending     users waiting out their grace on one API instance; beyond it an offline is judged at once
 *                       instead of waiting (default 100,000)
 * @param audienceCache  users whose audience (contacts and {@code lastSeen} setting) one API instance keeps (default
 *                       10,000, least recently used out)
 * @param audienceTtlMs  how long a cached audience is used at most (default 60,000): changes made through this API are
 *                       announced at once ({@code im.api.presence.audience}); others (a user deleted by the server
 *                       API) are seen within this time
 */
public record PresenceConfig(long offlineGraceMs, int maxPending, int audienceCache, long audienceTtlMs) {
  public static PresenceConfig from(JsonObject j) {
    JsonObject p = j == null ? new JsonObject() : j;
    PresenceConfig c = new PresenceConfig(p.getLong("offlineGraceMs", 5_000L), p.getInteger("maxPending", 100_000),
        p.getInteger("audienceCache", 10_000), p.getLong("audienceTtlMs", 60_000L));
    if (c.offlineGraceMs < 0 || c.maxPending < 1 || c.audienceCache < 1 || c.audienceTtlMs < 1) {
      throw new IllegalArgumentException("api.presence: offlineGraceMs must be >= 0, maxPending, audienceCache and "
          + "audienceTtlMs positive");
    }
    return c;
  }
}
