package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API port's security headers and the web client's caching, seen by a plain HTTP client. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class WebHeadersIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(TestNode node, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.apiPort() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  @Test
  void everyResponseCarriesTheSecurityHeadersAndTheClientIsRevalidated(Vertx vertx) throws Exception {
    try (TestNode node = TestNode.start(vertx, Backend.EMBEDDED)) {
      int wsPort = node.gateway().getInteger("wsPort");
      for (String path : new String[] {"/", "/index.html", "/app.js", "/app.css", "/health", "/api/v1/users/me",
          "/no-such-file"}) {
        HttpResponse<String> r = get(node, path);
        String csp = header(r, "Content-Security-Policy");
        assertTrue(csp.contains("default-src 'self'"), path + ": " + csp);
        assertTrue(csp.contains("script-src 'self';"), path + ": " + csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
        assertTrue(csp.contains("connect-src 'self' ws://127.0.0.1:" + wsPort), path + ": " + csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("DENY", header(r, "X-Frame-Options"), path);
        assertEquals("nosniff", header(r, "X-Content-Type-Options"), path);
        assertEquals("no-referrer", header(r, "Referrer-Policy"), path);
      }
      for (String path : new String[] {"/", "/index.html", "/app.js", "/app.css"}) {
        HttpResponse<String> r = get(node, path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("no-cache", header(r, "Cache-Control"), path);
        String lastModified = header(r, "Last-Modified");
        assertFalse(lastModified.isEmpty(), path + " can be revalidated");
        assertEquals(304, get(node, path, "If-Modified-Since", lastModified).statusCode(), path);
      }
    }
  }
}
