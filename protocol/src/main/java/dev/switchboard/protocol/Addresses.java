package dev.switchboard.protocol;

/**
 * The one place that builds event-bus addresses. Call sites never join address strings themselves.
 *
 * <p>Per-user, per-group and per-room addresses replace routing tables: a session consumes its user's address, so a
 * publish there reaches every device of that user on whatever node it is connected.
 */
public final class Addresses {
  /** Point-to-point: one-to-one sends, balanced across router instances. Request/reply. */
  public static final String ROUTER_SEND = "im.router.send";
  /** Point-to-point: {@code sync} pages of a user's inbox. Request/reply. */
  public static final String ROUTER_SYNC = "im.router.sync";
  /**
   * Point-to-point: the one-to-one messages one user sent, paged, optionally erased (server API export and purge).
   * {@code UserMessagesRequest} → {@code SyncPage}.
   */
  public static final String ROUTER_USER_MESSAGES = "im.router.user-messages";
  /** Point-to-point: {@code msg.recv} delivered receipts. {@code RecvRequest} → {@code Ack}. */
  public static final String ROUTER_RECV = "im.router.recv";
  /** Point-to-point: {@code msg.read} read cursors. {@code ReadRequest} → {@code ReadReply}. */
  public static final String ROUTER_READ = "im.router.read";
  /** Point-to-point: {@code msg.recall}. {@code RecallRequest} → {@code RecallReply}. */
  public static final String ROUTER_RECALL = "im.router.recall";
  /** Point-to-point: {@code msg.edit} of a one-to-one message. {@code EditRequest} → {@code EditReply}. */
  public static final String ROUTER_EDIT = "im.router.edit";
  /** Point-to-point: {@code msg.react} on a one-to-one message. {@code ReactRequest} → {@code ReactReply}. */
  public static final String ROUTER_REACT = "im.router.react";
  /** Point-to-point: a one-to-one message's bodies (server API). {@code MessageVersionsRequest} → {@code SyncPage}. */
  public static final String ROUTER_VERSIONS = "im.router.versions";
  /**
   * Point-to-point: a user's conversation list and a conversation's messages, for the HTTP API.
   * {@code ConversationsRequest} → {@code ConversationsReply}.
   */
  public static final String ROUTER_CONVERSATIONS = "im.router.conversations";
  /**
   * Point-to-point: the one-to-one messages a user can read that match a search. {@code SearchRequest} →
   * {@code SearchReply}.
   */
  public static final String ROUTER_SEARCH = "im.router.search";
  /** Point-to-point: group sends, balanced across group-verticle instances. Request/reply. */
  public static final String GROUP_SEND = "im.group.send";
  /** Point-to-point: a group's own retention (server API). {@code GroupRetention} → {@code Ack}. */
  public static final String GROUP_RETENTION = "im.group.retention";
  /**
   * Point-to-point: the group messages one user sent, paged, optionally erased (server API export and purge).
   * {@code UserMessagesRequest} → {@code SyncPage}.
   */
  public static final String GROUP_USER_MESSAGES = "im.group.user-messages";
  /** Point-to-point: group management. {@code GroupCommand} → {@code GroupCommandReply}. */
  public static final String GROUP_MANAGE = "im.group.manage";
  /** Point-to-point: a page of a group's timeline for a member. Request/reply. */
  public static final String GROUP_SYNC = "im.group.sync";
  /** Point-to-point: a member's read cursor. {@code GroupReadRequest} → {@code ReadReply}. */
  public static final String GROUP_READ = "im.group.read";
  /** Point-to-point: recall of a group message. {@code GroupRecallRequest} → {@code RecallReply}. */
  public static final String GROUP_RECALL = "im.group.recall";
  /** Point-to-point: {@code msg.edit} of a group message. {@code EditRequest} → {@code EditReply}. */
  public static final String GROUP_EDIT = "im.group.edit";
  /** Point-to-point: {@code msg.react} on a group message. {@code ReactRequest} → {@code ReactReply}. */
  public static final String GROUP_REACT = "im.group.react";
  /** Point-to-point: a group message's bodies (server API). {@code MessageVersionsRequest} → {@code SyncPage}. */
  public static final String GROUP_VERSIONS = "im.group.versions";
  /**
   * Point-to-point: the messages of a user's current groups (after the user joined each) that match a search.
   * {@code SearchRequest} → {@code SearchReply}.
   */
  public static final String GROUP_SEARCH = "im.group.search";
  /** Point-to-point: a user's groups and their latest seqs. {@code MembershipsRequest} → {@code MembershipsReply}. */
  public static final String GROUP_MEMBERSHIPS = "im.group.memberships";
  /**
   * Point-to-point: an HTTP API call forwarded from a session's long connection. {@code ApiCallRequest} →
   * {@code ApiCallReply}.
   */
  public static final String API_CALL = "im.api.call";
  /**
   * Point-to-point: facts about (sender, recipient) pairs from the accounts and the social graph, one lookup per
   * batch of sends or per group add. {@code PeerCheck} → {@code PeerFacts}.
   */
  public static final String API_PEERS = "im.api.peers";
  /** Point-to-point: an account by username (the bridge's bots). {@code UserLookup} → {@code UserInfo}. */
  public static final String API_USERS = "im.api.users";
  /**
   * Point-to-point: the uid of a user of the app's own identity provider (an app token's issuer and subject), made on
   * first use. {@code IdentityRequest} → {@code IdentityReply}.
   */
  public static final String API_IDENTITIES = "im.api.identities";
  /**
   * Send (point-to-point, any API instance): a session of a user came online or ended ({@code PresenceChange}); the
   * API tells the user's contacts when the user as a whole changed. No reply.
   */
  public static final String API_PRESENCE = "im.api.presence";
  /**
   * Publish: whose presence audience changed ({@code PresenceAudience}: contacts or the {@code lastSeen} setting);
   * every API instance drops what it cached about them.
   */
  public static final String API_PRESENCE_AUDIENCE = "im.api.presence.audience";
  /** Publish: a frame for every connected session on every node. */
  public static final String BROADCAST = "im.broadcast";
  /**
   * Publish: each gateway instance's counts ({@code GatewayStatsReport}), every {@code statsIntervalMs}; the API keeps
   * them.
   */
  public static final String GATEWAY_STATS = "im.gateway.stats";

