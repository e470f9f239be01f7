package dev.switchboard.group.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Pending group invitations ({@code group_invitations}): one per (user, group), kept until the user accepts or
 * declines, joins the group by a direct add, the group is dissolved, or newer invitations push it out (each user keeps
 * at most the store's maximum, however many groups invite them). Invitations are made, and used up by an accept, inside
 * the group changes of {@link GroupStore}; this interface reads them and declines them.
 *
 * <p>Every future completes on the caller's context; a database failure fails it as the driver reports it.
 */
public interface InvitationStore {

  /** {@code uid}'s pending invitations to live groups, newest first. */
  Future<List<Invitation>> pending(long uid);

  /** Drops {@code uid}'s invitation to {@code gid}, in one transaction; false when there was none. */
  Future<Boolean> decline(long uid, long gid);
}
