package switchboard.bare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The floor reference of the WebSocket benchmarks: plain Java NIO, no framework, one selector thread per core. It
 * speaks only what {@code gatling/run.sh Echo} and {@code Capacity} need: the WebSocket upgrade on any path, masked
 * client text frames of up to 64 KiB in one piece, {@code auth} answered {@code auth.ok}, {@code ping} answered
 * {@code pong} with the same {@code id}, a close frame answered and the socket closed. It reads {@code op} and
 * {@code id} by scanning the text, not by parsing JSON, and writes each answer at once: the least work a server can
 * do per round trip on this machine. It exists only to show that limit; nothing else uses it.
 *
 * <p>Per connection it keeps one {@link Conn}: its channel key, a read buffer only while a frame is incomplete,
 * and a write queue only while the socket refuses bytes.
 *
 * <p>{@code java -cp <gatling test classpath> switchboard.bare.NioFloorServer ws=8081 threads=2}
 */
public final class NioFloorServer {
  private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_MESSAGE = 65_536;
  private static final int MAX_HEADERS = 8_192;

  private NioFloorServer() {
  }

  public static void main(String[] argv) throws IOException {
    int port = 8081;
    int threads = Runtime.getRuntime().availableProcessors();
    for (String a : argv) {
      String key = a.substring(0, a.indexOf('='));
      int value = Integer.parseInt(a.substring(a.indexOf('=') + 1));
      if (key.equals("ws")) {
        port = value;
      } else if (key.equals("threads")) {
        threads = value;
      }
    }
    Loop[] loops = new Loop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = new Loop();
      Thread t = new Thread(loops[i], "nio-floor-" + i);
      t.start();
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
    System.out.println("nio floor server started on " + port + " with " + threads + " selector threads");
    int next = 0;
    while (true) {
      SocketChannel ch = server.accept();
      ch.configureBlocking(false);
      ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      loops[next].hand(ch);
      next = (next + 1) % threads;
    }
  }

  /** One selector thread and the connections handed to it. */
  private static final class Loop implements Runnable {
    private final Selector selector;
    private final Queue<SocketChannel> handed = new ConcurrentLinkedQueue<>();
    /** Reused for every read of this thread: a connection copies out only the rest of an incomplete frame. */
    private final ByteBuffer in = ByteBuffer.allocateDirect(MAX_MESSAGE + MAX_HEADERS);
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_MESSAGE);

    Loop() throws IOException {
      this.selector = Selector.open();
    }

    void hand(SocketChannel ch) {
      handed.add(ch);
      selector.wakeup();
    }

    @Override
    public void run() {
      while (true) {
        try {
          selector.select();
          for (SocketChannel ch; (ch = handed.poll()) != null; ) {
            ch.register(selector, SelectionKey.OP_READ, new Conn());
          }
          Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
          while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            try {
              if (key.isValid() && key.isWritable()) {
                ((Conn) key.attachment()).flushPending(key);
              }
              if (key.isValid() && key.isReadable()) {
                read(key);
              }
            } catch (IOException | RuntimeException e) {
              close(key);
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    private void read(SelectionKey key) throws IOException {
      Conn c = (Conn) key.attachment();
      SocketChannel ch = (SocketChannel) key.channel();
      in.clear();
      if (c.rest != null) {
        in.put(c.rest);
        c.rest = null;
      }
      int n = ch.read(in);
      if (n < 0) {
        close(key);
        return;
      }
      in.flip();
      if (!c.open) {
        if (!handshake(key, c)) {
          keep(c);
        }
        if (!c.open) {
          return;
        }
      }
      while (in.remaining() >= 2) {
        int start = in.position();
        int b0 = in.get(start) & 0xff;
        int b1 = in.get(start + 1) & 0xff;
        long len = b1 & 0x7f;
        int header = 2;
        if (len == 126) {
          if (in.remaining() < 4) {
            break;
          }
          len = in.getShort(start + 2) & 0xffff;
          header = 4;
        } else if (len == 127) {
          close(key);
          return;
        }
        if ((b1 & 0x80) == 0 || len > MAX_MESSAGE) {
          close(key);
          return;
        }
        if (in.remaining() < header + 4 + len) {
          break;
        }
        int maskAt = start + header;
        int payload = maskAt + 4;
        for (int i = 0; i < len; i++) {
          in.put(payload + i, (byte) (in.get(payload + i) ^ in.get(maskAt + (i & 3))));
        }
        in.position(payload + (int) len);
        int opcode = b0 & 0x0f;
        if (opcode == 0x8) {
          write(key, c, 0x8, new byte[0]);
          close(key);
          return;
        } else if (opcode == 0x1) {
          answer(key, c, payload, (int) len);
        }
      }
      keep(c);
    }

    /** Copies what is left of an incomplete frame (usually nothing) out of the shared buffer. */
    private void keep(Conn c) {
      if (in.hasRemaining()) {
        c.rest = ByteBuffer.allocate(in.remaining());
        c.rest.put(in).flip();
      }
    }

    /** The HTTP upgrade: true once the whole request was read and answered. */
    private boolean handshake(SelectionKey key, Conn c) throws IOException {
      int end = -1;
      for (int i = in.position(); i + 3 < in.limit(); i++) {
        if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
          end = i + 4;
          break;
        }
      }
      if (end < 0) {
        if (in.remaining() > MAX_HEADERS) {
          close(key);
        }
        return false;
      }
      byte[] head = new byte[end - in.position()];
      in.get(head);
      String request = new String(head, StandardCharsets.US_ASCII);
      String wsKey = null;
      for (String line : request.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
          wsKey = line.substring(colon + 1).trim();
        }
      }
      if (wsKey == null) {
        close(key);
        return true;
      }
      String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept(wsKey) + "\r\n\r\n";
      c.open = true;
      send(key, c, ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII)));
      return true;
    }

