package dev.switchboard.shared.config;

import io.vertx.core.json.JsonObject;

/**
 * Limits on a server's connections before they become sessions ({@code gateway.connectionLimits},
 * {@code api.connectionLimits}): against clients that open connections and send nothing, headers a byte at a time
 * (slowloris) or a body that never ends, and against one address holding many connections.
 *
 * @param headerTimeoutMs          a connection waiting for a request's headers — just opened, or idle between
 *                                 keep-alive requests — is closed after this long
 * @param bodyTimeoutMs            a request whose body has not fully arrived this long after its headers is closed
 * @param maxConnectionsPerAddress open connections one client address may hold (the gateway counts WebSocket and TCP
 *                                 together); the next one is closed at once
 * @param limitLoopback            whether the per-address cap applies to loopback addresses too (off: a local reverse
 *                                 proxy, load tool or test shares one address for everyone)
 * @param idleTimeoutMs            (API only) a connection with no bytes in or out for this long is closed; the
 *                                 gateway's long connections have their own heartbeat instead
 */
public record ConnectionLimitsConfig(long headerTimeoutMs, long bodyTimeoutMs, int maxConnectionsPerAddress,
                                     boolean limitLoopback, long idleTimeoutMs) {
  /** The limits under {@code j} (may be null), with {@code perAddress} as the default cap. */
  public static ConnectionLimitsConfig from(JsonObject j, int perAddress) {
    JsonObject c = j == null ? new JsonObject() : j;
    ConnectionLimitsConfig limits = new ConnectionLimitsConfig(c.getLong("headerTimeoutMs", 10_000L),
        c.getLong("bodyTimeoutMs", 30_000L), c.getInteger("maxConnectionsPerAddress", perAddress),
        c.getBoolean("limitLoopback", false), c.getLong("idleTimeoutMs", 60_000L));
    if (limits.headerTimeoutMs < 1 || limits.bodyTimeoutMs < 1 || limits.maxConnectionsPerAddress < 1
        || limits.idleTimeoutMs < 1) {
      throw new IllegalArgumentException("connectionLimits: timeouts and maxConnectionsPerAddress must be positive");
    }
    return limits;
  }
}
