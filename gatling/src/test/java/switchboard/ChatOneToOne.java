package switchboard;

import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import switchboard.support.Latency;
import switchboard.support.Props;

/**
 * GlideIM's chat load: pairs of users (rows 2k and 2k+1 of the token file are each other's peer), each sending a
 * one-to-one message to its peer, waiting for the ack, then pausing 60–200 ms (uniform), for {@code seconds} from the
 * shared {@code startAt}. Measures acked messages per second and send→ack in microseconds (an ack comes only once the
 * message is stored).
 *
 * <p>Delivery (send→receive, and every acked message received) is measured by the harness's {@code OneToOneBench},
 * which {@code gatling/run.sh ChatOneToOne} runs next: a Gatling WebSocket that waits for one frame drops the frames
 * that arrive meanwhile, and its buffer of unmatched frames did not keep them all under load (tried: it missed most of
 * the peer's messages), so Gatling cannot count receptions reliably.
 *
 * <p>Properties: {@code ws}, {@code path}, {@code tokens} (CSV: {@code token,uid,peer}), {@code users} (rows to
 * use, even), {@code rampSeconds}, {@code startAt}, {@code seconds} (30), {@code out}.
 */
public class ChatOneToOne extends Simulation {
  private static final int USERS = Props.integer("users", 200);
  private static final int RAMP = Props.integer("rampSeconds", 10);
  private static final int SECONDS = Props.integer("seconds", 30);
  private static final long START_AT = Props.startAt(RAMP);
  private static final Latency ACK = new Latency();
  private static final LongAdder SENT = new LongAdder();
  private static final LongAdder ACKED = new LongAdder();
  private static final LongAdder FAILED = new LongAdder();

  private final HttpProtocolBuilder protocol = http.wsBaseUrl(Props.str("ws", "ws://127.0.0.1:8081"))
      .wsMaxReconnects(0);

  private final ChainBuilder send = exec(session -> session
          .set("n", session.getInt("n") + 1).set("t", System.currentTimeMillis()).set("t0", System.nanoTime()))
      .exec(ws("send")
          .sendText("{\"op\":\"msg.send\",\"id\":\"s#{n}\",\"cid\":\"#{uid}-#{n}\",\"to\":#{peer},\"type\":\"text\","
              + "\"body\":{\"t\":#{t},\"text\":\"hello from #{uid}\"}}")
          .await(Duration.ofSeconds(10)).on(ws.checkTextMessage("ack")
              .matching(jsonPath("$.id").isEL("s#{n}"))
              .check(jsonPath("$.op").is("msg.ack"))))
      .exec(session -> {
        SENT.increment();
        if (session.isFailed()) {
          FAILED.increment();
        } else {
          ACKED.increment();
          ACK.record((System.nanoTime() - session.getLong("t0")) / 1000);
        }
        return session.markAsSucceeded();
      });

  private final ScenarioBuilder chat = scenario("chat")
      .feed(csv(Props.str("tokens", "chat.csv")).queue())
      .exec(session -> session.set("n", 0))
      .exec(Props.connectAndAuthenticate())
      .exec(Props.heartbeatUntil(START_AT))
      .pause(session -> Props.until(START_AT, 200))
      .during(Duration.ofSeconds(SECONDS)).on(
          exec(send).pause(session -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(60, 201))))
      .exec(ws("close").close());

  {
    setUp(chat.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP))))
        .protocols(protocol)
        .maxDuration(Duration.ofMillis(START_AT - System.currentTimeMillis()).plusSeconds(SECONDS + 60L));
  }

  @Override
  public void after() {
    System.out.printf("CHAT users=%d sent=%d acked=%d failed=%d%n  send->ack %s%n", USERS, SENT.sum(), ACKED.sum(),
        FAILED.sum(), ACK.summary());
    Props.writeOut("ack=" + ACK.toLine() + "\nsent=" + SENT.sum() + "\nacked=" + ACKED.sum() + "\nfailed="
        + FAILED.sum() + "\n");
  }
}
