package dev.switchboard.api.http;

import dev.switchboard.shared.ErrorCode;
import dev.switchboard.shared.ImException;
import dev.switchboard.shared.auth.Tokens;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer-token authentication for user routes: {@code Authorization: Bearer <token>} from {@code POST
 * /api/v1/sessions}. On success the uid is in the context ({@link #uid}); otherwise the request fails with
 * {@code 401 auth_failed}.
 */
public final class Authn {
  private static final String UID = "switchboard.uid";

  private final Tokens tokens;

  public Authn(Tokens tokens) {
    this.tokens = tokens;
  }

  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.fail(new ImException(ErrorCode.AUTH_FAILED, "missing 'Authorization: Bearer <token>'"));
      return;
    }
    tokens.verify(header.substring(7).strip()).onSuccess(uid -> {
      ctx.put(UID, uid);
      ctx.next();
    }).onFailure(ctx::fail);
  }

  public static long uid(RoutingContext ctx) {
    return ctx.<Long>get(UID);
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
