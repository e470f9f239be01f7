package dev.switchboard.api.http;

import dev.switchboard.api.stats.GatewayStats;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;

/**
 * Headers every response of the API port carries, and the caching of the web client.
 *
 * <p>The Content-Security-Policy allows scripts, styles and everything else only from this origin (the web client has
 * no inline script or style), frames from nowhere, and WebSocket connections ({@code connect-src}) to this origin and
 * to the origins of the gateways a login can hand out: the configured {@code publicWs} and every live gateway's. It is
 * computed per response because gateways come and go.
 *
 * <p>The web client's files have fixed names ({@code index.html}, {@code app.js}, {@code app.css}), so they are served
 * {@code Cache-Control: no-cache}: a browser keeps its copy but revalidates it on every load ({@code If-Modified-Since}
 * answered 304 when unchanged), so a new release reaches every browser on its next load.
 */
public final class SecurityHeaders {
  private final String configuredWs;
  private final GatewayStats stats;

  public SecurityHeaders(String configuredWs, GatewayStats stats) {
    this.configuredWs = configuredWs;
    this.stats = stats;
  }

  /** A handler for every route: adds the headers when the response's headers are written. */
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    ctx.addHeadersEndHandler(v -> {
      response.putHeader("Content-Security-Policy", policy());
      response.putHeader("X-Frame-Options", "DENY");
      response.putHeader("X-Content-Type-Options", "nosniff");
      response.putHeader("Referrer-Policy", "no-referrer");
    });
    ctx.next();
  }

  /** A handler for the web client's files: revalidate on every load instead of the static handler's day. */
  public static void revalidate(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    ctx.addHeadersEndHandler(v -> response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache"));
    ctx.next();
  }

  String policy() {
    Set<String> sockets = new TreeSet<>();
    addOrigin(sockets, configuredWs);
    for (String url : stats.publicWs()) {
      addOrigin(sockets, url);
    }
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
        + (sockets.isEmpty() ? "" : " " + String.join(" ", sockets))
        + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  }

  /** Adds {@code scheme://host[:port]} of a ws:// or wss:// URL; anything else (or a malformed URL) adds nothing. */
  private static void addOrigin(Set<String> origins, String url) {
    if (url == null) {
      return;
    }
    try {
      URI u = URI.create(url);
      String scheme = u.getScheme();
      if (("ws".equals(scheme) || "wss".equals(scheme)) && u.getHost() != null) {
        origins.add(scheme + "://" + (u.getHost().contains(":") ? "[" + u.getHost() + "]" : u.getHost())
            + (u.getPort() < 0 ? "" : ":" + u.getPort()));
      }
    } catch (IllegalArgumentException e) {
      // a publicWs that is not a URL cannot be connected to by a browser either: nothing to allow
    }
  }
}
