package dev.switchboard.shared;

/** Event-bus header names shared between the verticles that publish to user addresses and the gateway. */
public final class BusHeaders {
  /** Names a session that must not receive the frame (the sender's own device). */
  public static final String SKIP = "skip";
  /** Marks a control message on a user's address; absent on plain frames. */
  public static final String CTL = "ctl";
  /** Control: close older sessions of the same device kind ({@code device}, {@code session}, {@code since}). */
  public static final String CTL_KICK = "kick";

  /**
   * Control: this user joined group {@code gid}: sessions subscribe to the group's address, catch up from
   * {@code seq} and show the frame the message carries.
   */
  public static final String CTL_GROUP_JOIN = "group.join";
  /** Control: this user left (or was removed from) group {@code gid}: sessions unsubscribe and show the frame. */
  public static final String CTL_GROUP_LEAVE = "group.leave";
  /** Control, on a group's address: the group was dissolved: show the frame, then drop the subscription. */
  public static final String CTL_GROUP_DISSOLVE = "group.dissolve";
  /** Control, on a room's address: the room's own send flag changed; header {@link #SEND} is true, false or absent. */
  public static final String CTL_ROOM_FLAGS = "room.flags";
  /** Whether members may send in the room ({@code true}/{@code false}); absent: the gateway's default applies. */
  public static final String SEND = "send";
  /**
   * Control: the token whose id hash is in header {@link #TOKEN} was revoked (logout): its sessions close. With header
   * {@link #UNTIL} the token was replaced by a refresh and works until then (epoch ms): its sessions end at that time
   * unless they move to the new token ({@code auth.refresh}).
   */
  public static final String CTL_REVOKE = "revoke";
  /** Epoch ms at which a refreshed token stops working (see {@link #CTL_REVOKE}). */
  public static final String UNTIL = "until";
  /**
   * Control: every token of the user issued before the epoch ms in header {@link #BEFORE} was revoked (logout
   * everywhere, password change): the sessions authenticated with one close.
   */
  public static final String CTL_REVOKE_ALL = "revoke.all";
  /** Epoch ms of a {@link #CTL_REVOKE_ALL}. */
  public static final String BEFORE = "before";
  /** Why a {@link #CTL_KICK_SESSION} closes the session (the {@code reason} of the {@code kicked} frame). */
  public static final String REASON = "reason";
  /** Control: the user closed one of their sessions (header {@code session}) from another device. */
  public static final String CTL_KICK_SESSION = "kick.session";
  /** A token id hash ({@code Tokens.idHash}) as a decimal string. */
  public static final String TOKEN = "token";
  /** The group of a group control message. */
  public static final String GID = "gid";
  /** The group seq a group control message refers to. */
  public static final String SEQ = "seq";

  private BusHeaders() {
  }
}
