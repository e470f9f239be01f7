package dev.switchboard.shared.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The local bucket and its report arithmetic, on explicit times. */
class BudgetTest {
  private static final long T0 = 1_000_000;

  @Test
  void burstThenWaitUntilRefilled() {
    Budget b = new Budget("k", 2.0, 3, T0);
    assertEquals(0, b.take(1, T0));
    assertEquals(0, b.take(1, T0));
    assertEquals(0, b.take(1, T0));
    assertEquals(500, b.take(1, T0), "one token at 2/s is 500 ms away");
    assertEquals(250, b.take(1, T0 + 250));
    assertEquals(0, b.take(1, T0 + 500));
    assertEquals(4, b.pending(), "only the taken tokens are pending");
  }

  @Test
  void severalTokensAreAllOrNone() {
    Budget b = new Budget("k", 10.0, 5, T0);
    assertEquals(0, b.take(4, T0));
    assertEquals(300, b.take(4, T0), "3 tokens short at 10/s");
    assertEquals(4, b.pending());
    assertEquals(1.0, b.tokens(T0), 1e-9);
  }

  @Test
  void refillStopsAtBurst() {
    Budget b = new Budget("k", 100.0, 5, T0);
    assertEquals(0, b.take(5, T0));
    assertEquals(5.0, b.tokens(T0 + 60_000), 1e-9);
  }

  @Test
  void theSharedAnswerCapsTheLocalBucketMinusWhatWasTakenSince() {
    Budget b = new Budget("k", 1.0, 10, T0);
    assertEquals(0, b.take(2, T0));
    assertEquals(2, b.startReport());
    assertEquals(0, b.pending());
    assertEquals(0, b.take(1, T0), "taken while the report is in flight");
    // Other gateways spent the rest: the shared bucket is 5 below zero after this report.
    b.reported(-5.0, T0);
    assertEquals(-6.0, b.tokens(T0), 1e-9, "the token taken after the report left comes off too");
    assertEquals(7_000, b.take(1, T0), "7 tokens short at 1/s");
    assertEquals(1, b.pending(), "the in-flight take is still to report");
  }

  @Test
  void aSharedAnswerAboveTheLocalBucketChangesNothing() {
    Budget b = new Budget("k", 1.0, 10, T0);
    assertEquals(0, b.take(4, T0));
    b.startReport();
    b.reported(9.0, T0);
    assertEquals(6.0, b.tokens(T0), 1e-9);
  }

  @Test
  void aFailedReportIsSentAgainLater() {
    Budget b = new Budget("k", 1.0, 10, T0);
    b.take(3, T0);
    assertEquals(3, b.startReport());
    b.take(1, T0);
    b.reportFailed();
    assertEquals(4, b.pending());
    assertEquals(4, b.startReport());
  }

  @Test
  void idleOnlyWhenQuietFullAndNothingToReport() {
    Budget b = new Budget("k", 1.0, 2, T0);
    b.take(1, T0);
    assertFalse(b.idle(T0 + 10_000, 1_000), "pending");
    b.startReport();
    assertFalse(b.idle(T0 + 10_000, 1_000), "report in flight");
    b.reported(1.0, T0);
    assertFalse(b.idle(T0 + 500, 1_000), "used within the quiet time");
    assertFalse(b.idle(T0 + 999, 1_000), "not full again and too recent");
    assertTrue(b.idle(T0 + 1_000, 1_000));
    Budget overspent = new Budget("k", 1.0, 2, T0);
    overspent.take(2, T0);
    overspent.startReport();
    overspent.reported(-3.0, T0);
    assertFalse(overspent.idle(T0 + 4_999, 1_000), "still refilling from below zero");
    assertTrue(overspent.idle(T0 + 5_000, 1_000));
  }
}
