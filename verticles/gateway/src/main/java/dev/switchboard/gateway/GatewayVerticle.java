package dev.switchboard.gateway;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.OpLimitsConfig;
import dev.switchboard.gateway.connection.Connections;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.OpLimits;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.launch.Services.Need;
import dev.switchboard.launch.Services;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.UserBus;
import dev.switchboard.protocol.contract.GatewayStatsReport;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.ConnectionLimitsConfig;
import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.hooks.BeforeSendHook;
import dev.switchboard.shared.hooks.HookEmitter;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.net.ConnectionGuard;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.UUID;

/**
 * The gateway: clients' long connections over WebSocket ({@code wsPort}, path {@code wsPath}) and raw TCP
 * ({@code tcpPort}), plus {@code GET /health} on the WebSocket port; with {@code tls}, both ports speak TLS only
 * ({@code wss://}, TCP+TLS). Deploy several instances to spread connections
 * over event loops; each instance owns its own shard of connections, group and room subscriptions, and publishes its
 * counts on {@code im.gateway.stats} every {@code statsIntervalMs}.
 */
public final class GatewayVerticle extends VerticleBase {
  /**
   * How the launcher deploys it. The gateway needs no database: the state store (sessions, rooms, send budgets), the
   * token service and its node's id (presence and stats name the node).
   */
  public static final VerticleKind KIND =
      VerticleKind.tableless(GatewayVerticle::new, Need.STATE, Need.TOKENS, Need.IDS);

  /** WebSocket subprotocols a client may ask for instead of {@code ?codec=}. */
  public static final String SUBPROTOCOL_JSON = Connections.SUBPROTOCOL_JSON;
  public static final String SUBPROTOCOL_PROTOBUF = Connections.SUBPROTOCOL_PROTOBUF;

  private final String instance = UUID.randomUUID().toString();
  private final Services services;
  private GatewayConfig config;
  private Connections connections;
  private StateStore state;
  /** Send, room-send and op limits of this instance's sessions, reported to shared state once per interval. */
  private RateLimiter limiter;
  private long statsTimer = -1;
  /** Per-address cap and handshake timeout of the WebSocket port; the TCP port shares its address counts. */
  private ConnectionGuard wsGuard;
  private ConnectionGuard tcpGuard;
  private NetServer ws;
  private NetServer tcp;
  private BeforeSendHook hook;

  /** A gateway on the launcher's {@code services} (it declares the state store, the token service and the node id). */
  public GatewayVerticle(Services services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    config = GatewayConfig.from(config(), services.nodeId());
    state = services.state();
    Tokens tokens = services.tokens();
    SendRateConfig sendRate = SendRateConfig.from(config());
    limiter = new RateLimiter(state, sendRate.intervalMs());
    limiter.start(vertx);
    OpLimitsConfig opLimits = OpLimitsConfig.from(config().getJsonObject("opLimits"));
    Asks asks = new Asks(vertx.eventBus(), config.requestTimeoutMs());
    HooksConfig hooks = HooksConfig.from(config().getJsonObject("hooks"));
    HooksConfig.BeforeSend before = hooks.beforeSend("room");
    hook = before == null ? null : new BeforeSendHook(vertx, before, config.rooms().maxBodyBytes());
    Rooms rooms = new Rooms(vertx, config.rooms(), state, limiter, hook);
    connections = new Connections(vertx, config, tokens, ClientOps.registry(tokens, asks,
        new OpLimits(limiter, opLimits, sendRate), rooms, vertx.eventBus(), UserBus.of(vertx)), opLimits.maxInFlight(), asks, rooms, state, instance);
    if (hooks.wants("user.online") || hooks.wants("user.offline")) {
      connections.hooks(new HookEmitter(vertx, hooks));
    }

    ConnectionLimitsConfig limits = ConnectionLimitsConfig.from(config().getJsonObject("connectionLimits"), 1_000);
    wsGuard = new ConnectionGuard(vertx, "ws", "gateway", limits);
    tcpGuard = new ConnectionGuard(vertx, "tcp", "gateway", limits);
    // Both ports are Vert.x NetServers (port sharing between instances, TLS, close on undeploy); each accepted socket
    // is then taken over by the gateway's own Netty handlers (docs/websocket-transport.md).
    NetServerOptions wsOptions = new NetServerOptions().setHost(config.host()).setPort(config.wsPort())
        .setTcpNoDelay(true);
    NetServerOptions tcpOptions = new NetServerOptions().setHost(config.host()).setPort(config.tcpPort())
        .setTcpNoDelay(true);
    if (config.tls() != null) {
      config.tls().server(wsOptions);
      config.tls().server(tcpOptions);
    }
    ws = vertx.createNetServer(wsOptions).connectHandler(socket -> connections.acceptWebSocket(socket, wsGuard));
    tcp = vertx.createNetServer(tcpOptions).connectHandler(socket -> connections.acceptTcp(socket, tcpGuard));
    return Future.join(connections.start(), ws.listen(), tcp.listen(),
        connections.renewPresence(config.statsIntervalMs() * 3)).onSuccess(v -> {
      publishStats(false);
      statsTimer = vertx.setPeriodic(config.statsIntervalMs(), t -> publishStats(false));
    });
  }

  /** The WebSocket port this instance listens on (the one chosen when {@code wsPort} is 0); after start. */
  public int wsPort() {
    return ws.actualPort();
  }

  /** The TCP port this instance listens on (the one chosen when {@code tcpPort} is 0); after start. */
  public int tcpPort() {
    return tcp.actualPort();
  }

  /** Publishes this instance's counts; {@code gone} tells the API to forget the instance at once. */
  private void publishStats(boolean gone) {
    if (!gone) {
      connections.renewPresence(config.statsIntervalMs() * 3);
    }
    vertx.eventBus().publish(Addresses.GATEWAY_STATS, gone ? GatewayStatsReport.gone(config.node(), instance)
        : connections.stats(config.node(), instance, config.publicWs(), config.publicTcp(),
            config.statsIntervalMs() * 3L));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(statsTimer);
    connections.stop(CloseReason.SHUTDOWN);
    publishStats(true);
    return connections.endPresence().otherwiseEmpty().eventually(() -> limiter.stop())
        .eventually(() -> hook == null ? Future.succeededFuture() : hook.close());
  }
}