    /** {@code auth} → {@code auth.ok}, {@code ping} → {@code pong}, with the request's {@code id} as it was written. */
    private void answer(SelectionKey key, Conn c, int at, int len) throws IOException {
      byte[] text = new byte[len];
      in.get(at, text);
      String frame = new String(text, StandardCharsets.UTF_8);
      String op = stringField(frame, "\"op\"");
      String id = rawField(frame, "\"id\"");
      String reply;
      if ("ping".equals(op)) {
        reply = "{\"op\":\"pong\"" + (id == null ? "" : ",\"id\":" + id) + "}";
      } else if ("auth".equals(op)) {
        reply = "{\"op\":\"auth.ok\"" + (id == null ? "" : ",\"id\":" + id) + ",\"uid\":1}";
      } else {
        reply = "{\"op\":\"error\",\"code\":\"unknown_op\"" + (id == null ? "" : ",\"id\":" + id) + "}";
      }
      write(key, c, 0x1, reply.getBytes(StandardCharsets.UTF_8));
    }

    private void write(SelectionKey key, Conn c, int opcode, byte[] payload) throws IOException {
      out.clear();
      out.put((byte) (0x80 | opcode));
      if (payload.length < 126) {
        out.put((byte) payload.length);
      } else {
        out.put((byte) 126).putShort((short) payload.length);
      }
      out.put(payload).flip();
      send(key, c, out);
    }

    /** Writes {@code data} now; what the socket refuses waits in the connection's queue until it is writable. */
    private void send(SelectionKey key, Conn c, ByteBuffer data) throws IOException {
      if (c.pending == null) {
        ((SocketChannel) key.channel()).write(data);
        if (!data.hasRemaining()) {
          return;
        }
        c.pending = new ArrayDeque<>();
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
      ByteBuffer copy = ByteBuffer.allocate(data.remaining());
      copy.put(data).flip();
      c.pending.add(copy);
    }

    private void close(SelectionKey key) {
      key.cancel();
      try {
        key.channel().close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** One connection's state. */
  private static final class Conn {
    boolean open;
    /** The start of a frame that has not fully arrived; null otherwise. */
    ByteBuffer rest;
    /** Bytes the socket refused; null while it takes everything. */
    ArrayDeque<ByteBuffer> pending;

    void flushPending(SelectionKey key) throws IOException {
      SocketChannel ch = (SocketChannel) key.channel();
      while (pending != null && !pending.isEmpty()) {
        ByteBuffer b = pending.peek();
        ch.write(b);
        if (b.hasRemaining()) {
          return;
        }
        pending.poll();
      }
      pending = null;
      key.interestOps(SelectionKey.OP_READ);
    }
  }

  private static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(key.getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1.digest(GUID));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The string value of {@code name} in flat JSON text, or null. */
  private static String stringField(String json, String name) {
    String raw = rawField(json, name);
    return raw != null && raw.length() >= 2 && raw.charAt(0) == '"' ? raw.substring(1, raw.length() - 1) : null;
  }

  /** The value of {@code name} in flat JSON text exactly as written (a number, or a string with its quotes), or null. */
  private static String rawField(String json, String name) {
    int at = json.indexOf(name);
    if (at < 0) {
      return null;
    }
    int i = json.indexOf(':', at + name.length()) + 1;
    while (i < json.length() && json.charAt(i) == ' ') {
      i++;
    }
    if (i <= 0 || i >= json.length()) {
      return null;
    }
    int end;
    if (json.charAt(i) == '"') {
      end = json.indexOf('"', i + 1) + 1;
    } else {
      end = i;
      while (end < json.length() && ",} ".indexOf(json.charAt(end)) < 0) {
        end++;
      }
    }
    return end > i ? json.substring(i, end) : null;
  }
}
