// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static dev.workorder.Shop.DAY;
import static dev.workorder.Shop.HOUR;
import static dev.workorder.Shop.MINUTE;
import static dev.workorder.Shop.MON0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Service levels (docs/rules.md §11) through the binding: the org's business hours and warning
 * share, targets per subtype frozen on each order, the two clocks read live, the warning and
 * breach alerts of tick (once each), the breached / due_before list filters and the dashboard's
 * attainment counts. The injected clock of {@link Shop} decides what "now" is: it starts on
 * Monday 2024-06-03 09:00 Asia/Shanghai.
 */
class ServiceLevelsTest extends ShopTest {
  /** Monday 10:00 local. */
  static final long MON_10 = MON0 + 10 * HOUR;

  private void settings(Map<String, ?> fields) {
    try (Input in = Input.from(fields)) {
      db.settingsUpdate(s.admin, in);
    }
  }

  private void officeHours() {
    settings(map("business_hours", "mon-fri 09:00-18:00"));
  }

  /** Sets the subtype's targets in business minutes (null: no clock). */
  private void targets(long subtype, Integer response, Integer resolution) {
    f.update("subtype", subtype, map("response_target_min", response, "resolution_target_min", resolution));
  }

  /** A free (pool) order of the contact, submitted at {@code at}. */
  private long submitAt(long at) {
    s.clock.set(at);
    return s.submitFree(s.ca);
  }

  /** Runs tick at {@code at}, with the injected clock moved there too. */
  private long tickAt(long at) {
    s.clock.set(at);
    return db.tick();
  }

  /** The order's service-level alert events, oldest first. */
  private List<Record> alerts(long order) {
    List<Record> out = new ArrayList<>();
    for (Record e : s.timeline(order)) {
      Action a = e.getEnum("action", Action.class);
      if (a == Action.SLA_WARNING || a == Action.SLA_BREACH) out.add(e);
    }
    return out;
  }

  private static List<Action> actions(List<Record> events) {
    return events.stream().map(e -> e.getEnum("action", Action.class)).toList();
  }

  private static ServiceState state(Record order, String clock) {
    return order.getEnum(clock + "_state", ServiceState.class);
  }

  private List<Long> listed(Input query) {
    List<Long> ids = new ArrayList<>();
    for (Record r : db.orderList(s.dispA, OrderView.ALL, query, null, 200).toList()) ids.add(r.id());
    return ids;
  }

  @Test
  void settingsTakeBusinessHoursAndAWarningShare() {
    Record defaults = db.settingsGet(s.admin);
    assertEquals("", defaults.getString("business_hours"), "around the clock by default");
    assertEquals("", defaults.getString("business_exceptions"));
    assertEquals(80, defaults.getLong("sla_warning_percent"));

    settings(map("business_hours", "fri 13:00-18:00,09:00-12:00; mon-thu 09:00-12:00,13:00-18:00",
        "business_exceptions", "2024-06-10 closed", "sla_warning_percent", 50));
    Record r = db.settingsGet(s.admin);
    assertEquals("mon-fri 09:00-12:00,13:00-18:00", r.getString("business_hours"), "written back canonically");
    assertEquals("2024-06-10 closed", r.getString("business_exceptions"));
    assertEquals(50, r.getLong("sla_warning_percent"));
    assertEquals(defaults.getLong("grab_limit"), r.getLong("grab_limit"), "untouched fields keep their value");

    // A bad value is refused naming its field, and the whole call changes nothing.
    fails(InvalidArgumentException.class, () -> settings(map("sla_warning_percent", 100)), "sla_warning_percent", "100");
    fails(InvalidArgumentException.class, () -> settings(map("sla_warning_percent", -1)), "sla_warning_percent");
    fails(InvalidArgumentException.class, () -> settings(map("grab_limit", 5, "sla_warning_percent", 100)),
        "sla_warning_percent");
    fails(InvalidArgumentException.class, () -> settings(map("business_hours", "mon-fri 9-5")), "business_hours", "9-5");
    fails(InvalidArgumentException.class, () -> settings(map("business_exceptions", "2024-02-30 closed")),
        "business_exceptions", "2024-02-30");
    assertEquals(r, db.settingsGet(s.admin));

    // 0 turns the warnings off; "" is around the clock again.
    settings(map("sla_warning_percent", 0, "business_hours", "", "business_exceptions", ""));
    r = db.settingsGet(s.admin);
    assertEquals(0, r.getLong("sla_warning_percent"));
    assertEquals("", r.getString("business_hours"));
    assertEquals("", r.getString("business_exceptions"));
    try (Input in = Input.from(map("sla_warning_percent", 10))) {
      fails(ForbiddenException.class, () -> db.settingsUpdate(s.t1a, in));
    }
  }

