package dev.switchboard.protocol;

/**
 * Machine-readable error codes, sent as {@code error {id, code, message}} on the long connection, as {@code {code,
 * message}} bodies over HTTP, and as the failure code of event-bus replies. The wire name is {@link #wire()}.
 * docs/protocol.md lists every code; a new code must be added there too.
 */
public enum ErrorCode {
  /** The frame is not a JSON object, or its UTF-8 is invalid. */
  BAD_FRAME("bad_frame", 400),
  /** The frame is larger than the configured limit. */
  FRAME_TOO_LARGE("frame_too_large", 413),
  /** The {@code op} is missing or not known. */
  UNKNOWN_OP("unknown_op", 400),
  /** A field is missing, has the wrong type or an invalid value; the message names the field. */
  INVALID_FIELD("invalid_field", 400),
  /** HTTP: the request body is not the JSON object the endpoint expects. */
  BAD_REQUEST("bad_request", 400),
  /** HTTP: the request body is larger than the configured limit. */
  REQUEST_TOO_LARGE("request_too_large", 413),
  /** HTTP: the path exists but not with this method. */
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  /** The op needs an authenticated session. */
  NOT_AUTHENTICATED("not_authenticated", 401),
  /** The token is missing, malformed, expired or revoked. */
  AUTH_FAILED("auth_failed", 401),
  /** The session is already authenticated. */
  ALREADY_AUTHENTICATED("already_authenticated", 409),
  /** Username taken. */
  CONFLICT("conflict", 409),
  /** Username or password wrong. */
  BAD_CREDENTIALS("bad_credentials", 401),
  /** The message body is larger than the configured limit. */
  BODY_TOO_LARGE("body_too_large", 413),
  /** The recipient blocked the sender. */
  BLOCKED("blocked", 403),
  /** Contacts-only mode: the recipient is not one of your contacts. */
  NOT_CONTACT("not_contact", 403),
  /** The user is banned (by the app's backend through the server API): no login, no token, no session. */
  BANNED("banned", 403),
  /** The user may not do this (e.g. recall another user's message). */
  FORBIDDEN("forbidden", 403),
  /** The recall window of the message has passed. */
  RECALL_EXPIRED("recall_expired", 409),
  /** The edit window of the message has passed. */
  EDIT_EXPIRED("edit_expired", 409),
  /** A bound on reactions was reached (distinct emoji on one message, or one user's reactions to it). */
  TOO_MANY_REACTIONS("too_many_reactions", 409),
  /** The user is not a member of the group. */
  NOT_MEMBER("not_member", 403),
  /** The member (or the whole group) is muted; only owner and admins may speak. */
  MUTED("muted", 403),
  /** The group is at its maximum size. */
  GROUP_FULL("group_full", 409),
  /** The session is already in as many rooms as the gateway allows. */
  TOO_MANY_ROOMS("too_many_rooms", 409),
  /** Too many requests; the error carries {@code retryAfterMs}. */
  RATE_LIMITED("rate_limited", 429),
  /**
   * The application's before-send hook refused the message; the error carries {@code reason} (the application's own
   * code, or {@code hook_unavailable} when the hook failed and its policy is to reject).
   */
  REJECTED("rejected", 403),
  /** The thing named does not exist. */
  NOT_FOUND("not_found", 404),
  /** The server could not serve the request now (a service it needs did not answer); safe to retry. */
  UNAVAILABLE("unavailable", 503),
  /** An uploaded file's type is not on the media allow-list ({@code verticles.api.media.types}). */
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  /** A signed media URL whose signature does not match (tampered, or signed by another key). */
  BAD_SIGNATURE("bad_signature", 403),
  /** A signed media URL past its expiry: ask {@code GET /api/v1/media/{id}} for a fresh one. */
  URL_EXPIRED("url_expired", 403),
  /** An upload's body arrived slower than the minimum rate, or stopped: the connection is closed. */
  UPLOAD_TOO_SLOW("upload_too_slow", 408),
  /** A {@code Range} a media download cannot serve (it starts past the file's end). */
  RANGE_NOT_SATISFIABLE("range_not_satisfiable", 416),
  /** An unexpected server fault; safe to retry with the same {@code cid}. */
  INTERNAL("internal", 500);

  private final String wire;
  private final int httpStatus;

  ErrorCode(String wire, int httpStatus) {
    this.wire = wire;
    this.httpStatus = httpStatus;
  }

  public String wire() {
    return wire;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The code for a wire name, or {@link #INTERNAL} when the name is not known. */
  public static ErrorCode fromWire(String wire) {
    for (ErrorCode c : values()) {
      if (c.wire.equals(wire)) {
        return c;
      }
    }
    return INTERNAL;
  }
}
