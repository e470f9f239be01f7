package dev.switchboard.launch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check (docker/Dockerfile's {@code HEALTHCHECK}): asks the node's monitor for {@code /ready} and
 * exits 0 when it answers 200, 1 otherwise (not ready, no answer within 3 s, nothing listening), printing why. The
 * URL is the first argument, else {@code http://127.0.0.1:<SWITCHBOARD__MONITOR__PORT or 9100>/ready}. A class of
 * its own in the node jar because the runtime image has a JRE and no curl.
 */
public final class HealthCheck {
  private HealthCheck() {
  }

  public static void main(String[] args) {
    String port = System.getenv().getOrDefault("SWITCHBOARD__MONITOR__PORT", "9100");
    System.exit(check(args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/ready"));
  }

  /** 0 when {@code url} answers 200 within 3 s; 1 otherwise, with the reason on standard output. */
  static int check(String url) {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
          .build(), HttpResponse.BodyHandlers.ofString());
      System.out.println(url + ": " + r.statusCode() + " " + r.body());
      return r.statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      System.out.println(url + ": no answer (" + e + ")");
      return 1;
    }
  }
}
