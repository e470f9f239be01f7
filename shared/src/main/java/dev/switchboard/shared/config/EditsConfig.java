package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Edits and reactions, the same keys in the router's and the group verticle's sections: a sender may edit a message
 * for {@code editWindowMs} after sending it (default 24 h), at most {@code maxEdits} times (100: each edit keeps the
 * earlier body for moderation); a message carries at most {@code reactions.maxEmoji} different emoji (20) and one user
 * at most {@code reactions.maxPerUser} reactions on it (3).
 */
public record EditsConfig(long editWindowMs, int maxEdits, int maxEmoji, int maxReactionsPerUser) {
  public static EditsConfig from(JsonObject section) {
    JsonObject j = section == null ? new JsonObject() : section;
    JsonObject r = j.getJsonObject("reactions", new JsonObject());
    EditsConfig c = new EditsConfig(j.getLong("editWindowMs", 86_400_000L), j.getInteger("maxEdits", 100),
        r.getInteger("maxEmoji", 20), r.getInteger("maxPerUser", 3));
    if (c.editWindowMs < 0 || c.maxEdits < 1 || c.maxEmoji < 1 || c.maxReactionsPerUser < 1
        || c.maxReactionsPerUser > c.maxEmoji) {
      throw new IllegalArgumentException("editWindowMs ≥ 0, maxEdits ≥ 1, reactions.maxEmoji ≥ 1, "
          + "1 ≤ reactions.maxPerUser ≤ reactions.maxEmoji");
    }
    return c;
  }
}
