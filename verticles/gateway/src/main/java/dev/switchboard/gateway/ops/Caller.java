package dev.switchboard.gateway.ops;

import dev.switchboard.gateway.session.Member;
import dev.switchboard.gateway.session.Session;

/**
 * The connection an op was received on, as ops see it: a {@link Member} (rooms hold it), its session, and the one
 * thing only the connection may start, authentication. Called on the connection's event loop.
 */
public interface Caller extends Member {
  /** The authenticated session; null before {@code auth.ok}. */
  Session session();

  /**
   * Whether the session is in group {@code gid}'s fan-out: the user was a member when the session came online or was
   * added since, and has not been removed (the gateway hears of every change on the group's timeline).
   */
  boolean inGroup(long gid);

  /**
   * Verifies {@code token} and brings the session online for device kind {@code device} (already validated); the
   * connection answers {@code auth.ok} echoing {@code requestId}, or an {@code auth_failed} error and closes.
   */
  void authenticate(String token, String device, Object requestId);
}
