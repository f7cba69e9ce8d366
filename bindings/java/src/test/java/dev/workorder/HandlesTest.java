// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Handle lifetimes, inputs, records, cursors and threads. */
class HandlesTest extends FixtureTest {
  @Test
  void aClosedHandleIsRefusedNotPassedToC() {
    Actor a = Actor.staff(f.adminId);
    a.close();
    a.close();
    assertTrue(a.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.db.get("staff", a, f.adminId));
    assertTrue(e.getMessage().contains("actor is closed"), e.getMessage());

    Input in = new Input().set("name", "x");
    in.close();
    assertThrows(IllegalStateException.class, () -> in.set("name", "y"));
    assertThrows(IllegalStateException.class, () -> f.db.create("department", f.admin, in));

    Database db = Database.open(f.location);
    db.close();
    assertThrows(IllegalStateException.class, db::now);
  }

  /** GCs until every resource was released by the Cleaner; fails after a bounded wait. */
  private static void awaitReleased(List<Handle.Resource> resources) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!resources.stream().allMatch(Handle.Resource::isReleased)) {
      if (System.nanoTime() > deadline) fail("the Cleaner did not free forgotten handles within 30 s");
      System.gc();
      Thread.sleep(20);
    }
  }

  /** Opens one handle of each kind and forgets them (the caller only gets what frees them). */
  private List<Handle.Resource> forgetOneOfEach() {
    Database other = Database.open(f.location);
    Actor actor = Actor.staff(f.adminId);
    Input input = new Input().set("name", "忘记");
    RecordCursor cursor = f.db.list("department", f.admin);
    assertTrue(cursor.hasNext()); // a record read ahead, so the C iterator is mid-page
    OrderCursor orders = other.orderList(actor, OrderView.ALL);
    RecordCursor onOther = other.list("department", actor);
    return List.of(other.resource(), actor.resource(), input.resource(), cursor.resource(), orders.resource(),
        onOther.resource());
  }

  @Test
  void forgottenHandlesAreFreedByTheCleaner() throws InterruptedException {
    f.department("甲");
    List<Handle.Resource> forgotten = forgetOneOfEach();
    for (Handle.Resource r : forgotten) assertFalse(r.isReleased());
    awaitReleased(forgotten);
    assertTrue(f.db.openCursors().isEmpty(), "a freed cursor leaves its Database's set");
    assertEquals(1, f.list("department").size(), "the database is fine afterwards");
  }

  private static final AtomicInteger FREES = new AtomicInteger();

  /** A handle over a fake pointer whose free only counts: close and the Cleaner share it. */
  private static final class Counted extends Handle {
    Counted() {
      super(new Resource(new Pointer(1), p -> FREES.incrementAndGet()), "counted");
    }
  }

  @Test
  void closeAndTheCleanerRunTheSameCleanupExactlyOnce() throws InterruptedException {
    FREES.set(0);
    Counted closed = new Counted();
    Handle.Resource closedResource = closed.resource();
    closed.close();
    closed.close();
    assertEquals(1, FREES.get());
    assertTrue(closedResource.isReleased() && closed.isClosed());
    closed = null; // now unreachable: the Cleaner must not free it again
    List<Handle.Resource> dropped = new ArrayList<>();
    for (int i = 0; i < 3; i++) dropped.add(new Counted().resource());
    awaitReleased(dropped);
    assertEquals(4, FREES.get(), "once per handle, closed or forgotten");
  }

  @Test
  void anOpenCursorKeepsItsDatabaseFromTheCleaner() throws InterruptedException {
    f.department("甲");
    f.department("乙");
    RecordCursor cursor = openOnAForgottenDatabase();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(List.of("甲", "乙"), cursor.stream().map(r -> r.getString("name")).toList());
    cursor.close();
  }

  private RecordCursor openOnAForgottenDatabase() {
    return Database.open(f.location).list("department", f.admin);
  }

  @Test
  void closingTheDatabaseClosesItsCursors() {
    f.department("甲");
    f.department("乙");
    Database db = Database.open(f.location);
    RecordCursor open = db.list("department", f.admin);
    assertEquals("甲", open.next().getString("name"));
    RecordCursor done = db.list("department", f.admin);
    done.close();
    db.close();
    assertTrue(open.isClosed());
    assertThrows(IllegalStateException.class, open::hasNext);
  }

  /** A cursor whose reads stop right before wo_iter_next until the test lets them go on. */
  private static final class Paused extends RecordCursor {
    final CountDownLatch inRead = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    volatile boolean abort;

    Paused(Pointer iter, Database db) {
      super(iter, db);
    }

    @Override
    void beforeFetch(Pointer iter) {
      inRead.countDown();
      try {
        proceed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Without the cursor's lock the iterator may be freed by now: never reach C with it.
      if (abort) throw new IllegalStateException("aborted by the test");
    }
  }

  @Test
  void closingWaitsForAReadRunningOnAnotherThread() throws Exception {
    f.department("甲");
    f.department("乙");
    for (boolean closeTheDatabase : new boolean[] {false, true}) {
      Database other = Database.open(f.location);
      PointerByReference it = new PointerByReference();
      assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_department_list(it, Handle.of(other), Handle.of(f.admin), null));
      Paused cursor = new Paused(it.getValue(), other);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Boolean> reading = pool.submit(cursor::hasNext);
        assertTrue(cursor.inRead.await(30, TimeUnit.SECONDS));
        Future<?> closing = pool.submit(closeTheDatabase ? other::close : cursor::close);
        Thread.sleep(300);
        boolean waited = !closing.isDone();
        if (!waited) cursor.abort = true;
        cursor.proceed.countDown();
        assertTrue(waited, "the close waits for the running wo_iter_next (closing the database: " + closeTheDatabase + ")");
        assertTrue(reading.get(30, TimeUnit.SECONDS));
        closing.get(30, TimeUnit.SECONDS);
        assertTrue(cursor.resource().isReleased());
        assertEquals("甲", cursor.next().getString("name"), "the record read ahead is still handed out");
        assertThrows(IllegalStateException.class, cursor::hasNext);
      } finally {
        cursor.proceed.countDown();
        pool.shutdownNow();
        other.close();
      }
    }
  }

  @Test
  void threadsShareACursorAndEachRecordIsHandedOutOnce() throws Exception {
    int records = 300;
    try (Input in = new Input()) {
      for (int i = 0; i < records; i++) f.db.create("department", f.admin, in.set("name", "部" + i));
    }
    Database other = Database.open(f.location);
    RecordCursor shared = other.list("department", f.admin);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<Long>>> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        readers.add(pool.submit(() -> {
          List<Long> ids = new ArrayList<>();
          try {
            while (true) ids.add(shared.next().id());
          } catch (NoSuchElementException | IllegalStateException end) { // the end, or the close below
            return ids;
          }
        }));
      }
      Thread.sleep(5);
      other.close(); // while they read: each read finishes first, then the cursor is closed
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> r : readers) all.addAll(r.get(60, TimeUnit.SECONDS));
      assertEquals(all.size(), all.stream().distinct().count(), "no record handed out twice");
      assertTrue(shared.isClosed());
    } finally {
      pool.shutdownNow();
      other.close();
    }
    // The same on an open database: every record exactly once.
    try (RecordCursor c = f.db.list("department", f.admin)) {
      List<Future<List<Long>>> readers = new ArrayList<>();
      ExecutorService again = Executors.newFixedThreadPool(3);
      try {
        for (int t = 0; t < 3; t++) {
          readers.add(again.submit(() -> {
            List<Long> ids = new ArrayList<>();
            try {
              while (true) ids.add(c.next().id());
            } catch (NoSuchElementException end) {
              return ids;
            }
          }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> r : readers) all.addAll(r.get(60, TimeUnit.SECONDS));
        assertEquals(records, all.size());
        assertEquals(records, all.stream().distinct().count());
      } finally {
        again.shutdownNow();
      }
    }
  }

  @Test
  void aCIteratorKeepsItsDatabaseAliveAfterWoDbFree() {
    // The raw layer: freeing the wo_db before its iterator is safe, and the iterator still reads
    // (its first page is read only after the free).
    f.department("甲");
    f.department("乙");
    PointerByReference out = new PointerByReference();
    assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_db_open(out, f.location, 0, 0));
    Pointer db = out.getValue();
    PointerByReference it = new PointerByReference();
    assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_department_list(it, db, Handle.of(f.admin), null));
    WorkOrderNative.wo_db_free(db);
    PointerByReference rec = new PointerByReference();
    assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_iter_next(rec, it.getValue()));
    assertEquals("甲", Record.take(rec.getValue()).getString("name"));
    assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_iter_next(rec, it.getValue()));
    assertEquals("乙", Record.take(rec.getValue()).getString("name"));
    assertEquals(WorkOrderNative.WO_DONE, WorkOrderNative.wo_iter_next(rec, it.getValue()));
    WorkOrderNative.wo_iter_free(it.getValue());
  }

  @Test
  void streamsAndListsCloseTheirCursor() {
    f.department("甲");
    RecordCursor c = f.db.list("department", f.admin);
    try (Stream<Record> s = c.stream()) {
      assertEquals(1, s.count());
    }
    assertTrue(c.isClosed());
    RecordCursor d = f.db.list("department", f.admin);
    assertEquals(1, d.toList().size());
    assertTrue(d.isClosed());
  }

  @Test
  void inputsTakeBoxedValuesAndTheLastSettingWins() {
    Map<String, Object> fields = map("sku", "X-1", "name", "先", "unit", "个", "unit_price", 5, "ignored", null);
    fields.remove("ignored");
    long m;
    try (Input in = Input.from(fields).set("name", "后").set("unit_price", (short) 7)) {
      m = f.db.create("material", f.admin, in);
    }
    Record r = f.get("material", m);
    assertEquals("后", r.getString("name"));
    assertEquals(7, r.getLong("unit_price"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Input.from(map("price", 1.5)));
    assertTrue(e.getMessage().contains("price"), e.getMessage());
    long sub = f.subtype("耗材", ChargeMode.FREE);
    try (Input in = Input.from(map("consumables_enabled", true))) {
      f.db.update("subtype", f.admin, sub, in);
    }
    assertEquals(1, f.get("subtype", sub).getLong("consumables_enabled"));
  }

  @Test
  void recordsAreImmutableCopies() {
    Record r = f.get("staff", f.adminId);
    assertThrows(UnsupportedOperationException.class, () -> r.fieldNames().remove("name"));
    assertThrows(IllegalArgumentException.class, () -> r.get("salary"));
    assertThrows(IllegalArgumentException.class, () -> r.getLong("name"));
    assertThrows(IllegalArgumentException.class, () -> r.getString("roles"));
    assertEquals(r, f.get("staff", f.adminId));
    assertEquals(r.hashCode(), f.get("staff", f.adminId).hashCode());
    assertEquals(List.of("id", "org_id", "name", "phone", "department_id", "position_id", "roles", "active",
        "last_assigned_at"),
        List.copyOf(r.fields().keySet()));
  }

  @Test
  void threadsShareADatabaseAndEachGetsItsOwnErrorMessage() throws Exception {
    int threads = 4;
    int rounds = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "线程" + t + "部";
        results.add(pool.submit(() -> {
          try (Actor admin = Actor.staff(f.adminId)) {
            int checked = 0;
            for (int i = 0; i < rounds; i++) {
              try (Input in = new Input().set("name", name + i)) {
                f.db.create("department", admin, in);
                // The same name again: the message read must be this thread's, naming this name.
                ConflictException e = assertThrows(ConflictException.class, () -> f.db.create("department", admin, in));
                assertTrue(e.getMessage().contains(name + i + "'"), e.getMessage());
                checked++;
              }
            }
            return checked;
          }
        }));
      }
      for (Future<Integer> r : results) assertEquals(rounds, r.get(120, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * rounds, f.list("department").size());
    assertFalse(f.list("department").stream().map(r -> r.getString("name")).distinct().count() < threads * rounds);
  }
}
