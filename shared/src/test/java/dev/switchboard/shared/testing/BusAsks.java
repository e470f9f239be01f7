package dev.switchboard.shared.testing;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Asking a verticle over the bus in a module test, and waiting for the answer or its error code. */
public final class BusAsks {
  private BusAsks() {
  }

  /** The result of {@code f}, waited for at most 10 s. */
  public static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  /** The error code {@code f} fails with; an assertion error when it succeeds. */
  public static ErrorCode failure(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return ImException.of(e).code();
    }
    throw new AssertionError("expected a failure");
  }

  /** A request to {@code address}; completes with the reply's body. */
  public static <T> Future<T> ask(Vertx vertx, String address, Object request) {
    return vertx.eventBus().<T>request(address, request).map(m -> m.body());
  }
}
