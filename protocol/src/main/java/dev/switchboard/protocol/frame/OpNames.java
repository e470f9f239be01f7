package dev.switchboard.protocol.frame;

/**
 * Every {@code op} of the client protocol (docs/protocol.md), in one place: what a client sends, then what the server
 * sends. Dispatch tables and frame builders name ops only through these constants.
 */
public final class OpNames {
  // ---- client → server ----
  public static final String AUTH = "auth";
  public static final String AUTH_REFRESH = "auth.refresh";
  public static final String PING = "ping";
  public static final String MSG_SEND = "msg.send";
  public static final String SYNC = "sync";
  public static final String MSG_RECV = "msg.recv";
  /** Client: a read cursor moved; server: the same, told to the peer and the reader's other devices. */
  public static final String MSG_READ = "msg.read";
  public static final String MSG_RECALL = "msg.recall";
  public static final String MSG_EDIT = "msg.edit";
  public static final String MSG_REACT = "msg.react";
  /** Client: the user is typing (or stopped); server: the same, relayed to the peer or the group. */
  public static final String TYPING = "typing";
  public static final String API = "api";
  public static final String ROOM_JOIN = "room.join";
  public static final String ROOM_LEAVE = "room.leave";
  public static final String ROOM_SEND = "room.send";

  // ---- server → client ----
  public static final String AUTH_OK = "auth.ok";
  public static final String AUTH_REFRESH_OK = "auth.refresh.ok";
  public static final String PONG = "pong";
  public static final String OK = "ok";
  public static final String ERROR = "error";
  public static final String MSG = "msg";
  public static final String MSG_ACK = "msg.ack";
  public static final String SYNC_BATCH = "sync.batch";
  public static final String MSG_DELIVERED = "msg.delivered";
  public static final String MSG_RECALLED = "msg.recalled";
  public static final String MSG_RECALL_OK = "msg.recall.ok";
  public static final String MSG_EDITED = "msg.edited";
  public static final String MSG_EDIT_OK = "msg.edit.ok";
  public static final String MSG_REACTIONS = "msg.reactions";
  public static final String MSG_REACT_OK = "msg.react.ok";
  public static final String API_RESULT = "api.result";
  public static final String GROUPS = "groups";
  public static final String GROUP_EVENT = "group.event";
  public static final String GROUP_INVITE = "group.invite";
  public static final String CONTACT_EVENT = "contact.event";
  public static final String PRESENCE = "presence";
  public static final String ROOM_COUNT = "room.count";
  public static final String ROOM_MSGS = "room.msgs";
  public static final String PUSH = "push";
  public static final String KICKED = "kicked";
  public static final String TOKEN_EXPIRING = "token.expiring";

  private OpNames() {
  }
}
