package dev.switchboard.shared;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a protocol error code. Futures fail with it; the edges (socket, HTTP, event bus) turn it into their
 * own error shape.
 */
public final class ImException extends RuntimeException {
  private final ErrorCode code;

  public ImException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /**
   * Maps any failure to an {@link ImException}: event-bus reply failures carry the code name in their message as
   * {@code "code: message"}; timeouts and missing handlers become {@link ErrorCode#UNAVAILABLE}.
   */
  public static ImException of(Throwable t) {
    if (t instanceof ImException e) {
      return e;
    }
    if (t instanceof ReplyException re) {
      if (re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
        return new ImException(ErrorCode.UNAVAILABLE, "service unavailable: " + re.failureType());
      }
      String msg = String.valueOf(re.getMessage());
      int colon = msg.indexOf(": ");
      if (colon > 0) {
        return new ImException(ErrorCode.fromWire(msg.substring(0, colon)), msg.substring(colon + 2));
      }
      return new ImException(ErrorCode.INTERNAL, msg);
    }
    return new ImException(ErrorCode.INTERNAL, "internal error");
  }

  /** The failure message of an event-bus reply that carries this error: {@code "code: message"}. */
  public String toReplyMessage() {
    return code.wire() + ": " + getMessage();
  }
}
