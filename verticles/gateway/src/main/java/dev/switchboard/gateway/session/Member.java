package dev.switchboard.gateway.session;

import dev.switchboard.protocol.frame.OutFrame;

/**
 * A session as rooms and group fan-out see it: somewhere to deliver frames, and its id. Rooms and groups hold members,
 * never connections, so they know nothing of the wire or of a connection's life. Every method is called on the
 * member's event loop (the gateway instance's).
 */
public interface Member {
  /**
   * Queues an encoded frame for this session. {@code urgent} (frames for the session alone, room batches) leaves at the
   * end of this event-loop turn; a fan-out frame ({@code urgent} false) may wait for the write window. A member that
   * does not keep up is cut off here (and leaves its rooms and groups), never waited for; nothing is thrown.
   */
  void deliver(OutFrame frame, boolean urgent);

  /** The session's id ({@code auth.ok}'s {@code session}), to skip the session that sent a message; null before auth. */
  String sessionId();

  /** The group fan-out dropped this member from group {@code gid} (the group was dissolved). */
  void leftGroup(long gid);
}
