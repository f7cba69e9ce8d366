// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.function.Executable;

/**
 * Every failure the C ABI can produce today, each checked for the exception subclass, its code,
 * a message naming the field (and value), and a database left exactly as it was.
 */
class ErrorsTest extends FixtureTest {
  private Executable create(String kind, Map<String, ?> fields) {
    return () -> f.create(kind, fields);
  }

  private Executable update(String kind, long id, Map<String, ?> fields) {
    return () -> f.update(kind, id, fields);
  }

  // ---- InvalidArgumentException (2) ----------------------------------------------------------

  @Test
  void aMissingRequiredField() {
    fails(InvalidArgumentException.class, create("department", map()), "name is required");
    fails(InvalidArgumentException.class, create("material", map("sku", "A1", "name", "x", "unit", "个")), "unit_price is required");
  }

  @Test
  void anUnknownField() {
    fails(InvalidArgumentException.class, create("department", map("name", "x", "colour", "red")),
        "colour is not a field of department");
  }

  @Test
  void aValueOfTheWrongType() {
    fails(InvalidArgumentException.class, create("department", map("name", 5)), "name must be text");
    fails(InvalidArgumentException.class, create("material", map("sku", "A", "name", "x", "unit", "个", "unit_price", "12")),
        "unit_price must be an integer");
  }

  @Test
  void anOutOfRangeValue() {
    fails(InvalidArgumentException.class, create("tenant", map("name", "x", "tenant_kind", 7)), "tenant_kind", "7");
    fails(InvalidArgumentException.class, create("material", map("sku", "A", "name", "x", "unit", "个", "unit_price", -1)),
        "unit_price must not be negative");
    fails(InvalidArgumentException.class, create("staff", map("name", "x", "phone", "13912345678", "roles", 8)), "roles 8");
    fails(InvalidArgumentException.class, create("order_type", map("name", "x", "department_id", 0, "position_id", 1)),
        "department_id 0 is not a valid id");
    long sub = f.subtype("押金", ChargeMode.FREE);
    fails(InvalidArgumentException.class, update("subtype", sub, map("charge_mode", ChargeMode.PREPAY_DEPOSIT,
        "deposit_bps", 20000)), "deposit_bps 20000");
  }

  @Test
  void badText() {
    fails(InvalidArgumentException.class, create("department", map("name", "   ")), "name is required and must not be blank");
    fails(InvalidArgumentException.class, create("department", map("name", "a\u0001b")), "name contains a control character");
    fails(InvalidArgumentException.class, create("department", map("name", "长".repeat(201))),
        "name is 201 characters long");
    fails(InvalidArgumentException.class, create("staff", map("name", "x", "phone", "电话号码", "roles", 4)),
        "phone", "电话号码", "is not a phone number");
  }

  @Test
  void fieldsTheCallerMayNotSet() {
    fails(InvalidArgumentException.class, create("department", map("name", "x", "active", 0)), "active is set by the engine");
    long m = f.create("material", map("sku", "SKU-1", "name", "x", "unit", "个", "unit_price", 1));
    fails(InvalidArgumentException.class, update("material", m, map("sku", "SKU-2")), "sku cannot be changed");
    fails(InvalidArgumentException.class, update("material", m, map("stock", 1000)), "stock is set by the engine");
  }

  @Test
  void nullHandlesAndBadStockMovements() {
    fails(InvalidArgumentException.class, () -> f.db.create("department", f.admin, null), "fields is NULL");
    try (Input in = new Input().set("name", "x")) {
      fails(InvalidArgumentException.class, () -> f.db.create("department", null, in), "actor is NULL");
    }
    long m = f.create("material", map("sku", "M", "name", "x", "unit", "个", "unit_price", 1));
    fails(InvalidArgumentException.class, () -> {
      try (Input in = Input.from(map("material_id", m, "movement_kind", MovementKind.REQUISITION, "qty", -5))) {
        f.db.stockMovementCreate(f.admin, in);
      }
    }, "qty -5");
    fails(InvalidArgumentException.class, () -> {
      try (Input in = Input.from(map("material_id", m, "movement_kind", MovementKind.CONSUME, "qty", 5))) {
        f.db.stockMovementCreate(f.admin, in);
      }
    }, "movement_kind consume");
    try (TestDb fresh = TestDb.create(dir)) {
      InvalidArgumentException e =
          assertThrows(InvalidArgumentException.class, () -> Database.open(fresh.location, false, -1));
      assertTrue(e.getMessage().contains("busy_timeout_ms -1"), e.getMessage());
      assertFalse(fresh.exists(), "the refused open created nothing");
    }
  }

