package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * The HTTP API: its port, the request body limit, and the gateway addresses handed to clients at login.
 */
public record ApiConfig(String host, int port, int maxBodyBytes, String publicWs, String publicTcp) {
  public static ApiConfig from(JsonObject j) {
    return new ApiConfig(j.getString("host", "0.0.0.0"), j.getInteger("port", 8080),
        j.getInteger("maxBodyBytes", 64 * 1024), j.getString("publicWs", "ws://127.0.0.1:8081/ws"),
        j.getString("publicTcp", "tcp://127.0.0.1:9000"));
  }
}
