package dev.switchboard.bench;

import dev.switchboard.shared.hooks.Signature;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A before-send hook for benchmarks ({@code scripts/bench.sh 1to1 hook=1}): verifies each call's signature and
 * answers {@code {"action":"allow"}} at once, so a run measures what the hook's round trip adds to a send. Prints the
 * calls answered and refused (bad signature) when it stops.
 * {@code port=8090 secret=...}
 */
public final class HookServer {
  private HookServer() {
  }

  public static void main(String[] argv) {
    Args args = new Args(argv);
    int port = args.integer("port", 8090);
    String secret = args.required("secret");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    AtomicLong allowed = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    byte[] allow = "{\"action\":\"allow\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (!Signature.verify(secret, req.getHeader(Signature.HEADER), body.getBytes(),
          System.currentTimeMillis() / 1000, 300)) {
        refused.incrementAndGet();
        req.response().setStatusCode(401).end();
        return;
      }
      allowed.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(allow));
    })).listen(port, "127.0.0.1").await();
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.out.println("hook server: allowed " + allowed.get() + ", refused (bad signature) " + refused.get())));
    System.out.println("READY hook server on " + port);
  }
}