  // ---- NotFoundException (1) ----------------------------------------------------------------

  @Test
  void anAbsentRecord() {
    fails(NotFoundException.class, () -> f.get("department", 999), "department 999 not found");
    fails(NotFoundException.class, update("position", 999, map("name", "x")), "position 999 not found");
    fails(NotFoundException.class, () -> f.db.setActive("tenant", f.admin, 999, false), "tenant 999 not found");
    fails(NotFoundException.class, () -> f.db.orgGet(f.admin, 999), "org 999 not found");
  }

  @Test
  void aReferenceToAnAbsentRecord() {
    long pos = f.position("岗");
    fails(NotFoundException.class, create("order_type", map("name", "x", "department_id", 999, "position_id", pos)),
        "department_id 999 not found");
    fails(NotFoundException.class, create("contact", map("tenant_id", 4242, "name", "x", "phone", "13900000000")),
        "tenant_id 4242 not found");
  }

  @Test
  void anotherOrgsRecordsAreNotFound() {
    long dep = f.department("本部");
    Database.NewOrg other;
    try (Input org = Input.from(map("name", "别家物业", "time_zone", "Asia/Shanghai"));
        Input admin = Input.from(map("name", "别家管理员", "phone", "13100000000"))) {
      other = f.db.orgCreate(f.system, org, admin);
    }
    try (Actor stranger = Actor.staff(other.adminId())) {
      fails(NotFoundException.class, () -> f.db.get("department", stranger, dep), "department " + dep + " not found");
      fails(NotFoundException.class, () -> f.db.setActive("department", stranger, dep, false), "not found");
      long pos = f.create("position", stranger, map("name", "岗"));
      fails(NotFoundException.class, () -> f.create("order_type", stranger, map("name", "x", "department_id", dep,
          "position_id", pos)), "department_id " + dep + " not found");
    }
  }

  @Test
  void anUnknownActor() {
    try (Actor ghost = Actor.staff(999)) {
      fails(NotFoundException.class, () -> f.db.list("department", ghost), "actor staff 999 not found");
    }
  }

  // ---- InvalidStateException (3) ------------------------------------------------------------

  @Test
  void theLastAdminStaysAnActiveAdmin() {
    fails(InvalidStateException.class, () -> f.db.setActive("staff", f.admin, f.adminId, false),
        "staff " + f.adminId, "last active admin");
    fails(InvalidStateException.class, update("staff", f.adminId, map("roles", Role.TECHNICIAN)),
        "last active admin", "admin role");
    // With a second admin the first may step down.
    long second = f.create("staff", map("name", "副管理员", "phone", "13900000099", "roles", Role.ADMIN));
    f.update("staff", f.adminId, map("roles", Role.TECHNICIAN));
    assertEquals(EnumSet.of(Role.TECHNICIAN), f.get("staff", f.adminId).getRoles("roles"));
    assertEquals(1, f.get("staff", second).getLong("active"));
  }

  @Test
  void aPrepaidSubtypeKeepsOneServiceSpec() {
    long sub = f.subtype("预付", ChargeMode.PREPAY_FULL);
    long spec = f.create("service_spec", map("subtype_id", sub, "name", "标准", "price", 10000));
    fails(InvalidStateException.class, () -> f.db.setActive("service_spec", f.admin, spec, false),
        "service spec " + spec, "subtype " + sub);
  }

  // ---- ForbiddenException (4) ---------------------------------------------------------------

  @Test
  void anActorWithoutTheRole() {
    Actor tech = f.staffActor(Role.TECHNICIAN);
    fails(ForbiddenException.class, () -> f.create("department", tech, map("name", "x")), "cannot create a department");
    long dep = f.department("工程部");
    fails(ForbiddenException.class, () -> f.db.setActive("department", tech, dep, false), "deactivate a department");
    assertEquals("工程部", f.db.get("department", tech, dep).getString("name"), "but a technician may read it");
    fails(ForbiddenException.class, () -> f.create("department", f.system, map("name", "x")), "system actor");
    long tenant = f.create("tenant", map("name", "租户"));
    long contact = f.create("contact", map("tenant_id", tenant, "name", "联系人", "phone", "13900000000"));
    try (Actor c = Actor.contact(contact)) {
      fails(ForbiddenException.class, () -> f.create("tenant", c, map("name", "x")), "contact " + contact);
    }
  }

