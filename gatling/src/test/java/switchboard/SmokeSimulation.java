package switchboard;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.UUID;

/**
 * Smoke: each virtual user registers, logs in, connects a WebSocket, authenticates, then pings {@code pings} times
 * one second apart (the protocol's heartbeat, sped up) and checks every pong. Bounded: {@code users} users ramped
 * over {@code rampSeconds}, each living about {@code pings} seconds.
 *
 * <p>Run against a started server: {@code ./mvnw -pl gatling gatling:test -Dgatling.simulationClass=switchboard.SmokeSimulation
 * -Dusers=50}. System properties: {@code api} (default http://127.0.0.1:8080), {@code ws} (ws://127.0.0.1:8081).
 */
public class SmokeSimulation extends Simulation {
  private static final String API = System.getProperty("api", "http://127.0.0.1:8080");
  private static final String WS = System.getProperty("ws", "ws://127.0.0.1:8081");
  private static final int USERS = Integer.getInteger("users", 20);
  private static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 5);
  private static final int PINGS = Integer.getInteger("pings", 5);

  private final HttpProtocolBuilder protocol = http.baseUrl(API).wsBaseUrl(WS)
      .contentTypeHeader("application/json").acceptHeader("application/json");

  private final ScenarioBuilder smoke = scenario("connect-auth-ping")
      .exec(session -> session.set("username", "g" + UUID.randomUUID().toString().replace("-", "").substring(0, 20)))
      .exec(http("register").post("/api/v1/users")
          .body(StringBody("{\"username\":\"#{username}\",\"password\":\"gatling-pass\"}"))
          .check(status().is(201)))
      .exec(http("login").post("/api/v1/sessions")
          .body(StringBody("{\"username\":\"#{username}\",\"password\":\"gatling-pass\",\"device\":\"web\"}"))
          .check(status().is(200), jmesPath("token").saveAs("token")))
      .exec(ws("connect").connect("/ws"))
      .exec(ws("auth")
          .sendText("{\"op\":\"auth\",\"id\":\"auth\",\"token\":\"#{token}\",\"device\":\"web\"}")
          .await(Duration.ofSeconds(10)).on(ws.checkTextMessage("auth.ok").check(jsonPath("$.op").is("auth.ok"))))
      .repeat(PINGS).on(exec(ws("ping")
              .sendText("{\"op\":\"ping\",\"id\":\"p\"}")
              .await(Duration.ofSeconds(10)).on(ws.checkTextMessage("pong").check(jsonPath("$.op").is("pong"))))
          .pause(Duration.ofSeconds(1)))
      .exec(ws("close").close());

  {
    setUp(smoke.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(RAMP_SECONDS))))
        .protocols(protocol)
        .maxDuration(Duration.ofSeconds(RAMP_SECONDS + PINGS * 3L + 60))
        .assertions(global().failedRequests().count().is(0L));
  }
}
