package dev.switchboard.gateway.session;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * An authenticated session as ops see it, plus its send lane and its in-flight bound. The session's sends go to the
 * routers one at a time, each after the previous one was acked, so one device's messages are stored, acked and
 * delivered in the order it sent them even when consecutive sends land on different router instances. Every op the
 * session sends but {@code ping} (sends, syncs, receipts, room ops, {@code api}, {@code auth.refresh}) counts in
 * {@link #inFlight()} from its frame to its reply; the connection stops reading while it is at the bound (TCP flow
 * control pushes back on the client), so neither the lane nor the work of one connection grows without bound. Confined
 * to the connection's event loop.
 */
public final class Session {
  private final long uid;
  private final String device;
  private final String id;
  private final long since;
  private final String address;
  /** The token the session runs on; replaced by {@code auth.refresh}. */
  private long tokenHash;
  private long tokenIssuedAt;
  private long tokenExpiresAt;
  /** {@code token.expiring} was sent for the current token. */
  private boolean expiryWarned;
  private Future<?> lane = Future.succeededFuture();
  private int inFlight;

  /**
   * @param uid    the user
   * @param device the device kind the client declared ({@code web}, {@code mobile}, ...)
   * @param id     unique id of this session (echoed in {@code auth.ok})
   * @param since  epoch ms when the session came online
   * @param address the client's IP address (API calls over the connection are rate-limited by it)
   * @param tokenHash hash of the id of the token it authenticated with ({@code Tokens.idHash}), for logout
   * @param tokenIssuedAt when that token was issued (epoch ms), for "logout everywhere"
   * @param tokenExpiresAt when that token expires (epoch ms)
   */
  public Session(long uid, String device, String id, long since, String address, long tokenHash, long tokenIssuedAt,
                 long tokenExpiresAt) {
    this.uid = uid;
    this.device = device;
    this.id = id;
    this.since = since;
    this.address = address;
    useToken(tokenHash, tokenIssuedAt, tokenExpiresAt);
  }

  /**
   * From now on the session runs on another token of the same user ({@code auth.refresh}), or its token ends sooner (a
   * refresh elsewhere); either way {@code token.expiring} is due again for it.
   */
  public void useToken(long tokenHash, long tokenIssuedAt, long tokenExpiresAt) {
    this.tokenHash = tokenHash;
    this.tokenIssuedAt = tokenIssuedAt;
    this.tokenExpiresAt = tokenExpiresAt;
    this.expiryWarned = false;
  }

  /** True once per token: the first call after {@link #useToken} (the caller then sends {@code token.expiring}). */
  public boolean warnExpiry() {
    if (expiryWarned) {
      return false;
    }
    expiryWarned = true;
    return true;
  }

  public long tokenExpiresAt() {
    return tokenExpiresAt;
  }

  public long tokenIssuedAt() {
    return tokenIssuedAt;
  }

  public String address() {
    return address;
  }

  public long tokenHash() {
    return tokenHash;
  }

  public long uid() {
    return uid;
  }

  public String device() {
    return device;
  }

  public String id() {
    return id;
  }

  public long since() {
    return since;
  }

  /** Ops of this session started and not yet answered. */
  public int inFlight() {
    return inFlight;
  }

  /** Counts {@code op} in {@link #inFlight()} until it completes, and returns it. */
  public <T> Future<T> track(Future<T> op) {
    inFlight++;
    return op.andThen(ar -> inFlight--);
  }

  /** Runs {@code send} after every earlier send of this session has completed (either way). */
  public <T> Future<T> inOrder(Supplier<Future<T>> send) {
    Future<T> result = lane.transform(ignored -> send.get());
    lane = result;
    return result;
  }
}
