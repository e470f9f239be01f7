package dev.switchboard.api.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(500, 60_000);

  @Test
  void doublesFromTheBaseUpToTheCeiling() {
    assertEquals(500, backoff.delayMs(1, 0.999999));
    assertEquals(1_000, backoff.delayMs(2, 0.999999));
    assertEquals(2_000, backoff.delayMs(3, 0.999999));
    assertEquals(60_000, backoff.delayMs(8, 0.999999), "500 x 2^7 = 64,000 is capped");
    assertEquals(60_000, backoff.delayMs(10_000, 0.999999), "any number of failures stays at the ceiling");
  }

  @Test
  void jitterStaysBetweenHalfAndAllOfTheDelay() {
    for (int failures = 1; failures < 12; failures++) {
      long ceiling = Math.min(60_000, 500L << (failures - 1));
      assertEquals(ceiling / 2, backoff.delayMs(failures, 0.0));
      for (double r = 0; r < 1; r += 0.05) {
        long d = backoff.delayMs(failures, r);
        assertTrue(d >= ceiling / 2 && d <= ceiling, failures + " failures, r=" + r + ": " + d);
      }
    }
  }
}
