package dev.switchboard.gateway.connection;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The only two Vert.x internal APIs the gateway stands on, both in {@code io.vertx.core.internal}, the package
 * vertx-core exports as its internal API (vertx-mqtt 5 uses the same). Vert.x 5 has no public way to put Netty
 * handlers on a server's connections, and a Vert.x {@code NetSocket} always allocates a multi-producer outbound queue
 * (4.7 KB, more than our whole budget per connection): docs/websocket-transport.md has the measurements.
 *
 * <p>No fallback exists: if Vert.x renames its handler or drops these interfaces, accepting fails (and
 * {@code TransportInternalsIT} fails the build).
 */
final class VertxChannels {
  /** The name Vert.x gives its per-connection handler (the {@code NetSocket}'s) in a server connection's pipeline. */
  static final String VERTX_HANDLER = "handler";
  /** What Vert.x adds for file regions with TLS (or without zero-copy): we never write files. */
  static final String CHUNKED_WRITER = "chunkedWriter";

  private VertxChannels() {
  }

  /**
   * Takes a newly accepted connection away from Vert.x: returns its Netty pipeline with Vert.x's connection handler
   * (and the {@code NetSocket} it holds) removed, the TLS handler (if any) left in place. Call in the server's
   * {@code connectHandler}, which Vert.x runs on the connection's event loop before the first read, so no byte is
   * missed. From then on the caller's handlers are the connection; {@code socket} must not be used again.
   */
  static ChannelPipeline takeOver(NetSocket socket) {
    ChannelPipeline pipeline = ((NetSocketInternal) socket).channelHandlerContext().pipeline();
    pipeline.remove(VERTX_HANDLER);
    if (pipeline.get(CHUNKED_WRITER) != null) {
      pipeline.remove(CHUNKED_WRITER);
    }
    return pipeline;
  }

  /**
   * Runs {@code handler} with {@code event} now, as {@code context}'s code: {@code Vertx.currentContext()} is the
   * gateway instance's context inside it, so timers, consumers and requests it makes stay on that event loop. Call on
   * the context's event loop (a Netty callback of a channel taken over from it).
   */
  static <E> void dispatch(Context context, E event, Handler<E> handler) {
    ((ContextInternal) context).dispatch(event, handler);
  }
}
