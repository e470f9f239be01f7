package dev.switchboard.gateway.connection;

import java.util.Arrays;

/**
 * The {@link Outbox}es of one gateway instance, reused: a connection with frames waiting holds the number of one (an
 * {@code int}), not the outbox itself, and gives it back when it is flushed. A delivery then stores no reference into
 * the long-lived connection (each such store dirties a card the collector's refinement thread must scan again, once
 * per message per connection); the few outboxes in use at a time stay warm in the cache. The pool holds as many
 * outboxes as were ever waiting at once (at most one per connection; a fan-out to every connection of the instance
 * fills it once), each at most {@link Outbox#KEEP_FRAMES} frames long when idle.
 *
 * <p>Confined to the instance's event loop.
 */
final class Outboxes {
  /** No outbox: nothing waits. */
  static final int NONE = -1;

  private Outbox[] boxes = new Outbox[64];
  private int size;
  /** Numbers of free outboxes, a stack: the last given back is the next taken (still in the cache). */
  private int[] free = new int[64];
  private int freeCount;

  /** The number of an empty outbox for the caller to fill, then give back. */
  int take() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    if (size == boxes.length) {
      boxes = Arrays.copyOf(boxes, size * 2);
      free = Arrays.copyOf(free, size * 2);
    }
    boxes[size] = new Outbox();
    return size++;
  }

  Outbox get(int number) {
    return boxes[number];
  }

  /** Empties outbox {@code number} (its frames are dropped) and makes it free. */
  void give(int number) {
    boxes[number].clear();
    free[freeCount++] = number;
  }

  /** Outboxes in use. */
  int inUse() {
    return size - freeCount;
  }
}
