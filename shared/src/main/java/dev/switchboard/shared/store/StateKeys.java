package dev.switchboard.shared.store;

/** Every shared-state key name, in one place. */
public final class StateKeys {
  private StateKeys() {
  }

  /** A claimed node id (for time-ordered message ids): value is the claimer's instance id. */
  public static String nodeId(int id) {
    return "node:" + id;
  }

  /** The send rate-limit bucket of a user. */
  public static String sendRate(long uid) {
    return "rate:send:" + uid;
  }

  /** The rate-limit bucket of a user for one kind of gateway op ({@code kind} is a constant, never client input). */
  public static String opRate(String kind, long uid) {
    return "rate:op:" + kind + ":" + uid;
  }

  /** The room-send rate-limit bucket of a user. */
  public static String roomSendRate(long uid) {
    return "rate:room:" + uid;
  }

  /** A room's own send flag ({@code true}/{@code false}); absent: the gateway default applies. */
  public static String roomSend(String room) {
    return "room:send:" + room;
  }

  /** A room's own counts flag ({@code true}/{@code false}): members get {@code room.count}; absent: the default. */
  public static String roomCounts(String room) {
    return "room:counts:" + room;
  }

  /**
   * A revoked token, by the hash of its id, kept until the token would have expired. The value is the epoch ms from
   * which the token stops working (later than now for a token replaced by a refresh, during its grace).
   */
  public static String revokedToken(long idHash) {
    return "revoked:" + idHash;
  }

  /** Epoch ms before which every token of the user was revoked (logout everywhere, password change). */
  public static String tokensRevokedBefore(long uid) {
    return "revoked-before:" + uid;
  }

  /** Held by the one instance (cluster-wide) running a retention pass of {@code job} (router, group). */
  public static String retentionLock(String job) {
    return "retention:" + job;
  }

  /** The uid of the app's user {@code externalId} in tokens of {@code issuer}; kept until the user is deleted. */
  public static String appIdentity(String issuer, String externalId) {
    return "app-user:" + issuer + "|" + externalId;
  }

  /** Set (to the epoch ms of the ban) while the user is banned; the users table holds the same fact durably. */
  public static String banned(long uid) {
    return "banned:" + uid;
  }

  /**
   * The online sessions of a user: a hash from session id to {@code {device, transport, node, instance, since}}. An
   * entry counts only while its gateway instance is alive ({@link #gatewayAlive}).
   */
  public static String presence(long uid) {
    return "presence:" + uid;
  }

  /**
   * Set (to the epoch ms it was announced) while a user's contacts were told they are online, deleted when they are
   * told the user went offline: set-if-absent and delete make each transition announced once, by one API instance.
   */
  public static String presenceAnnounced(long uid) {
    return "presence-on:" + uid;
  }

  /** When the latest session of a user ended (epoch ms), kept while an offline waits out its grace. */
  public static String presenceEnded(long uid) {
    return "presence-end:" + uid;
  }

  /** Set by each gateway instance with a short lease while it runs: its presence entries are current. */
  public static String gatewayAlive(String instance) {
    return "gw:" + instance;
  }

  /** The API rate-limit bucket of a caller (a uid, or an address for unauthenticated routes). */
  public static String apiRate(String caller) {
    return "rate:api:" + caller;
  }
}
