// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Shop.DAY;
import static dev.workorder.Shop.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tick(now) runs the three timers of docs/rules.md §4. The injected clock decides when each order entered
 * its status; tick's argument (or the clock, for {@code tick()}) decides what is overdue.
 */
class TimersTest extends ShopTest {

  private Record lastEvent(long order) {
    List<Record> events = s.timeline(order);
    return events.get(events.size() - 1);
  }

  @Test
  void anUnpaidPrepaymentIsCancelledAfterThePrepayTimeout() {
    long submitted = s.now();
    long o = s.submitPrepaid();
    assertEquals(submitted, s.order(o).getLong("status_since"));
    long due = submitted + 30 * MINUTE; // the default prepay_timeout_min
    assertEquals(0, db.tick(s.f.system, due - 1));
    assertEquals(OrderStatus.AWAITING_PREPAYMENT, s.status(o));
    assertEquals(1, db.tick(s.f.system, due));
    Record r = s.order(o);
    assertEquals(OrderStatus.CANCELLED, r.getEnum("status", OrderStatus.class));
    assertEquals(due, r.getLong("cancelled_at"), "the timer's time, not the clock's");
    Record e = lastEvent(o);
    assertEquals(Action.PREPAYMENT_TIMEOUT, e.getEnum("action", Action.class));
    assertEquals(ActorKind.SYSTEM, e.getEnum("actor_kind", ActorKind.class));
    assertEquals(OrderStatus.AWAITING_PREPAYMENT, e.getEnum("from_status", OrderStatus.class));
    assertEquals(OrderStatus.CANCELLED, e.getEnum("to_status", OrderStatus.class));
    assertEquals(due, e.getLong("at"));
    assertEquals(0, db.tick(s.f.system, due + MINUTE), "nothing left to expire");
  }

  @Test
  void anUnacceptedAssignmentReturnsToDispatch() {
    long o = s.submitFree(s.ca);
    s.advance(5 * MINUTE);
    long assigned = s.now();
    db.orderAssign(s.dispA, o, s.t1, false);
    long due = assigned + 60 * MINUTE; // the default accept_timeout_min
    assertEquals(0, db.tick(due - 1));
    assertEquals(1, db.tick(due));
    Record r = s.order(o);
    assertEquals(OrderStatus.PENDING_DISPATCH, r.getEnum("status", OrderStatus.class));
    assertTrue(r.isNull("assignee_id"));
    Record e = lastEvent(o);
    assertEquals(Action.ACCEPT_TIMEOUT, e.getEnum("action", Action.class));
    assertEquals(OrderStatus.PENDING_ACCEPT, e.getEnum("from_status", OrderStatus.class));
    assertEquals(OrderStatus.PENDING_DISPATCH, e.getEnum("to_status", OrderStatus.class));
    assertEquals(s.t1, e.getLong("staff_id"));
  }

  @Test
  void anUnratedOrderIsRatedAutomatically() {
    try (Input in = new Input().set("rating_timeout_days", 2).set("auto_rating_score", 4)) {
      db.settingsUpdate(s.admin, in);
    }
    long o = s.submitFree(s.ca);
    db.orderGrab(s.t2a, o);
    s.advance(MINUTE);
    long finished = s.now();
    db.orderFinish(s.t2a, o);
    assertEquals(OrderStatus.AWAITING_RATING, s.status(o));

    // tick() reads the injected clock.
    s.clock.set(finished + 2 * DAY - 1);
    assertEquals(0, db.tick());
    s.clock.set(finished + 2 * DAY);
    assertEquals(1, db.tick());
    Record r = s.order(o);
    assertEquals(OrderStatus.COMPLETED, r.getEnum("status", OrderStatus.class));
    assertEquals(4, r.getLong("rating"));
    assertEquals(finished + 2 * DAY, r.getLong("completed_at"));
    assertEquals(Action.RATING_TIMEOUT, lastEvent(o).getEnum("action", Action.class));
  }

  @Test
  void oneTickRunsEveryTimerOfEveryOrderDue() {
    long unpaid = s.submitPrepaid();
    long unaccepted = s.submitFree(s.ca);
    db.orderAssign(s.dispA, unaccepted, s.t1, false);
    long fresh = s.submitFree(s.ca);
    long inProgress = s.inProgress();
    assertEquals(2, db.tick(s.now() + 2 * 60 * MINUTE));
    assertEquals(OrderStatus.CANCELLED, s.status(unpaid));
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(unaccepted));
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(fresh), "no timer in pending_dispatch");
    assertEquals(OrderStatus.IN_PROGRESS, s.status(inProgress), "nor in progress");
  }

  @Test
  void aZeroTimeoutDisablesItsTimer() {
    try (Input in = new Input().set("prepay_timeout_min", 0)) {
      db.settingsUpdate(s.admin, in);
    }
    long o = s.submitPrepaid();
    assertEquals(0, db.tick(s.now() + 365 * DAY));
    assertEquals(OrderStatus.AWAITING_PREPAYMENT, s.status(o));
  }
}
