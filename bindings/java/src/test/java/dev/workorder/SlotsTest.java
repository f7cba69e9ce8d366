// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static dev.workorder.Shop.DAY;
import static dev.workorder.Shop.HOUR;
import static dev.workorder.Shop.MINUTE;
import static dev.workorder.Shop.MON0;
import static dev.workorder.Shop.MONDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Appointment slots: schedules, availability by LocalDate, booking at submit, reschedule, release. */
class SlotsTest extends ShopTest {
  long sub;
  final long tue9 = MON0 + DAY + 9 * HOUR;
  final long tue10 = tue9 + HOUR;

  @BeforeEach
  void open() {
    sub = s.freeSub;
    s.clock.set(MON0 + 7 * HOUR); // Monday 07:00 in Shanghai
    try (Input in = Input.from(map("days", "fri, mon,tue,wed,thu", "windows", "13:30-18:00,08:00-12:00",
        "slot_minutes", 60, "capacity", 2, "horizon_days", 3, "lead_minutes", 120))) {
      s.schedule(sub, in);
    }
  }

  private List<Record> slots(LocalDate from, LocalDate to) {
    return db.slotAvailability(s.ca, sub, from, to).toList();
  }

  private Record slot(long start) {
    LocalDate day = Shop.localDate(start);
    return slots(day, day).stream().filter(r -> r.getLong("start") == start).findFirst()
        .orElseThrow(() -> new AssertionError("no slot starting at " + start));
  }

  private long book(Actor actor, long start) {
    try (Input in = Shop.draft(sub, SourceChannel.TENANT_APP).set("slot_start", start)) {
      return s.submit(actor, in);
    }
  }

  @Test
  void aScheduleIsStoredNormalisedAndReplacedFieldByField() {
    Record r = db.scheduleGet(s.ca, sub); // contacts may read it
    assertEquals("slot_schedule", r.kind());
    assertEquals(sub, r.id());
    assertEquals(s.f.orgId, r.getLong("org_id"));
    assertEquals("mon,tue,wed,thu,fri", r.getString("days"));
    assertEquals("08:00-12:00,13:30-18:00", r.getString("windows"));
    assertEquals(60, r.getLong("slot_minutes"));
    assertEquals(2, r.getLong("capacity"));
    assertEquals(3, r.getLong("horizon_days"));
    assertEquals(120, r.getLong("lead_minutes"));

    try (Input in = new Input().set("capacity", 5).set("days", "sat")) {
      db.scheduleSet(s.admin, sub, in);
    }
    r = db.scheduleGet(s.admin, sub);
    assertEquals(5, r.getLong("capacity"));
    assertEquals("sat", r.getString("days"));
    assertEquals("08:00-12:00,13:30-18:00", r.getString("windows"), "fields not given are kept");

    db.scheduleClear(s.admin, sub);
    assertThrows(NotFoundException.class, () -> db.scheduleGet(s.admin, sub));
    assertThrows(NotFoundException.class, () -> db.scheduleClear(s.admin, sub));
    assertThrows(NotFoundException.class, () -> db.slotAvailability(s.admin, sub, MONDAY, MONDAY));
  }

  @Test
  void availabilityOverAWeek() {
    List<Record> week = slots(MONDAY, MONDAY.plusDays(6));
    // 5 weekdays x (4 morning + 4 afternoon) slots; 17:30-18:30 does not fit the window.
    assertEquals(40, week.size());
    Record first = week.get(0);
    assertEquals("slot", first.kind());
    assertEquals(MON0 + 8 * HOUR, first.getLong("start"));
    assertEquals(MON0 + 9 * HOUR, first.getLong("end"));
    assertEquals("2024-06-03T08:00+08:00", first.getString("local_start"));
    assertEquals(2, first.getLong("capacity"));
    assertEquals(0, first.getLong("booked"));
    assertEquals(0, first.getLong("available"), "before now + 120 min lead");
    assertEquals(1, week.get(1).getLong("available"), "09:00 is bookable");
    assertEquals("2024-06-03T13:30+08:00", week.get(4).getString("local_start"));
    for (int i = 8; i < 24; i++) assertEquals(1, week.get(i).getLong("available"), "Tuesday and Wednesday");
    for (int i = 24; i < 40; i++) assertEquals(0, week.get(i).getLong("available"), "beyond the 3-day horizon");
    assertEquals("2024-06-07T16:30+08:00", week.get(39).getString("local_start"));
    List<Long> starts = week.stream().map(r -> r.getLong("start")).collect(Collectors.toList());
    assertEquals(starts.stream().sorted().distinct().collect(Collectors.toList()), starts, "in time order");

    assertEquals(8, slots(MONDAY.plusDays(1), MONDAY.plusDays(1)).size());
    assertTrue(slots(MONDAY.plusDays(5), MONDAY.plusDays(6)).isEmpty(), "no weekend slots");
    assertEquals(8 * 45, db.slotAvailability(s.admin, sub, MONDAY, MONDAY.plusDays(61)).toList().size(), "62 days");
    assertEquals(week, db.slotAvailability(s.dispA, sub, "2024-06-03", "2024-06-09").toList(), "the String overload");
  }

