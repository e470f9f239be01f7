package switchboard.support;

import java.time.Duration;

/** The system properties every simulation reads, with their defaults, and the wait until a shared start time. */
public final class Props {
  private Props() {
  }

  public static String str(String name, String fallback) {
    return System.getProperty(name, fallback);
  }

  public static int integer(String name, int fallback) {
    return Integer.getInteger(name, fallback);
  }

  /**
   * The shared start time (epoch ms, property {@code startAt}) that every load process waits for, so all clients
   * are connected before the measured phase; defaults to {@code rampSeconds} + 5 s after this process started.
   */
  public static long startAt(int rampSeconds) {
    String at = System.getProperty("startAt");
    return at != null ? Long.parseLong(at) : System.currentTimeMillis() + (rampSeconds + 5) * 1000L;
  }

  /** How long to wait from now until {@code at} plus a random phase below {@code spreadMs}. */
  public static Duration until(long at, long spreadMs) {
    long phase = spreadMs > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(spreadMs) : 0;
    return Duration.ofMillis(Math.max(0, at + phase - System.currentTimeMillis()));
  }
}
