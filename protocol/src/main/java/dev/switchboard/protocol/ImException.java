package dev.switchboard.protocol;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A failure with a protocol error code and optional details (e.g. {@code retryAfterMs}). Futures fail with it; the
 * edges (socket, HTTP, event bus) turn it into their own error shape.
 */
public final class ImException extends RuntimeException {
  private static final Logger LOG = Logger.getLogger(ImException.class.getName());
  private final ErrorCode code;
  private final JsonObject details;

  public ImException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public ImException(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra fields for the error frame or body, or null. */
  public JsonObject details() {
    return details;
  }

  /**
   * Maps any failure to an {@link ImException}: event-bus reply failures carry it as JSON (see {@link #failReply});
   * timeouts and missing handlers become {@link ErrorCode#UNAVAILABLE}; anything else {@link ErrorCode#INTERNAL}.
   */
  public static ImException of(Throwable t) {
    if (t instanceof ImException e) {
      return e;
    }
    if (t instanceof ReplyException re) {
      if (re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
        return new ImException(ErrorCode.UNAVAILABLE, "service unavailable (" + re.failureType() + "); retry");
      }
      try {
        JsonObject json = new JsonObject(String.valueOf(re.getMessage()));
        return new ImException(ErrorCode.fromWire(json.getString("code")), json.getString("message"),
            json.getJsonObject("details"));
      } catch (RuntimeException notJson) {
        return new ImException(ErrorCode.INTERNAL, "internal error");
      }
    }
    return new ImException(ErrorCode.INTERNAL, "internal error");
  }

  /**
   * Fails an event-bus request with {@code t}, carrying code, message and details for {@link #of} to read. A failure
   * that is neither an {@link ImException} nor an event-bus reply failure is a defect or an outage (a database error,
   * a bug): the requester only sees {@code internal}, so its cause is logged here with the request's address.
   */
  public static void failReply(Message<?> request, Throwable t) {
    if (!(t instanceof ImException) && !(t instanceof ReplyException)) {
      LOG.log(Level.SEVERE, "internal error answering " + request.address() + ": " + t, t);
    }
    ImException e = of(t);
    JsonObject json = new JsonObject().put("code", e.code.wire()).put("message", e.getMessage());
    if (e.details != null) {
      json.put("details", e.details);
    }
    request.fail(e.code.httpStatus(), json.encode());
  }
}
