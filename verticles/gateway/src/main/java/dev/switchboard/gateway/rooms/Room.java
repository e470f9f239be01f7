package dev.switchboard.gateway.rooms;

import dev.switchboard.gateway.session.Member;
import dev.switchboard.protocol.frame.OutFrame;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One room on one gateway instance: its member sessions here, its one consumer on {@code im.room.<name>}, and the
 * batch of messages waiting for the window to close. Confined to the instance's event loop.
 *
 * <p>A batch is written as one {@code room.msgs {room, msgs: [...]}} frame built by concatenating the messages'
 * already-encoded JSON bytes: the frame is encoded once per window and the same bytes go to every member.
 */
final class Room {
  private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

  final String name;
  final MessageConsumer<Object> consumer;
  final Set<Member> members = new LinkedHashSet<>();
  /** Completes when the consumer is registered and the room's own send flag is known. */
  Future<Void> ready;
  /** The room's own send flag; null: the gateway default applies. */
  Boolean membersMaySend;
  /** The room's own counts flag; null: the gateway default applies. */
  Boolean counts;
  /**
   * Counting rooms ({@link RoomCounts}): each gateway instance's latest member count of the room, with when it came,
   * this instance's own included; the throttles of this instance's count reports and of the frames to its members.
   */
  final Map<String, long[]> instanceCounts = new HashMap<>();
  Throttle reports;
  Throttle frames;
  long timer = -1;
  private final byte[] prefix;
  private byte[][] pending;
  private int pendingCount;
  private int pendingBytes;

  Room(String name, MessageConsumer<Object> consumer, int batchMax) {
    this.name = name;
    this.consumer = consumer;
    this.prefix = ("{\"op\":\"room.msgs\",\"room\":\"" + name + "\",\"msgs\":[").getBytes(StandardCharsets.UTF_8);
    this.pending = new byte[batchMax][];
  }

  /** Adds a message to the batch; true when the batch is now full. */
  boolean add(byte[] msg) {
    pending[pendingCount++] = msg;
    pendingBytes += msg.length;
    return pendingCount == pending.length;
  }

  boolean hasPending() {
    return pendingCount > 0;
  }

  /** The pending messages as one frame, and an empty batch. */
  OutFrame drain() {
    byte[] frame = new byte[prefix.length + pendingBytes + (pendingCount - 1) + SUFFIX.length];
    System.arraycopy(prefix, 0, frame, 0, prefix.length);
    int at = prefix.length;
    for (int i = 0; i < pendingCount; i++) {
      if (i > 0) {
        frame[at++] = ',';
      }
      byte[] msg = pending[i];
      System.arraycopy(msg, 0, frame, at, msg.length);
      at += msg.length;
      pending[i] = null;
    }
    System.arraycopy(SUFFIX, 0, frame, at, SUFFIX.length);
    pendingCount = 0;
    pendingBytes = 0;
    return OutFrame.ofJsonBytes(frame);
  }

  /** One message alone as a frame (batching off). */
  OutFrame single(byte[] msg) {
    add(msg);
    return drain();
  }
}
