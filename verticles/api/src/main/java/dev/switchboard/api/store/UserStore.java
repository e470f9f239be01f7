package dev.switchboard.api.store;

import dev.switchboard.protocol.contract.UserInfo;
import dev.switchboard.api.presence.LastSeen;
import dev.switchboard.shared.privacy.GroupAdd;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Accounts: each user's name, password hash and kind, their profile (nickname, avatar) and their privacy setting
 * ({@code groupAdd}). The API's own tables {@code users}, {@code user_profiles} and {@code user_privacy}.
 *
 * <p>Every future completes on the caller's context. Each method is one statement (so each write is atomic on its
 * own; none spans several), except {@link #create}, which reads back the row it wrote. No method raises an
 * {@code ImException}: a missing user is a null or an absent entry, and a database failure fails the future with the
 * driver's exception.
 */
public interface UserStore {
  /** A stored account, with what logging in checks: a banned or deleted user may not log in. */
  record User(long uid, String username, String passwordHash, boolean banned, boolean deleted) {
  }

  /** What anyone may read of an account; {@code nickname} and {@code avatar} may be null. */
  record Profile(long uid, String username, String nickname, String avatar, String kind, long createdAt) {
  }

  /**
   * Creates a user of {@code kind} ({@code user} or {@code bot}; {@code nickname} may be null); completes with its
   * uid, or with null when the username is taken (then nothing is written).
   */
  Future<Long> create(String username, String passwordHash, String kind, String nickname);

  /** The user with this (lower-case) username, or null. */
  Future<User> find(String username);

  /** The user with this uid, or null. */
  Future<User> find(long uid);

  /** The id, username and kind of the user with this (lower-case) username, or null. */
  Future<UserInfo> info(String username);

  /** Replaces the user's password hash (nothing happens for a uid with no user). */
  Future<Void> setPasswordHash(long uid, String passwordHash);

  /**
   * Replaces the password hash of {@code uid} with {@code upgraded} if it is still {@code current} (a concurrent
   * change wins). Completes once written.
   */
  Future<Void> upgradePasswordHash(long uid, String current, String upgraded);

  /** The profile of {@code uid}, or null when there is no such user. */
  Future<Profile> profile(long uid);

  /** The profiles of those of {@code uids} that exist, by uid (empty for an empty list, without a round trip). */
  Future<Map<Long, Profile>> profiles(List<Long> uids);

  /**
   * Profiles whose username starts with {@code prefix} ({@code _} is matched literally), in username order, after the
   * username {@code after} ({@code ""} for the first page): {@code limit + 1} of them at most, so the caller knows
   * whether there are more.
   */
  Future<List<Profile>> search(String prefix, String after, int limit);

  /** Sets the user's nickname (null clears it). */
  Future<Void> setNickname(long uid, String nickname);

  /** Sets the user's avatar URL (null clears it), creating their profile row when they have none. */
  Future<Void> setAvatar(long uid, String avatar);

  /** The user's {@code groupAdd} setting ({@link GroupAdd#EVERYONE}, the default, when they never set it). */
  Future<GroupAdd> groupAdd(long uid);

  /** Sets the user's {@code groupAdd} setting. */
  Future<Void> setGroupAdd(long uid, GroupAdd setting);

  /** The user's {@code lastSeen} setting ({@link LastSeen#EVERYONE}, the default, when they never set it). */
  Future<LastSeen> lastSeenSetting(long uid);

  /** Sets the user's {@code lastSeen} setting. */
  Future<Void> setLastSeenSetting(long uid, LastSeen setting);

  /** Records that the user's last session ended at {@code at} (epoch ms). */
  Future<Void> setLastSeen(long uid, long at);

  /** A user's last-seen time ({@code at}, null when never recorded) and their setting for who sees it. */
  record Seen(LastSeen setting, Long at) {
  }

  /** {@link Seen} of each of {@code uids} that exists. */
  Future<Map<Long, Seen>> lastSeen(List<Long> uids);

  /** Bans the user from {@code at} (epoch ms), or lifts the ban ({@code at} null); false when there is no such user. */
  Future<Boolean> setBanned(long uid, Long at);

  /**
   * Deletes the user's profile: the username becomes {@code deleted-<uid>}, nickname, avatar, password and privacy
   * setting are removed, and the row is marked deleted (its uid stays taken: messages keep their sender). False
   * when there is no such user, or it was deleted already.
   */
  Future<Boolean> delete(long uid);
}
