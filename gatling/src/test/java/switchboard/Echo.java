package switchboard;

import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import switchboard.support.Latency;
import switchboard.support.Props;

/**
 * The reference WebSocket echo benchmark: {@code users} authenticated clients connect (ramped over
 * {@code rampSeconds}), then each sends {@code ping} once per second (random phase within the second) and checks the
 * {@code pong}: first for {@code warmupSeconds} before the shared {@code startAt} (not counted: the servers' JIT
 * compiles the ping path then), then for the {@code seconds} of the measured window from {@code startAt}. Gatling
 * reports whole milliseconds; the round trip is also recorded in microseconds and written to {@code out} as
 * {@code rtt=...}.
 *
 * <p>Properties: {@code ws} (ws://127.0.0.1:8081), {@code path} (/ws), {@code tokens} (a CSV with a {@code token}
 * column), {@code users}, {@code rampSeconds}, {@code startAt}, {@code warmupSeconds} (0), {@code seconds} (30),
 * {@code out}. The same simulation drives the bare Vert.x baseline, which answers {@code auth} and {@code ping}
 * without checking anything.
 */
public class Echo extends Simulation {
  private static final int USERS = Props.integer("users", 1000);
  private static final int RAMP = Props.integer("rampSeconds", 10);
  private static final int SECONDS = Props.integer("seconds", 30);
  private static final int WARMUP = Props.integer("warmupSeconds", 0);
  private static final long START_AT = Props.startAt(RAMP);
  /** When the warm-up pings start: the measured ones follow them without a gap. */
  private static final long WARM_AT = START_AT - WARMUP * 1000L;
  private static final Latency RTT = new Latency();
  private static final LongAdder PONGS = new LongAdder();

  private final HttpProtocolBuilder protocol = http.wsBaseUrl(Props.str("ws", "ws://127.0.0.1:8081"))
      .wsMaxReconnects(0);

  private final ScenarioBuilder echo = scenario("echo")
      .feed(csv(Props.str("tokens", "tokens.csv")).circular())
      .exec(Props.connectAndAuthenticate())
      .exec(Props.heartbeatUntil(WARM_AT))
      .pause(session -> Props.until(WARM_AT, 1000))
      .repeat(WARMUP).on(pace(Duration.ofSeconds(1)).exec(
          ws("warmup").sendText("{\"op\":\"ping\",\"id\":1}")
              .await(Duration.ofSeconds(10)).on(ws.checkTextMessage("warmup.pong")
                  .matching(jsonPath("$.op").is("pong")))))
      .repeat(SECONDS).on(pace(Duration.ofSeconds(1)).exec(
          exec(session -> session.set("t", System.nanoTime()))
          .exec(ws("ping")
              .sendText("{\"op\":\"ping\",\"id\":#{t}}")
              .await(Duration.ofSeconds(10)).on(ws.checkTextMessage("pong")
                  .matching(jsonPath("$.op").is("pong"))
                  .check(jsonPath("$.id").ofLong().transform(sent -> {
                    RTT.record((System.nanoTime() - sent) / 1000);
                    PONGS.increment();
                    return sent;
                  }))))))
      .exec(ws("close").close());

  {
    setUp(echo.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP))))
        .protocols(protocol)
        .maxDuration(Duration.ofMillis(START_AT - System.currentTimeMillis()).plusSeconds(SECONDS + 60L));
  }

  @Override
  public void after() {
    System.out.println("ECHO users=" + USERS + " pongs=" + PONGS.sum() + " rtt " + RTT.summary());
    Props.writeOut("rtt=" + RTT.toLine() + "\npongs=" + PONGS.sum() + "\n");
  }
}
