package dev.switchboard.group.membership;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import dev.switchboard.shared.privacy.GroupAdd;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * Blocks, contacts and privacy settings are the API's: {@link #ask} gets them in one ask before the command's
 * transaction; {@link #split} decides from the answer.
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

  /** The API's answer about the users an adder named: the position of each user's facts in {@code facts}. */
  record Targets(Map<Long, Integer> index, PeerFacts facts) {
    /** Throws {@code not_found} naming the first of {@code uids} that does not exist. */
    void requireUsers(Collection<Long> uids) {
      for (long uid : uids) {
        Integer i = index.get(uid);
        if (i == null || !facts.has(i, PeerCheck.EXISTS)) {
          throw new ImException(ErrorCode.NOT_FOUND, "no user " + uid);
        }
      }
    }
  }

  private final ApiPeers peers;
  private final boolean contactsOnly;

  AddPolicy(ApiPeers peers, boolean contactsOnly) {
    this.peers = peers;
    this.contactsOnly = contactsOnly;
  }

  /** Asks the API about each of {@code targets} as added by {@code adder}: one ask, whatever their number. */
  Future<Targets> ask(long adder, Collection<Long> targets) {
    Map<Long, Integer> index = new HashMap<>();
    List<Long> users = new ArrayList<>(targets.size());
    for (long u : targets) {
      if (index.putIfAbsent(u, users.size()) == null) {
        users.add(u);
      }
    }
    return peers.ask(Collections.nCopies(users.size(), adder), users,
            PeerCheck.EXISTS | PeerCheck.BLOCKED | PeerCheck.CONTACT | PeerCheck.GROUP_ADD)
        .map(facts -> new Targets(index, facts));
  }

  /** Splits {@code targets} (each one {@link #ask} was asked about) by what {@code adder} may do. */
  Split split(Targets asked, long adder, Collection<Long> targets) {
    List<Long> direct = new ArrayList<>();
    List<Long> invited = new ArrayList<>();
    List<Long> hidden = new ArrayList<>();
    for (long u : targets) {
      if (u == adder) {
        continue;
      }
      int i = asked.index().get(u);
      GroupAdd setting = GroupAdd.of(asked.facts().groupAdd().get(i));
      if (contactsOnly && setting == GroupAdd.EVERYONE) {
        setting = GroupAdd.CONTACTS;
      }
      if (asked.facts().has(i, PeerCheck.BLOCKED)) {
        hidden.add(u);
      } else if (setting == GroupAdd.EVERYONE
          || (setting == GroupAdd.CONTACTS && asked.facts().has(i, PeerCheck.CONTACT))) {
        direct.add(u);
      } else {
        invited.add(u);
      }
    }
    return new Split(direct, invited, hidden);
  }
}