  /** Send (from a TCP event-bus bridge client): the first frame of a bridge connection, carrying its credential. */
  public static final String BRIDGE_AUTH = "im.bridge.auth";

  /**
   * Send (point-to-point, so that in a cluster with several API processes each event reaches one webhook dispatcher):
   * a {@code HookEvent} for the webhook endpoints. No reply.
   */
  public static final String HOOK_EVENTS = "im.hooks.events";

  private static final String EVENTS = "im.events.";
  private static final String USER = "im.user.";
  private static final String BOT = "im.bot.";
  private static final String GROUP = "im.group.g.";
  private static final String ROOM = "im.room.";

  private Addresses() {
  }

  /**
   * Every device of user {@code uid}, on every node. Publish to it through {@link UserBus}: in a cluster the sessions'
   * consumers on it are local, behind the shard address {@link #userShard}.
   */
  public static String user(long uid) {
    return USER + uid;
  }

  /** The user of a user address ({@link #user}); -1 for any other address. */
  public static long uidOf(String address) {
    if (!address.startsWith(USER)) {
      return -1;
    }
    try {
      return Long.parseLong(address, USER.length(), address.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Every process holding a session (or a bot) of a user of shard {@code shard} ({@link UserBus}); under
   * {@code im.user.} so that bridge clients can no more consume it than a user address.
   */
  public static String userShard(int shard) {
    return USER + "shard." + shard;
  }

  /**
   * Every node holding at least one online member of group {@code gid} ({@code im.group.g.<gid>}, kept apart from the
   * group verticle's own {@code im.group.*} service addresses).
   */
  public static String group(long gid) {
    return GROUP + gid;
  }

  /** Everything sent to bot {@code name} (a user of kind {@code bot}), as JSON frames, for bridge clients. */
  public static String bot(String name) {
    return BOT + name;
  }

  /** True for any user address ({@code im.user.*}): never open to bridge clients. */
  public static boolean isUser(String address) {
    return address.startsWith(USER);
  }

  /** Every node holding at least one member session of room {@code room} (a name {@link RoomName} accepts). */
  public static String room(String room) {
    return ROOM + room;
  }

  /**
   * Publish: the webhook event of type {@code type} (e.g. {@code message.sent}) as its JSON envelope, for services on
   * the event bus (bridge clients may consume {@code im.events.*}); only when {@code hooks.busEvents} is on.
   */
  public static String events(String type) {
    return EVENTS + type;
  }
}
