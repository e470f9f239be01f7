package dev.switchboard.protocol;

/**
 * Event-bus header names shared between the verticles that publish to user, group and room addresses and the
 * gateway. Control messages (kick, revoke, group join/leave/dissolve, room flags) are typed records of
 * {@code dev.switchboard.protocol.contract} carried as the message body, not headers.
 */
public final class BusHeaders {
  /** Names a session that must not receive the frame (the sender's own device). */
  public static final String SKIP = "skip";
  /**
   * Marks a message that is not a frame for sessions (e.g. a liveness probe). Sessions show only {@code OutFrame}
   * bodies and act only on the control records they know, so such a message is ignored whatever its body.
   */
  public static final String CTL = "ctl";

  private BusHeaders() {
  }
}
