package dev.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 20's acceptance: a 50 MB upload keeps the server's heap flat. The server (the node jar, API verticle on the
 * embedded database) runs in a child JVM with a 64 MB heap, too small to hold the file; the test sends the file over
 * a plain socket and, after every 5 MiB, stops sending and asks the child (jcmd) for its heap after a full GC, i.e.
 * what the server keeps alive mid-upload. The upload must succeed and the live heap stay within a few MB of what it
 * was before. The figures are printed (docs/benchmarks.md, "Media upload heap").
 */
@Isolated
@Timeout(240)
class MediaHeapIT {
  private static final long FILE = 50L << 20;
  private static final int CHUNK = 1 << 20;
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  @Test
  void aFiftyMegabyteUploadKeepsTheHeapFlat(@TempDir Path tmp) throws Exception {
    int port = TestNode.freePort();
    JsonObject config = new JsonObject()
        .put("storage", new JsonObject().put("db", new JsonObject().put("kind", "h2")
            .put("path", tmp.resolve("db").toString())).put("state", new JsonObject().put("kind", "local")))
        .put("auth", new JsonObject().put("secret", "heap-test-" + UUID.randomUUID() + UUID.randomUUID())
            .put("argon2", TestNode.fastArgon2()))
        .put("monitor", new JsonObject().put("port", TestNode.freePort()))
        .put("verticles", new JsonObject().put("api", new JsonObject().put("host", "127.0.0.1").put("port", port)
            .put("media", new JsonObject().put("dir", tmp.resolve("media").toString()))));
    Path file = tmp.resolve("node.json");
    Files.writeString(file, config.encodePrettily());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = Path.of("target", "switchboard-node.jar").toAbsolutePath();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
        jar.toString(), file.toString()).redirectErrorStream(true).start();
    try {
      started(p).get(90, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      String account = new JsonObject().put("username", "heap" + (System.nanoTime() % 1_000_000))
          .put("password", TestNode.PASSWORD).encode();
      assertEquals(201, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/users"))
          .POST(HttpRequest.BodyPublishers.ofString(account)).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode());
      JsonObject session = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions"))
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject(account).put("device", "web").encode())).build(),
          HttpResponse.BodyHandlers.ofString()).body());

      long pid = p.pid();
      long before = liveHeapKb(pid);
      List<Long> during = new ArrayList<>();
      byte[] chunk = new byte[CHUNK];
      new java.util.Random(7).nextBytes(chunk);
      long startNs = System.nanoTime();
      String answer;
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/media?to=" + session.getLong("uid") + "&name=big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + session.getString("token") + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + FILE + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (long sent = 0; sent < FILE; sent += CHUNK) {
          out.write(chunk);
          if ((sent + CHUNK) % (5 << 20) == 0 && sent + CHUNK < FILE) {
            out.flush();
            during.add(liveHeapKb(pid));
          }
        }
        out.flush();
        answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      long ms = (System.nanoTime() - startNs) / 1_000_000;
      long after = liveHeapKb(pid);
      assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
      JsonObject media = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertEquals(FILE, media.getLong("size"));
      long peak = during.stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.printf("media heap: live heap before %d KB, during (every 5 MiB) %s KB, peak %d KB (+%d KB), "
          + "after %d KB; 50 MiB in %d ms with -Xmx64m%n", before, during, peak, peak - before, after, ms);
      assertEquals(9, during.size());
      assertTrue(peak - before < 8 * 1024, "the live heap grew by " + (peak - before) + " KB during the upload");
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The child's heap in use (KB) right after a full GC: what it keeps alive. */
  private static long liveHeapKb(long pid) throws Exception {
    jcmd(pid, "GC.run");
    long used = 0;
    for (String line : jcmd(pid, "GC.heap_info")) {
      // Serial GC: "def new generation total …K, used …K" and "tenured generation total …K, used …K".
      if (line.contains("generation")) {
        Matcher m = USED.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1));
        }
      }
    }
    assertTrue(used > 0, "jcmd reported no heap");
    return used;
  }

  private static List<String> jcmd(long pid, String command) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    List<String> lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
        .lines().toList();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd " + command + ": " + lines);
    return lines;
  }

  /** Completes when the child logs that its node started; fails when its output ends first. */
  private static CompletableFuture<Void> started(Process p) {
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream();
           BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.contains("switchboard node started")) {
            started.complete(null);
          }
        }
      } catch (Exception e) {
        started.completeExceptionally(e);
      }
      started.completeExceptionally(new IllegalStateException("the server ended before it started"));
    }, "media-heap-child");
    reader.setDaemon(true);
    reader.start();
    return started;
  }
}