  @Test
  void bookingFillsASlotAndRescheduleMovesTheBooking() {
    long o1 = book(s.ca, tue9);
    long o2 = book(s.admin, tue9);
    assertEquals(2, slot(tue9).getLong("booked"));
    assertEquals(0, slot(tue9).getLong("available"), "full");
    assertThrows(SlotFullException.class, () -> book(s.ca, tue9));

    // The reporter moves o1 an hour later: the old slot is released, the new booked.
    s.advance(MINUTE);
    db.orderReschedule(s.ca, o1, tue10);
    assertEquals(tue10, s.order(o1).getLong("slot_start"));
    assertEquals(1, slot(tue9).getLong("booked"));
    assertEquals(1, slot(tue10).getLong("booked"));
    assertEquals(1, slot(tue9).getLong("available"));
    List<Record> events = s.timeline(o1);
    Record moved = events.get(events.size() - 1);
    assertEquals(Action.RESCHEDULE, moved.getEnum("action", Action.class));
    assertEquals(ActorKind.CONTACT, moved.getEnum("actor_kind", ActorKind.class));
    assertEquals(s.now(), moved.getLong("at"));
    assertEquals(OrderStatus.PENDING_DISPATCH, moved.getEnum("to_status", OrderStatus.class));

    // A dispatcher moves it again, to Wednesday.
    long wed9 = tue9 + DAY;
    db.orderReschedule(s.dispA, o1, wed9);
    assertEquals(0, slot(tue10).getLong("booked"));
    assertEquals(1, slot(wed9).getLong("booked"));

    // Cancelling releases the slot.
    db.orderCancel(s.dispA, o2, "改天");
    assertEquals(0, slot(tue9).getLong("booked"));

    // Lowering the capacity below what is booked makes the slot full but keeps the booking.
    book(s.ca, wed9);
    try (Input in = new Input().set("capacity", 1)) {
      db.scheduleSet(s.admin, sub, in);
    }
    Record w = slot(wed9);
    assertEquals(2, w.getLong("booked"));
    assertEquals(1, w.getLong("capacity"));
    assertEquals(0, w.getLong("available"));
    assertThrows(SlotFullException.class, () -> book(s.ca, wed9));

    // Clearing the schedule: booked orders keep their slots; new orders take none.
    db.scheduleClear(s.admin, sub);
    assertEquals(wed9, s.order(o1).getLong("slot_start"));
    long plain = s.submitFree(s.ca);
    assertTrue(s.order(plain).isNull("slot_start"));
  }

  @Test
  void anInjectedClockMovesTheLeadAndTheHorizon() {
    assertEquals(0, slot(MON0 + 8 * HOUR).getLong("available"));
    assertEquals(0, slot(MON0 + 3 * DAY + 9 * HOUR).getLong("available"), "Thursday: beyond the horizon on Monday");
    assertThrows(SlotBeyondHorizonException.class, () -> book(s.ca, MON0 + 3 * DAY + 9 * HOUR));
    s.clock.set(MON0 + DAY + 7 * HOUR); // Tuesday 07:00
    assertEquals(1, slot(MON0 + 3 * DAY + 9 * HOUR).getLong("available"), "Thursday is within three dates now");
    long o = book(s.ca, MON0 + 3 * DAY + 9 * HOUR);
    assertEquals(MON0 + 3 * DAY + 9 * HOUR, s.order(o).getLong("slot_start"));
    assertThrows(SlotTooEarlyException.class, () -> book(s.ca, tue9 - HOUR)); // Tuesday 08:00 < 07:00 + 2 h
  }
}