  @Test
  void aSubtypeHasTargetsInBusinessMinutes() {
    Record plain = f.get("subtype", s.freeSub);
    assertTrue(plain.isNull("response_target_min"), "no clock unless set");
    assertTrue(plain.isNull("resolution_target_min"));

    long sub = f.create("subtype", map("order_type_id", s.publicType, "name", "电梯困人", "charge_mode", ChargeMode.FREE,
        "response_target_min", 15, "resolution_target_min", 240));
    Record r = f.get("subtype", sub);
    assertEquals(15, r.getLong("response_target_min"));
    assertEquals(240, r.getLong("resolution_target_min"));
    targets(sub, 527040, null); // a year of minutes is the most; null unsets
    r = f.get("subtype", sub);
    assertEquals(527040, r.getLong("response_target_min"));
    assertTrue(r.isNull("resolution_target_min"));

    for (int bad : new int[] {0, -5, 527041}) {
      fails(InvalidArgumentException.class, () -> targets(sub, bad, null), "response_target_min", Integer.toString(bad));
      fails(InvalidArgumentException.class, () -> targets(sub, 60, bad), "resolution_target_min", Integer.toString(bad));
    }
  }

  @Test
  void aSubmittedOrderShowsItsClocksLive() {
    officeHours();
    targets(s.freeSub, 60, 480);
    long o = submitAt(MON_10);
    Record r = s.order(o);
    assertEquals(60, r.getLong("response_target_min"));
    assertEquals(480, r.getLong("resolution_target_min"));
    assertEquals(MON_10 + HOUR, r.getLong("response_due"));
    assertEquals(MON0 + 18 * HOUR, r.getLong("resolution_due"), "eight business hours: Monday 18:00");
    assertSame(ServiceState.OPEN, state(r, "response"));
    assertSame(ServiceState.OPEN, state(r, "resolution"));
    assertEquals(0, r.getLong("response_used_ms"));
    assertEquals(0, r.getLong("response_alerts"));
    assertEquals(0, r.getLong("resolution_alerts"));
    assertEquals(MON_10 + 48 * MINUTE, r.getLong("sla_alert_at"), "the warning at 80 % of the response target");

    // Read live: the used time follows the clock, and reading writes nothing.
    s.advance(30 * MINUTE);
    List<Record> history = s.timeline(o);
    r = s.order(o);
    assertEquals(30 * MINUTE, r.getLong("response_used_ms"));
    assertEquals(30 * MINUTE, r.getLong("resolution_used_ms"));
    assertSame(ServiceState.OPEN, state(r, "response"));
    s.advance(15 * MINUTE);
    assertEquals(45 * MINUTE, s.order(o).getLong("response_used_ms"));
    assertEquals(history, s.timeline(o));

    // The promise stays: a changed target applies to new orders only.
    targets(s.freeSub, 10, null);
    assertEquals(60, s.order(o).getLong("response_target_min"));
    Record newer = s.order(s.submitFree(s.ca));
    assertEquals(10, newer.getLong("response_target_min"));
    assertTrue(newer.isNull("resolution_target_min"));
    assertSame(ServiceState.NONE, state(newer, "resolution"));
    assertTrue(newer.isNull("resolution_due"));

    // Past due and still running: breached as of the read; an accept then stops it late.
    s.clock.set(MON_10 + HOUR);
    assertSame(ServiceState.OPEN, state(s.order(o), "response"), "the whole target used is not yet late");
    s.clock.set(MON_10 + HOUR + 1);
    assertSame(ServiceState.BREACHED, state(s.order(o), "response"));
    s.clock.set(MON_10 + 70 * MINUTE);
    db.orderAssign(s.dispA, o, s.t1, false);
    db.orderAccept(s.t1a, o);
    s.advance(2 * HOUR);
    r = s.order(o);
    assertSame(ServiceState.BREACHED, state(r, "response"));
    assertEquals(70 * MINUTE, r.getLong("response_used_ms"), "stopped at the accept");
    assertSame(ServiceState.OPEN, state(r, "resolution"));
    assertEquals(190 * MINUTE, r.getLong("resolution_used_ms"));
    // Finished in time: met, and its used time stays.
    db.orderFinish(s.t1a, o);
    s.advance(DAY);
    r = s.order(o);
    assertSame(ServiceState.MET, state(r, "resolution"));
    assertEquals(190 * MINUTE, r.getLong("resolution_used_ms"));

    // An order of a subtype without targets has no clocks.
    Record prepaid = s.order(s.submitPrepaid());
    assertTrue(prepaid.isNull("response_target_min"));
    assertSame(ServiceState.NONE, state(prepaid, "response"));
    assertSame(ServiceState.NONE, state(prepaid, "resolution"));
    assertTrue(prepaid.isNull("response_due"));
    assertTrue(prepaid.isNull("sla_alert_at"));
  }

