package dev.switchboard.gateway.config;

import dev.switchboard.shared.config.TlsConfig;
import io.vertx.core.json.JsonObject;

/**
 * The gateway: listening ports, the auth and heartbeat timers, and the per-connection limits.
 *
 * @param heartbeatMs     a client sends {@code ping} after this long without sending anything
 * @param heartbeatMisses the server closes a connection silent for {@code heartbeatMs × heartbeatMisses}
 * @param maxFrameBytes   largest accepted inbound frame
 * @param writeQueueBytes outbound bytes a connection may have pending before it is dropped as a slow consumer
 * @param writeWindowMs   how long fan-out frames (group messages, broadcasts) for a connection written less than this
 *                        ago wait to be written together (write coalescing); frames for one session (its user's
 *                        messages, acks, replies) leave at the end of the event-loop turn; 0: fan-out frames too
 * @param statsIntervalMs how often each gateway instance publishes its counts on {@code im.gateway.stats}
 * @param node            the node id this gateway runs in (the launcher's {@code Services.nodeId()}), in its stats
 * @param publicWs        the WebSocket URL clients should use for this gateway (the API hands it out at login)
 * @param publicTcp       the same for TCP ({@code tcp://host:port}; {@code tls://host:port} with TLS)
 * @param maxSessionsPerUser online sessions one user may have across the cluster; a login beyond it closes the user's
 *                        oldest sessions ({@code kicked {reason: "session_limit"}})
 * @param tls             TLS on both the WebSocket and the TCP port ({@code tls}; null: plain, the default)
 * @param compression     permessage-deflate on WebSockets ({@code compression}; off by default)
 */
public record GatewayConfig(String host, int wsPort, String wsPath, int tcpPort, long authTimeoutMs, long heartbeatMs,
                            int heartbeatMisses, int maxFrameBytes, int writeQueueBytes, long writeWindowMs,
                            long requestTimeoutMs,
                            long statsIntervalMs, int node, RoomConfig rooms, String publicWs, String publicTcp,
                            int maxSessionsPerUser, TlsConfig tls, WebSocketCompression compression) {
  public static GatewayConfig from(JsonObject j, int node) {
    TlsConfig tls = TlsConfig.from(j);
    return new GatewayConfig(j.getString("host", "0.0.0.0"), j.getInteger("wsPort", 8081), j.getString("wsPath", "/ws"),
        j.getInteger("tcpPort", 9000), j.getLong("authTimeoutMs", 10_000L), j.getLong("heartbeatMs", 30_000L),
        j.getInteger("heartbeatMisses", 3), j.getInteger("maxFrameBytes", 64 * 1024),
        j.getInteger("writeQueueBytes", 1024 * 1024), writeWindowMs(j), j.getLong("requestTimeoutMs", 10_000L),
        j.getLong("statsIntervalMs", 1_000L), node, RoomConfig.from(j.getJsonObject("rooms")),
        j.getString("publicWs", (tls == null ? "ws://" : "wss://") + reachable(j.getString("host", "0.0.0.0")) + ":" + j.getInteger("wsPort", 8081)
            + j.getString("wsPath", "/ws")),
        j.getString("publicTcp", (tls == null ? "tcp://" : "tls://") + reachable(j.getString("host", "0.0.0.0")) + ":"
            + j.getInteger("tcpPort", 9000)), maxSessionsPerUser(j), tls,
        WebSocketCompression.from(j.getJsonObject("compression")));
  }

  /** The default write window: see docs/benchmarks.md, "Group fan-out", for the measurements behind it. */
  public static final long DEFAULT_WRITE_WINDOW_MS = 50;

  private static long writeWindowMs(JsonObject j) {
    long ms = j.getLong("writeWindowMs", DEFAULT_WRITE_WINDOW_MS);
    if (ms < 0 || ms > 1_000) {
      throw new IllegalArgumentException("gateway.writeWindowMs must be between 0 and 1000");
    }
    return ms;
  }

  private static int maxSessionsPerUser(JsonObject j) {
    int max = j.getInteger("maxSessionsPerUser", 10);
    if (max < 1) {
      throw new IllegalArgumentException("gateway.maxSessionsPerUser must be 1 or more");
    }
    return max;
  }

  private static String reachable(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }

  public long idleTimeoutMs() {
    return heartbeatMs * heartbeatMisses;
  }
}
