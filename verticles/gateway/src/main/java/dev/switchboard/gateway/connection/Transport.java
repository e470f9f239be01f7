package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.protocol.frame.OutFrame;
import dev.switchboard.protocol.frame.WireCodec;

/**
 * The wire under a {@link Connection}. A connection never sees whether it speaks WebSocket or TCP; each transport is
 * one small class that frames outbound {@link OutFrame}s and feeds inbound payloads to its connection.
 *
 * <p>Every method is called on the connection's event loop.
 */
public interface Transport {
  /**
   * Writes {@code frames[0..count)}, already encoded, in that order and with as few socket writes as the transport
   * allows (TCP: one). The frames' bytes are shared with other sessions and never modified; the array is not kept.
   */
  void write(OutFrame[] frames, int count);

  /** True when pending outbound bytes passed the bound: the reader is too slow. */
  boolean writeQueueFull();

  /** Closes the wire; a WebSocket carries {@code reason} as its close status and text. */
  void close(CloseReason reason);

  /** Stops reading from the client (its frames wait in the kernel and the client's send buffer). */
  void pause();

  /** Reads again after {@link #pause()}. */
  void resume();

  /** The client's IP address as text (the peer of the socket). */
  String remoteAddress();

  /** {@code ws} or {@code tcp}. */
  String kind();

  /** The codec the client chose for this connection (JSON until a TCP client's first byte says otherwise). */
  WireCodec codec();
}