  @Test
  void theClocksCountBusinessHoursOnly() {
    officeHours();
    targets(s.freeSub, 60, null);
    long o = submitAt(MON0 + 17 * HOUR + 30 * MINUTE);
    // 30 minutes on Monday, 30 on Tuesday morning.
    assertEquals(MON0 + DAY + 9 * HOUR + 30 * MINUTE, s.order(o).getLong("response_due"));
    s.clock.set(MON0 + DAY + 9 * HOUR); // the night is not business time
    assertEquals(30 * MINUTE, s.order(o).getLong("response_used_ms"));

    // Tuesday is declared a holiday: the running clock is counted again, due Wednesday 09:30.
    settings(map("business_exceptions", "2024-06-04 closed"));
    Record r = s.order(o);
    assertEquals(MON0 + 2 * DAY + 9 * HOUR + 30 * MINUTE, r.getLong("response_due"));
    assertEquals(30 * MINUTE, r.getLong("response_used_ms"));
    assertSame(ServiceState.OPEN, state(r, "response"));
  }

  @Test
  void theClocksStandStillWhileTheTenantIsAwaited() {
    targets(s.prepaid, 60, 600); // around the clock: no hours set
    s.clock.set(MON_10);
    long o = s.submitPrepaid();
    Record r = s.order(o);
    assertEquals(OrderStatus.AWAITING_PREPAYMENT, r.getEnum("status", OrderStatus.class));
    assertSame(ServiceState.OPEN, state(r, "response"));
    assertTrue(r.isNull("response_due"), "paused from the start: not yet known");
    s.advance(20 * MINUTE);
    assertEquals(0, s.order(o).getLong("response_used_ms"));
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, null);
    r = s.order(o);
    assertEquals(MON_10 + 20 * MINUTE + HOUR, r.getLong("response_due"));
    assertEquals(MON_10 + 20 * MINUTE + 10 * HOUR, r.getLong("resolution_due"));
  }

  @Test
  void tickWarnsAtTheShareThenReportsTheBreachOnce() {
    officeHours();
    targets(s.freeSub, 60, null);
    long o = submitAt(MON_10);
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(o), "no assignee: the alerts go to the dispatchers only");

    assertEquals(0, tickAt(MON_10 + 47 * MINUTE));
    assertEquals(List.of(), alerts(o));

    // 48 of 60 minutes is the default 80 %: one warning.
    assertEquals(1, tickAt(MON_10 + 48 * MINUTE));
    List<Record> sent = alerts(o);
    assertEquals(List.of(Action.SLA_WARNING), actions(sent));
    Record warning = sent.get(0);
    assertEquals("response", warning.getString("details"));
    assertEquals(60, warning.getLong("amount"), "the target in minutes");
    assertEquals(MON_10 + 48 * MINUTE, warning.getLong("at"));
    assertSame(ActorKind.SYSTEM, warning.getEnum("actor_kind", ActorKind.class));
    assertSame(Audience.DISPATCHERS, warning.getEnum("concerns", Audience.class));
    Record r = s.order(o);
    assertEquals(1, r.getLong("response_alerts"));
    assertSame(ServiceState.OPEN, state(r, "response"));
    assertEquals(OrderStatus.PENDING_DISPATCH, r.getEnum("status", OrderStatus.class), "an alert changes no status");

    // Sent once: later ticks within the target add nothing, even at the due instant itself.
    assertEquals(0, tickAt(MON_10 + 50 * MINUTE));
    assertEquals(0, tickAt(MON_10 + HOUR));
    assertEquals(List.of(Action.SLA_WARNING), actions(alerts(o)));

    // More than the target used: the state reads breached at once, and the next tick reports it.
    s.clock.set(MON_10 + HOUR + 1);
    assertSame(ServiceState.BREACHED, state(s.order(o), "response"));
    assertEquals(1, tickAt(MON_10 + HOUR + 1));
    sent = alerts(o);
    assertEquals(List.of(Action.SLA_WARNING, Action.SLA_BREACH), actions(sent));
    Record breach = sent.get(1);
    assertEquals("response", breach.getString("details"));
    assertEquals(60, breach.getLong("amount"));
    assertSame(Audience.DISPATCHERS, breach.getEnum("concerns", Audience.class));
    assertEquals(2, s.order(o).getLong("response_alerts"));

    // Repeated ticks add nothing.
    assertEquals(0, tickAt(MON_10 + 2 * HOUR));
    assertEquals(0, tickAt(MON_10 + DAY));
    assertEquals(List.of(Action.SLA_WARNING, Action.SLA_BREACH), actions(alerts(o)));
    Record late = s.order(o);
    assertSame(ServiceState.BREACHED, state(late, "response"));
    assertEquals(2, late.getLong("response_alerts"));
    assertTrue(late.isNull("sla_alert_at"), "nothing left to send");
  }

  @Test
  void anAssignedOrdersAlertsAlsoGoToItsAssignee() {
    targets(s.freeSub, null, 120); // around the clock
    long o = submitAt(MON_10);
    db.orderAssign(s.dispA, o, s.t1, false);
    db.orderAccept(s.t1a, o);

    assertEquals(1, tickAt(MON_10 + 96 * MINUTE)); // 80 % of 120
    List<Record> sent = alerts(o);
    assertEquals(List.of(Action.SLA_WARNING, Action.SLA_WARNING), actions(sent), "one to the dispatchers, one to t1");
    assertSame(Audience.DISPATCHERS, sent.get(0).getEnum("concerns", Audience.class));
    assertSame(Audience.STAFF, sent.get(1).getEnum("concerns", Audience.class));
    assertEquals(s.t1, sent.get(1).getLong("concerns_id"));
    for (Record e : sent) {
      assertEquals("resolution", e.getString("details"));
      assertEquals(120, e.getLong("amount"));
    }
    assertTrue(db.eventsAfter(s.t1a, 0).toList().contains(sent.get(1)), "the assignee's feed has it");

    // Finished late, before any tick saw it: the breach is still reported, once.
    s.clock.set(MON_10 + 125 * MINUTE);
    db.orderFinish(s.t1a, o);
    Record r = s.order(o);
    assertEquals(OrderStatus.AWAITING_RATING, r.getEnum("status", OrderStatus.class));
    assertSame(ServiceState.BREACHED, state(r, "resolution"));
    assertEquals(125 * MINUTE, r.getLong("resolution_used_ms"));
    assertEquals(1, tickAt(MON_10 + 126 * MINUTE));
    assertEquals(List.of(Action.SLA_WARNING, Action.SLA_WARNING, Action.SLA_BREACH, Action.SLA_BREACH),
        actions(alerts(o)));
    assertEquals(0, tickAt(MON_10 + 3 * HOUR));
    assertEquals(4, alerts(o).size());
  }

  @Test
  void aTickThatFindsAClockLateSendsOnlyTheBreach() {
    targets(s.freeSub, 60, null);
    long o = submitAt(MON_10);
    assertEquals(1, tickAt(MON_10 + 2 * HOUR));
    assertEquals(List.of(Action.SLA_BREACH), actions(alerts(o)));
    assertEquals(0, tickAt(MON_10 + 3 * HOUR));
    assertEquals(1, alerts(o).size());
  }

  @Test
  void aChangedShareMovesTheNextWarning() {
    targets(s.freeSub, 60, null);
    long o = submitAt(MON_10);
    s.clock.set(MON_10 + 20 * MINUTE);
    settings(map("sla_warning_percent", 25)); // 15 of 60 minutes: already used
    assertEquals(MON_10 + 20 * MINUTE, s.order(o).getLong("sla_alert_at"));
    assertEquals(1, tickAt(MON_10 + 21 * MINUTE));
    assertEquals(List.of(Action.SLA_WARNING), actions(alerts(o)));

    // With warnings off, a new order hears only of its breach.
    settings(map("sla_warning_percent", 0));
    long quiet = submitAt(MON_10 + 30 * MINUTE);
    assertEquals(MON_10 + 90 * MINUTE + 1, s.order(quiet).getLong("sla_alert_at"), "a millisecond past its due");
    assertEquals(1, tickAt(MON_10 + 89 * MINUTE), "o's breach");
    assertEquals(List.of(Action.SLA_WARNING, Action.SLA_BREACH), actions(alerts(o)));
    assertEquals(List.of(), alerts(quiet));
    assertEquals(0, tickAt(MON_10 + 90 * MINUTE));
    assertEquals(1, tickAt(MON_10 + 90 * MINUTE + 1));
    assertEquals(List.of(Action.SLA_BREACH), actions(alerts(quiet)));
  }

  @Test
  void aReopenStartsNewClocksAndACancellationInTimeHasNoVerdict() {
    targets(s.freeSub, 60, 120); // around the clock
    long o = submitAt(MON_10);
    assertEquals(1, tickAt(MON_10 + 2 * HOUR + 1)); // both clocks late: one breach each
    assertEquals(List.of("response", "resolution"), alerts(o).stream().map(e -> e.getString("details")).toList());
    db.orderGrab(s.t1a, o);
    db.orderFinish(s.t1a, o);
    s.advance(HOUR);
    db.orderReopen(s.ca, o, "灯又坏了");
    Record r = s.order(o);
    for (String clock : List.of("response", "resolution")) {
      assertSame(ServiceState.OPEN, state(r, clock), clock);
      assertEquals(0, r.getLong(clock + "_used_ms"), clock);
      assertEquals(0, r.getLong(clock + "_alerts"), clock);
    }
    assertEquals(s.now() + HOUR, r.getLong("response_due"));
    assertEquals(s.now() + 2 * HOUR, r.getLong("resolution_due"));
    assertEquals(1, tickAt(s.now() + 48 * MINUTE), "the new response clock warns again");
    assertEquals(List.of(Action.SLA_BREACH, Action.SLA_BREACH, Action.SLA_WARNING), actions(alerts(o)));

    // Cancelled within its targets: no verdict, and no due instant.
    long early = submitAt(s.now() + MINUTE);
    s.advance(10 * MINUTE);
    db.orderCancel(s.ca, early, "不修了");
    Record c = s.order(early);
    assertSame(ServiceState.NONE, state(c, "response"));
    assertSame(ServiceState.NONE, state(c, "resolution"));
    assertTrue(c.isNull("response_due"));
    assertTrue(c.isNull("sla_alert_at"));
    // Cancelled after the response target: that one stays breached, and its breach is still sent.
    long late = submitAt(s.now() + MINUTE);
    s.advance(61 * MINUTE);
    db.orderCancel(s.admin, late, "重复报修");
    c = s.order(late);
    assertSame(ServiceState.BREACHED, state(c, "response"));
    assertSame(ServiceState.NONE, state(c, "resolution"));
    tickAt(s.now() + MINUTE);
    assertEquals(List.of(Action.SLA_BREACH), actions(alerts(late)));
    assertEquals(List.of(), alerts(early));
  }

  /**
   * Five orders, around the clock, response 60 and resolution 240 minutes: a submitted at
   * 10:00 and left in the pool; e at 10:01, accepted by t1 at 11:05 (late); d at 10:10,
   * accepted by t2 at 10:20 and finished at 10:30; b at 10:30 in the pool; c a prepaid order
   * without targets. The clock is left at 11:10.
   */
  private long[] story() {
    targets(s.freeSub, 60, 240);
    long a = submitAt(MON_10);
    long e = submitAt(MON_10 + MINUTE);
    long d = submitAt(MON_10 + 10 * MINUTE);
    db.orderAssign(s.dispA, d, s.t2, false);
    s.clock.set(MON_10 + 20 * MINUTE);
    db.orderAccept(s.t2a, d);
    s.clock.set(MON_10 + 30 * MINUTE);
    db.orderFinish(s.t2a, d);
    long b = submitAt(MON_10 + 30 * MINUTE);
    long c = s.submitPrepaid();
    s.clock.set(MON_10 + 65 * MINUTE);
    db.orderAssign(s.dispA, e, s.t1, false);
    db.orderAccept(s.t1a, e);
    s.clock.set(MON_10 + 70 * MINUTE);
    return new long[] {a, b, c, d, e};
  }

  @Test
  void listsFilterBreachedAndDueBefore() {
    long[] o = story();
    long a = o[0], b = o[1], d = o[3], e = o[4];
    Record ra = s.order(a), rd = s.order(d), re = s.order(e);
    assertSame(ServiceState.BREACHED, state(ra, "response"), "running past its due instant");
    assertSame(ServiceState.BREACHED, state(re, "response"), "stopped late");
    assertSame(ServiceState.MET, state(rd, "response"));
    assertSame(ServiceState.MET, state(rd, "resolution"));

    try (Input q = new Input().set("breached", true)) {
      assertEquals(List.of(e, a), listed(q));
    }
    try (Input q = new Input().set("due_before", MON_10 + 100 * MINUTE)) {
      assertEquals(List.of(b, a), listed(q), "running clocks due before it, the overdue one included");
    }
    try (Input q = new Input().set("due_before", MON_10 + 80 * MINUTE)) {
      assertEquals(List.of(a), listed(q));
    }
    try (Input q = new Input().set("due_before", MON_10 + HOUR)) {
      assertEquals(List.of(), listed(q), "a's response is due at that very instant, not before it");
    }
    try (Input q = new Input().set("due_before", MON_10 + 245 * MINUTE)) {
      assertEquals(List.of(b, e, a), listed(q), "e's resolution clock still runs");
    }
    try (Input q = new Input().set("breached", true).set("due_before", MON_10 + 100 * MINUTE)) {
      assertEquals(List.of(a), listed(q), "both filters at once");
    }
    try (Input q = new Input().set("breached", true).set("status_mask", OrderStatus.IN_PROGRESS.bit())) {
      assertEquals(List.of(e), listed(q));
    }
    try (Input q = new Input().set("breached", false)) {
      assertEquals(5, listed(q).size(), "breached 0 filters nothing");
    }

    // As of the call: later, b is overdue too.
    s.clock.set(MON_10 + 2 * HOUR);
    try (Input q = new Input().set("breached", true)) {
      assertEquals(List.of(b, e, a), listed(q));
    }
  }

  @Test
  void theDashboardCountsAttainment() {
    long[] o = story();
    Dashboard dash = db.dashboard(s.admin, MON0, MON0 + DAY);
    Record sum = dash.summary();
    assertEquals(5, sum.getLong("orders"));
    // Response: d met; a (running late) and e (stopped late) breached; b open; c has no clock.
    assertEquals(1, sum.getLong("response_met"));
    assertEquals(2, sum.getLong("response_breached"));
    assertEquals(1, sum.getLong("response_open"));
    // Resolution: d met; a, b and e running within 240 minutes.
    assertEquals(1, sum.getLong("resolution_met"));
    assertEquals(0, sum.getLong("resolution_breached"));
    assertEquals(3, sum.getLong("resolution_open"));

    Record pub = dash.types().stream().filter(r -> r.id() == s.publicType).findFirst().orElseThrow();
    Record electrical = dash.types().stream().filter(r -> r.id() == s.orderType).findFirst().orElseThrow();
    assertEquals(List.of(4L, 1L, 2L, 1L, 1L, 0L, 3L), counts(pub, "orders"));
    assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L), counts(electrical, "orders"), "c: no clocks, not counted");

    // Per staff member, over the orders they are assignee of: t1 holds e, t2 held d.
    assertEquals(List.of(0L, 1L, 0L, 0L, 0L, 1L), counts(staffRow(dash, s.t1), null));
    assertEquals(List.of(1L, 0L, 0L, 1L, 0L, 0L), counts(staffRow(dash, s.t2), null));

    // Counted where the clocks stand now: past 14:00 a, b and e are late on resolution too.
    s.clock.set(MON_10 + 250 * MINUTE);
    sum = db.dashboard(s.dispA, MON0, MON0 + DAY).summary();
    assertEquals(List.of(1L, 3L, 0L, 1L, 2L, 1L), counts(sum, null));
  }

  private static Record staffRow(Dashboard d, long staff) {
    return d.staff().stream().filter(r -> r.getLong("staff_id") == staff).findFirst().orElseThrow();
  }

  /** {@code first} (when given) and the six attainment counts of a dashboard record. */
  private static List<Long> counts(Record r, String first) {
    List<Long> out = new ArrayList<>();
    if (first != null) out.add(r.getLong(first));
    for (String clock : List.of("response", "resolution"))
      for (String verdict : List.of("met", "breached", "open")) out.add(r.getLong(clock + "_" + verdict));
    return out;
  }

  @Test
  void serviceStatesAreTheirOwnEnum() {
    assertSame(ServiceState.BREACHED, ServiceState.of(3));
    assertEquals(0, ServiceState.NONE.code());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceState.of(4));
    assertEquals("unknown ServiceState value 4", e.getMessage());
    try (Input in = new Input()) {
      assertThrows(IllegalArgumentException.class, () -> in.set("response_state", OrderStatus.COMPLETED));
      assertThrows(IllegalArgumentException.class, () -> in.set("resolution_state", DispatchStrategy.MANUAL));
      assertThrows(IllegalArgumentException.class, () -> in.set("status", ServiceState.OPEN));
      in.set("response_state", ServiceState.OPEN).set("resolution_state", ServiceState.MET);
    }
  }
}
