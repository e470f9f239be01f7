package dev.switchboard.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.shared.config.StateConfig;
import dev.switchboard.shared.testing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(VertxExtension.class)
class StateStoreIT {
  private static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private static void pause(Vertx vertx, long ms) throws Exception {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    await(p.future());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void keysValuesAndExpiry(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      StateStore s = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      assertNull(await(s.get("a")));
      await(s.set("a", "1", 0));
      assertEquals("1", await(s.get("a")));
      assertTrue(await(s.setIfAbsent("b", "x", 0)));
      assertFalse(await(s.setIfAbsent("b", "y", 0)));
      assertEquals("x", await(s.get("b")));
      assertTrue(await(s.delete("b")));
      assertFalse(await(s.delete("b")));
      assertEquals(5L, await(s.incrBy("n", 5)));
      assertEquals(3L, await(s.incrBy("n", -2)));

      await(s.set("short", "v", 100));
      assertTrue(await(s.setIfAbsent("lease", "me", 100)));
      // Waiting for the clock is the point here: expiry is what is under test.
      pause(vertx, 250);
      assertNull(await(s.get("short")));
      assertTrue(await(s.setIfAbsent("lease", "other", 1000)), "an expired lease can be claimed again");
      await(s.close());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void tokenBucketAllowsBurstThenAsksToWait(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      StateStore s = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      for (int i = 0; i < 5; i++) {
        assertEquals(0L, await(s.takeToken("bucket", 1, 5)), "token " + i + " of the burst");
      }
      long wait = await(s.takeToken("bucket", 1, 5));
      assertTrue(wait > 0 && wait <= 1000, "then a wait of at most one refill period, got " + wait);
      assertEquals(0L, await(s.takeToken("other", 1, 5)), "buckets are independent");
      await(s.close());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void severalTokensAreTakenAllOrNone(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      StateStore s = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      assertEquals(0L, await(s.takeTokens("many", 7, 1, 10)));
      long wait = await(s.takeTokens("many", 7, 1, 10));
      assertTrue(wait > 3000 && wait <= 4000, "4 tokens short at 1/s, got " + wait);
      assertEquals(0L, await(s.takeTokens("many", 3, 1, 10)), "a refused take leaves the tokens");
      assertTrue(await(s.takeToken("many", 1, 10)) > 0);
      await(s.close());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void spendsAreCountedInOneCallAndMayOverdrawTheBucket(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      StateStore s = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      // A rate of 0.001/s refills nothing visible while the test runs.
      double[] left = await(s.spendTokens(List.of(new StateStore.Spend("a", 3, 0.001, 10),
          new StateStore.Spend("b", 12, 0.001, 10))));
      assertEquals(7.0, left[0], 0.01);
      assertEquals(-2.0, left[1], 0.01, "a report may take a bucket below zero");
      left = await(s.spendTokens(List.of(new StateStore.Spend("b", 1, 0.001, 10))));
      assertEquals(-3.0, left[0], 0.01);
      assertTrue(await(s.takeTokens("b", 1, 0.001, 10)) > 3_000_000, "takes see the overdraft too");
      assertEquals(0L, await(s.takeTokens("a", 7, 0.001, 10)), "and spends are in the same bucket as takes");
      List<StateStore.Spend> many = new java.util.ArrayList<>();
      for (int i = 0; i < 2_500; i++) {
        many.add(new StateStore.Spend("m" + i, i % 5, 0.001, 10));
      }
      left = await(s.spendTokens(many));
      assertEquals(2_500, left.length);
      for (int i = 0; i < 2_500; i++) {
        assertEquals(10 - i % 5, left[i], 0.01, "bucket " + i + " answered in order");
      }
      await(s.close());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void prefixesIsolateDeployments(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage one = backend.open(vertx); Backend.Storage two = backend.open(vertx)) {
      StateStore a = StateStore.create(vertx, StateConfig.from(one.config().getJsonObject("state")));
      StateStore b = StateStore.create(vertx, StateConfig.from(two.config().getJsonObject("state")));
      await(a.set("k", "a", 0));
      assertNull(await(b.get("k")));
      await(a.close());
      await(b.close());
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void hashesHoldFieldsUntilDeleted(Backend backend, Vertx vertx) throws Exception {
    try (Backend.Storage storage = backend.open(vertx)) {
      StateStore s = StateStore.create(vertx, StateConfig.from(storage.config().getJsonObject("state")));
      assertEquals(java.util.Map.of(), await(s.hgetall("h")));
      await(s.hset("h", "a", "1"));
      await(s.hset("h", "b", "2"));
      await(s.hset("h", "a", "3"));
      assertEquals(java.util.Map.of("a", "3", "b", "2"), await(s.hgetall("h")));
      assertTrue(await(s.hdel("h", "a")));
      assertFalse(await(s.hdel("h", "a")));
      assertTrue(await(s.hdel("h", "b")));
      assertEquals(java.util.Map.of(), await(s.hgetall("h")));
      await(s.close());
    }
  }
}
