package dev.switchboard.protocol.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;
import java.util.Map;

/** A small client of the HTTP API for tests and load tools. Futures complete on the caller's Vert.x context. */
public final class ApiClient {
  /** A status and the parsed JSON body (null when the body was empty or not JSON). */
  public record Result(int status, JsonObject body) {
  }

  private final Context context;
  private final HttpClient http;
  private final String host;
  private final int port;

  public ApiClient(Vertx vertx, String host, int port) {
    this(vertx, host, port, null);
  }

  /**
   * A client over HTTPS when {@code trust} is set: it accepts only a server certificate that chains to {@code trust}
   * and names {@code host}. Null: plain HTTP.
   */
  public ApiClient(Vertx vertx, String host, int port, TrustOptions trust) {
    this.context = vertx.getOrCreateContext();
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true);
    if (trust != null) {
      options.setSsl(true).setTrustOptions(trust).setVerifyHost(true);
    }
    this.http = vertx.createHttpClient(options);
    this.host = host;
    this.port = port;
  }

  /**
   * Sends one request. The exchange runs on the client's context, so a caller on any thread (a test's main thread
   * included) cannot miss the response body by registering its handler late.
   */
  public Future<Result> call(HttpMethod method, String path, Object body, String token) {
    return call(method, path, body, token, Map.of());
  }

  /** {@link #call(HttpMethod, String, Object, String)} with extra request headers (e.g. {@code X-Api-Key}). */
  public Future<Result> call(HttpMethod method, String path, Object body, String token, Map<String, String> headers) {
    Promise<Result> result = Promise.promise();
    context.runOnContext(v -> exchange(method, path, body, token, headers).onComplete(result));
    return result.future();
  }

  private Future<Result> exchange(HttpMethod method, String path, Object body, String token,
                                  Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    headers.forEach(options::putHeader);
    Buffer payload = body == null ? null : body instanceof Buffer b ? b : Json.encodeToBuffer(body);
    if (payload != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
        .compose(req -> payload == null ? req.send() : req.send(payload))
        .compose(resp -> resp.body().map(b -> new Result(resp.statusCode(), parse(b))));
  }

  private static JsonObject parse(Buffer b) {
    if (b.length() == 0) {
      return null;
    }
    try {
      return b.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Registers a user; completes with the new uid, fails when the status is not 201. */
  public Future<Long> register(String username, String password) {
    return call(HttpMethod.POST, "/api/v1/users", new JsonObject().put("username", username).put("password", password),
        null).compose(r -> r.status() == 201 ? Future.succeededFuture(r.body().getLong("uid"))
        : Future.failedFuture("register " + username + ": " + r.status() + " " + r.body()));
  }

  /** Logs in; completes with the session body ({@code token, uid, expiresAt, gateways}). */
  public Future<JsonObject> login(String username, String password, String device) {
    return call(HttpMethod.POST, "/api/v1/sessions", new JsonObject().put("username", username)
        .put("password", password).put("device", device), null)
        .compose(r -> r.status() == 200 ? Future.succeededFuture(r.body())
            : Future.failedFuture("login " + username + ": " + r.status() + " " + r.body()));
  }

  public Future<Void> close() {
    return http.close();
  }
}
