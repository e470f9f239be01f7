package dev.switchboard.group.membership;

import dev.switchboard.shared.privacy.GroupAdd;
import dev.switchboard.shared.store.SqlChunks;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for each user an adder puts in a group (at create or later), whether they join at once, get an invitation
 * they can accept or decline, or neither:
 * <ul>
 *   <li>a user who blocked the adder is left out without a trace (no membership, no invitation), and the adder is
 *   told the same as for an invitation, so the add does not reveal the block;</li>
 *   <li>otherwise the user's {@code groupAdd} setting ({@code everyone}, the default; {@code contacts}; {@code
 *   nobody}) decides whether the adder may add them directly; in contacts-only mode {@code everyone} counts as
 *   {@code contacts}, so a non-contact never puts a message in front of a user without their consent;</li>
 *   <li>an add that is not direct becomes an invitation.</li>
 * </ul>
 * Runs inside the caller's transaction; reads {@code blocks}, {@code contacts} and {@code user_privacy}.
 */
final class AddPolicy {
  /** {@code direct}: join now; {@code invited}: get an invitation; {@code hidden}: neither (they blocked the adder). */
  record Split(List<Long> direct, List<Long> invited, List<Long> hidden) {
    /** What the adder is told was invited: real invitations and hidden refusals alike. */
    List<Long> reportedInvited() {
      List<Long> all = new ArrayList<>(invited);
      all.addAll(hidden);
      return all;
    }
  }

  private final boolean contactsOnly;

  AddPolicy(boolean contactsOnly) {
    this.contactsOnly = contactsOnly;
  }

  Future<Split> split(SqlConnection conn, long adder, Collection<Long> targets) {
    List<Long> users = targets.stream().filter(t -> t != adder).toList();
    if (users.isEmpty()) {
      return Future.succeededFuture(new Split(List.of(), List.of(), List.of()));
    }
    List<List<Object>> towardAdder = users.stream().map(u -> List.<Object>of(u, adder)).toList();
    List<List<Object>> fromAdder = users.stream().map(u -> List.<Object>of(adder, u)).toList();
    List<List<Object>> uids = users.stream().map(u -> List.<Object>of(u)).toList();
    Set<Long> blockedAdder = new HashSet<>();
    Set<Long> contacts = new HashSet<>();
    Map<Long, GroupAdd> settings = new HashMap<>();
    return SqlChunks.select(conn, "SELECT owner FROM blocks WHERE (owner, blocked) IN (", "(?, ?)", ")", towardAdder)
        .compose(rows -> {
          rows.forEach(r -> blockedAdder.add(r.getLong("owner")));
          return SqlChunks.select(conn, "SELECT peer FROM contacts WHERE state = 2 AND (uid, peer) IN (", "(?, ?)",
              ")", fromAdder);
        })
        .compose(rows -> {
          rows.forEach(r -> contacts.add(r.getLong("peer")));
          return SqlChunks.select(conn, "SELECT uid, group_add FROM user_privacy WHERE uid IN (", "?", ")", uids);
        })
        .map(rows -> {
          rows.forEach(r -> settings.put(r.getLong("uid"), GroupAdd.of(r.getInteger("group_add"))));
          List<Long> direct = new ArrayList<>();
          List<Long> invited = new ArrayList<>();
          List<Long> hidden = new ArrayList<>();
          for (long u : users) {
            GroupAdd setting = settings.getOrDefault(u, GroupAdd.EVERYONE);
            if (contactsOnly && setting == GroupAdd.EVERYONE) {
              setting = GroupAdd.CONTACTS;
            }
            if (blockedAdder.contains(u)) {
              hidden.add(u);
            } else if (setting == GroupAdd.EVERYONE || (setting == GroupAdd.CONTACTS && contacts.contains(u))) {
              direct.add(u);
            } else {
              invited.add(u);
            }
          }
          return new Split(direct, invited, hidden);
        });
  }
}
