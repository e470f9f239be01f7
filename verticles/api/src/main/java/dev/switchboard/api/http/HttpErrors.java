package dev.switchboard.api.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The edge of every HTTP chain: one error shape {@code {code, message, requestId}} with the status of the code, never
 * a stack trace. Every response carries {@code X-Request-Id} (the client's, or a new one).
 */
public final class HttpErrors {
  public static final String REQUEST_ID = "X-Request-Id";
  private static final Logger LOG = Logger.getLogger(HttpErrors.class.getName());

  private HttpErrors() {
  }

  /** Installs the request-id handler (first route) and the failure and status handlers. */
  public static void install(Router router) {
    router.route().order(-1000).handler(ctx -> {
      String id = ctx.request().getHeader(REQUEST_ID);
      if (id == null || id.isEmpty() || id.length() > 128) {
        id = UUID.randomUUID().toString();
      }
      ctx.put(REQUEST_ID, id);
      ctx.response().putHeader(REQUEST_ID, id);
      ctx.next();
    });
    router.route().failureHandler(HttpErrors::onFailure);
    router.errorHandler(404, ctx -> send(ctx, ErrorCode.NOT_FOUND, "no such path: " + ctx.request().path()));
    router.errorHandler(405, ctx -> send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed"));
    router.errorHandler(413, ctx -> send(ctx, ErrorCode.REQUEST_TOO_LARGE, "request body too large"));
  }

  private static void onFailure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof ImException e) {
      send(ctx, e.code(), e.getMessage(), details(e));
    } else if (t == null && ctx.statusCode() == 413) {
      send(ctx, ErrorCode.REQUEST_TOO_LARGE, "request body too large");
    } else if (t == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      send(ctx, ErrorCode.BAD_REQUEST, "bad request");
    } else {
      LOG.log(Level.WARNING, "request " + ctx.get(REQUEST_ID) + " failed", t);
      send(ctx, ErrorCode.INTERNAL, "internal error");
    }
  }

  public static void send(RoutingContext ctx, ErrorCode code, String message) {
    send(ctx, code, message, null);
  }

  /** The error body {@code {code, message, requestId[, details]}} with the code's status. */
  public static void send(RoutingContext ctx, ErrorCode code, String message, JsonObject details) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject body = new JsonObject().put("code", code.wire()).put("message", message)
        .put("requestId", ctx.get(REQUEST_ID));
    if (details != null) {
      body.put("details", details);
    }
    ctx.response().setStatusCode(code.httpStatus()).putHeader("content-type", "application/json")
        .end(body.toBuffer());
  }

  private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile(
      "(field|parameter) '([^']+)'");

  /** The exception's details; for a validation error, {@code {field}} names what was wrong. */
  private static JsonObject details(ImException e) {
    JsonObject details = e.details() == null ? null : e.details().copy();
    if (e.code() == ErrorCode.INVALID_FIELD && e.getMessage() != null) {
      java.util.regex.Matcher m = FIELD.matcher(e.getMessage());
      if (m.find()) {
        details = (details == null ? new JsonObject() : details).put("field", m.group(2));
      }
    }
    return details;
  }

  /** The request body as a JSON object; fails the request with {@code bad_request} otherwise. */
  public static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new ImException(ErrorCode.BAD_REQUEST, "request body must be a JSON object");
      }
      return body;
    } catch (ImException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ImException(ErrorCode.BAD_REQUEST, "request body must be a JSON object");
    }
  }

  /** A required string field of a JSON body; {@code invalid_field} naming it otherwise. */
  public static String string(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (!(v instanceof String s)) {
      throw new ImException(ErrorCode.INVALID_FIELD, "field '" + field + "' must be a string");
    }
    return s;
  }
}
