package dev.switchboard.api.store;

import dev.switchboard.protocol.contract.PeerCheck;
import dev.switchboard.protocol.contract.PeerFacts;
import io.vertx.core.Future;
import java.util.List;

/**
 * The social graph: contact requests and contacts (by consent, both ways), blocks, and the facts other verticles ask
 * about a pair of users before they act for one toward the other. The API's own tables {@code contacts} (one row per
 * direction) and {@code blocks}, read together with {@code users} and {@code user_privacy} where a fact needs them.
 *
 * <p>Every future completes on the caller's context. A change of the contact state of a pair is one transaction that
 * changes both users' views at once; the other writes are one statement each. Failures the caller answers as they are
 * carry an {@code ImException} with the code named on each method; a database failure fails the future with the
 * driver's exception.
 */
public interface ContactStore {
  /** A pending request seen by one of its users: {@code incoming} when {@code peer} asked. */
  record Request(long peer, boolean incoming, String message, long at) {
  }

  /**
   * {@code uid} asks {@code peer} to be contacts ({@code message} may be null): records the request, or, when
   * {@code peer} had asked {@code uid} already, makes them contacts. Completes with true in the second case.
   * Concurrent requests of the two to each other are serialized: the second makes them contacts. Fails
   * {@code not_found} when {@code peer} does not exist, {@code blocked} when {@code peer} blocked {@code uid},
   * {@code conflict} when they are contacts already.
   */
  Future<Boolean> request(long uid, long peer, String message);

  /** {@code uid} accepts {@code peer}'s request: they become contacts. Fails {@code not_found} when there is none. */
  Future<Void> accept(long uid, long peer);

  /** {@code uid} rejects {@code peer}'s request: it is dropped. Fails {@code not_found} when there is none. */
  Future<Void> reject(long uid, long peer);

  /**
   * {@code uid} removes the contact {@code peer}, or withdraws their own request to {@code peer}: completes with true
   * when they were contacts, false for a withdrawn request. Fails {@code not_found} when it is neither (a request
   * from {@code peer} is answered with {@link #reject}, not removed).
   */
  Future<Boolean> remove(long uid, long peer);

  /** The pending requests to and from {@code uid}, most recently changed first. */
  Future<List<Request>> requests(long uid);

  /** The uids of {@code uid}'s contacts, in uid order. */
  Future<List<Long>> contacts(long uid);

  /** {@code owner} blocks {@code blocked}; blocking twice is one block. Fails {@code not_found} for no such user. */
  Future<Void> block(long owner, long blocked);

  /** {@code owner} unblocks {@code blocked}; nothing happens when there was no block. */
  Future<Void> unblock(long owner, long blocked);

  /** The uids {@code owner} blocked, in uid order. */
  Future<List<Long>> blocked(long owner);

  /**
   * The facts {@code check} asks about each of its pairs (from → to), in its order: {@code to} exists, {@code to}
   * blocked {@code from}, they are contacts, {@code to}'s {@code groupAdd} setting. One round trip for a batch of up
   * to 256 distinct keys per fact, whatever the facts asked; nothing is cached, so a block is in effect for the next
   * check.
   */
  Future<PeerFacts> facts(PeerCheck check);
}
