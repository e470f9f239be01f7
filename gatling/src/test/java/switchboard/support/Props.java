package switchboard.support;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
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

  /**
   * Opens the WebSocket ({@code path}, default {@code /ws}) and authenticates with the feeder's {@code #{token}} as
   * device {@code web}; the wait for {@code auth.ok} is long because a cluster registers logins slowly.
   */
  public static ChainBuilder connectAndAuthenticate() {
    return exec(ws("connect").connect(str("path", "/ws")))
        .exec(ws("auth")
            .sendText("{\"op\":\"auth\",\"id\":\"a\",\"token\":\"#{token}\",\"device\":\"web\"}")
            .await(Duration.ofSeconds(60)).on(ws.checkTextMessage("auth.ok")
                .matching(jsonPath("$.op").in("auth.ok", "error"))
                .check(jsonPath("$.op").is("auth.ok"))));
  }

  /**
   * While connected clients wait for the shared start (long ramps: many thousands of clients in a cluster), they
   * keep the protocol's heartbeat — a {@code ping} every 20 s — as real clients do; the server closes a connection
   * silent for 90 s. These pings are reported as {@code heartbeat}, apart from the measured ones.
   */
  public static ChainBuilder heartbeatUntil(long at) {
    return asLongAs(session -> System.currentTimeMillis() < at - 20_000).on(
        pause(Duration.ofSeconds(20)).exec(ws("heartbeat").sendText("{\"op\":\"ping\",\"id\":\"hb\"}")
            .await(Duration.ofSeconds(30)).on(ws.checkTextMessage("heartbeat.pong")
                .matching(jsonPath("$.id").is("hb")))));
  }

  /** Writes a simulation's figures to the file named by the property {@code out}, when there is one. */
  public static void writeOut(String figures) {
    String out = System.getProperty("out");
    if (out != null) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(out), figures);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** How long to wait from now until {@code at} plus a random phase below {@code spreadMs}. */
  public static Duration until(long at, long spreadMs) {
    long phase = spreadMs > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(spreadMs) : 0;
    return Duration.ofMillis(Math.max(0, at + phase - System.currentTimeMillis()));
  }
}
