package dev.switchboard.shared.net;

import dev.switchboard.shared.config.ConnectionLimitsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guards one server instance's connections before they become sessions: the per-address connection cap (counted
 * across every instance of the process that shares {@code pool}) and, for HTTP, the header and body timeouts.
 *
 * <p>One periodic sweep per server instance checks the HTTP connections that are waiting for headers or a body; a
 * connection that became a WebSocket leaves the guard's table (its session has its own timers), so a long-lived
 * connection costs the guard nothing but its address count. Every method but the counting runs on the instance's
 * event loop. Meters: {@code switchboard.connections.refused{server, reason=per_address}} and
 * {@code switchboard.connections.timeouts{server, reason=header|body}}; {@code server} is a constant of the caller.
 */
public final class ConnectionGuard {
  /** Open connections per client address of one pool, shared by the server instances of a Vert.x instance. */
  private static final class Counts implements Shareable {
    final Map<String, Integer> open = new ConcurrentHashMap<>();
  }

  /** An HTTP connection the guard watches: waiting for headers since {@code since}, or for {@code request}'s end. */
  private static final class Watched {
    long since;
    HttpServerRequest request;
    /** The request times its own body (a streamed upload): the body timeout does not apply to it. */
    boolean streamed;

    Watched(long since) {
      this.since = since;
    }
  }

  private final Vertx vertx;
  private final ConnectionLimitsConfig config;
  private final Counts counts;
  private final Map<HttpConnection, Watched> watched = new HashMap<>();
  private final Counter refused;
  private final Counter headerTimeouts;
  private final Counter bodyTimeouts;
  private long timer = -1;

  /**
   * @param server the meters' {@code server} tag (a constant such as {@code api}, {@code ws}, {@code tcp})
   * @param pool   servers whose connections count together toward the per-address cap
   */
  public ConnectionGuard(Vertx vertx, String server, String pool, ConnectionLimitsConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.counts = (Counts) vertx.sharedData().<String, Object>getLocalMap("switchboard.connection-guard")
        .computeIfAbsent(pool, k -> new Counts());
    this.refused = Counter.builder("switchboard.connections.refused").tag("server", server)
        .tag("reason", "per_address").description("connections closed at once: their address had too many open")
        .register(Metrics.globalRegistry);
    this.headerTimeouts = timeouts(server, "header");
    this.bodyTimeouts = timeouts(server, "body");
  }

  private static Counter timeouts(String server, String reason) {
    return Counter.builder("switchboard.connections.timeouts").tag("server", server).tag("reason", reason)
        .description("HTTP connections closed for sending headers or a body too slowly")
        .register(Metrics.globalRegistry);
  }

  /** How long a connection may take to send a request's headers (and, on a port that takes no body, the request). */
  public long headerTimeoutMs() {
    return config.headerTimeoutMs();
  }

  /**
   * Counts a connection that a server closed itself for being too slow ({@code header}: its request's headers,
   * else its body), for servers that time their connections on their own (the gateway's WebSocket port).
   */
  public void timedOut(boolean header) {
    (header ? headerTimeouts : bodyTimeouts).increment();
  }

  /** Starts the sweep of HTTP connections; call on the server instance's event loop. */
  public void start() {
    long shortest = Math.min(config.headerTimeoutMs(), config.bodyTimeoutMs());
    timer = vertx.setPeriodic(Math.max(20, Math.min(1_000, shortest / 4)), id -> sweep());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /**
   * Counts a new connection from {@code remote} toward its address's cap; false (and counted as refused) when the
   * address already holds the most it may: the caller closes the connection. Each true must be matched by one
   * {@link #release(SocketAddress)} when the connection closes.
   */
  public boolean admit(SocketAddress remote) {
    String address = capped(remote);
    if (address == null) {
      return true;
    }
    boolean[] admitted = {true};
    counts.open.compute(address, (k, n) -> {
      int open = n == null ? 0 : n;
      if (open >= config.maxConnectionsPerAddress()) {
        admitted[0] = false;
        return n;
      }
      return open + 1;
    });
    if (!admitted[0]) {
      refused.increment();
    }
    return admitted[0];
  }

  /** The connection of an admitted {@code remote} closed. */
  public void release(SocketAddress remote) {
    String address = capped(remote);
    if (address != null) {
      counts.open.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** The address the cap applies to, or null when it does not (loopback unless limited, or no IP address). */
  private String capped(SocketAddress remote) {
    String host = remote == null ? null : remote.hostAddress();
    if (host == null) {
      return null;
    }
    boolean loopback = host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1") || host.equals("::1");
    return loopback && !config.limitLoopback() ? null : host;
  }

  /**
   * For {@code HttpServer.connectionHandler}: admits the connection and watches it until it closes or upgrades. The
   * server must have {@code http2ClearTextEnabled} off, or the connection is only created (and seen here) once the
   * client sent enough bytes to tell HTTP/1 from HTTP/2, and a silent client would never be seen.
   */
  public void onConnection(HttpConnection conn) {
    SocketAddress remote = conn.remoteAddress();
    if (!admit(remote)) {
      conn.close();
      return;
    }
    watched.put(conn, new Watched(System.currentTimeMillis()));
    conn.closeHandler(v -> {
      watched.remove(conn);
      release(remote);
    });
  }

  /** Call first thing for every request: its headers arrived; its body now has {@code bodyTimeoutMs}. */
  public void onRequest(HttpServerRequest request) {
    Watched w = watched.get(request.connection());
    if (w != null) {
      w.request = request;
      w.streamed = false;
      w.since = System.currentTimeMillis();
    }
  }

  /**
   * {@code request}'s body is a streamed upload that enforces its own minimum rate: the body timeout no longer applies
   * to it (the header timeout applies again to the connection's next request). Call on the request's event loop.
   */
  public void streamed(HttpServerRequest request) {
    // By connection: a router hands its handlers a wrapper of the request the guard saw.
    Watched w = watched.get(request.connection());
    if (w != null && w.request != null) {
      w.streamed = true;
    }
  }

  /**
   * The connection became a WebSocket: the session's own timers take over, and the caller releases the address's
   * place when the WebSocket closes (the HTTP connection's close handler is not called after an upgrade).
   */
  public void upgraded(HttpConnection conn) {
    watched.remove(conn);
    conn.closeHandler(null);
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    List<HttpConnection> late = new ArrayList<>();
    for (Map.Entry<HttpConnection, Watched> e : watched.entrySet()) {
      Watched w = e.getValue();
      HttpServerRequest r = w.request;
      if (r != null && r.isEnded() && r.response().ended()) {
        // Answered: the connection now waits for the next request's headers.
        w.request = null;
        w.streamed = false;
        w.since = now;
      } else if (r == null && now - w.since > config.headerTimeoutMs()) {
        headerTimeouts.increment();
        late.add(e.getKey());
      } else if (r != null && !r.isEnded() && !w.streamed && now - w.since > config.bodyTimeoutMs()) {
        bodyTimeouts.increment();
        late.add(e.getKey());
      }
    }
    for (HttpConnection conn : late) {
      watched.remove(conn);
      conn.close();
    }
  }
}
