package dev.switchboard.gateway.connection;

import dev.switchboard.gateway.groups.GroupFanout;
import dev.switchboard.gateway.ops.Ops;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.GatewayConfig;
import dev.switchboard.shared.frame.CloseReason;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections of one gateway verticle instance, all on that instance's event loop (so no locks): a shard of the
 * node's sessions. One periodic sweep closes connections that did not authenticate in time or went silent, so no
 * connection carries a timer of its own.
 */
public final class Connections {
  private final Vertx vertx;
  private final GatewayConfig config;
  private final Tokens tokens;
  private final Ops ops;
  private final GroupFanout fanout;
  private final Set<Connection> open = new HashSet<>();
  private final AtomicLong slowConsumerDrops = new AtomicLong();
  private long sweepTimer = -1;

  public Connections(Vertx vertx, GatewayConfig config, Tokens tokens, Ops ops) {
    this.vertx = vertx;
    this.config = config;
    this.tokens = tokens;
    this.ops = ops;
    this.fanout = new GroupFanout(vertx.eventBus());
  }

  /** Starts the sweep; call from the owning event loop. */
  public void start() {
    long shortest = Math.min(config.authTimeoutMs(), config.idleTimeoutMs());
    long tick = Math.max(20, Math.min(1_000, shortest / 4));
    sweepTimer = vertx.setPeriodic(tick, id -> sweep());
  }

  /** Closes every connection with {@code reason} and stops the sweep. */
  public void stop(CloseReason reason) {
    vertx.cancelTimer(sweepTimer);
    for (Connection c : new ArrayList<>(open)) {
      c.close(reason);
    }
  }

  public Connection accept(ServerWebSocket ws) {
    return WebSocketTransport.attach(ws, this);
  }

  public Connection accept(NetSocket socket) {
    return TcpTransport.attach(socket, this);
  }

  Connection open(Transport transport) {
    Connection c = new Connection(this, transport);
    open.add(c);
    return c;
  }

  void closed(Connection c) {
    open.remove(c);
  }

  void countSlowConsumer() {
    slowConsumerDrops.incrementAndGet();
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    List<Connection> expired = new ArrayList<>();
    for (Connection c : open) {
      if (c.expired(now)) {
        expired.add(c);
      }
    }
    for (Connection c : expired) {
      c.close(c.online() ? CloseReason.IDLE_TIMEOUT : CloseReason.AUTH_TIMEOUT);
    }
  }

  public int size() {
    return open.size();
  }

  public long slowConsumerDrops() {
    return slowConsumerDrops.get();
  }

  Vertx vertx() {
    return vertx;
  }

  GatewayConfig config() {
    return config;
  }

  Tokens tokens() {
    return tokens;
  }

  Ops ops() {
    return ops;
  }

  GroupFanout fanout() {
    return fanout;
  }
}
