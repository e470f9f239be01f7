package dev.switchboard.node;

import dev.switchboard.shared.hooks.Signature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The application side of the hooks, as a real HTTP server on a free loopback port: {@code POST /events} receives
 * webhook batches, {@code POST /before} answers before-send calls. Every request's signature is verified (a bad one
 * is answered 401 and counted). Webhook events are recorded by id, repeats counted; on purpose the receiver answers
 * 500 to the next {@link #failNext} batches, or to every batch while {@link #down}. Every batch, call and answer is
 * checked against its schema in docs/schemas.
 */
final class HookReceiver implements AutoCloseable {
  final String secret = "hook-secret-" + UUID.randomUUID();
  /** Every distinct event by id, in arrival order of first receipt. */
  final Map<String, JsonObject> events = new ConcurrentHashMap<>();
  final List<JsonObject> arrivals = new CopyOnWriteArrayList<>();
  final List<JsonObject> calls = new CopyOnWriteArrayList<>();
  /** What failed its schema (docs/schemas): tests assert it stays empty. */
  final List<String> schemaErrors = new CopyOnWriteArrayList<>();
  final AtomicInteger duplicates = new AtomicInteger();
  final AtomicInteger badSignatures = new AtomicInteger();
  final AtomicInteger refusedOnPurpose = new AtomicInteger();
  final AtomicInteger batches = new AtomicInteger();
  final AtomicInteger largestBatch = new AtomicInteger();
  final AtomicInteger failNext = new AtomicInteger();
  volatile boolean down;
  /** The answer to a before-send call (may complete late, to make the hook time out). */
  volatile Function<JsonObject, Future<JsonObject>> beforeSend = call -> Future.succeededFuture(
      new JsonObject().put("action", "allow"));
  /** Conditions a test waits for, checked again after every request this receiver handles. */
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final Vertx vertx;

  private record Waiter(BooleanSupplier condition, CompletableFuture<Void> met) {
  }

  private HookReceiver(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static HookReceiver start(Vertx vertx) throws Exception {
    HookReceiver[] self = new HookReceiver[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body()
        .onSuccess(body -> {
          self[0].handle(req, body);
          self[0].checkWaiters();
        }));
    self[0] = new HookReceiver(vertx, server);
    server.listen(0, "127.0.0.1").await(TestNode.WAIT_S, TimeUnit.SECONDS);
    return self[0];
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** A webhook entry for this receiver with quick retries; {@code extra} overrides. */
  JsonObject webhook(JsonObject extra) {
    return new JsonObject().put("url", url("/events")).put("secret", secret).put("backoffMs", 20)
        .put("maxBackoffMs", 100).mergeIn(extra);
  }

  private void handle(HttpServerRequest req, Buffer body) {
    if (!Signature.verify(secret, req.getHeader(Signature.HEADER), body.getBytes(),
        System.currentTimeMillis() / 1000, 300)) {
      badSignatures.incrementAndGet();
      req.response().setStatusCode(401).end();
      return;
    }
    if (req.path().equals("/before")) {
      JsonObject call = body.toJsonObject();
      calls.add(call);
      schema("before-send-call.schema.json", call);
      beforeSend.apply(call).onComplete(ar -> {
        if (ar.succeeded()) {
          schema("before-send-answer.schema.json", ar.result());
          req.response().putHeader("Content-Type", "application/json").end(ar.result().encode());
        } else {
          req.response().setStatusCode(500).end();
        }
      });
      return;
    }
    batches.incrementAndGet();
    if (down || req.getHeader(Signature.DELIVERY) == null
        || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      refusedOnPurpose.incrementAndGet();
      req.response().setStatusCode(500).end();
      return;
    }
    JsonObject batch = body.toJsonObject();
    schema("webhook-batch.schema.json", batch);
    JsonArray list = batch.getJsonArray("events");
    largestBatch.accumulateAndGet(list.size(), Math::max);
    for (Object o : list) {
      JsonObject e = (JsonObject) o;
      if (events.putIfAbsent(e.getString("id"), e) != null) {
        duplicates.incrementAndGet();
      } else {
        arrivals.add(e);
      }
    }
    req.response().setStatusCode(204).end();
  }

  private void schema(String file, JsonObject json) {
    try {
      HookSchemas.check(file, json);
    } catch (AssertionError e) {
      schemaErrors.add(e.getMessage());
    }
  }

  /** The events of {@code type} received so far. */
  List<JsonObject> ofType(String type) {
    return arrivals.stream().filter(e -> type.equals(e.getString("type"))).toList();
  }

  /**
   * Waits (up to {@link TestNode#WAIT_S}) until {@code condition} holds, checking it now and after every request the
   * receiver handles (what the webhooks change reaches it as requests: events, retries); fails naming {@code what}.
   */
  void waitFor(String what, BooleanSupplier condition) throws Exception {
    await(what, condition, 0);
  }

  /**
   * Like {@link #waitFor}, for a condition on the server's meters that no request follows (the dispatcher's queue
   * empties when it reads the answer to its last POST, and then posts nothing): checked again every {@code 20} ms too.
   */
  void waitForMeter(String what, BooleanSupplier condition) throws Exception {
    await(what, condition, 20);
  }

  private void await(String what, BooleanSupplier condition, long everyMs) throws Exception {
    Waiter w = new Waiter(condition, new CompletableFuture<>());
    long timer = everyMs > 0 ? vertx.setPeriodic(everyMs, t -> checkWaiters()) : -1;
    waiters.add(w);
    checkWaiters();
    try {
      w.met().get(TestNode.WAIT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what);
    } finally {
      waiters.remove(w);
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }

  private void checkWaiters() {
    for (Waiter w : waiters) {
      if (!w.met().isDone() && w.condition().getAsBoolean()) {
        w.met().complete(null);
      }
    }
  }

  @Override
  public void close() throws Exception {
    server.close().await(TestNode.WAIT_S, TimeUnit.SECONDS);
  }
}
