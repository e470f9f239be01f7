package dev.switchboard.router.store;

import dev.switchboard.protocol.ImException;
import dev.switchboard.protocol.contract.SendRequest;
import io.vertx.core.Future;
import java.util.List;

/**
 * The one-to-one send batch: a batch of sends written in one transaction, with the duplicates of earlier sends
 * answered from what is stored. The write function of the router's {@code BatchWriter}.
 */
public interface SendStore {

  /** One send of a batch: its request, its body as text for the database, and the mid and time it was given. */
  record Send(SendRequest request, String bodyText, long mid, long ts) {
  }

  /**
   * The outcome of writing one send: the message as stored, with its seq in the sender's and the recipient's inbox
   * (the same seq for a note to oneself), and the snapshot of the message it quotes ({@code reply}, JSON; null: none).
   * For a duplicate {@code cid}, the original message, with {@code duplicate} set and nothing to deliver again.
   */
  record Stored(long mid, long ts, long senderSeq, long recipientSeq, boolean duplicate, String reply) {
    public Stored(long mid, long ts, long senderSeq, long recipientSeq, boolean duplicate) {
      this(mid, ts, senderSeq, recipientSeq, duplicate, null);
    }
  }

  /** Who may message whom, for the new sends of a batch (those that are not duplicates). */
  @FunctionalInterface
  interface Judge {
    /** The failure of the send at {@code index} of the batch, or null when it may be stored. */
    ImException refusal(int index);
  }

  /**
   * Writes {@code sends} in one transaction; nothing is visible, and no seq is used, unless all of it commits.
   *
   * <p>First the duplicates are found: a send whose (sender, {@code cid}) is stored already gets the stored message
   * ({@link Stored#duplicate()} set), and a repeat within the batch gets the outcome of its first occurrence (as a
   * duplicate when that one is stored). Then, once {@code judge} completes (it is usually still pending when the
   * write starts: it runs while the connection is taken and the duplicates are looked up), every other send it
   * refuses gets its refusal, a send quoting a message that is not one of its conversation's (or is recalled) fails
   * {@code not_found}, and the rest are stored: each party's inbox seqs reserved (gap-free per user, in commit
   * order), both sides' conversations bumped, the message and its inbox entries inserted. The number of statements is
   * fixed whatever the batch's size (multi-row statements, padded to a power-of-two number of rows).
   *
   * @param judge completes with the verdict on the batch's new sends; a failed judge fails the whole write (rolled
   *              back), so a judge that cannot decide succeeds with a refusal for every send instead
   * @return on the caller's context, one outcome per send in batch order: a {@link Stored}, or the {@link ImException}
   *         {@code judge} gave it. Fails, with nothing stored, when the database refuses the transaction (a key it
   *         would violate, a value it cannot hold, a deadlock) or cannot be reached; the caller retries or splits.
   */
  Future<List<Object>> write(List<Send> sends, Future<Judge> judge);
}
