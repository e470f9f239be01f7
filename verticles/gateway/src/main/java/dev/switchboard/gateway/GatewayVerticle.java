package dev.switchboard.gateway;

import dev.switchboard.gateway.connection.Connections;
import dev.switchboard.gateway.ops.Ops;
import dev.switchboard.shared.auth.Tokens;
import dev.switchboard.shared.config.AuthConfig;
import dev.switchboard.shared.config.GatewayConfig;
import dev.switchboard.shared.frame.CloseReason;
import dev.switchboard.shared.frame.OutFrameCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * The gateway: clients' long connections over WebSocket ({@code wsPort}, path {@code wsPath}) and raw TCP
 * ({@code tcpPort}), plus {@code GET /health} on the WebSocket port. Deploy several instances to spread connections
 * over event loops; each instance owns its own shard of connections.
 */
public final class GatewayVerticle extends VerticleBase {
  private Connections connections;

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.from(config());
    OutFrameCodec.register(vertx.eventBus());
    Tokens tokens = Tokens.create(vertx, AuthConfig.from(config().getJsonObject("auth")));
    connections = new Connections(vertx, config, tokens, new Ops(vertx.eventBus(), config.requestTimeoutMs()));
    connections.start();

    // The WebSocket limits sit above maxFrameBytes so an oversized frame gets a protocol error instead of a close.
    HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.wsPort())
        .setStrictThreadMode(true)
        .setMaxWebSocketFrameSize(config.maxFrameBytes() * 4)
        .setMaxWebSocketMessageSize(config.maxFrameBytes() * 4))
        .requestHandler(req -> route(req, config));
    NetServer tcp = vertx.createNetServer(new NetServerOptions().setHost(config.host()).setPort(config.tcpPort())
        .setTcpNoDelay(true))
        .connectHandler(connections::accept);
    return Future.join(http.listen(), tcp.listen());
  }

  private void route(HttpServerRequest req, GatewayConfig config) {
    if (req.path().equals(config.wsPath()) && req.canUpgradeToWebSocket()) {
      String token = req.getParam("token");
      String device = req.getParam("device");
      req.toWebSocket().onSuccess(ws -> {
        var connection = connections.accept(ws);
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
    connections.stop(CloseReason.SHUTDOWN);
    return Future.succeededFuture();
  }
}
