package dev.switchboard.node;

import dev.switchboard.protocol.frame.TcpFraming;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A blocking TCP client of the JSON protocol that can put many frames into one write. */
final class RawTcp implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawTcp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) java.util.concurrent.TimeUnit.SECONDS.toMillis(TestNode.WAIT_S));
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Writes every frame in one write call. */
  void write(List<JsonObject> frames) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (JsonObject f : frames) {
      all.write(TcpFraming.frame(f.encode().getBytes(StandardCharsets.UTF_8)));
    }
    out.write(all.toByteArray());
    out.flush();
  }

  JsonObject read() throws IOException {
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    return new JsonObject(new String(payload, StandardCharsets.UTF_8));
  }

  /** Reads frames until one with {@code op}. */
  JsonObject next(String op) throws IOException {
    for (JsonObject f = read(); ; f = read()) {
      if (op.equals(f.getString("op"))) {
        return f;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
