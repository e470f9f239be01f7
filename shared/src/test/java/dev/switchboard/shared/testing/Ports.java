package dev.switchboard.shared.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers a test starts later, often in another process. Not the kernel's choice of a free port: that one
 * comes from the ephemeral range, which every outbound connection of the machine draws from too, so in the seconds
 * before the server binds it, a client socket (a pool connecting to MariaDB, a cluster member dialling another) may
 * be given the same port and the server fails with "Address already in use". These come from below the ephemeral
 * range ({@code net.ipv4.ip_local_port_range}), each handed out once per JVM (starting at an offset of the process id,
 * so two test JVMs rarely meet), and only after a bind shows that no one listens there.
 */
public final class Ports {
  private static final int TOP = ephemeralStart();
  private static final int BOTTOM = Math.max(1_024, TOP - 12_000);
  private static final AtomicInteger NEXT =
      new AtomicInteger(BOTTOM + (int) (ProcessHandle.current().pid() * 37 % (TOP - BOTTOM)));

  private Ports() {
  }

  /** A port no one listens on now and that no outbound connection can be given. */
  public static int free() {
    for (int tried = 0; tried < TOP - BOTTOM; tried++) {
      int port = NEXT.getAndUpdate(p -> p + 1 >= TOP ? BOTTOM : p + 1);
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(port));
        return port;
      } catch (IOException taken) {
        // someone listens there: the next one
      }
    }
    throw new IllegalStateException("no free port between " + BOTTOM + " and " + TOP);
  }

  private static int ephemeralStart() {
    try {
      // Read as lines: Files.readString returned only the first byte of this /proc file here (JDK 17.0.15).
      Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
      String[] range = Files.readAllLines(file).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException unknown) {
      return 32_768;
    }
  }
}
