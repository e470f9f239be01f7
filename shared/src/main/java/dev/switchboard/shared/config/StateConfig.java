package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Fast shared state: {@code kind} is {@code local} (in-process, single node only) or {@code redis}. Every key is
 * prefixed with {@code prefix}, so several deployments (or test runs) can share one Redis.
 */
public record StateConfig(String kind, String redisUrl, String prefix) {
  public static StateConfig from(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String kind = j.getString("kind", "local");
    if (!kind.equals("local") && !kind.equals("redis")) {
      throw new IllegalArgumentException("storage.state.kind must be 'local' or 'redis', not '" + kind + "'");
    }
    return new StateConfig(kind, j.getString("redisUrl", "redis://127.0.0.1:6379"), j.getString("prefix", "sb:"));
  }
}
