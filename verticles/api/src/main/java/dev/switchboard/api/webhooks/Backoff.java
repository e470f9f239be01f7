package dev.switchboard.api.webhooks;

/**
 * Retry delays of a webhook endpoint: {@code backoffMs} after the first failure, doubling per failure up to
 * {@code maxBackoffMs}, each delay drawn between half and all of that value (jitter, so that endpoints that failed
 * together do not retry together).
 */
record Backoff(long baseMs, long maxMs) {
  /** The delay after {@code failures} (1 or more) failures in a row; {@code random} in [0, 1). */
  long delayMs(int failures, double random) {
    int doublings = Math.min(Math.max(failures, 1) - 1, 40);
    long ceiling = (long) Math.min((double) maxMs, baseMs * Math.pow(2, doublings));
    long half = ceiling / 2;
    return Math.min(ceiling, half + (long) (random * (ceiling - half + 1)));
  }
}
