// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static dev.workorder.Shop.DAY;
import static dev.workorder.Shop.HOUR;
import static dev.workorder.Shop.MON0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Each way an order or slot call fails: the exact exception subclass, its code, a message naming
 * what was wrong, and the database — catalog, stock, every order with its lines, payments,
 * attachments and history, every schedule and its availability — exactly as it was.
 */
class OrderErrorsTest extends ShopTest {

  // ---- IneligibleException (20) ----------------------------------------------------------------

  @Test
  void anIneligibleOrInactiveTargetIsIneligible() {
    long o = s.submitPrepaid();
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, null);
    // The outsider lacks the order type's department: not without force.
    fails(IneligibleException.class, () -> db.orderAssign(s.dispA, o, s.outsider, false),
        "staff_id " + s.outsider, "department and position");
    s.f.db.setActive("staff", s.admin, s.t2, false);
    fails(IneligibleException.class, () -> db.orderAssign(s.dispA, o, s.t2, false), "staff_id " + s.t2, "inactive");
    fails(IneligibleException.class, () -> db.orderAssign(s.dispA, o, s.t2, true), "inactive"); // force or not
    db.orderAssign(s.dispA, o, s.outsider, true); // force overrides eligibility
    assertEquals(OrderStatus.PENDING_ACCEPT, s.status(o));
    fails(IneligibleException.class, () -> db.orderTransfer(s.dispA, o, s.t2, "换人", false), "inactive");
    IneligibleException e = assertThrows(IneligibleException.class, () -> db.orderTransfer(s.dispA, o, s.t2, "换人", false));
    assertEquals(WorkOrderNative.WO_EINELIGIBLE, e.code());
  }

  // ---- InvalidStateException (3) --------------------------------------------------------------

  @Test
  void anActionTheStatusDoesNotAllow() {
    long o = s.submitPrepaid(); // awaiting prepayment
    fails(InvalidStateException.class, () -> db.orderAssign(s.dispA, o, s.t1, false), "assign");
    fails(InvalidStateException.class, () -> db.orderFinish(s.admin, o), "finish");
    fails(InvalidStateException.class, () -> db.orderPay(s.ca, o, Channel.WECHAT, 3000, null), "pay");
    fails(InvalidStateException.class, () -> db.orderRate(s.ca, o, 5, null), "rate");
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, null);
    fails(InvalidStateException.class, () -> db.orderAccept(s.t1a, o), "accept"); // nothing assigned
    fails(InvalidStateException.class, () -> db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, null));
    db.orderAssign(s.dispA, o, s.t1, false);
    db.orderAccept(s.t1a, o);
    db.orderFinish(s.t1a, o);
    fails(InvalidStateException.class, () -> db.orderAddLine(s.t1a, o, LineKind.SERVICE_ITEM, s.serviceItem, 1000),
        "add_line"); // the bill is fixed
    fails(InvalidStateException.class, () -> db.orderCancel(s.ca, o, "太晚了"), "cancel");
    assertEquals(OrderStatus.AWAITING_PAYMENT, s.status(o));
  }

  @Test
  void grabbingWhileTheOrgHasGrabbingDisabled() {
    long o = s.submitFree(s.ca);
    try (Input in = new Input().set("grab_enabled", 0)) {
      db.settingsUpdate(s.admin, in);
    }
    fails(InvalidStateException.class, () -> db.orderGrab(s.t1a, o), "grab");
  }

  // ---- ForbiddenException (4) -----------------------------------------------------------------

  @Test
  void anActorWhoMaySeeButNotDo() {
    long o = s.submitPrepaid();
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, null);
    fails(ForbiddenException.class, () -> db.orderAssign(s.t2a, o, s.t1, false), "assign"); // a technician
    db.orderAssign(s.dispA, o, s.t1, false);
    fails(ForbiddenException.class, () -> db.orderAccept(s.dispA, o), "accept"); // not the assignee
    fails(ForbiddenException.class, () -> db.orderReject(s.dispA, o, "不是我的"), "reject");
    db.orderAccept(s.t1a, o);
    fails(ForbiddenException.class, () -> db.orderAddLine(s.ca, o, LineKind.SERVICE_ITEM, s.serviceItem, 1000),
        "add_line");
    fails(ForbiddenException.class, () -> db.orderCancel(s.ca, o, "算了"), "cancel"); // in progress: admins only
    fails(ForbiddenException.class, () -> db.orderTransfer(s.t1a, o, s.outsider, "强制", true), "force");
    fails(ForbiddenException.class, () -> db.tick(s.admin, s.now()), "system");
    try (Input draft = Shop.draft(s.freeSub, SourceChannel.API)) {
      fails(ForbiddenException.class, () -> db.orderSubmit(s.f.system, draft), "system");
      draft.set("payer", Payer.ENTERPRISE);
      fails(ForbiddenException.class, () -> db.orderSubmit(s.ca, draft), "payer");
    }
  }

  // ---- NotFoundException (1) ------------------------------------------------------------------

  @Test
  void anOrderTheActorMayNotSeeIsNotFound() {
    long o = s.submitPrepaid();
    String name = "order " + o;
    // Another tenant's contact: every call says "not found", never "forbidden".
    fails(NotFoundException.class, () -> db.orderGet(s.c2a, o), name);
    fails(NotFoundException.class, () -> db.orderPayPrepayment(s.c2a, o, Channel.WECHAT, 3000, null), name);
    fails(NotFoundException.class, () -> db.orderCancel(s.c2a, o, "恶意取消"), name);
    fails(NotFoundException.class, () -> db.orderMessage(s.c2a, o, "hello?"), name);
    fails(NotFoundException.class, () -> db.orderTimeline(s.c2a, o), name);
    fails(NotFoundException.class, () -> db.orderLines(s.c2a, o), name);
    fails(NotFoundException.class, () -> db.orderPayments(s.c2a, o), name);
    fails(NotFoundException.class, () -> db.orderAttachments(s.c2a, o), name);
    // A technician outside the pool (not eligible), before and after it is dispatchable.
    fails(NotFoundException.class, () -> db.orderGet(s.t1a, o), name); // awaiting prepayment: no pool yet
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, null);
    fails(NotFoundException.class, () -> db.orderGrab(s.outsiderA, o), name);
    // Another org's admin, and an id that does not exist.
    Database.NewOrg other;
    try (Input org = Input.from(map("name", "别家物业", "time_zone", "Asia/Shanghai"));
        Input admin = Input.from(map("name", "别家管理员", "phone", "13700000000"))) {
      other = db.orgCreate(s.f.system, org, admin);
    }
    try (Actor stranger = Actor.staff(other.adminId())) {
      fails(NotFoundException.class, () -> db.orderAssign(stranger, o, s.t1, true), name);
      fails(NotFoundException.class, () -> db.orderGet(stranger, o), name);
    }
    fails(NotFoundException.class, () -> db.orderGet(s.admin, 987654), "987654");
    fails(NotFoundException.class, () -> db.orderAssign(s.dispA, o, 987654, false), "staff_id");
    try (Input draft = Shop.draft(987654, SourceChannel.API)) {
      fails(NotFoundException.class, () -> db.orderSubmit(s.ca, draft), "subtype_id");
    }
  }

  // ---- InvalidArgumentException (2) and ConflictException (5) -------------------------------

  @Test
  void badArgumentsNameTheField() {
    try (Input draft = Shop.draft(s.freeSub, SourceChannel.API).setNull("description")) {
      fails(InvalidArgumentException.class, () -> db.orderSubmit(s.ca, draft), "description");
    }
    try (Input draft = Shop.draft(s.prepaid, SourceChannel.API)) {
      fails(InvalidArgumentException.class, () -> db.orderSubmit(s.ca, draft), "spec_id");
    }
    try (Input draft = Shop.draft(s.freeSub, SourceChannel.API)) {
      for (int i = 0; i < 10; i++) draft.add("attachments", "p" + i + ".jpg");
      fails(InvalidArgumentException.class, () -> db.orderSubmit(s.ca, draft), "attachments");
    }
    fails(InvalidArgumentException.class, () -> db.orderSubmit(s.ca, null), "draft");
    long o = s.inProgress();
    fails(InvalidArgumentException.class, () -> db.orderReject(s.t1a, o, null), "reason");
    fails(InvalidArgumentException.class, () -> db.orderMessage(s.ca, o, ""), "text");
    try (Input line = new Input().set("line_kind", 3).set("item_id", s.serviceItem).set("qty", 1000)) {
      fails(InvalidArgumentException.class, () -> db.orderAddLine(s.t1a, o, line), "line_kind");
    }
    fails(InvalidArgumentException.class, () -> db.orderAddLine(s.t1a, o, LineKind.SERVICE_ITEM, s.serviceItem, 0), "qty");
    fails(InvalidArgumentException.class, () -> db.orderTransfer(s.t1a, o, s.t1, "给自己", false), "staff_id");
    // A NUL in text is refused before C (which would cut the text short).
    assertThrows(IllegalArgumentException.class, () -> db.orderMessage(s.ca, o, "a\0b"));
  }

  @Test
  void aClientTokenUsedByAnotherActorConflicts() {
    long first;
    try (Input draft = Shop.draft(s.freeSub, SourceChannel.TENANT_APP).set("client_token", "tok-9")) {
      first = s.submit(s.ca, draft);
      assertEquals(first, db.orderSubmit(s.ca, draft));
      draft.set("tenant_id", s.tenant).set("reporter_phone", "13900000001");
      fails(ConflictException.class, () -> db.orderSubmit(s.dispA, draft), "client_token");
    }
  }

  // ---- OutOfStockException (9), OverflowException (15) ---------------------------------------

  @Test
  void notEnoughStockForAMaterialLine() {
    long o = s.inProgress();
    db.orderAddLine(s.t1a, o, LineKind.MATERIAL, s.material, 4000);
    OutOfStockException e = fails(OutOfStockException.class,
        () -> db.orderAddLine(s.t1a, o, LineKind.MATERIAL, s.material, 6001), "SOCK-1", "requisition");
    assertEquals(WorkOrderNative.WO_EOUTOFSTOCK, e.code());
    assertEquals(6000, s.stock());
    db.orderAddLine(s.t1a, o, LineKind.MATERIAL, s.material, 6000); // exactly what is left
    assertEquals(0, s.stock());
  }

  @Test
  void anAmountThatDoesNotFit64Bits() {
    long o = s.inProgress();
    fails(OverflowException.class,
        () -> db.orderAddLine(s.t1a, o, LineKind.SERVICE_ITEM, s.serviceItem, Long.MAX_VALUE));
  }

  // ---- PaymentMismatchException (10), ChannelDisabledException (11) --------------------------

  @Test
  void aPaymentOfTheWrongAmount() {
    long o = s.submitPrepaid();
    fails(PaymentMismatchException.class, () -> db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 2999, null), "3000");
    fails(PaymentMismatchException.class, () -> db.orderPayPrepayment(s.ca, o, Channel.CASH, 3001, null), "3000");
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, "wx-1");
    db.orderAssign(s.dispA, o, s.t1, false);
    db.orderAccept(s.t1a, o);
    db.orderFinish(s.t1a, o); // 100.00 owed, 30.00 paid
    fails(PaymentMismatchException.class, () -> db.orderPay(s.ca, o, Channel.WECHAT, 7001, null), "7000");
    fails(InvalidStateException.class, () -> db.orderRefund(s.dispA, o, Channel.WECHAT, 1, null), "refund");
    fails(ConflictException.class, () -> db.orderPay(s.ca, o, Channel.WECHAT, 5000, "wx-1"), "wx-1");
    db.orderPay(s.ca, o, Channel.WECHAT, 7000, null);
    assertEquals(OrderStatus.AWAITING_RATING, s.status(o));
    // Settled exactly: no refund is due.
    fails(PaymentMismatchException.class, () -> db.orderRefund(s.dispA, o, Channel.WECHAT, 1, null), "refund");
  }

  @Test
  void aChannelTheOrgHasNotEnabled() {
    long o = s.submitPrepaid();
    fails(ChannelDisabledException.class, () -> db.orderPayPrepayment(s.ca, o, Channel.ALIPAY, 3000, null),
        "alipay");
    db.channelSetEnabled(s.admin, Channel.ALIPAY, true);
    db.orderPayPrepayment(s.ca, o, Channel.ALIPAY, 3000, null);
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(o));
  }

  // ---- GrabLimitException (8) -----------------------------------------------------------------

  @Test
  void theGrabLimit() {
    try (Input in = new Input().set("grab_limit", 1)) {
      db.settingsUpdate(s.admin, in);
    }
    long first = s.submitFree(s.ca);
    long second = s.submitFree(s.ca);
    db.orderGrab(s.t1a, first);
    fails(GrabLimitException.class, () -> db.orderGrab(s.t1a, second), "grab_limit");
    fails(GrabLimitException.class, () -> db.orderAssign(s.dispA, second, s.t1, false));
    db.orderAssign(s.dispA, second, s.t1, true); // force overrides the limit
    assertEquals(s.t1, s.order(second).getLong("assignee_id"));
  }

  // ---- the slot codes: 6, 7, 17, 18 -----------------------------------------------------------

  @Test
  void everyWayASlotCannotBeBooked() {
    // Weekdays 08:00-12:00 in hour slots, one booking each, three days ahead, two hours' lead.
    s.clock.set(MON0 + 7 * HOUR); // Monday 07:00
    long sub = s.freeSub;
    try (Input in = Input.from(map("days", "mon,tue,wed,thu,fri", "windows", "08:00-12:00", "slot_minutes", 60,
        "capacity", 1, "horizon_days", 3, "lead_minutes", 120))) {
      s.schedule(sub, in);
    }
    long tue9 = MON0 + DAY + 9 * HOUR;
    fails(SlotUnavailableException.class, () -> submitAt(sub, tue9 + 30 * Shop.MINUTE), "2024-06-04T09:30+08:00");
    fails(SlotUnavailableException.class, () -> submitAt(sub, MON0 + 5 * DAY + 9 * HOUR), "slot_start"); // Saturday
    fails(SlotTooEarlyException.class, () -> submitAt(sub, MON0 + 8 * HOUR), "lead");
    fails(SlotBeyondHorizonException.class, () -> submitAt(sub, MON0 + 3 * DAY + 9 * HOUR), "horizon"); // Thursday
    try (Input noSlot = Shop.draft(sub, SourceChannel.TENANT_APP)) {
      fails(InvalidArgumentException.class, () -> s.submit(s.ca, noSlot), "slot_start"); // required with a schedule
    }
    long booked = submitAt(sub, tue9);
    fails(SlotFullException.class, () -> submitAt(sub, tue9), "2024-06-04T09:00+08:00");
    assertEquals(tue9, s.order(booked).getLong("slot_start"));

    // The same codes from a reschedule, which then leaves the booking where it was.
    fails(SlotUnavailableException.class, () -> db.orderReschedule(s.ca, booked, tue9 + Shop.MINUTE), "slot_start");
    fails(SlotTooEarlyException.class, () -> db.orderReschedule(s.ca, booked, MON0 + 8 * HOUR), "lead");
    fails(SlotBeyondHorizonException.class, () -> db.orderReschedule(s.admin, booked, MON0 + 4 * DAY + 9 * HOUR), "horizon");
    long other = submitAt(sub, tue9 + HOUR);
    fails(SlotFullException.class, () -> db.orderReschedule(s.ca, booked, tue9 + HOUR), "full");
    fails(NotFoundException.class, () -> db.orderReschedule(s.c2a, booked, tue9 + 2 * HOUR), "order");
    fails(ForbiddenException.class, () -> db.orderReschedule(s.t1a, other, tue9 + 2 * HOUR));
    db.orderGrab(s.t1a, other);
    fails(InvalidStateException.class, () -> db.orderReschedule(s.admin, other, tue9 + 2 * HOUR), "reschedule");
    assertEquals(tue9, s.order(booked).getLong("slot_start"));
  }

  @Test
  void badScheduleAndAvailabilityArguments() {
    try (Input in = Input.from(map("days", "mon", "windows", "08:00-12:00", "slot_minutes", 60, "capacity", 2,
        "horizon_days", 7))) {
      s.schedule(s.freeSub, in);
    }
    try (Input in = new Input().set("days", "mon,funday")) {
      fails(InvalidArgumentException.class, () -> db.scheduleSet(s.admin, s.freeSub, in), "days");
    }
    try (Input in = new Input().set("windows", "08:00-12:00,11:00-13:00")) {
      fails(InvalidArgumentException.class, () -> db.scheduleSet(s.admin, s.freeSub, in), "overlap");
    }
    try (Input in = new Input().set("capacity", 0)) {
      fails(InvalidArgumentException.class, () -> db.scheduleSet(s.admin, s.freeSub, in), "capacity");
      fails(ForbiddenException.class, () -> db.scheduleSet(s.dispA, s.freeSub, in), "admin");
    }
    fails(ForbiddenException.class, () -> db.scheduleClear(s.t1a, s.freeSub), "admin");
    fails(NotFoundException.class, () -> db.scheduleGet(s.admin, s.prepaid), "schedule");
    fails(InvalidArgumentException.class,
        () -> db.slotAvailability(s.admin, s.freeSub, Shop.MONDAY.plusDays(6), Shop.MONDAY), "before");
    fails(InvalidArgumentException.class,
        () -> db.slotAvailability(s.admin, s.freeSub, Shop.MONDAY, Shop.MONDAY.plusDays(62)), "62");
    fails(InvalidArgumentException.class, () -> db.slotAvailability(s.admin, s.freeSub, null, Shop.MONDAY), "from_date");
    fails(InvalidArgumentException.class, () -> db.slotAvailability(s.admin, s.freeSub, "2024-6-3", "2024-06-09"), "from_date");
    fails(InvalidArgumentException.class, () -> db.slotAvailability(s.admin, s.freeSub, "2024-06-03", "2024-02-30"), "to_date");
    fails(ForbiddenException.class, () -> db.slotAvailability(s.f.system, s.freeSub, Shop.MONDAY, Shop.MONDAY), "system");
  }

  private long submitAt(long subtype, long slotStart) {
    try (Input in = Shop.draft(subtype, SourceChannel.TENANT_APP).set("slot_start", slotStart)) {
      return s.submit(s.ca, in);
    }
  }
}
