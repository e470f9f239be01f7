package dev.switchboard.api.presence;

import dev.switchboard.api.store.ContactStore;
import dev.switchboard.api.store.UserStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who hears a user's presence: their contacts (by consent, so both ways) and their {@code lastSeen} setting, read from
 * the API's tables and kept per API instance (least recently used out beyond {@link PresenceConfig#audienceCache},
 * each entry at most {@link PresenceConfig#audienceTtlMs}). {@link #drop} forgets users whose audience changed; a
 * read that was under way when a drop came is used once and not kept. Confined to the API instance's event loop.
 */
final class Audiences {
  /** A user's audience: the contacts' uids, and whether their frames carry {@code lastSeen}. */
  record Audience(long[] contacts, LastSeen setting, long loadedAt) {
  }

  private final ContactStore contacts;
  private final UserStore users;
  private final PresenceConfig config;
  private final Map<Long, Audience> cache;
  /** Counts drops: a read that started before a drop does not enter the cache. */
  private long drops;

  Audiences(ContactStore contacts, UserStore users, PresenceConfig config) {
    this.contacts = contacts;
    this.users = users;
    this.config = config;
    this.cache = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Audience> eldest) {
        return size() > config.audienceCache();
      }
    };
  }

  /** {@code uid}'s audience, from the cache while it is fresh, otherwise from the tables. */
  Future<Audience> of(long uid) {
    long now = System.currentTimeMillis();
    Audience cached = cache.get(uid);
    if (cached != null && now - cached.loadedAt() < config.audienceTtlMs()) {
      return Future.succeededFuture(cached);
    }
    long dropsBefore = drops;
    Future<List<Long>> peers = contacts.contacts(uid);
    Future<LastSeen> setting = users.lastSeenSetting(uid);
    return Future.all(peers, setting).map(v -> {
      Audience a = new Audience(peers.result().stream().mapToLong(Long::longValue).toArray(), setting.result(), now);
      if (drops == dropsBefore) {
        cache.put(uid, a);
      }
      return a;
    });
  }

  /** Forgets what is kept about {@code uids}. */
  void drop(List<Long> uids) {
    drops++;
    for (long uid : uids) {
      cache.remove(uid);
    }
  }
}
