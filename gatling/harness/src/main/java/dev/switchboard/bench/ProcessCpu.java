package dev.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the processes a benchmark run shares the machine with (the server, MariaDB, Redis and this load
 * generator), read from /proc over a measured window, so a run can state where each message's CPU went.
 */
final class ProcessCpu {
  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final Map<String, Long> start = new LinkedHashMap<>();

  /** {@code serverPid} may be null (not measured); MariaDB and Redis are found by process name when running. */
  ProcessCpu(String serverPid) {
    if (serverPid != null) {
      pids.put("server", Long.parseLong(serverPid));
    }
    find("mariadbd").or(() -> find("mysqld")).ifPresent(p -> pids.put("mariadb", p));
    findComm("redis-server").ifPresent(p -> pids.put("redis", p));
    pids.put("load generator", ProcessHandle.current().pid());
  }

  private static java.util.Optional<Long> find(String name) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals(name)).orElse(false))
        .map(ProcessHandle::pid).findFirst();
  }

  /** By /proc/<pid>/comm: Redis rewrites its command line, so its command is not its executable's name. */
  private static java.util.Optional<Long> findComm(String name) {
    return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
      try {
        return Files.readString(Path.of("/proc", pid.toString(), "comm")).strip().equals(name);
      } catch (Exception e) {
        return false;
      }
    }).findFirst();
  }

  static long ticks(long pid) {
    try {
      String[] f = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ", 2)[1].split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (Exception e) {
      return -1;
    }
  }

  private Map<String, Long> threadsAtStart = Map.of();

  private Syscalls syscalls;

  /**
   * Starts the window. With {@code syscallSeconds > 0} the server's system calls are also counted by kind for that
   * long (perf stat on its syscall tracepoints; see {@link Syscalls}).
   */
  void begin(int syscallSeconds) {
    Long server = pids.get("server");
    if (syscallSeconds > 0 && server != null) {
      syscalls = Syscalls.start(server, syscallSeconds);
    }
    begin();
  }

  void begin() {
    pids.forEach((name, pid) -> start.put(name, ticks(pid)));
    Long server = pids.get("server");
    threadsAtStart = server == null ? Map.of() : threadTicks(server);
  }

  /** The server's CPU ticks by kind of thread: event loops, JIT compiler, GC, everything else. */
  private static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> byKind = new LinkedHashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(t -> {
        try {
          String comm = Files.readString(t.resolve("comm")).strip();
          String[] f = Files.readString(t.resolve("stat")).split("\\) ", 2)[1].split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          String kind = comm.startsWith("vert.x-eventloo") ? "event loops"
              : comm.contains("CompilerThre") ? "JIT compiler"
              : comm.startsWith("GC ") || comm.startsWith("G1 ") ? "GC" : "other threads";
          byKind.merge(kind, ticks, Long::sum);
        } catch (Exception gone) {
          // a thread that ended between the listing and the read
        }
      });
    } catch (Exception e) {
      return byKind;
    }
    return byKind;
  }

  /** CPU seconds of the server over the window (NaN when not measured). */
  double serverSeconds() {
    Long pid = pids.get("server");
    return pid == null ? Double.NaN : (ticks(pid) - start.get("server")) / 100.0;
  }

  /** One line per process: CPU seconds, share of a core, and µs per unit of work ({@code units} over the window). */
  String report(double seconds, long units, String unit) {
    StringBuilder out = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      double cpu = (ticks(e.getValue()) - start.get(e.getKey())) / 100.0;
      total += cpu;
      out.append(String.format("  %-15s %7.2f s CPU = %5.1f%% of a core = %6.1f µs per %s%n", e.getKey(), cpu,
          100 * cpu / seconds, 1e6 * cpu / Math.max(1, units), unit));
    }
    Long server = pids.get("server");
    if (server != null) {
      Map<String, Long> now = threadTicks(server);
      now.forEach((kind, ticks) -> {
        double cpu = (ticks - threadsAtStart.getOrDefault(kind, 0L)) / 100.0;
        out.append(String.format("    server %-13s %5.2f s CPU = %6.1f µs per %s%n", kind, cpu,
            1e6 * cpu / Math.max(1, units), unit));
      });
    }
    out.append(String.format("  %-15s %7.2f s CPU = %5.1f%% of a core = %6.1f µs per %s%n", "all of these", total,
        100 * total / seconds, 1e6 * total / Math.max(1, units), unit));
    if (syscalls != null) {
      out.append(syscalls.report(units, unit));
    }
    return out.toString();
  }
}
