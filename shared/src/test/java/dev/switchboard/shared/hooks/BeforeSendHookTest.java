package dev.switchboard.shared.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.config.HooksConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The before-send client against a real local HTTP server: every kind of answer, the deadline, the pending bound. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class BeforeSendHookTest {
  private static final String SECRET = "before-send-test-secret";
  private static final byte[] BODY = "\"hello\"".getBytes(StandardCharsets.UTF_8);
  private final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  private volatile Consumer<HttpServerRequest> answer;

  private HttpServer server(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      assertTrue(Signature.verify(SECRET, req.getHeader(Signature.HEADER), body.getBytes(),
          System.currentTimeMillis() / 1000, 300), "signed");
      calls.add(body.toJsonObject());
      answer.accept(req);
    })).listen(0, "127.0.0.1").await();
  }

  private static BeforeSendHook hook(Vertx vertx, HttpServer server, String onFailure, int maxPending) {
    return hook(vertx, server, onFailure, maxPending, 300);
  }

  private static BeforeSendHook hook(Vertx vertx, HttpServer server, String onFailure, int maxPending,
                                     long timeoutMs) {
    HooksConfig.BeforeSend config = HooksConfig.from(new JsonObject().put("beforeSend", new JsonObject()
        .put("url", "http://127.0.0.1:" + server.actualPort() + "/h").put("secret", SECRET).put("timeoutMs", timeoutMs)
        .put("onFailure", onFailure).put("maxPending", maxPending))).beforeSend();
    return new BeforeSendHook(vertx, config, 64);
  }

  private static Future<BeforeSendHook.Verdict> check(Vertx vertx, BeforeSendHook hook) {
    Promise<BeforeSendHook.Verdict> p = Promise.promise();
    vertx.runOnContext(v -> hook.check("direct", new JsonObject().put("from", 1).put("to", 2).put("cid", "c")
        .put("type", "text"), BODY).onComplete(p));
    return p.future();
  }

  private void answers(String json) {
    answer = req -> req.response().putHeader("Content-Type", "application/json").end(json);
  }

  private static ImException rejection(Future<BeforeSendHook.Verdict> f) {
    Throwable t = f.transform(ar -> Future.succeededFuture(ar.cause())).await();
    assertTrue(t instanceof ImException, String.valueOf(t));
    assertEquals(ErrorCode.REJECTED, ((ImException) t).code());
    return (ImException) t;
  }

  @Test
  void theCallCarriesTheSendAndTheAnswerDecides(Vertx vertx) throws Exception {
    HttpServer server = server(vertx);
    BeforeSendHook hook = hook(vertx, server, "allow", 10);
    answers("{\"action\":\"allow\"}");
    assertNull(check(vertx, hook).await(5, TimeUnit.SECONDS).body());
    assertEquals(new JsonObject().put("from", 1).put("to", 2).put("cid", "c").put("type", "text")
        .put("kind", "direct").put("body", "hello"), calls.get(0));

    answers("{\"action\":\"allow\",\"body\":{\"text\":\"new\"}}");
    assertArrayEquals("{\"text\":\"new\"}".getBytes(StandardCharsets.UTF_8),
        check(vertx, hook).await(5, TimeUnit.SECONDS).body());

    answers("{\"action\":\"reject\",\"code\":\"no.links\",\"message\":\"not here\"}");
    ImException no = rejection(check(vertx, hook));
    assertEquals("not here", no.getMessage());
    assertEquals("no.links", no.details().getString("reason"));
  }

  @Test
  void unusableAnswersGetThePolicy(Vertx vertx) throws Exception {
    HttpServer server = server(vertx);
    BeforeSendHook allow = hook(vertx, server, "allow", 10);
    BeforeSendHook reject = hook(vertx, server, "reject", 10);
    List<Consumer<HttpServerRequest>> bad = List.of(
        req -> req.response().setStatusCode(500).end(),
        req -> req.response().end("not json"),
        req -> req.response().end("{\"action\":\"maybe\"}"),
        req -> req.response().end("{\"action\":\"reject\",\"code\":\"Not A Code\"}"),
        req -> req.response().end("{\"action\":\"allow\",\"body\":\"" + "x".repeat(5000) + "\"}"));
    for (Consumer<HttpServerRequest> a : bad) {
      answer = a;
      assertNull(check(vertx, allow).await(5, TimeUnit.SECONDS).body(), "allow: the send goes on unchanged");
      assertEquals(BeforeSendHook.UNAVAILABLE, rejection(check(vertx, reject)).details().getString("reason"));
    }
  }

  @Test
  void aHookPastItsDeadlineOrBeyondMaxPendingGetsThePolicyInTime(Vertx vertx) throws Exception {
    HttpServer server = server(vertx);
    // The hook never answers; it tells the test when the first call reached it.
    Promise<Void> reached = Promise.promise();
    answer = req -> reached.tryComplete();
    BeforeSendHook reject = hook(vertx, server, "reject", 1, 1_500);
    long start = System.nanoTime();
    Future<BeforeSendHook.Verdict> first = check(vertx, reject);
    reached.future().await(5, TimeUnit.SECONDS);
    // The first call is in flight (unanswered): the second is over maxPending and refused at once.
    assertEquals(BeforeSendHook.UNAVAILABLE, rejection(check(vertx, reject)).details().getString("reason"));
    assertTrue(!first.isComplete(), "the first call still waits for its deadline");
    assertEquals(1, calls.size(), "the second call never left");
    assertEquals(BeforeSendHook.UNAVAILABLE, rejection(first).details().getString("reason"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 5_000, "a 1,500 ms deadline ended the call in " + ms + " ms");
  }
}
