package switchboard.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram in microseconds, safe to record from any thread without locks, mergeable across processes
 * (each process writes one line, {@link #merge} sums them). Buckets: 1 µs up to 1 ms, 10 µs up to 10 ms, 100 µs up to
 * 100 ms, 1 ms up to 10 s; anything longer lands in the last bucket. Gatling itself reports whole milliseconds,
 * which cannot show a sub-millisecond echo; this can.
 */
public final class Latency {
  private static final int BUCKETS = 1000 + 900 + 900 + 9900 + 1;
  private final AtomicLongArray counts;
  private final LongAdder sum = new LongAdder();

  public Latency() {
    this(new AtomicLongArray(BUCKETS));
  }

  private Latency(AtomicLongArray counts) {
    this.counts = counts;
  }

  public void record(long micros) {
    long v = Math.max(0, micros);
    counts.incrementAndGet(bucket(v));
    sum.add(v);
  }

  static int bucket(long v) {
    if (v < 1_000) {
      return (int) v;
    } else if (v < 10_000) {
      return 1_000 + (int) ((v - 1_000) / 10);
    } else if (v < 100_000) {
      return 1_900 + (int) ((v - 10_000) / 100);
    } else if (v < 10_000_000) {
      return 2_800 + (int) ((v - 100_000) / 1_000);
    }
    return BUCKETS - 1;
  }

  /** The smallest value of bucket {@code b}, in microseconds. */
  static long lower(int b) {
    if (b < 1_000) {
      return b;
    } else if (b < 1_900) {
      return 1_000 + (b - 1_000) * 10L;
    } else if (b < 2_800) {
      return 10_000 + (b - 1_900) * 100L;
    }
    return 100_000 + (b - 2_800) * 1_000L;
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  public double meanMicros() {
    long n = count();
    return n == 0 ? 0 : (double) sum.sum() / n;
  }

  /** The value below which {@code p} (0..1) of the recordings fall, at bucket resolution, in microseconds. */
  public long percentile(double p) {
    long n = count();
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p * n);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= Math.max(1, rank)) {
        return lower(i);
      }
    }
    return lower(BUCKETS - 1);
  }

  public long max() {
    for (int i = BUCKETS - 1; i >= 0; i--) {
      if (counts.get(i) > 0) {
        return lower(i);
      }
    }
    return 0;
  }

  /** One line: the sum, then {@code bucket:count} for every non-empty bucket. */
  public String toLine() {
    StringBuilder s = new StringBuilder().append(sum.sum());
    for (int i = 0; i < BUCKETS; i++) {
      long c = counts.get(i);
      if (c > 0) {
        s.append(' ').append(i).append(':').append(c);
      }
    }
    return s.toString();
  }

  public static Latency parse(String line) {
    Latency l = new Latency();
    String[] parts = line.trim().split(" ");
    l.sum.add(Long.parseLong(parts[0]));
    for (int i = 1; i < parts.length; i++) {
      int colon = parts[i].indexOf(':');
      l.counts.addAndGet(Integer.parseInt(parts[i].substring(0, colon)), Long.parseLong(parts[i].substring(colon + 1)));
    }
    return l;
  }

  public static Latency merge(List<Latency> parts) {
    Latency all = new Latency();
    for (Latency p : parts) {
      all.sum.add(p.sum.sum());
      for (int i = 0; i < BUCKETS; i++) {
        all.counts.addAndGet(i, p.counts.get(i));
      }
    }
    return all;
  }

  public String summary() {
    return String.format("n=%d mean=%.3fms p50=%.3fms p99=%.3fms max=%.3fms", count(), meanMicros() / 1000.0,
        percentile(0.5) / 1000.0, percentile(0.99) / 1000.0, max() / 1000.0);
  }

  /** Reads every file's lines starting with {@code name=} and merges them. */
  public static Latency read(List<Path> files, String name) throws IOException {
    List<Latency> parts = new ArrayList<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        if (line.startsWith(name + "=")) {
          parts.add(parse(line.substring(name.length() + 1)));
        }
      }
    }
    return merge(parts);
  }
}
