package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's system calls over a benchmark's measured window, counted by Linux's syscall tracepoints through
 * {@code perf stat -p <pid> -- sleep <window>} (in-kernel counters, no stop per call as under strace). Enabling
 * syscall tracepoints sends every process's system calls through the kernel's slower traced path, so a counting run
 * acks fewer messages and costs more CPU per message (measured: 8,755 instead of 11,800 acked msg/s at saturation):
 * take counts from it, and CPU and throughput from a run without it. Needs perf and tracefs (root, or
 * {@code perf_event_paranoid} low enough); the run fails when they are missing rather than reporting nothing.
 */
final class Syscalls {
  private final Process perf;
  private final int seconds;

  private Syscalls(Process perf, int seconds) {
    this.perf = perf;
    this.seconds = seconds;
  }

  static Syscalls start(long pid, int seconds) {
    List<String> cmd = new ArrayList<>(List.of("perf", "stat", "-x", ",", "-e", "raw_syscalls:sys_enter", "-e",
        "syscalls:sys_enter_*"));
    cmd.addAll(List.of("-p", Long.toString(pid), "--", "sleep", Integer.toString(seconds)));
    try {
      return new Syscalls(new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start(), seconds);
    } catch (IOException e) {
      throw new IllegalStateException("syscalls=1 needs perf on the PATH", e);
    }
  }

  /**
   * Waits for the count to end and prints each kind per unit of work; {@code units} is the work done in the whole
   * measured window, scaled to the counted seconds by the caller's window length being the same.
   */
  String report(long units, String unit) {
    try {
      if (!perf.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
        perf.destroyForcibly();
        throw new IllegalStateException("perf stat did not end");
      }
      String csv = new String(perf.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder("  server system calls over the window (perf stat), per " + unit + ":\n");
      List<Map.Entry<String, Long>> counts = new ArrayList<>();
      for (String line : csv.split("\n")) {
        String[] f = line.split(",");
        if (f.length < 3 || !f[2].contains("sys_enter")) {
          continue;
        }
        if (!f[0].matches("\\d+")) {
          throw new IllegalStateException("perf could not count " + f[2] + ": " + line);
        }
        String name = f[2].startsWith("raw_") ? "all" : f[2].substring(f[2].lastIndexOf("sys_enter_") + 10);
        long n = Long.parseLong(f[0]);
        if (n > 0 || name.equals("all")) {
          counts.add(Map.entry(name, n));
        }
      }
      // "all" first, then the kinds by count; kinds under 0.01 per unit are summed into "rest".
      counts.sort(Comparator.comparing((Map.Entry<String, Long> e) -> !e.getKey().equals("all"))
          .thenComparing(Map.Entry::getValue, Comparator.reverseOrder()));
      long rest = 0;
      for (Map.Entry<String, Long> e : counts) {
        double per = (double) e.getValue() / Math.max(1, units);
        if (per < 0.01 && !e.getKey().equals("all")) {
          rest += e.getValue();
          continue;
        }
        out.append(String.format("    %-14s %10d = %7.3f per %s%n", e.getKey(), e.getValue(), per, unit));
      }
      out.append(String.format("    %-14s %10d = %7.3f per %s%n", "rest", rest, (double) rest / Math.max(1, units),
          unit));
      return out.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
