package dev.switchboard.gateway.ops;

import dev.switchboard.protocol.frame.Frame;
import io.vertx.core.Future;

/**
 * One op a client may send (docs/protocol.md, "Client → server ops"): its name, when it may be sent, and its handler.
 * Every client op is one implementation (a record of its collaborators), held by name in the gateway's
 * {@link OpRegistry}; the connection looks the op up, checks {@link #access()}, runs {@link #handle} and writes the
 * reply.
 */
public interface ClientOp {
  /** When an op may be sent; the connection answers any other time with the error named here. */
  enum Access {
    /** At any time ({@code ping}). */
    ANYONE,
    /** Before authentication only ({@code auth}); afterwards {@code already_authenticated}. */
    GUEST,
    /**
     * On an authenticated session only (every other op); before it {@code not_authenticated}. These ops count in the
     * session's in-flight bound ({@code gateway.opLimits.maxInFlight}) until their future completes.
     */
    SESSION
  }

  /** The frame's {@code op}, one of {@code OpNames}' client ops. */
  String name();

  default Access access() {
    return Access.SESSION;
  }

  /**
   * Starts the op on the connection's event loop. Completes with the reply frame: a {@code JsonObject}, an already
   * encoded {@code OutFrame}, or null for none (the op answers later, or fire-and-forget). Fails, or throws while
   * validating, with an {@code ImException} (or an event-bus failure {@code ImException.of} maps), which the connection
   * sends as an {@code error} frame echoing the request id. {@code caller.session()} is null only for ops that are not
   * {@link Access#SESSION}.
   */
  Future<?> handle(Caller caller, Frame frame);
}
