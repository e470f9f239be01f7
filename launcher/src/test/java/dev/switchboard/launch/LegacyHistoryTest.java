package dev.switchboard.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LegacyHistoryTest {
  @Test
  void aDatabaseWithEveryOldStepIsBaselinedAtEachOwnersLastVersion() {
    Set<Integer> all = Set.of(1, 2, 3, 4, 5, 6);
    assertEquals(4, LegacyHistory.baseline("api", all));
    assertEquals(2, LegacyHistory.baseline("router", all));
    assertEquals(3, LegacyHistory.baseline("group", all));
  }

  @Test
  void anOlderDatabaseIsBaselinedWhereItsStepsStop() {
    Set<Integer> upTo5 = Set.of(1, 2, 3, 4, 5);
    assertEquals(4, LegacyHistory.baseline("api", upTo5));
    assertEquals(1, LegacyHistory.baseline("router", upTo5), "old step 6 is the router's V2");
    assertEquals(2, LegacyHistory.baseline("group", upTo5), "old step 6 is the group's V3");
    Set<Integer> upTo2 = Set.of(1, 2);
    assertEquals(2, LegacyHistory.baseline("api", upTo2));
    assertEquals(1, LegacyHistory.baseline("router", upTo2));
    assertEquals(0, LegacyHistory.baseline("group", upTo2));
  }

  @Test
  void aGapStopsTheBaselineAtTheStepBeforeIt() {
    assertEquals(1, LegacyHistory.baseline("api", Set.of(1, 4, 5)), "step 2 missing: api V2 onwards still run");
    assertEquals(0, LegacyHistory.baseline("router", Set.of(6)));
  }

  @Test
  void noOldHistoryOrAnOwnerAfterFlywayStartsAtZero() {
    assertEquals(0, LegacyHistory.baseline("api", Set.of()));
    assertEquals(0, LegacyHistory.baseline("gateway", Set.of(1, 2, 3, 4, 5, 6)));
  }

  @Test
  void vendorsAreNamedByTheirFolderAndOthersAreRefused() {
    assertEquals("h2", SchemaMigrations.vendor("H2"));
    assertEquals("mariadb", SchemaMigrations.vendor("MariaDB"));
    assertEquals("mysql", SchemaMigrations.vendor("MySQL"));
    assertThrows(IllegalStateException.class, () -> SchemaMigrations.vendor("PostgreSQL"));
  }

  @Test
  void lockNamesFitGetLocksLimit() {
    assertEquals("switchboard-schema:switchboard", FirstStartLock.lockName("switchboard"));
    String longName = FirstStartLock.lockName("d".repeat(64));
    assertTrue(longName.length() <= 64, longName);
    assertTrue(!longName.equals(FirstStartLock.lockName("e".repeat(64))));
  }
}
