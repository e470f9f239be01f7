package dev.switchboard.shared.limits;

/**
 * One bucket ({@code key}: one user and one kind of work) as one limiter sees it: a token bucket refilled on the local
 * clock, the tokens taken since the last report to shared state ({@code pending}), and the report in flight
 * ({@code reporting}). A report's answer (the shared bucket's tokens) caps the local bucket, so consumption on other
 * gateways shows here one interval later. Pure arithmetic on the times given: no clock, no I/O. Confined to its
 * limiter's thread.
 */
final class Budget {
  final String key;
  final double perSecond;
  final int burst;
  private double tokens;
  private long refilledAt;
  private int pending;
  private int reporting;
  /** True while the budget is on its limiter's list of budgets to report. */
  boolean listed;
  long lastUsed;

  Budget(String key, double perSecond, int burst, long now) {
    this.key = key;
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = now;
    this.lastUsed = now;
  }

  /** Takes {@code n} tokens: 0 when taken, else the milliseconds until {@code n} will be there (nothing taken). */
  long take(int n, long now) {
    lastUsed = now;
    refill(now);
    if (tokens >= n) {
      tokens -= n;
      pending += n;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((n - tokens) * 1000.0 / perSecond));
  }

  /** The tokens held at {@code now} (negative while overspent). */
  double tokens(long now) {
    refill(now);
    return tokens;
  }

  private void refill(long now) {
    if (now > refilledAt) {
      tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1000.0);
      refilledAt = now;
    }
  }

  int pending() {
    return pending;
  }

  /** Starts a report: the pending count moves to the report in flight and is returned. */
  int startReport() {
    reporting = pending;
    pending = 0;
    return reporting;
  }

  /**
   * The report was counted: the shared bucket holds {@code shared} tokens. Tokens taken here since the report left
   * are not in that figure, so they come off it too.
   */
  void reported(double shared, long now) {
    refill(now);
    tokens = Math.min(tokens, shared - pending);
    reporting = 0;
  }

  /** The report failed: its count goes back to pending, for the next report. */
  void reportFailed() {
    pending += reporting;
    reporting = 0;
  }

  /**
   * Nothing to report or waiting on a report, unused for {@code quietMs}, and full again: forgetting it changes
   * nothing (a new budget starts full).
   */
  boolean idle(long now, long quietMs) {
    return pending == 0 && reporting == 0 && now - lastUsed >= quietMs && tokens(now) >= burst - 1e-9;
  }
}
