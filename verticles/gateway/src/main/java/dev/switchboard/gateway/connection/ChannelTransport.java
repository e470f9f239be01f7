package dev.switchboard.gateway.connection;

import dev.switchboard.protocol.frame.CloseReason;
import dev.switchboard.shared.net.ConnectionGuard;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * What both transports share: a Netty handler that is the whole per-connection state of a socket taken over from
 * Vert.x ({@link VertxChannels}), running on the gateway instance's event loop. Calls into the {@link Connection} go
 * through {@link #dispatch}, so they run as the instance's Vert.x code.
 *
 * <p>Writes are Netty's: a batch is {@code write} per frame and one {@code flush} (one gathering system call), and the
 * bound on what waits is the channel's write-buffer water mark ({@link #writeQueueFull()} is Netty's
 * {@code isWritable}), which is what Vert.x's {@code setWriteQueueMaxSize} set before.
 */
abstract class ChannelTransport extends ChannelInboundHandlerAdapter implements Transport {
  /** How long a closing connection may take to take its last frames (a WebSocket: to answer our close frame). */
  static final long CLOSING_TIMEOUT_MS = 10_000;

  final Connections connections;
  private final ConnectionGuard guard;
  ChannelHandlerContext ctx;
  Connection connection;
  /** Reading stopped by {@link #pause()}. */
  boolean paused;
  /** The server started closing: nothing more is written but what the close needs. */
  boolean closing;
  /** Closes the socket if a close takes too long; exists only while closing. */
  private ScheduledFuture<?> closeTimer;

  ChannelTransport(Connections connections, ConnectionGuard guard) {
    this.connections = connections;
    this.guard = guard;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Runs {@code handler} with {@code event} as the gateway instance's code (see {@link VertxChannels#dispatch}). */
  final <E> void dispatch(E event, Handler<E> handler) {
    VertxChannels.dispatch(connections.context(), event, handler);
  }

  /** Opens this transport's connection (as instance code); the handshake of the wire is done. */
  final Connection open() {
    connection = connections.open(this);
    return connection;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (closeTimer != null) {
      closeTimer.cancel(false);
      closeTimer = null;
    }
    released(ctx.channel(), guard, kind());
    discard();
    if (connection != null) {
      dispatch(connection, c -> c.close(CloseReason.CLIENT_CLOSED));
    }
  }

  /** The socket is gone: its address's place under the per-address cap is free again. */
  static void released(Channel channel, ConnectionGuard guard, String kind) {
    guard.release(address(channel));
    GatewayMeters.connection(kind, -1);
  }

  /** The peer's address as Vert.x names it (what the per-address cap counts); null when unknown. */
  static SocketAddress address(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress a ? SocketAddress.inetSocketAddress(a) : null;
  }

  /** Drops what the transport holds for reading (buffers of a partial frame, frames held while paused). */
  abstract void discard();

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    CloseReason reason = closeReason(cause);
    if (connection != null) {
      dispatch(reason, connection::close);
    } else {
      ctx.close();
    }
  }

  /** The close an exception from the channel (a decoder, the socket) means; the connection closed. */
  CloseReason closeReason(Throwable cause) {
    return CloseReason.CLIENT_CLOSED;
  }

  /**
   * Writes {@code last} behind what was flushed before (a TCP client's {@code kicked}, a WebSocket close frame), then
   * closes the socket: once it is written when {@code whenWritten}, else when the caller closes it (a WebSocket, when
   * the client answers the close), and in any case within {@link #CLOSING_TIMEOUT_MS}. At once, without {@code last},
   * when the client does not read (its queue is over the bound).
   */
  final void closeAfter(Object last, boolean whenWritten) {
    Channel ch = ctx.channel();
    if (!ch.isActive()) {
      ReferenceCountUtil.release(last);
      return;
    }
    if (!ch.isWritable()) {
      ReferenceCountUtil.release(last);
      ch.close();
      return;
    }
    ctx.writeAndFlush(last).addListener(f -> {
      if (whenWritten || !f.isSuccess()) {
        ch.close();
      }
    });
    closeTimer = ctx.executor().schedule(() -> {
      ch.close();
    }, CLOSING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean writeQueueFull() {
    // A socket the peer already closed (its close not yet handled) has no queue: nothing is written to it.
    Channel ch = ctx.channel();
    return ch.isActive() && !ch.isWritable();
  }

  @Override
  public String remoteAddress() {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() : "unknown";
  }
}
