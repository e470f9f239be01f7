package dev.switchboard.shared.hooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Signed JSON POSTs to an application (webhook batches, before-send calls) with a hard deadline: the request is reset
 * when {@code timeoutMs} passes without a complete answer, and an answer longer than {@code maxResponseBytes} fails
 * without being buffered further ({@code maxResponseBytes} 0: the body is read and discarded, whatever its length).
 * Completes on the caller's context. One per verticle instance; {@link #close()} at stop.
 */
public final class HookHttp {
  /** An application's answer: its status and body. */
  public record Answer(int status, Buffer body) {
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final String secret;

  /** A client of up to {@code connections} pooled connections per host, signing with {@code secret}. */
  public HookHttp(Vertx vertx, String secret, int connections) {
    this.vertx = vertx;
    this.secret = secret;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  /**
   * POSTs {@code body} (JSON) to {@code url}, signed, with the extra {@code headers}; fails with a
   * {@link TimeoutException} after {@code timeoutMs}, or with the connection's failure.
   */
  public Future<Answer> post(String url, byte[] body, Map<String, String> headers, long timeoutMs,
                             int maxResponseBytes) {
    Promise<Answer> answer = Promise.promise();
    HttpClientRequest[] sent = new HttpClientRequest[1];
    long timer = vertx.setTimer(timeoutMs, t -> {
      if (answer.tryFail(new TimeoutException("no answer from " + url + " within " + timeoutMs + " ms"))
          && sent[0] != null) {
        sent[0].reset();
      }
    });
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs)
        .putHeader("Content-Type", "application/json")
        .putHeader(Signature.HEADER, Signature.header(secret, System.currentTimeMillis() / 1000, body));
    headers.forEach(options::putHeader);
    client.request(options).compose(req -> {
      sent[0] = req;
      if (answer.future().isComplete()) {
        req.reset();
        return Future.failedFuture("timed out");
      }
      return req.send(Buffer.buffer(body));
    }).onComplete(ar -> {
      if (ar.failed()) {
        answer.tryFail(ar.cause());
        return;
      }
      Buffer got = Buffer.buffer();
      ar.result().handler(chunk -> {
        if (maxResponseBytes == 0) {
          return;
        }
        if (got.length() + chunk.length() > maxResponseBytes) {
          if (answer.tryFail(new IllegalStateException("answer from " + url + " longer than " + maxResponseBytes
              + " bytes"))) {
            sent[0].reset();
          }
        } else {
          got.appendBuffer(chunk);
        }
      });
      ar.result().exceptionHandler(answer::tryFail);
      ar.result().endHandler(v -> answer.tryComplete(new Answer(ar.result().statusCode(), got)));
    });
    return answer.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  public Future<Void> close() {
    return client.close();
  }
}
