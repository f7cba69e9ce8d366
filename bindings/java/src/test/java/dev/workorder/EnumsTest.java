// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C enumerations as Java enums: codes, lookups, role masks, and enums in inputs. */
class EnumsTest extends FixtureTest {
  static final List<Class<? extends CodedEnum>> ALL = List.of(Role.class, TenantKind.class, ChargeMode.class,
      Channel.class, MovementKind.class, OrderStatus.class, OrderView.class, DashboardTable.class, Action.class,
      Audience.class, SourceChannel.class, Payer.class, LineKind.class, PaymentKind.class, ActorKind.class);

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
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.setOf(9));
    assertTrue(e.getMessage().contains("8"), e.getMessage());

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
  void theDashboardHasARowListPerTable() {
    Dashboard d = db.dashboard(f.admin, 0, 86_400_000L);
    assertSame(d.types(), d.rows(DashboardTable.TYPES));
    assertSame(d.subtypes(), d.rows(DashboardTable.SUBTYPES));
    assertSame(d.days(), d.rows(DashboardTable.DAYS));
    assertSame(d.staff(), d.rows(DashboardTable.STAFF));
  }
}
