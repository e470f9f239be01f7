package dev.switchboard.gateway.rooms;

import io.vertx.core.Vertx;

/**
 * At most one run of an action per interval: the first call runs it at once, calls within the interval that follows
 * make one more run at its end (which sees the latest state), and so on. Confined to one event loop.
 */
final class Throttle {
  private final long intervalMs;
  private long timer = -1;
  private boolean again;

  Throttle(long intervalMs) {
    this.intervalMs = intervalMs;
  }

  void hit(Vertx vertx, Runnable action) {
    if (timer != -1) {
      again = true;
      return;
    }
    action.run();
    timer = vertx.setTimer(intervalMs, t -> {
      timer = -1;
      if (again) {
        again = false;
        hit(vertx, action);
      }
    });
  }

  void cancel(Vertx vertx) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    again = false;
  }
}
