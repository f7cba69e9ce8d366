// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The C enumerations as Java enums: codes, lookups, role masks, and enums in inputs. */
class EnumsTest extends FixtureTest {
  static final List<Class<? extends CodedEnum>> ALL = List.of(Role.class, TenantKind.class, ChargeMode.class,
      Channel.class, MovementKind.class, OrderStatus.class, OrderView.class, DashboardTable.class, Action.class,
      Audience.class, SourceChannel.class, Payer.class, LineKind.class, PaymentKind.class, ActorKind.class,
      DispatchStrategy.class, ServiceState.class);

  @Test
  void everyConstantIsFoundByItsCode() throws ReflectiveOperationException {
    for (Class<? extends CodedEnum> type : ALL) {
      for (CodedEnum c : type.getEnumConstants()) {
        Object found = type.getMethod("of", int.class).invoke(null, c.code());
        assertSame(c, found, type.getSimpleName() + "." + c);
      }
    }
    assertSame(OrderStatus.CANCELLED, OrderStatus.of(7));
    assertSame(Channel.BANK_TRANSFER, CodedEnum.of(Channel.class, 4));
  }

  @Test
  void anUnknownCodeIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrderStatus.of(8));
    assertEquals("unknown OrderStatus value 8", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Role.of(3)); // a mask, not a role
    assertThrows(IllegalArgumentException.class, () -> Channel.of(-1));
  }

  @Test
  void rolesAreABitMask() {
    assertEquals(0, Role.mask(EnumSet.noneOf(Role.class)));
    assertEquals(7, Role.mask(EnumSet.allOf(Role.class)));
    assertEquals(EnumSet.of(Role.ADMIN, Role.TECHNICIAN), Role.setOf(5));
    assertEquals(EnumSet.noneOf(Role.class), Role.setOf(0));
    // A bit of a role a newer library added is left out, not refused.
    assertEquals(EnumSet.of(Role.ADMIN), Role.setOf(1 | 8 | 64));
    assertEquals(EnumSet.noneOf(Role.class), Role.setOf(16));

    long staff;
    try (Input in = new Input().set("name", "多面手").set("phone", "13900000007")
        .set("roles", EnumSet.of(Role.DISPATCHER, Role.TECHNICIAN))) {
      staff = db.create("staff", f.admin, in);
    }
    assertEquals(EnumSet.of(Role.DISPATCHER, Role.TECHNICIAN), f.get("staff", staff).getRoles("roles"));
    f.update("staff", staff, map("roles", List.of(Role.TECHNICIAN)));
    assertEquals(EnumSet.of(Role.TECHNICIAN), f.get("staff", staff).getRoles("roles"));
  }

  @Test
  void inputsStoreAnEnumAsItsCode() {
    long sub = f.subtype("疏通", ChargeMode.PREPAY_FULL);
    assertSame(ChargeMode.PREPAY_FULL, f.get("subtype", sub).getEnum("charge_mode", ChargeMode.class));
    try (Input in = new Input().set("charge_mode", ChargeMode.AFTER_COMPLETION)) {
      db.update("subtype", f.admin, sub, in);
    }
    assertEquals(ChargeMode.AFTER_COMPLETION.code(), f.get("subtype", sub).getLong("charge_mode"));
    assertThrows(IllegalArgumentException.class, () -> new Input().set("charge_mode", (CodedEnum) null).close());
  }

  @Test
  void anInputRefusesAConstantOfAnotherEnumThanItsFields() {
    try (Input in = new Input()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.set("channel", SourceChannel.H5));
      assertEquals("field channel takes a Channel, not SourceChannel.H5", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> in.set("source_channel", Channel.CASH));
      assertThrows(IllegalArgumentException.class, () -> in.set("status", Action.SUBMIT));
      assertThrows(IllegalArgumentException.class, () -> in.set("created_by_kind", Audience.STAFF));
      assertThrows(IllegalArgumentException.class, () -> in.set("roles", ActorKind.STAFF));
      assertThrows(IllegalArgumentException.class, () -> in.set("channel", EnumSet.of(Role.ADMIN)));
      e = assertThrows(IllegalArgumentException.class, () -> in.setObject("payer", LineKind.MATERIAL));
      assertTrue(e.getMessage().contains("payer") && e.getMessage().contains("Payer")
          && e.getMessage().contains("LineKind.MATERIAL"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> in.setObject("line_kind", List.of(Role.TECHNICIAN)));
      // The right enum, a role as roles, and field names the binding does not know pass.
      in.set("channel", Channel.CASH).set("source_channel", SourceChannel.H5).set("actor_kind", ActorKind.STAFF)
          .set("recorded_by_kind", ActorKind.CONTACT).set("roles", Role.ADMIN).set("roles", EnumSet.of(Role.ADMIN))
          .set("no_such_field", SourceChannel.API);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Input.from(map("tenant_kind", ChargeMode.FREE)));
    assertTrue(e.getMessage().contains("tenant_kind"), e.getMessage());
    for (String field : Input.FIELD_ENUMS.keySet()) // every entry names a field of docs/records.md's tables
      assertTrue(RECORDS_MD.contains("| " + field + " |"), field);
  }

  private static final String RECORDS_MD = readRecordsMd();

  private static String readRecordsMd() {
    // workorder.header is capi/include/workorder.h: the docs are two folders up.
    Path header = Path.of(System.getProperty("workorder.header", "../../capi/include/workorder.h"));
    try {
      return Files.readString(header.toAbsolutePath().getParent().getParent().getParent().resolve("docs/records.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void findEnumReadsAnUnknownValueAsEmpty() {
    long sub = f.subtype("疏通", ChargeMode.PREPAY_FULL);
    Record r = f.get("subtype", sub);
    assertEquals(Optional.of(ChargeMode.PREPAY_FULL), r.findEnum("charge_mode", ChargeMode.class));
    assertEquals(Optional.empty(), r.findEnum("charge_mode", TenantKind.class)); // 3: no TenantKind has it
    assertEquals(Optional.of(Channel.ALIPAY), CodedEnum.find(Channel.class, 1));
    assertEquals(Optional.empty(), CodedEnum.find(Channel.class, 99));
    assertThrows(IllegalArgumentException.class, () -> r.findEnum("name", ChargeMode.class)); // text
    assertThrows(IllegalArgumentException.class, () -> r.findEnum("salary", ChargeMode.class)); // absent

    // A record as a newer library could send it: a status this binding does not know, a null.
    Record newer = new Record(new Record.Layout("order", new String[] {"id", "status", "payer"}),
        new Object[] {1L, 42L, null});
    assertEquals(Optional.empty(), newer.findEnum("status", OrderStatus.class));
    assertEquals(Optional.empty(), newer.findEnum("payer", Payer.class));
    assertEquals(42L, newer.getLong("status"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> newer.getEnum("status", OrderStatus.class));
    assertEquals("unknown OrderStatus value 42", e.getMessage());
  }

  @Test
  void aFieldTypeFromANewerLibraryReadsAsNull() {
    Memory texts = new Memory(3L * Native.POINTER_SIZE);
    Memory text = new Memory(8);
    text.setString(0, "甲", WorkOrderNative.ENCODING);
    texts.setPointer(2L * Native.POINTER_SIZE, text);
    Object[] values = new Object[4];
    Record.decode(new int[] {WorkOrderNative.WO_TYPE_INT, 7, WorkOrderNative.WO_TYPE_TEXT, WorkOrderNative.WO_TYPE_NULL},
        new long[] {5, 6, 0, 0}, texts, values);
    assertEquals(Arrays.asList(5L, null, "甲", null), Arrays.asList(values));
  }

  @Test
  void theDashboardHasARowListPerTable() {
    Dashboard d = db.dashboard(f.admin, 0, 86_400_000L);
    assertSame(d.types(), d.rows(DashboardTable.TYPES));
    assertSame(d.subtypes(), d.rows(DashboardTable.SUBTYPES));
    assertSame(d.days(), d.rows(DashboardTable.DAYS));
    assertSame(d.staff(), d.rows(DashboardTable.STAFF));
  }
}
