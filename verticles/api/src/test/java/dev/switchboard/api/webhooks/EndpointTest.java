package dev.switchboard.api.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.config.HooksConfig;
import dev.switchboard.shared.hooks.Signature;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** One endpoint's queue against a real local HTTP server: order, retries until delivered, the bound. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class EndpointTest {
  private static final String SECRET = "endpoint-test-secret";
  private final List<Integer> received = new CopyOnWriteArrayList<>();
  /** Completed by the server once {@link #received} holds this many events. */
  private volatile int awaited = Integer.MAX_VALUE;
  private final CompletableFuture<Void> receivedAll = new CompletableFuture<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger badSignatures = new AtomicInteger();
  private volatile boolean down;

  private HttpServer server(Vertx vertx) throws Exception {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (!Signature.verify(SECRET, req.getHeader(Signature.HEADER), body.getBytes(),
          System.currentTimeMillis() / 1000, 300)) {
        badSignatures.incrementAndGet();
      }
      if (down || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        req.response().setStatusCode(503).end();
        return;
      }
      JsonArray events = body.toJsonObject().getJsonArray("events");
      events.forEach(e -> received.add(((JsonObject) e).getJsonObject("data").getInteger("n")));
      if (received.size() >= awaited) {
        receivedAll.complete(null);
      }
      req.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private static HooksConfig.Webhook webhook(HttpServer server, int queue, int maxBatch) {
    return HooksConfig.from(new JsonObject().put("webhooks", new JsonArray().add(new JsonObject()
        .put("url", "http://127.0.0.1:" + server.actualPort() + "/e").put("secret", SECRET).put("queue", queue)
        .put("maxBatch", maxBatch).put("backoffMs", 10).put("maxBackoffMs", 40)))).webhooks().get(0);
  }

  private static byte[] event(int n) {
    return new JsonObject().put("id", "e" + n).put("type", "message.sent").put("ts", 1)
        .put("data", new JsonObject().put("n", n)).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T on(Context ctx, Supplier<T> action) throws Exception {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(v -> p.complete(action.get()));
    return p.future().await(10, TimeUnit.SECONDS);
  }


  @Test
  void batchesArriveInOrderAndFailuresAreRetriedUntilDelivered(Vertx vertx) throws Exception {
    HttpServer server = server(vertx);
    failNext.set(3);
    Context ctx = vertx.getOrCreateContext();
    Endpoint endpoint = on(ctx, () -> new Endpoint(vertx, webhook(server, 100, 3)));
    awaited = 20;
    on(ctx, () -> {
      for (int i = 0; i < 20; i++) {
        endpoint.offer(event(i));
      }
      return null;
    });
    receivedAll.get(20, TimeUnit.SECONDS);
    assertEquals(java.util.stream.IntStream.range(0, 20).boxed().toList(), received, "in order, each once");
    assertEquals(0, badSignatures.get());
    // The last answer empties the queue (the endpoint reads it after the server sent it).
    on(ctx, endpoint::drained).await(10, TimeUnit.SECONDS);
    on(ctx, endpoint::close).await(10, TimeUnit.SECONDS);
    server.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullQueuePushesOutTheOldestAndKeepsTheNewest(Vertx vertx) throws Exception {
    HttpServer server = server(vertx);
    down = true;
    Context ctx = vertx.getOrCreateContext();
    Endpoint endpoint = on(ctx, () -> new Endpoint(vertx, webhook(server, 4, 2)));
    for (int i = 0; i < 10; i++) {
      int n = i;
      int size = on(ctx, () -> {
        endpoint.offer(event(n));
        return endpoint.size();
      });
      assertTrue(size <= 4, "never more than the bound: " + size);
    }
    down = false;
    on(ctx, endpoint::drained).await(20, TimeUnit.SECONDS);
    assertTrue(received.containsAll(List.of(6, 7, 8, 9)), "the newest four survive: " + received);
    assertTrue(received.size() <= 4 + 2, "the rest were dropped (a batch in flight may still arrive): " + received);
    Future<Void> closed = on(ctx, endpoint::close);
    closed.await(10, TimeUnit.SECONDS);
    server.close().await(10, TimeUnit.SECONDS);
  }
}
