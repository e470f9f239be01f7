package switchboard.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code HistogramDiff <empty> <full> <connections> [top]}: what one connection holds on the heap, from two
 * {@code jcmd GC.class_histogram} outputs of the same process (without and with the connections): the classes whose
 * bytes grew most, as instances and bytes per connection.
 */
public final class HistogramDiff {
  private HistogramDiff() {
  }

  private record Row(long instances, long bytes) {
  }

  private static Map<String, Row> read(Path file) throws Exception {
    Map<String, Row> rows = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        rows.merge(f[3], new Row(Long.parseLong(f[1]), Long.parseLong(f[2])),
            (a, b) -> new Row(a.instances + b.instances, a.bytes + b.bytes));
      }
    }
    return rows;
  }

  public static void main(String[] args) throws Exception {
    Map<String, Row> empty = read(Path.of(args[0]));
    Map<String, Row> full = read(Path.of(args[1]));
    double n = Double.parseDouble(args[2]);
    int top = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    long total = 0;
    Map<String, Row> grown = new HashMap<>();
    for (Map.Entry<String, Row> e : full.entrySet()) {
      Row before = empty.getOrDefault(e.getKey(), new Row(0, 0));
      Row d = new Row(e.getValue().instances - before.instances, e.getValue().bytes - before.bytes);
      total += d.bytes;
      grown.put(e.getKey(), d);
    }
    System.out.printf("per connection (%.0f connections in this process): %.0f B%n", n, total / n);
    System.out.println("  bytes/conn  instances/conn  class");
    grown.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes)).limit(top)
        .forEach(e -> System.out.printf("  %10.0f  %14.2f  %s%n", e.getValue().bytes / n, e.getValue().instances / n,
            e.getKey()));
  }
}
