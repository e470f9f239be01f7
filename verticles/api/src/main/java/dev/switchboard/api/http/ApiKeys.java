package dev.switchboard.api.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Service authentication for business systems (the push API): header {@code X-Api-Key} holding one of the keys in
 * the API's config ({@code apiKeys}). A missing or wrong key fails the request with {@code 401 auth_failed}; with no
 * keys configured every service route answers 401.
 */
public final class ApiKeys {
  public static final String HEADER = "X-Api-Key";
  private static final String SERVICE = "switchboard.service";

  private final List<byte[]> keys;

  public ApiKeys(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  public void handle(RoutingContext ctx) {
    if (accepts(ctx)) {
      ctx.put(SERVICE, true);
      ctx.next();
    } else {
      ctx.fail(new ImException(ErrorCode.AUTH_FAILED, keys.isEmpty()
          ? "no API keys are configured (verticles.api.apiKeys)"
          : "missing or wrong '" + HEADER + "' header"));
    }
  }

  /** True when the request carries a configured key; compared in constant time. */
  public boolean accepts(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    if (given == null) {
      return false;
    }
    byte[] bytes = given.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : keys) {
      match |= MessageDigest.isEqual(key, bytes);
    }
    return match;
  }
}
