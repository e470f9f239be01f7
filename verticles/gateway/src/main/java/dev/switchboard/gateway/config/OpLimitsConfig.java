package dev.switchboard.gateway.config;

import io.vertx.core.json.JsonObject;

/**
 * Per-session work limits on the gateway ({@code gateway.opLimits}).
 *
 * @param maxInFlight ops of one session being served at once (every op but {@code auth} and {@code ping}, room ops and
 *                    {@code api} included); at the bound the connection stops reading until half of them finished
 * @param sync        {@code sync} queries per second per user: an inbox or one-group sync costs 1, a
 *                    {@code sync {groups}} costs one per group (so {@code burst} must allow the largest, 100)
 * @param read        {@code msg.read} per second per user
 * @param recv        {@code msg.recv} per second per user
 * @param recall      {@code msg.recall} per second per user
 * @param edit        {@code msg.edit} per second per user
 * @param react       {@code msg.react} per second per user
 * @param typing      {@code typing} frames per second per user (a client sends one every few seconds while typing)
 * @param typingExpiryMs what typing frames tell recipients: show the indicator this long unless another comes
 */
public record OpLimitsConfig(int maxInFlight, Rate sync, Rate read, Rate recv, Rate recall, Rate edit, Rate react,
                             Rate typing, long typingExpiryMs) {
  /** Most groups one {@code sync {groups}} may name. */
  public static final int MAX_SYNC_GROUPS = 100;

  /** A token bucket per user: {@code perSecond} refill, up to {@code burst} (held by the gateway, settled in shared state). */
  public record Rate(double perSecond, int burst) {
    static Rate from(JsonObject j, String name, double perSecond, int burst) {
      JsonObject r = j.getJsonObject(name, new JsonObject());
      Rate rate = new Rate(r.getDouble("perSecond", perSecond), r.getInteger("burst", burst));
      if (rate.perSecond <= 0 || rate.burst < 1) {
        throw new IllegalArgumentException("gateway.opLimits." + name + ": perSecond and burst must be positive");
      }
      return rate;
    }
  }

  public static OpLimitsConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    OpLimitsConfig c = new OpLimitsConfig(j.getInteger("maxInFlight", 64), Rate.from(j, "sync", 20, 200),
        Rate.from(j, "read", 20, 100), Rate.from(j, "recv", 20, 100), Rate.from(j, "recall", 5, 20),
        Rate.from(j, "edit", 5, 20), Rate.from(j, "react", 10, 30), Rate.from(j, "typing", 2, 10),
        j.getLong("typingExpiryMs", 6_000L));
    if (c.typingExpiryMs < 1_000 || c.typingExpiryMs > 60_000) {
      throw new IllegalArgumentException("gateway.opLimits.typingExpiryMs must be 1000..60000");
    }
    if (c.maxInFlight < 2) {
      throw new IllegalArgumentException("gateway.opLimits.maxInFlight must be at least 2");
    }
    if (c.sync.burst() < MAX_SYNC_GROUPS) {
      throw new IllegalArgumentException("gateway.opLimits.sync.burst must be at least " + MAX_SYNC_GROUPS
          + " (a sync of that many groups costs that many tokens)");
    }
    return c;
  }
}