  @Test
  void anInactiveStaffMember() {
    Actor dispatcher = f.staffActor(Role.DISPATCHER);
    long id = f.list("staff").get(1).id();
    f.db.setActive("staff", f.admin, id, false);
    fails(ForbiddenException.class, () -> f.create("tenant", dispatcher, map("name", "x")), "actor staff " + id + " is inactive");
  }

  // ---- ConflictException (5) ----------------------------------------------------------------

  @Test
  void aDuplicate() {
    long dep = f.department("工程部");
    fails(ConflictException.class, create("department", map("name", "工程部")), "department", "name", "工程部");
    long other = f.department("客服部");
    fails(ConflictException.class, update("department", other, map("name", "工程部")), "工程部");
    fails(ConflictException.class, create("staff", map("name", "x", "phone", "138-0000-0000", "roles", 4)),
        "phone", Fixture.ADMIN_PHONE);
    f.create("material", map("sku", "LED-9W", "name", "x", "unit", "个", "unit_price", 1));
    fails(ConflictException.class, create("material", map("sku", "LED-9W", "name", "y", "unit", "个", "unit_price", 2)),
        "sku", "LED-9W");
    assertEquals("工程部", f.get("department", dep).getString("name"));
  }

  // ---- OutOfStockException (9) --------------------------------------------------------------

  @Test
  void stockNeverGoesNegative() {
    long m = f.create("material", map("sku", "FUSE-10A", "name", "保险丝", "unit", "个", "unit_price", 300));
    try (Input in = Input.from(map("material_id", m, "movement_kind", MovementKind.REQUISITION, "qty", 2000))) {
      f.db.stockMovementCreate(f.admin, in);
    }
    fails(OutOfStockException.class, () -> {
      try (Input in = Input.from(map("material_id", m, "movement_kind", MovementKind.ADJUSTMENT, "qty", -2001))) {
        f.db.stockMovementCreate(f.admin, in);
      }
    }, "FUSE-10A", "2000", "-2001");
    assertEquals(2000, f.get("material", m).getLong("stock"));
  }

  // ---- BusyException (12) -------------------------------------------------------------------

