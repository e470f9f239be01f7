package switchboard;

import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.http.action.ws.WsInboundMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import switchboard.support.Latency;
import switchboard.support.Props;

/**
 * GlideIM's chat load: pairs of users (rows 2k and 2k+1 of the token file are each other's peer), each sending a
 * one-to-one message to its peer every 60–200 ms (uniform) for {@code seconds} from the shared {@code startAt}.
 * Measures send→ack (Gatling's {@code send} request, and in microseconds) and send→receive (the receiver's arrival
 * time minus the send time carried in the body, one clock: both users live in this process), and counts every acked
 * and every received message by {@code mid}: an acked message that never arrived is reported as missing.
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
  private static final Latency DELIVERY = new Latency();
  private static final Set<String> ACKED = ConcurrentHashMap.newKeySet();
  private static final Set<String> RECEIVED = ConcurrentHashMap.newKeySet();
  private static final LongAdder DUPLICATES = new LongAdder();
  private static final LongAdder SENT = new LongAdder();
  private static final Pattern MID = Pattern.compile("\"mid\":\"(\\d+)\"");
  private static final Pattern SENT_AT = Pattern.compile("\"t\":(\\d+)");

  private final HttpProtocolBuilder protocol = http.wsBaseUrl(Props.str("ws", "ws://127.0.0.1:8081"))
      .wsMaxReconnects(0).wsUnmatchedInboundMessageBufferSize(10_000);

  /** Counts and times the messages that arrived since the last call (they are not replies, so no check saw them). */
  private static Session received(List<WsInboundMessage> messages, Session session) {
    for (WsInboundMessage m : messages) {
      if (m instanceof WsInboundMessage.Text text && text.message().startsWith("{\"op\":\"msg\"")) {
        Matcher mid = MID.matcher(text.message());
        Matcher t = SENT_AT.matcher(text.message());
        if (mid.find() && t.find()) {
          if (!RECEIVED.add(mid.group(1))) {
            DUPLICATES.increment();
          }
          DELIVERY.record((m.timestamp() - Long.parseLong(t.group(1))) * 1000);
        }
      }
    }
    return session;
  }

  private final ChainBuilder send = exec(session -> session
          .set("n", session.getInt("n") + 1).set("t", System.currentTimeMillis()).set("t0", System.nanoTime()))
      .exec(ws("send")
          .sendText("{\"op\":\"msg.send\",\"id\":\"s#{n}\",\"cid\":\"#{uid}-#{n}\",\"to\":#{peer},\"type\":\"text\","
              + "\"body\":{\"t\":#{t},\"text\":\"hello from #{uid}\"}}")
          .await(Duration.ofSeconds(10)).on(ws.checkTextMessage("ack")
              .matching(jsonPath("$.id").isEL("s#{n}"))
              .check(jsonPath("$.op").is("msg.ack"), jsonPath("$.mid").saveAs("mid"))))
      .exec(session -> {
        if (!session.isFailed()) {
          ACKED.add(session.getString("mid"));
          ACK.record((System.nanoTime() - session.getLong("t0")) / 1000);
        }
        SENT.increment();
        return session.markAsSucceeded();
      })
      .exec(ws.processUnmatchedMessages(ChatOneToOne::received));

  private final ScenarioBuilder chat = scenario("chat")
      .feed(csv(Props.str("tokens", "chat.csv")).queue())
      .exec(session -> session.set("n", 0))
      .exec(ws("connect").connect(Props.str("path", "/ws")))
      .exec(ws("auth")
          .sendText("{\"op\":\"auth\",\"id\":\"a\",\"token\":\"#{token}\",\"device\":\"web\"}")
          .await(Duration.ofSeconds(60)).on(ws.checkTextMessage("auth.ok")
              .matching(jsonPath("$.op").in("auth.ok", "error"))
              .check(jsonPath("$.op").is("auth.ok"))))
      .exec(Props.heartbeatUntil(START_AT))
      .pause(session -> Props.until(START_AT, 200))
      .during(Duration.ofSeconds(SECONDS)).on(
          exec(send).pause(session -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(60, 201))))
      // The peer's last messages may still be on their way: wait, then count them.
      .pause(Duration.ofSeconds(3))
      .exec(ws.processUnmatchedMessages(ChatOneToOne::received))
      .exec(ws("close").close());

  {
    setUp(chat.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP))))
        .protocols(protocol)
        .maxDuration(Duration.ofMillis(START_AT - System.currentTimeMillis()).plusSeconds(SECONDS + 60L));
  }

  @Override
  public void after() {
    long missing = ACKED.stream().filter(mid -> !RECEIVED.contains(mid)).count();
    String report = String.format("CHAT users=%d sent=%d acked=%d received=%d missing=%d duplicates=%d%n"
            + "  send->ack %s%n  send->receive %s", USERS, SENT.sum(), ACKED.size(), RECEIVED.size(), missing,
        DUPLICATES.sum(), ACK.summary(), DELIVERY.summary());
    System.out.println(report);
    String out = System.getProperty("out");
    if (out != null) {
      try {
        Files.writeString(Path.of(out), "ack=" + ACK.toLine() + "\ndelivery=" + DELIVERY.toLine() + "\nsent="
            + SENT.sum() + "\nacked=" + ACKED.size() + "\nreceived=" + RECEIVED.size() + "\nmissing=" + missing
            + "\nduplicates=" + DUPLICATES.sum() + "\n");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
