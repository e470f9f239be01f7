package dev.switchboard.node;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A blocking WebSocket client written against the bytes of RFC 6455, for tests that must send what a well-behaved
 * library refuses to (invalid UTF-8, fragments of any size) and see exactly which frames and close code come back.
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CONTINUATION = 0;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  /** A frame from the server: its opcode, payload, and whether RSV1 (a compressed message) was set. */
  record Frame(int opcode, byte[] payload, boolean rsv1) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame (1005 when it has none). */
    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  /** The 101's headers, names in lower case. */
  private final java.util.Map<String, String> headers = new java.util.HashMap<>();

  RawWebSocket(int port, String uri) throws IOException {
    this(port, uri, "");
  }

  /** Opens a WebSocket, sending {@code extraHeaders} (each line ending in CRLF) with the handshake. */
  RawWebSocket(int port, String uri, String extraHeaders) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) java.util.concurrent.TimeUnit.SECONDS.toMillis(TestNode.WAIT_S));
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    out.write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(key) + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readLine();
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + status);
    }
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
    }
  }

  /** A header of the server's 101 (name in any case), or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  private String readLine() throws IOException {
    return readLine(in);
  }

  /** One CRLF-terminated line of an HTTP head, without the CRLF; fails when the connection ends first. */
  static String readLine(java.io.InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed during an HTTP head");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends one masked frame as a client must. */
  void send(int opcode, boolean fin, byte[] payload) throws IOException {
    send(opcode, fin, payload, false, true);
  }

  /** Sends one frame: with RSV1 set ({@code rsv1}: a compressed message's first frame), masked or not. */
  void send(int opcode, boolean fin, byte[] payload, boolean rsv1, boolean masked) throws IOException {
    out.write(frame(opcode, fin, payload, rsv1, masked));
    out.flush();
  }

  /** One masked frame's bytes, as a client sends them. */
  static byte[] frame(int opcode, boolean fin, byte[] payload) {
    return frame(opcode, fin, payload, false, true);
  }

  /** One frame's bytes: with RSV1 set or not, masked or not. */
  static byte[] frame(int opcode, boolean fin, byte[] payload, boolean rsv1, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      f.write(maskBit | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >>> shift));
      }
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      f.write(mask, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  /** Writes {@code bytes} as they are, {@code chunk} bytes per write (each flushed: a TCP segment of its own). */
  void sendBytes(byte[] bytes, int chunk) throws IOException {
    socket.setTcpNoDelay(true);
    for (int at = 0; at < bytes.length; at += chunk) {
      out.write(bytes, at, Math.min(chunk, bytes.length - at));
      out.flush();
    }
  }

  void sendText(String text) throws IOException {
    send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame from the server; fails with an IOException when the connection ends first. */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload, (b0 & 0x40) != 0);
  }

  /** True when the server closed the TCP connection before sending any more bytes. */
  boolean endsNow() throws IOException {
    return in.read() < 0;
  }

  /** Reads frames until a close frame, and returns its code. */
  int readUntilClose() throws IOException {
    for (Frame f = read(); ; f = read()) {
      if (f.opcode() == CLOSE) {
        return f.closeCode();
      }
    }
  }

  /** Reads frames until a text frame. */
  String readText() throws IOException {
    for (Frame f = read(); ; f = read()) {
      if (f.opcode() == TEXT) {
        return f.text();
      }
      if (f.opcode() == CLOSE) {
        throw new IOException("closed with " + f.closeCode());
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