  @Test
  @DisabledIfEnvironmentVariable(named = "WO_TEST_POSTGRES", matches = ".+", disabledReason = "SQLite's single writer")
  void aWriterWaitingPastTheBusyTimeout() {
    long m = f.create("material", map("sku", "B", "name", "x", "unit", "个", "unit_price", 1));
    AtomicReference<WorkOrderException> seen = new AtomicReference<>();
    // Stock movements read the clock inside their write transaction: a second connection that
    // tries to write from inside the clock waits for the first (SQLite has one writer at a
    // time) and gives up after 50 ms.
    try (Database other = Database.open(f.location, false, 50);
        Actor admin = Actor.staff(f.adminId);
        Input dep = Input.from(map("name", "并发部"));
        Input move = Input.from(map("material_id", m, "movement_kind", MovementKind.REQUISITION, "qty", 1000))) {
      f.db.setClock(() -> {
        try {
          other.create("department", admin, dep);
        } catch (WorkOrderException e) {
          seen.set(e);
        }
        return System.currentTimeMillis();
      });
      f.db.stockMovementCreate(f.admin, move);
      f.db.setClock(null);
      assertNotNull(seen.get(), "the nested write did not fail");
      assertInstanceOf(BusyException.class, seen.get());
      assertEquals(WorkOrderNative.WO_EBUSY, seen.get().code());
      assertTrue(seen.get().getMessage().contains("busy"), seen.get().getMessage());
      assertTrue(f.list("department").isEmpty(), "the busy write changed nothing");
      assertEquals(1000, other.get("material", admin, m).getLong("stock"), "the first writer committed");
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "WO_TEST_POSTGRES", matches = ".+", disabledReason = "PostgreSQL row locks")
  void aWriterWaitingPastTheLockTimeout() throws Exception {
    // PostgreSQL writers wait only for the rows they touch: another session holds the
    // material's row lock, and a stock movement on it gives up after the 50 ms lock_timeout.
    long m = f.create("material", map("sku", "B", "name", "x", "unit", "个", "unit_price", 1));
    try (Database other = Database.open(f.location, false, 50);
        Actor admin = Actor.staff(f.adminId);
        Input move = Input.from(map("material_id", m, "movement_kind", MovementKind.REQUISITION, "qty", 1000))) {
      BusyException e;
      long waited;
      AutoCloseable holder = f.testDb.holdLocks("SELECT id FROM material WHERE id = " + m + " FOR UPDATE");
      try {
        long start = System.nanoTime();
        e = assertThrows(BusyException.class, () -> other.stockMovementCreate(admin, move));
        waited = (System.nanoTime() - start) / 1_000_000;
      } finally {
        holder.close();
      }
      assertEquals(WorkOrderNative.WO_EBUSY, e.code());
      assertTrue(e.getMessage().contains("lock"), e.getMessage());
      assertTrue(waited < 10_000, "gave up after " + waited + " ms, not after the 50 ms timeout");
      assertEquals(0, f.get("material", m).getLong("stock"), "the busy write changed nothing");
      assertTrue(f.list("stock_movement").isEmpty(), "the busy write recorded no movement");
      other.stockMovementCreate(admin, move); // the lock is gone with its holder
      assertEquals(1000, f.get("material", m).getLong("stock"));
    }
  }

  // ---- StorageException (13), SchemaTooNewException (14) ------------------------------------

  @Test
  @DisabledIfEnvironmentVariable(named = "WO_TEST_POSTGRES", matches = ".+", disabledReason = "SQLite files")
  void aFileThatCannotBeOpened() {
    Path missing = dir.resolve("no-such-dir").resolve("x.db");
    StorageException e = assertThrows(StorageException.class, () -> Database.open(missing.toString()));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(missing.getParent()));
  }

  @Test
  void anUnreachableServerNamesHostAndDatabaseButNotThePassword() {
    // Needs no server (the socket directory does not exist), so it runs on both backends.
    for (String scheme : List.of("postgresql", "postgres")) {
      StorageException e = assertThrows(StorageException.class,
          () -> Database.open(scheme + "://u:secret@/nodb?host=/nonexistent"));
      assertEquals(WorkOrderNative.WO_ESTORAGE, e.code());
      assertTrue(e.getMessage().contains("nodb") && e.getMessage().contains("/nonexistent"), e.getMessage());
      assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }
  }

  @Test
  @DisabledIfEnvironmentVariable(named = "WO_TEST_POSTGRES", matches = ".+", disabledReason = "SQLite files")
  void aDatabaseFromANewerLibraryIsLeftUntouched() throws Exception {
    Path file = Path.of(f.location);
    int version = f.db.schemaVersion();
    f.closeHandles();
    assertFalse(Files.exists(Path.of(f.location + "-wal")), "closing checkpointed the WAL");
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).putInt(60, version + 1); // the header's user_version, big-endian
    Files.write(file, bytes);
    SchemaTooNewException e = assertThrows(SchemaTooNewException.class, () -> Database.open(f.location));
    assertEquals(WorkOrderNative.WO_ESCHEMA, e.code());
    assertTrue(e.getMessage().contains(f.location), e.getMessage());
    assertArrayEquals(bytes, Files.readAllBytes(file), "the file is left untouched");
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "WO_TEST_POSTGRES", matches = ".+", disabledReason = "PostgreSQL schemas")
  void aSchemaFromANewerLibraryIsLeftUntouched() {
    int version = f.db.schemaVersion();
    assertTrue(version >= 1 && version < 99, "schema version " + version);
    f.closeHandles();
    f.testDb.sql("UPDATE wo_schema SET version = 99");
    String tables = "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()";
    String before = f.testDb.sql(tables);
    SchemaTooNewException e = assertThrows(SchemaTooNewException.class, () -> Database.open(f.location));
    assertEquals(WorkOrderNative.WO_ESCHEMA, e.code());
    assertTrue(e.getMessage().contains("schema version 99, newer than"), e.getMessage());
    assertEquals("1|99", f.testDb.sql("SELECT count(*), max(version) FROM wo_schema"), "no migration ran");
    assertEquals(before, f.testDb.sql(tables));
  }
}
