package dev.switchboard.api;

import dev.switchboard.api.media.MediaConfig;
import dev.switchboard.shared.config.Secrets;
import dev.switchboard.shared.config.TlsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The HTTP API: its port, the request body limit, the gateway addresses handed to clients at login, and the push API.
 *
 * @param apiKeys          keys a business system presents in {@code X-Api-Key} to use the push API (none: push off)
 * @param pushMaxBodyBytes largest {@code body} of one push, counted like message bodies
 * @param requestTimeoutMs how long the API waits for another verticle's answer
 * @param rate             requests per second per user on authenticated routes ({@code rateLimit.perSecond}), with
 *                         {@code rateBurst}
 * @param addressRate      registrations and logins per second per client address ({@code addressRateLimit})
 * @param webRoot          directory of the web client served at {@code /} (null: the copy inside the jar)
 * @param tls              HTTPS on {@code port} ({@code tls}; null: plain HTTP, the default)
 * @param adminRate        server API ({@code /api/v1/admin/...}) requests per second per API key
 *                         ({@code adminRateLimit.perSecond}, default 200), with {@code adminRateBurst} (400)
 * @param searchRate       message searches ({@code GET /api/v1/search}) per second per user
 *                         ({@code searchRateLimit.perSecond}, default 2), with {@code searchRateBurst} (10), on top of
 *                         {@code rate}: a search costs far more than other reads
 * @param media            media uploads and downloads ({@code media})
 */
public record ApiConfig(String host, int port, int maxBodyBytes, String publicWs, String publicTcp, List<String> apiKeys,
                        int pushMaxBodyBytes, long requestTimeoutMs, double rate, int rateBurst, double addressRate,
                        int addressRateBurst, String webRoot, TlsConfig tls, boolean accessLog,
                        double adminRate, int adminRateBurst, double searchRate, int searchRateBurst,
                        MediaConfig media) {
  public static ApiConfig from(JsonObject j) {
    List<String> keys = j.getJsonArray("apiKeys", new JsonArray()).stream().map(String::valueOf).toList();
    if (keys.stream().anyMatch(k -> k.length() < 16)) {
      throw new IllegalArgumentException("api.apiKeys: every key must be at least 16 characters");
    }
    keys.forEach(k -> Secrets.requireNotShipped("an api.apiKeys entry", k));
    return new ApiConfig(j.getString("host", "0.0.0.0"), j.getInteger("port", 8080),
        j.getInteger("maxBodyBytes", 64 * 1024), j.getString("publicWs", "ws://127.0.0.1:8081/ws"),
        j.getString("publicTcp", "tcp://127.0.0.1:9000"), keys, j.getInteger("pushMaxBodyBytes", 16 * 1024),
        j.getLong("requestTimeoutMs", 10_000L),
        j.getJsonObject("rateLimit", new JsonObject()).getDouble("perSecond", 20.0),
        j.getJsonObject("rateLimit", new JsonObject()).getInteger("burst", 60),
        j.getJsonObject("addressRateLimit", new JsonObject()).getDouble("perSecond", 2.0),
        j.getJsonObject("addressRateLimit", new JsonObject()).getInteger("burst", 30),
        j.getString("webRoot"), TlsConfig.from(j), j.getBoolean("accessLog", false),
        j.getJsonObject("adminRateLimit", new JsonObject()).getDouble("perSecond", 200.0),
        j.getJsonObject("adminRateLimit", new JsonObject()).getInteger("burst", 400),
        j.getJsonObject("searchRateLimit", new JsonObject()).getDouble("perSecond", 2.0),
        j.getJsonObject("searchRateLimit", new JsonObject()).getInteger("burst", 10),
        MediaConfig.from(j.getJsonObject("media")));
  }
}
