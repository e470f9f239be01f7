package dev.switchboard.shared;

/** Event-bus header names shared between the verticles that publish to user addresses and the gateway. */
public final class BusHeaders {
  /** Names a session that must not receive the frame (the sender's own device). */
  public static final String SKIP = "skip";
  /** Marks a control message on a user's address; absent on plain frames. */
  public static final String CTL = "ctl";
  /** Control: close older sessions of the same device kind ({@code device}, {@code session}, {@code since}). */
  public static final String CTL_KICK = "kick";

  private BusHeaders() {
  }
}
