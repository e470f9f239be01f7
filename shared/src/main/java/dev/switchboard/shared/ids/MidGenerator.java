package dev.switchboard.shared.ids;

/**
 * Time-ordered 64-bit message ids generated in-process: 41 bits of milliseconds since 2026-01-01 UTC, 10 bits of node
 * id, 12 bits of a per-millisecond counter (4,096 ids per ms per node; the generator waits for the next millisecond
 * past that). Ids of one node are strictly increasing; ids of different nodes never collide while node ids are unique.
 *
 * <p>Thread-safe; ids stay increasing when the wall clock steps back (the generator keeps the last millisecond used).
 */
public final class MidGenerator {
  public static final long EPOCH_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  public static final int MAX_NODE = 1023;
  private static final int COUNTER_BITS = 12;
  private static final int NODE_BITS = 10;
  private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;

  private static final java.util.concurrent.ConcurrentHashMap<Integer, MidGenerator> BY_NODE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final long node;
  private long lastMs;
  private long counter;

  public MidGenerator(int nodeId) {
    if (nodeId < 0 || nodeId > MAX_NODE) {
      throw new IllegalArgumentException("node id must be in 0.." + MAX_NODE);
    }
    this.node = nodeId;
  }

  /**
   * The one generator of node id {@code nodeId} in this JVM. Every verticle instance of a node must share it: two
   * generators with the same node id would hand out the same ids.
   */
  public static MidGenerator forNode(int nodeId) {
    return BY_NODE.computeIfAbsent(nodeId, MidGenerator::new);
  }

  public synchronized long next() {
    long now = Math.max(System.currentTimeMillis() - EPOCH_MS, lastMs);
    if (now == lastMs) {
      counter = (counter + 1) & COUNTER_MASK;
      if (counter == 0) {
        now = lastMs + 1; // borrow the next millisecond rather than spin
      }
    } else {
      counter = 0;
    }
    lastMs = now;
    return (now << (NODE_BITS + COUNTER_BITS)) | (node << COUNTER_BITS) | counter;
  }

  /** The epoch milliseconds encoded in {@code mid}. */
  public static long timestampOf(long mid) {
    return (mid >>> (NODE_BITS + COUNTER_BITS)) + EPOCH_MS;
  }

  /** The smallest mid minted at or after epoch ms {@code ts}: mids below it are older (retention cutoffs). */
  public static long firstAt(long ts) {
    return Math.max(0, ts - EPOCH_MS) << (NODE_BITS + COUNTER_BITS);
  }

  /** What a mid is multiplied by per millisecond (mids below {@code ms * MS_FACTOR} are older than EPOCH + ms). */
  public static final long MS_FACTOR = 1L << (NODE_BITS + COUNTER_BITS);

  public static int nodeOf(long mid) {
    return (int) ((mid >>> COUNTER_BITS) & MAX_NODE);
  }
}
