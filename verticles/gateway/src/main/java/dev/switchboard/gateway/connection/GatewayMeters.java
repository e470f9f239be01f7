package dev.switchboard.gateway.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's meters, for every instance of the process: {@code switchboard.sessions} (online sessions by
 * {@code transport}; never by a value a client chose, such as its device name, which would let clients create series
 * without bound), {@code switchboard.frames.in} / {@code .out} (by {@code transport}) and
 * {@code switchboard.slow.consumer.drops}, {@code switchboard.auth} and {@code switchboard.auth.register}, and
 * {@code switchboard.connections.open} (sockets by {@code transport}; the gateway's sockets leave Vert.x's own
 * net-server meters when they are taken over). Counting frames costs one uncontended add.
 */
final class GatewayMeters {
  private static final Map<String, AtomicInteger> SESSIONS = new ConcurrentHashMap<>();
  private static final AtomicInteger OPEN_WS = open("ws");
  private static final AtomicInteger OPEN_TCP = open("tcp");
  private static final LongAdder IN_WS = frames("in", "ws");
  private static final LongAdder IN_TCP = frames("in", "tcp");
  private static final LongAdder OUT_WS = frames("out", "ws");
  private static final LongAdder OUT_TCP = frames("out", "tcp");
  private static final Counter PAUSED_WS = Counter.builder("switchboard.inflight.paused").tag("transport", "ws")
      .description("times a connection stopped reading because its session had maxInFlight ops being served")
      .register(Metrics.globalRegistry);
  private static final Counter PAUSED_TCP = Counter.builder("switchboard.inflight.paused").tag("transport", "tcp")
      .description("times a connection stopped reading because its session had maxInFlight ops being served")
      .register(Metrics.globalRegistry);
  static final Counter SLOW_CONSUMERS = Counter.builder("switchboard.slow.consumer.drops")
      .description("sessions closed because they did not read").register(Metrics.globalRegistry);

  /** From the token check to {@code auth.ok}: verify, register on the user's address, kick older sessions. */
  static final Timer AUTH = Timer.builder("switchboard.auth").description("auth frame to auth.ok")
      .register(Metrics.globalRegistry);
  /** Registering the session's consumer on {@code im.user.<uid>} (cluster-wide in a cluster). */
  static final Timer REGISTER = Timer.builder("switchboard.auth.register")
      .description("registration of the user-address consumer").register(Metrics.globalRegistry);

  private GatewayMeters() {
  }

  /**
   * A count of frames read at scrape time: counting on the message path is one uncontended add, where a counter of
   * the global (composite) registry walks its child registries on every increment (measured: about 1% of the
   * gateway's CPU at 10,000 round trips/s, docs/benchmarks.md).
   */
  private static LongAdder frames(String direction, String transport) {
    LongAdder n = new LongAdder();
    FunctionCounter.builder("switchboard.frames." + direction, n, LongAdder::sum).tag("transport", transport)
        .register(Metrics.globalRegistry);
    return n;
  }

  private static AtomicInteger open(String transport) {
    AtomicInteger n = new AtomicInteger();
    Gauge.builder("switchboard.connections.open", n, AtomicInteger::get)
        .tag("transport", transport).description("open gateway sockets (authenticated or not)")
        .register(Metrics.globalRegistry);
    return n;
  }

  /** A gateway socket was accepted (+1) or closed (-1). */
  static void connection(String transport, int delta) {
    (transport.equals("ws") ? OPEN_WS : OPEN_TCP).addAndGet(delta);
  }

  static void session(String transport, int delta) {
    SESSIONS.computeIfAbsent(transport, k -> Metrics.globalRegistry.gauge("switchboard.sessions",
        Tags.of("transport", transport), new AtomicInteger())).addAndGet(delta);
  }

  static void paused(String transport) {
    (transport.equals("ws") ? PAUSED_WS : PAUSED_TCP).increment();
  }

  static void frameIn(String transport) {
    (transport.equals("ws") ? IN_WS : IN_TCP).increment();
  }

  static void framesOut(String transport, int count) {
    (transport.equals("ws") ? OUT_WS : OUT_TCP).add(count);
  }
}
