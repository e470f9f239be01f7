package dev.switchboard.shared.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The HTTP API: its port, the request body limit, the gateway addresses handed to clients at login, and the push API.
 *
 * @param apiKeys          keys a business system presents in {@code X-Api-Key} to use the push API (none: push off)
 * @param pushMaxBodyBytes largest {@code body} of one push, counted like message bodies
 * @param requestTimeoutMs how long the API waits for another verticle's answer
 */
public record ApiConfig(String host, int port, int maxBodyBytes, String publicWs, String publicTcp, List<String> apiKeys,
                        int pushMaxBodyBytes, long requestTimeoutMs) {
  public static ApiConfig from(JsonObject j) {
    List<String> keys = j.getJsonArray("apiKeys", new JsonArray()).stream().map(String::valueOf).toList();
    if (keys.stream().anyMatch(k -> k.length() < 16)) {
      throw new IllegalArgumentException("api.apiKeys: every key must be at least 16 characters");
    }
    return new ApiConfig(j.getString("host", "0.0.0.0"), j.getInteger("port", 8080),
        j.getInteger("maxBodyBytes", 64 * 1024), j.getString("publicWs", "ws://127.0.0.1:8081/ws"),
        j.getString("publicTcp", "tcp://127.0.0.1:9000"), keys, j.getInteger("pushMaxBodyBytes", 16 * 1024),
        j.getLong("requestTimeoutMs", 10_000L));
  }
}
