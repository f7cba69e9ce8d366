// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Automatic dispatch by an order type's strategy, and the preview of whom it would pick. */
class DispatchTest extends ShopTest {

  /** An order type of {@code strategy} bound to the shop's electricians, with a free subtype. */
  private long freeSubtypeOf(String name, long department, long position, DispatchStrategy strategy) {
    long type = f.create("order_type", map("name", name, "department_id", department, "position_id", position,
        "dispatch_strategy", strategy));
    return f.create("subtype", map("order_type_id", type, "name", name + "子类", "charge_mode", ChargeMode.FREE));
  }

  private long submit(long subtype) {
    try (Input in = Shop.draft(subtype, SourceChannel.TENANT_APP)) {
      return s.submit(s.ca, in);
    }
  }

  private Record lastEvent(long order) {
    List<Record> events = s.timeline(order);
    return events.get(events.size() - 1);
  }

  @Test
  void anOrderTypeReadsBackItsStrategy() {
    long type = f.create("order_type", map("name", "空调维修", "department_id", s.dept, "position_id", s.pos,
        "dispatch_strategy", DispatchStrategy.LEAST_LOADED));
    Record r = f.get("order_type", type);
    assertSame(DispatchStrategy.LEAST_LOADED, r.getEnum("dispatch_strategy", DispatchStrategy.class));
    assertTrue(r.isNull("last_dispatched_id"));
    // A type created without one is dispatched by hand.
    assertSame(DispatchStrategy.MANUAL, f.get("order_type", s.orderType).getEnum("dispatch_strategy", DispatchStrategy.class));
  }

  @Test
  void aSubmittedOrderIsAssignedByTheSystem() {
    long sub = freeSubtypeOf("自动派单", s.dept, s.pos, DispatchStrategy.LEAST_LOADED);
    long o = submit(sub);
    Record order = s.order(o);
    assertEquals(OrderStatus.PENDING_ACCEPT, order.getEnum("status", OrderStatus.class));
    long first = order.getLong("assignee_id");
    assertTrue(Set.of(s.t1, s.t2).contains(first), "an eligible technician, not " + first);
    assertEquals(s.now(), f.get("staff", first).getLong("last_assigned_at"));

    Record e = lastEvent(o);
    assertEquals(Action.AUTO_ASSIGN, e.getEnum("action", Action.class));
    assertEquals(ActorKind.SYSTEM, e.getEnum("actor_kind", ActorKind.class));
    assertEquals(OrderStatus.PENDING_DISPATCH, e.getEnum("from_status", OrderStatus.class));
    assertEquals(OrderStatus.PENDING_ACCEPT, e.getEnum("to_status", OrderStatus.class));

    // The next order goes to the technician who holds fewer.
    long second = s.order(submit(sub)).getLong("assignee_id");
    assertEquals(first == s.t1 ? s.t2 : s.t1, second);
  }

  @Test
  void thePreviewNamesWhomTheStrategyWouldPick() {
    // A manual type's pool order: no one is picked.
    long manual = s.submitFree(s.ca);
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(manual));
    assertEquals(OptionalLong.empty(), db.orderDispatchPreview(s.dispA, manual));

    // A least_loaded type with no technician in its position: the order waits in the pool.
    long pos = f.position("空调工");
    long o = submit(freeSubtypeOf("空调", s.dept, pos, DispatchStrategy.LEAST_LOADED));
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(o));
    assertEquals(Action.DISPATCH_UNMATCHED, lastEvent(o).getEnum("action", Action.class));
    assertEquals(OptionalLong.empty(), db.orderDispatchPreview(s.admin, o));

    long tech = f.create("staff", map("name", "空调师傅", "phone", "13100000009", "department_id", s.dept,
        "position_id", pos, "roles", Role.TECHNICIAN));
    assertEquals(OptionalLong.of(tech), db.orderDispatchPreview(s.dispA, o));
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(o), "a preview changes nothing");
    assertTrue(f.get("staff", tech).isNull("last_assigned_at"));
  }

  @Test
  void thePreviewIsForDispatchersOfPoolOrders() {
    long o = s.submitFree(s.ca);
    fails(ForbiddenException.class, () -> db.orderDispatchPreview(s.t1a, o));
    db.orderAssign(s.dispA, o, s.t1, false);
    fails(InvalidStateException.class, () -> db.orderDispatchPreview(s.dispA, o));
  }
}
