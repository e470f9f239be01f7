package dev.switchboard.gateway;

import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.OpLimitsConfig;
import dev.switchboard.gateway.connection.Connections;
import dev.switchboard.gateway.ops.Asks;
import dev.switchboard.gateway.ops.OpLimits;
import dev.switchboard.gateway.rooms.Rooms;
import dev.switchboard.launch.Services;
import dev.switchboard.launch.Services.Need;
import dev.switchboard.launch.VerticleKind;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.contract.GatewayStatsReport;
import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.WireCodec;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.ConnectionLimitsConfig;
import dev.switchboard.shared.config.SendRateConfig;
import dev.switchboard.shared.limits.RateLimiter;
import dev.switchboard.shared.net.ConnectionGuard;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.List;
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
  public static final String SUBPROTOCOL_JSON = "switchboard.json";
  public static final String SUBPROTOCOL_PROTOBUF = "switchboard.protobuf";

  private final String instance = UUID.randomUUID().toString();
  private final Services services;
  private GatewayConfig config;
  private Connections connections;
  private StateStore state;
  /** Send, room-send and op limits of this instance's sessions, reported to shared state once per interval. */
  private RateLimiter limiter;
  private long statsTimer = -1;
  /** Per-address cap and handshake timeouts of the WebSocket port; the TCP port shares its address counts. */
  private ConnectionGuard httpGuard;
  private ConnectionGuard tcpGuard;
  private HttpServer http;
  private NetServer tcp;

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
    Rooms rooms = new Rooms(vertx, config.rooms(), state, limiter);
    connections = new Connections(vertx, config, tokens, ClientOps.registry(tokens, asks,
        new OpLimits(limiter, opLimits, sendRate), rooms), opLimits.maxInFlight(), asks, rooms, state, instance);

    ConnectionLimitsConfig limits = ConnectionLimitsConfig.from(config().getJsonObject("connectionLimits"), 1_000);
    httpGuard = new ConnectionGuard(vertx, "ws", "gateway", limits);
    tcpGuard = new ConnectionGuard(vertx, "tcp", "gateway", limits);
    httpGuard.start();
    // The WebSocket limits sit at 4× maxFrameBytes: a message over maxFrameBytes gets a protocol error, and a single
    // frame past 4× is refused by the decoder before it is buffered (the transport closes with 1009).
    HttpServerOptions httpOptions = new HttpServerOptions().setHost(config.host()).setPort(config.wsPort())
        .setStrictThreadMode(true)
        .setHttp2ClearTextEnabled(false)
        .setWebSocketSubProtocols(List.of(SUBPROTOCOL_JSON, SUBPROTOCOL_PROTOBUF))
        .setMaxWebSocketFrameSize(config.maxFrameBytes() * 4)
        .setMaxWebSocketMessageSize(config.maxFrameBytes() * 4);
    NetServerOptions tcpOptions = new NetServerOptions().setHost(config.host()).setPort(config.tcpPort())
        .setTcpNoDelay(true);
    if (config.tls() != null) {
      config.tls().server(httpOptions);
      config.tls().server(tcpOptions);
    }
    http = vertx.createHttpServer(httpOptions)
        .connectionHandler(httpGuard::onConnection)
        .requestHandler(this::route);
    tcp = vertx.createNetServer(tcpOptions)
        .connectHandler(socket -> {
          // Slow TCP clients need no timer here: the auth timeout closes a connection that never authenticates.
          if (!tcpGuard.admit(socket.remoteAddress())) {
            socket.close();
            return;
          }
          var remote = socket.remoteAddress();
          connections.accept(socket, () -> tcpGuard.release(remote));
        });
    return Future.join(connections.start(), http.listen(), tcp.listen(),
        connections.renewPresence(config.statsIntervalMs() * 3)).onSuccess(v -> {
      publishStats(false);
      statsTimer = vertx.setPeriodic(config.statsIntervalMs(), t -> publishStats(false));
    });
  }

  /** The WebSocket port this instance listens on (the one chosen when {@code wsPort} is 0); after start. */
  public int wsPort() {
    return http.actualPort();
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

  private void route(HttpServerRequest req) {
    httpGuard.onRequest(req);
    if (req.path().equals(config.wsPath()) && req.canUpgradeToWebSocket()) {
      String token = req.getParam("token");
      String device = req.getParam("device");
      String codecParam = req.getParam("codec", "json");
      if (!codecParam.equals("json") && !codecParam.equals("protobuf")) {
        req.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end("{\"code\":\"invalid_field\",\"message\":\"query parameter 'codec' must be json or protobuf\"}");
        return;
      }
      var conn = req.connection();
      req.toWebSocket().onSuccess(ws -> {
        httpGuard.upgraded(conn);
        var remote = conn.remoteAddress();
        // The codec: ?codec=protobuf, or the subprotocol switchboard.protobuf; JSON otherwise.
        boolean proto = codecParam.equals("protobuf") || SUBPROTOCOL_PROTOBUF.equals(ws.subProtocol());
        var connection = connections.accept(ws, proto ? WireCodec.PROTOBUF : WireCodec.JSON,
            () -> httpGuard.release(remote));
        if (token != null) {
          connection.authenticateFromQuery(token, device);
        }
      });
    } else if (req.path().equals("/health")) {
      req.response().putHeader("content-type", "application/json")
          .end("{\"status\":\"ok\",\"connections\":" + connections.size() + "}");
    } else {
      req.response().setStatusCode(404).putHeader("content-type", "application/json")
          .end("{\"code\":\"not_found\",\"message\":\"no such path\"}");
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(statsTimer);
    httpGuard.stop();
    connections.stop(CloseReason.SHUTDOWN);
    publishStats(true);
    return connections.endPresence().otherwiseEmpty().eventually(() -> limiter.stop());
  }
}
