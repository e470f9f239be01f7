package dev.switchboard.api.calls;

import dev.switchboard.api.http.Authn;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.ApiCallReply;
import dev.switchboard.protocol.contract.ApiCallRequest;
import dev.switchboard.shared.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The HTTP API over the long connection ({@code im.api.call}): a gateway forwards a session's
 * {@code api {method, path, body}} as an {@link ApiCallRequest}; this
 * instance replays it as an HTTP request to its own server on loopback, authenticated as that session by the process's
 * internal secret, so it passes through exactly the same routes, validation, authorisation (the session's token is
 * checked again), rate limits (by the client's own {@code address}) and error bodies as any HTTP client. Replies an
 * {@link ApiCallReply}: the status and the response body's bytes, which the gateway turns into the frame's body.
 */
public final class ConnectionCalls {
  private final HttpClient http;
  private final String host;
  private final int port;
  private final String secret;
  private MessageConsumer<ApiCallRequest> consumer;

  /**
   * @param tls         the server's own TLS (null: plain HTTP); the loopback client then trusts exactly its certificate
   * @param idleSeconds how long a pooled connection may stay idle: under the server's header timeout, so the client
   *                    drops it before the server closes it and no call races a closing connection
   */
  public ConnectionCalls(Vertx vertx, String host, int port, TlsConfig tls, String secret, int idleSeconds) {
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(idleSeconds);
    if (tls != null) {
      // The certificate names the public host, not the loopback address this client dials; trusting only this
      // server's own certificate is what authenticates it.
      options.setSsl(true).setTrustOptions(tls.ownCertificate()).setVerifyHost(false);
    }
    this.http = vertx.createHttpClient(options);
    this.host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    this.port = port;
    this.secret = secret;
  }

  public Future<Void> start(Vertx vertx) {
    consumer = vertx.eventBus().consumer(Addresses.API_CALL, this::call);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return (consumer == null ? Future.<Void>succeededFuture() : consumer.unregister()).eventually(http::close);
  }

  private void call(Message<ApiCallRequest> m) {
    ApiCallRequest r = m.body();
    RequestOptions options = new RequestOptions().setHost(host).setPort(port)
        .setMethod(HttpMethod.valueOf(r.method())).setURI(r.path())
        .putHeader(Authn.INTERNAL, secret)
        .putHeader(Authn.INTERNAL_UID, Long.toString(r.uid()))
        .putHeader(Authn.INTERNAL_TOKEN, Long.toString(r.tokenHash()))
        .putHeader(Authn.INTERNAL_EXPIRES, Long.toString(r.expiresAt()))
        .putHeader(Authn.INTERNAL_ISSUED, Long.toString(r.issuedAt()))
        .putHeader(Authn.INTERNAL_ADDRESS, r.address() == null ? "unknown" : r.address());
    Buffer body = r.body() == null ? null : Buffer.buffer(r.body());
    if (body != null) {
      options.putHeader("content-type", "application/json");
    }
    http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body()
            .map(b -> new ApiCallReply(resp.statusCode(), b.length() == 0 ? null : b.getBytes())))
        .onSuccess(m::reply)
        .onFailure(t -> ImException.failReply(m, t));
  }
}
