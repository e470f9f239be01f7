package dev.switchboard.gateway.connection;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.logging.Logger;

/**
 * Gives a Vert.x socket the outbound path of strict thread mode: writes go straight to the channel instead of through
 * a multi-producer queue. Vert.x 5 offers strict thread mode for HTTP connections only; a {@code NetSocket} and the
 * connection under a {@code ServerWebSocket} always get that queue, whose first chunk (1,024 slots of a jctools
 * {@code MpscUnboundedArrayQueue}, 4,112 bytes) is half of what an idle TCP connection holds on the heap.
 *
 * <p>Safe here because every write to a gateway socket happens on the socket's own event loop (the connection, its
 * event-bus consumer, its rooms and groups all live on the gateway instance's context), which is the condition strict
 * thread mode states. Done by reflection on Vert.x internals (5.0.x): when they differ, nothing changes and the start
 * log says so once.
 */
final class StrictWrites {
  private static final Logger LOG = Logger.getLogger(StrictWrites.class.getName());
  private static final Class<?> CONNECTION;
  private static final Field QUEUE;
  private static final Field WEBSOCKET_CONNECTION;
  private static final Constructor<?> DIRECT;

  static {
    Class<?> connection = null;
    Field queue = null;
    Field wsConnection = null;
    Constructor<?> direct = null;
    try {
      connection = Class.forName("io.vertx.core.net.impl.VertxConnection");
      queue = connection.getDeclaredField("outboundMessageQueue");
      queue.setAccessible(true);
      direct = Class.forName("io.vertx.core.net.impl.VertxConnection$DirectOutboundMessageQueue")
          .getDeclaredConstructor(connection);
      direct.setAccessible(true);
      wsConnection = Class.forName("io.vertx.core.http.impl.WebSocketImplBase").getDeclaredField("conn");
      wsConnection.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warning("strict socket writes unavailable on this Vert.x (" + e + "): each connection keeps Vert.x's "
          + "outbound queue (about 4 KB more per connection)");
      queue = null;
    }
    CONNECTION = connection;
    QUEUE = queue;
    WEBSOCKET_CONNECTION = wsConnection;
    DIRECT = direct;
  }

  private StrictWrites() {
  }

  /**
   * Switches {@code socket} (a {@code NetSocket}, or a {@code ServerWebSocket} through its connection) to direct
   * writes. Call on the socket's event loop before anything is written to it. Returns false when it could not.
   */
  static boolean apply(Object socket) {
    if (QUEUE == null) {
      return false;
    }
    try {
      Object connection = CONNECTION.isInstance(socket) ? socket
          : WEBSOCKET_CONNECTION.getDeclaringClass().isInstance(socket) ? WEBSOCKET_CONNECTION.get(socket) : null;
      if (connection == null) {
        return false;
      }
      QUEUE.set(connection, DIRECT.newInstance(connection));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
