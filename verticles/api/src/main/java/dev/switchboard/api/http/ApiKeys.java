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

  /**
   * A handler for the server API: the key check, then one token from the key's own bucket of {@code limit} (each key
   * has its budget; users' budgets are apart).
   */
  public io.vertx.core.Handler<RoutingContext> withLimit(RateLimit limit) {
    return ctx -> {
      if (!accepts(ctx)) {
        handle(ctx);
        return;
      }
      ctx.put(SERVICE, true);
      limit.charge(ctx, "k" + keyId(ctx.request().getHeader(HEADER)));
    };
  }

  /** A short id of a key that names it in rate-limit buckets without revealing it. */
  private static String keyId(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
