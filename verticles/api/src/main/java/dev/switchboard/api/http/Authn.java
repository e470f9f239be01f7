package dev.switchboard.api.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Authentication for user routes: {@code Authorization: Bearer <token>} from {@code POST /api/v1/sessions}, or an
 * internal call that a gateway forwarded for an authenticated session ({@link #INTERNAL}; see
 * {@code calls.ConnectionCalls}). On success the caller is in the context ({@link #uid}, {@link #caller}) and the
 * caller's request budget is charged ({@code rate_limited}, 429, when it is spent); otherwise the request fails with
 * {@code 401 auth_failed}.
 */
public final class Authn {
  /** Header carrying the process's internal secret on calls forwarded from the long connection. */
  public static final String INTERNAL = "X-Sb-Internal";
  public static final String INTERNAL_UID = "X-Sb-Uid";
  public static final String INTERNAL_TOKEN = "X-Sb-Token-Hash";
  public static final String INTERNAL_EXPIRES = "X-Sb-Token-Expires";
  public static final String INTERNAL_ISSUED = "X-Sb-Token-Issued";
  /** The address of the client whose long connection made a forwarded call (rate limits by address use it). */
  public static final String INTERNAL_ADDRESS = "X-Sb-Client-Address";
  private static final String CALLER = "switchboard.caller";

  /** The authenticated caller: the user, the hash of its token's id, when the token was issued and expires (ms). */
  public record Caller(long uid, long tokenHash, long issuedAt, long expiresAt) {
  }

  private final Tokens tokens;
  private final RateLimit limit;
  private final String internalSecret;

  public Authn(Tokens tokens, RateLimit limit, String internalSecret) {
    this.tokens = tokens;
    this.limit = limit;
    this.internalSecret = internalSecret;
  }

  public void handle(RoutingContext ctx) {
    if (ctx.request().getHeader(INTERNAL) != null) {
      if (!internal(ctx, internalSecret)) {
        ctx.fail(new ImException(ErrorCode.AUTH_FAILED, "bad internal credential"));
        return;
      }
      // The session's token was checked when the connection authenticated; check it again now, as for a bearer
      // token, so that a token that expired or was revoked since cannot act through an open connection.
      Caller caller = new Caller(Long.parseLong(ctx.request().getHeader(INTERNAL_UID)),
          Long.parseLong(ctx.request().getHeader(INTERNAL_TOKEN)),
          Long.parseLong(ctx.request().getHeader(INTERNAL_ISSUED)),
          Long.parseLong(ctx.request().getHeader(INTERNAL_EXPIRES)));
      tokens.stillValid(caller.uid(), caller.tokenHash(), caller.issuedAt(), caller.expiresAt())
          .onSuccess(v -> accept(ctx, caller))
          .onFailure(ctx::fail);
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(new ImException(ErrorCode.AUTH_FAILED, "missing 'Authorization: Bearer <token>'"));
      return;
    }
    tokens.check(header.substring(7).strip())
        .onSuccess(v -> accept(ctx, new Caller(v.uid(), v.idHash(), v.issuedAt(), v.expiresAt())))
        .onFailure(ctx::fail);
  }

  /** True when the request carries the process's internal credential (a call forwarded from a long connection). */
  static boolean internal(RoutingContext ctx, String internalSecret) {
    String internal = ctx.request().getHeader(INTERNAL);
    return internal != null && MessageDigest.isEqual(internal.getBytes(StandardCharsets.UTF_8),
        internalSecret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The client's address: for a call forwarded from a long connection, the address of that connection's client (the
   * TCP peer is this process); otherwise the TCP peer.
   */
  public static String clientAddress(RoutingContext ctx, String internalSecret) {
    String forwarded = ctx.request().getHeader(INTERNAL_ADDRESS);
    if (forwarded != null && internal(ctx, internalSecret)) {
      return forwarded;
    }
    return ctx.request().remoteAddress().hostAddress();
  }

  private void accept(RoutingContext ctx, Caller caller) {
    ctx.put(CALLER, caller);
    limit.charge(ctx, "u" + caller.uid());
  }

  public static long uid(RoutingContext ctx) {
    return caller(ctx).uid();
  }

  public static Caller caller(RoutingContext ctx) {
    return ctx.<Caller>get(CALLER);
  }

  /** A positive integer path parameter; {@code invalid_field} naming it otherwise. */
  public static long pathId(RoutingContext ctx, String name) {
    try {
      long v = Long.parseLong(ctx.pathParam(name));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImException(ErrorCode.INVALID_FIELD, "path parameter '" + name + "' must be a positive integer");
  }

  /** An optional non-negative integer query parameter within {@code [min, max]}. */
  public static long query(RoutingContext ctx, String name, long fallback, long min, long max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImException(ErrorCode.INVALID_FIELD, "query parameter '" + name + "' must be an integer from " + min
        + " to " + max);
  }
}
