package dev.switchboard.api.users;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ImException;
import dev.switchboard.shared.config.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing and checking off the event loops, on a worker pool of {@code auth.hashing.threads} shared by every
 * API verticle instance of the process, with at most {@code auth.hashing.maxPending} hashes running or waiting per
 * instance: past that a request fails at once with {@code unavailable} ({@code retryAfterMs} 1000) instead of
 * growing a queue. The pool is created on the verticle's context, so Vert.x closes it when the verticle is undeployed.
 * Futures complete on the caller's context.
 */
public final class PasswordHashing {
  /** The pool's name: instances created with the same name share its threads. */
  private static final String POOL = "switchboard-password-hashing";
  private static final long RETRY_AFTER_MS = 1000;

  /** The outcome of a check: whether it matched and, when the stored hash should be replaced, its replacement. */
  public record Check(boolean matches, String upgraded) {
  }

  private final WorkerExecutor workers;
  private final AuthConfig.Argon2 cost;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();
  /** A hash at the configured cost that unknown usernames are checked against; made by the first check needing it. */
  private volatile String dummy;

  public PasswordHashing(Vertx vertx, AuthConfig.Argon2 cost, AuthConfig.Hashing hashing) {
    this.workers = vertx.createSharedWorkerExecutor(POOL, hashing.threads());
    this.cost = cost;
    this.maxPending = hashing.maxPending();
  }

  /** A new hash of {@code password} at the configured cost. Fails with {@code unavailable} when saturated. */
  public Future<String> hash(String password) {
    return submit(() -> Passwords.hash(password, cost));
  }

  /**
   * Checks {@code password} against {@code stored}; a null {@code stored} (no such user) or a value that is not a
   * hash (a bot's) costs one check at the configured cost too, so response times do not tell which usernames exist.
   * A match whose hash is not Argon2id at the configured cost or stronger comes with a new hash to store. Fails with
   * {@code unavailable} when saturated.
   */
  public Future<Check> check(String password, String stored) {
    return submit(() -> {
      if (!Passwords.isHash(stored)) {
        Passwords.verify(password, dummy());
        return new Check(false, null);
      }
      if (!Passwords.verify(password, stored)) {
        return new Check(false, null);
      }
      return new Check(true, Passwords.needsRehash(stored, cost) ? Passwords.hash(password, cost) : null);
    });
  }

  private String dummy() {
    String d = dummy;
    if (d == null) {
      d = Passwords.hash(UUID.randomUUID().toString(), cost);
      dummy = d;
    }
    return d;
  }

  private <T> Future<T> submit(Callable<T> task) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return Future.failedFuture(new ImException(ErrorCode.UNAVAILABLE, "too many password checks in progress; "
          + "retry shortly", new JsonObject().put("retryAfterMs", RETRY_AFTER_MS)));
    }
    return workers.executeBlocking(task, false).andThen(ar -> pending.decrementAndGet());
  }
}
