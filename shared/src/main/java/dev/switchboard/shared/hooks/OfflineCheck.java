package dev.switchboard.shared.hooks;

import dev.switchboard.shared.store.PresenceReader;
import dev.switchboard.shared.store.StateStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of some users have no online session, judged by {@link PresenceReader} as the API's online status is: a
 * session counts while its gateway instance's lease ({@code gatewayAlive}) is set. Reads users in batches of {@link #BATCH}
 * (one batch in flight), so a group's check never floods the state store, and at most {@link #MAX_CHECKS} checks at
 * once per instance: beyond that a check fails at once (the caller counts the notification it drops). Read-only
 * (unlike the API's presence reads, it does not clean up dead entries). Completes on the caller's context.
 */
public final class OfflineCheck {
  /** Users whose presence is read at once. */
  static final int BATCH = 100;
  /** Checks in progress at once, per instance. */
  static final int MAX_CHECKS = 256;
  private final PresenceReader presence;
  private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

  public OfflineCheck(StateStore state) {
    this.presence = new PresenceReader(state);
  }

  /** The users of {@code uids} that have no live session, in the order given. */
  public Future<List<Long>> offline(List<Long> uids) {
    if (running.incrementAndGet() > MAX_CHECKS) {
      running.decrementAndGet();
      return Future.failedFuture(new IllegalStateException("too many presence checks in progress"));
    }
    return next(uids, 0, new ArrayList<>()).andThen(ar -> running.decrementAndGet());
  }

  private Future<List<Long>> next(List<Long> uids, int from, List<Long> out) {
    if (from >= uids.size()) {
      return Future.succeededFuture(out);
    }
    List<Long> batch = uids.subList(from, Math.min(uids.size(), from + BATCH));
    return batch(batch).compose(off -> {
      out.addAll(off);
      return next(uids, from + batch.size(), out);
    });
  }

  private Future<List<Long>> batch(List<Long> uids) {
    return presence.read(uids).map(sessions -> {
      List<Long> off = new ArrayList<>();
      for (int i = 0; i < uids.size(); i++) {
        if (sessions.get(i).live().isEmpty()) {
          off.add(uids.get(i));
        }
      }
      return off;
    });
  }
}
