package dev.switchboard.shared.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MidGeneratorTest {
  @Test
  void idsIncreaseStrictlyAndCarryNodeAndTime() {
    MidGenerator gen = new MidGenerator(513);
    long before = System.currentTimeMillis();
    long last = 0;
    for (int i = 0; i < 50_000; i++) {
      long mid = gen.next();
      assertTrue(mid > last, "ids must increase");
      assertEquals(513, MidGenerator.nodeOf(mid));
      last = mid;
    }
    long ts = MidGenerator.timestampOf(last);
    assertTrue(ts >= before, "timestamp not before the start");
  }

  @Test
  void differentNodesNeverCollide() {
    MidGenerator a = new MidGenerator(1);
    MidGenerator b = new MidGenerator(2);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(seen.add(a.next()));
      assertTrue(seen.add(b.next()));
    }
  }

  @Test
  void rejectsNodeIdsOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> new MidGenerator(1024));
    assertThrows(IllegalArgumentException.class, () -> new MidGenerator(-1));
  }
}
