// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** An injected clock (wo_db_set_clock through a JNA callback) drives every time the library reads. */
class ClockTest extends FixtureTest {
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private static boolean nearNow(long ms) {
    return Math.abs(ms - System.currentTimeMillis()) < 60_000;
  }

  @Test
  void theInjectedClockIsWhatTheLibraryReads() {
    assertTrue(nearNow(f.db.now()), "the system clock by default");
    AtomicLong clock = new AtomicLong(T0);
    f.db.setClock(clock::get);
    assertEquals(T0, f.db.now());
    clock.addAndGet(90_000);
    assertEquals(T0 + 90_000, f.db.now());

    Database.NewOrg org;
    try (Input o = Input.from(map("name", "时钟物业", "time_zone", "Asia/Shanghai"));
        Input a = Input.from(map("name", "管理员", "phone", "13900000000"))) {
      org = f.db.orgCreate(f.system, o, a);
    }
    assertEquals(T0 + 90_000, f.db.orgGet(f.system, org.orgId()).getLong("created_at"));

    clock.set(T0 + 86_400_000);
    long m = f.create("material", map("sku", "C", "name", "x", "unit", "个", "unit_price", 1));
    long mv;
    try (Input in = Input.from(map("material_id", m, "movement_kind", MovementKind.REQUISITION, "qty", 1))) {
      mv = f.db.stockMovementCreate(f.admin, in);
    }
    assertEquals(T0 + 86_400_000, f.db.stockMovementGet(f.admin, mv).getLong("created_at"));

    f.db.setClock(null);
    assertTrue(nearNow(f.db.now()), "null restores the system clock");
  }

  @Test
  void theCallbackStaysAliveWithoutTheCallersReference() {
    f.db.setClock(() -> T0 + 7);
    for (int i = 0; i < 5; i++) {
      System.gc();
      byte[][] churn = new byte[64][];
      for (int j = 0; j < churn.length; j++) churn[j] = new byte[1 << 16];
    }
    assertEquals(T0 + 7, f.db.now());
  }

  /** GCs until {@code ref} is cleared; false after a bounded wait. */
  private static boolean collected(WeakReference<?> ref) throws InterruptedException {
    for (int i = 0; i < 500 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    return ref.get() == null;
  }

  /** Installs a new supplier reading {@code t} and returns only a weak reference to it. */
  private WeakReference<LongSupplier> install(long t) {
    LongSupplier clock = () -> t;
    f.db.setClock(clock);
    assertEquals(t, f.db.now());
    return new WeakReference<>(clock);
  }

  @Test
  void onlyTheInstalledClockIsKeptAlive() throws InterruptedException {
    WeakReference<LongSupplier> first = install(T0 + 1);
    WeakReference<LongSupplier> second = install(T0 + 2);
    assertTrue(collected(first), "a replaced clock is released");
    assertEquals(T0 + 2, f.db.now(), "the installed one still runs");
    assertTrue(second.get() != null, "the installed one is kept");
    f.db.setClock(null);
    assertTrue(collected(second), "a cleared clock is released");
    assertNull(f.db.installedClock());
    assertTrue(nearNow(f.db.now()));
  }

  @Test
  void theClockIsCalledOnWhicheverThreadUsesTheDatabase() throws Exception {
    AtomicReference<String> caller = new AtomicReference<>();
    f.db.setClock(() -> {
      caller.set(Thread.currentThread().getName());
      return T0;
    });
    AtomicLong seen = new AtomicLong();
    Thread t = new Thread(() -> seen.set(f.db.now()), "clock-reader");
    t.start();
    t.join();
    assertEquals(T0, seen.get());
    assertEquals("clock-reader", caller.get());
  }

  @Test
  void aThrowingClockFallsBackToTheSystemClock() {
    IllegalStateException boom = new IllegalStateException("clock broke");
    f.db.setClock(() -> {
      throw boom;
    });
    assertTrue(nearNow(f.db.now()));
    assertSame(boom, f.db.takeClockFailure());
    assertNull(f.db.takeClockFailure());
  }
}
