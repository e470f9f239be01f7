package dev.switchboard.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/v1/openapi.json}: the OpenAPI 3 document of this API, kept in the jar as {@code openapi.json}. */
public final class OpenApi {
  private OpenApi() {
  }

  /** The document's bytes. */
  public static Buffer document() {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream("openapi.json")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void mount(Router router) {
    Buffer doc = document();
    router.get("/api/v1/openapi.json").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(doc));
  }
}
