package dev.switchboard.protocol.frame;

/**
 * Why the server closed a connection. A WebSocket is closed with {@link #wsStatus()} and the wire name as the reason
 * text; a TCP connection is preceded by a {@code kicked} or {@code error} frame where one applies. docs/protocol.md lists
 * them and says which ones a client should reconnect after.
 */
public enum CloseReason {
  /** No successful {@code auth} within the auth timeout. */
  AUTH_TIMEOUT("auth_timeout", 4001),
  /** The {@code auth} token was rejected. */
  AUTH_FAILED("auth_failed", 4002),
  /** Nothing received for {@code heartbeat × misses}. */
  IDLE_TIMEOUT("idle_timeout", 4003),
  /** Another login with the same user and device kind took over. */
  KICKED("kicked", 4004),
  /** The client did not read fast enough; its outbound queue passed its bound. */
  SLOW_CONSUMER("slow_consumer", 4005),
  /** A TCP header announced a frame over the limit (or zero); the stream cannot be resynchronised. */
  FRAME_TOO_LARGE("frame_too_large", 4006),
  /** The server is shutting down; reconnect (to another gateway). */
  SHUTDOWN("shutdown", 4007),
  /** The token of the session was revoked (the user logged out); log in again. */
  REVOKED("revoked", 4008),
  /**
   * The session's token expired and the client did not send {@code auth.refresh} with a fresh one in time; preceded by
   * {@code kicked {reason: "token_expired"}}. Refresh the token (or log in) and reconnect.
   */
  TOKEN_EXPIRED("token_expired", 4009),
  /** The user was banned (server API): preceded by {@code kicked {reason: "banned"}}; do not reconnect. */
  BANNED("banned", 4010),
  /** (WebSocket) A text message was not valid UTF-8 (RFC 6455 section 8.1). */
  INVALID_UTF8("invalid_utf8", 1007),
  /** (WebSocket) A message over 4× the frame limit: it is not read to its end. */
  MESSAGE_TOO_BIG("message_too_big", 1009),
  /** (WebSocket) A frame broke RFC 6455 (bad opcode, unmasked, a continuation without a start...). */
  PROTOCOL_ERROR("protocol_error", 1002),
  /** The client closed, or the network dropped. */
  CLIENT_CLOSED("client_closed", 1000);

  private final String wire;
  private final int wsStatus;

  CloseReason(String wire, int wsStatus) {
    this.wire = wire;
    this.wsStatus = wsStatus;
  }

  public String wire() {
    return wire;
  }

  public short wsStatus() {
    return (short) wsStatus;
  }
}
