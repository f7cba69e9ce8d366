// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Shop.DAY;
import static dev.workorder.Shop.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The work-order life cycle through Database's order methods, against a real database file. */
class OrderLifecycleTest extends ShopTest {

  /** One expected history event: action, from and to status (null = none), actor and time. */
  private record Step(Action action, OrderStatus from, OrderStatus to, ActorKind actorKind, long actorId, long at) {}

  private static OrderStatus status(Record r, String field) {
    return r.isNull(field) ? null : r.getEnum(field, OrderStatus.class);
  }

  @Test
  void thePaidRepairFromSubmissionToRating() {
    List<Step> expected = new ArrayList<>();
    final ActorKind c = ActorKind.CONTACT;
    final ActorKind st = ActorKind.STAFF;

    // ---- submit with a deposit due (prepay_deposit: 30.00 of a 100.00 spec) ----
    long o;
    try (Input in = Shop.draft(s.prepaid, SourceChannel.TENANT_APP)
        .set("spec_id", s.spec)
        .set("unit_ref", "B-1201")
        .set("client_token", "tok-1")
        .add("attachments", "https://img.example/1.jpg")
        .add("attachments", "oss://bucket/照片2.jpg")) {
      o = s.submit(s.ca, in);
      // The same client_token again by the same contact: the same order, nothing new.
      s.advance(MINUTE);
      assertEquals(o, db.orderSubmit(s.ca, in));
    }
    expected.add(new Step(Action.SUBMIT, null, OrderStatus.AWAITING_PREPAYMENT, c, s.contact,
        s.now() - MINUTE));
    Record r = db.orderGet(s.ca, o);
    assertEquals("order", r.kind());
    assertEquals("20240603-000001", r.getString("number"));
    assertEquals(s.orderType, r.getLong("order_type_id"));
    assertEquals(s.prepaid, r.getLong("subtype_id"));
    assertEquals(s.spec, r.getLong("spec_id"));
    assertEquals(ChargeMode.PREPAY_DEPOSIT, r.getEnum("charge_mode", ChargeMode.class));
    assertEquals("厨房插座冒火花 The socket sparks", r.getString("description"));
    assertEquals("B-1201", r.getString("unit_ref"));
    assertEquals(s.tenant, r.getLong("tenant_id"));
    assertEquals(s.contact, r.getLong("reporter_contact_id"));
    assertTrue(r.isNull("reporter_staff_id"));
    assertEquals(Payer.TENANT, r.getEnum("payer", Payer.class));
    assertEquals(ActorKind.CONTACT, r.getEnum("created_by_kind", ActorKind.class));
    assertEquals(OrderStatus.AWAITING_PREPAYMENT, r.getEnum("status", OrderStatus.class));
    assertEquals(s.now() - MINUTE, r.getLong("created_at"));
    assertEquals(10000, r.getLong("spec_price"));
    assertEquals(3000, r.getLong("prepay_due"));
    assertEquals(10000, r.getLong("total"));
    assertEquals(10000, r.getLong("owed"));
    assertEquals(10000, r.getLong("balance"));
    assertTrue(r.isNull("assignee_id"));
    assertEquals(List.of("https://img.example/1.jpg", "oss://bucket/照片2.jpg"),
        values(db.orderAttachments(s.ca, o)));

    // ---- the contact pays the deposit ----
    s.advance(MINUTE);
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, "wx-1");
    db.orderPayPrepayment(s.ca, o, Channel.WECHAT, 3000, "wx-1"); // a repeat changes nothing
    expected.add(new Step(Action.PAY_PREPAYMENT, OrderStatus.AWAITING_PREPAYMENT,
        OrderStatus.PENDING_DISPATCH, c, s.contact, s.now()));
    r = s.order(o);
    assertEquals(OrderStatus.PENDING_DISPATCH, r.getEnum("status", OrderStatus.class));
    assertEquals(3000, r.getLong("paid"));
    assertEquals(7000, r.getLong("balance"));
    assertEquals(s.now(), r.getLong("prepaid_at"));

    // ---- assigned to t1, who rejects; assigned to t2, who accepts ----
    s.advance(MINUTE);
    db.orderAssign(s.dispA, o, s.t1, false);
    expected.add(new Step(Action.ASSIGN, OrderStatus.PENDING_DISPATCH, OrderStatus.PENDING_ACCEPT,
        st, s.disp, s.now()));
    assertEquals(OrderStatus.PENDING_ACCEPT, s.status(o));
    assertEquals(s.t1, s.order(o).getLong("assignee_id"));
    assertEquals(s.now(), s.order(o).getLong("assigned_at"));

    s.advance(MINUTE);
    db.orderReject(s.t1a, o, "今天休假 on leave");
    expected.add(new Step(Action.REJECT, OrderStatus.PENDING_ACCEPT, OrderStatus.PENDING_DISPATCH,
        st, s.t1, s.now()));
    assertEquals(OrderStatus.PENDING_DISPATCH, s.status(o));
    assertTrue(s.order(o).isNull("assignee_id"));

    s.advance(MINUTE);
    db.orderAssign(s.admin, o, s.t2, false);
    expected.add(new Step(Action.ASSIGN, OrderStatus.PENDING_DISPATCH, OrderStatus.PENDING_ACCEPT,
        st, s.f.adminId, s.now()));
    s.advance(MINUTE);
    db.orderAccept(s.t2a, o);
    expected.add(new Step(Action.ACCEPT, OrderStatus.PENDING_ACCEPT, OrderStatus.IN_PROGRESS,
        st, s.t2, s.now()));
    r = s.order(o);
    assertEquals(OrderStatus.IN_PROGRESS, r.getEnum("status", OrderStatus.class));
    assertEquals(s.t2, r.getLong("assignee_id"));
    assertEquals(s.now(), r.getLong("accepted_at"));

    // ---- charge lines: 1.5 h labor at t2's rate 80.00, 2 sockets at 5.00, one call-out fee ----
    s.advance(MINUTE);
    long labor = db.orderAddLine(s.t2a, o, LineKind.LABOR, s.laborItem, 1500);
    long mat;
    try (Input line = new Input().set("line_kind", LineKind.MATERIAL).set("item_id", s.material).set("qty", 2000)) {
      mat = db.orderAddLine(s.t2a, o, line);
    }
    long svc = db.orderAddLine(s.t2a, o, LineKind.SERVICE_ITEM, s.serviceItem, 1000);
    for (int i = 0; i < 3; i++)
      expected.add(new Step(Action.ADD_LINE, OrderStatus.IN_PROGRESS, OrderStatus.IN_PROGRESS,
          st, s.t2, s.now()));
    assertEquals(8000, s.stock(), "the material is reserved");
    List<Record> lines = db.orderLines(s.ca, o).toList();
    assertEquals(List.of(labor, mat, svc), lines.stream().map(Record::id).collect(Collectors.toList()));
    assertEquals("charge_line", lines.get(0).kind());
    assertEquals(List.of(8000L, 500L, 2000L),
        lines.stream().map(l -> l.getLong("unit_price")).collect(Collectors.toList()));
    assertEquals(List.of(12000L, 1000L, 2000L), lines.stream().map(l -> l.getLong("amount")).collect(Collectors.toList()));
    assertEquals(s.t2, lines.get(0).getLong("staff_id"));
    assertEquals("电工工时", lines.get(0).getString("name"));
    assertEquals(0, lines.get(2).getLong("removed"));
    r = s.order(o);
    assertEquals(15000, r.getLong("lines_total"));
    assertEquals(25000, r.getLong("total"));
    assertEquals(22000, r.getLong("balance"));

    // ---- finished: the bill is fixed and the material consumed ----
    s.advance(MINUTE);
    db.orderFinish(s.t2a, o);
    expected.add(new Step(Action.FINISH, OrderStatus.IN_PROGRESS, OrderStatus.AWAITING_PAYMENT,
        st, s.t2, s.now()));
    r = s.order(o);
    assertEquals(OrderStatus.AWAITING_PAYMENT, r.getEnum("status", OrderStatus.class));
    assertEquals(s.now(), r.getLong("finished_at"));
    assertEquals(22000, r.getLong("balance"));
    assertEquals(8000, s.stock());
    try (Input filter = new Input().set("order_id", o).set("movement_kind", MovementKind.CONSUME)) {
      List<Record> consumed = db.stockMovementList(s.admin, filter).toList();
      assertEquals(1, consumed.size());
      assertEquals(2000, consumed.get(0).getLong("qty"));
    }

    // ---- the balance in two payments, one recorded offline by the dispatcher ----
    s.advance(MINUTE);
    db.orderPay(s.ca, o, Channel.WECHAT, 12000, "wx-2");
    expected.add(new Step(Action.PAY, OrderStatus.AWAITING_PAYMENT, OrderStatus.AWAITING_PAYMENT,
        c, s.contact, s.now()));
    assertEquals(10000, s.order(o).getLong("balance"));
    assertEquals(OrderStatus.AWAITING_PAYMENT, s.status(o));
    try (Input cash = new Input().set("channel", Channel.CASH).set("amount", 10000)) {
      db.orderPay(s.dispA, o, cash);
    }
    expected.add(new Step(Action.PAY, OrderStatus.AWAITING_PAYMENT, OrderStatus.AWAITING_RATING,
        st, s.disp, s.now()));
    r = s.order(o);
    assertEquals(OrderStatus.AWAITING_RATING, r.getEnum("status", OrderStatus.class));
    assertEquals(0, r.getLong("balance"));
    assertEquals(25000, r.getLong("paid"));
    assertEquals(s.now(), r.getLong("settled_at"));
    List<Record> payments = db.orderPayments(s.ca, o).toList();
    assertEquals(List.of(PaymentKind.PREPAYMENT, PaymentKind.PAYMENT, PaymentKind.PAYMENT),
        payments.stream().map(p -> p.getEnum("payment_kind", PaymentKind.class)).collect(Collectors.toList()));
    assertEquals(List.of(3000L, 12000L, 10000L), payments.stream().map(p -> p.getLong("amount")).collect(Collectors.toList()));
    assertEquals("wx-1", payments.get(0).getString("provider_txn_id"));
    assertTrue(payments.get(2).isNull("provider_txn_id"));

    // ---- rated ----
    s.advance(MINUTE);
    db.orderRate(s.ca, o, 5, "修得很快 quick");
    expected.add(new Step(Action.RATE, OrderStatus.AWAITING_RATING, OrderStatus.COMPLETED,
        c, s.contact, s.now()));
    r = s.order(o);
    assertEquals(OrderStatus.COMPLETED, r.getEnum("status", OrderStatus.class));
    assertEquals(5, r.getLong("rating"));
    assertEquals("修得很快 quick", r.getString("rating_comment"));
    assertEquals(s.now(), r.getLong("completed_at"));

    // ---- the history, as the reporter reads it ----
    List<Record> events = db.orderTimeline(s.ca, o).toList();
    List<Step> actual = new ArrayList<>();
    long previous = 0;
    for (Record e : events) {
      assertEquals("event", e.kind());
      assertEquals(o, e.getLong("order_id"));
      assertTrue(e.id() > previous, "ids increase");
      previous = e.id();
      actual.add(new Step(e.getEnum("action", Action.class), status(e, "from_status"), status(e, "to_status"),
          e.getEnum("actor_kind", ActorKind.class), e.getLong("actor_id"), e.getLong("at")));
    }
    assertEquals(expected, actual);
    assertEquals("今天休假 on leave", events.get(3).getString("details"));
    assertEquals(s.t1, events.get(2).getLong("staff_id"), "the first assignment names t1");
    assertEquals(s.t2, events.get(4).getLong("staff_id"), "the second names t2");
    assertEquals(3000, events.get(0).getLong("amount"), "submit records the prepayment due");
    // Only what follows a given event.
    List<Record> tail = db.orderTimeline(s.admin, o, events.get(9).id()).toList();
    assertEquals(events.subList(10, events.size()), tail);
  }

  @Test
  void aFreePublicRepairIsGrabbedAndCostsTheTenantNothing() {
    long o = s.submitFree(s.ca);
    Record r = s.order(o);
    assertEquals(OrderStatus.PENDING_DISPATCH, r.getEnum("status", OrderStatus.class), "nothing to prepay");
    assertEquals(0, r.getLong("prepay_due"));
    assertEquals(s.publicType, r.getLong("order_type_id"));

    // The pool: eligible technicians see it, the outsider does not.
    assertEquals(o, db.orderGet(s.t1a, o).id());
    assertThrows(NotFoundException.class, () -> db.orderGet(s.outsiderA, o));
    assertThrows(NotFoundException.class, () -> db.orderGrab(s.outsiderA, o));

    s.advance(MINUTE);
    db.orderGrab(s.t1a, o);
    r = s.order(o);
    assertEquals(OrderStatus.IN_PROGRESS, r.getEnum("status", OrderStatus.class));
    assertEquals(s.t1, r.getLong("assignee_id"));
    assertEquals(s.now(), r.getLong("accepted_at"));
    // Gone from the pool: t2 no longer sees it at all.
    assertThrows(NotFoundException.class, () -> db.orderGrab(s.t2a, o));

    long extra = db.orderAddLine(s.t1a, o, LineKind.SERVICE_ITEM, s.freeServiceItem, 2000);
    assertEquals(3000, db.orderLines(s.t1a, o).toList().get(0).getLong("amount"));
    db.orderMessage(s.t1a, o, "已更换灯管");
    db.orderMessage(s.ca, o, "谢谢");
    r = s.order(o);
    assertEquals(3000, r.getLong("total"), "the org's own cost");
    assertEquals(0, r.getLong("owed"), "a free subtype: the tenant owes nothing");

    s.advance(MINUTE);
    db.orderFinish(s.t1a, o);
    assertEquals(OrderStatus.AWAITING_RATING, s.status(o), "nothing owed, a tenant reported");
    assertEquals(0, s.order(o).getLong("balance"));
    db.orderRate(s.ca, o, 4, null);
    r = s.order(o);
    assertEquals(OrderStatus.COMPLETED, r.getEnum("status", OrderStatus.class));
    assertEquals(4, r.getLong("rating"));
    assertTrue(r.isNull("rating_comment"));
    assertTrue(db.orderPayments(s.admin, o).toList().isEmpty());
    assertEquals(extra, db.orderLines(s.admin, o).toList().get(0).id());

    List<Action> actions = new ArrayList<>();
    for (Record e : s.timeline(o)) actions.add(e.getEnum("action", Action.class));
    assertEquals(Arrays.asList(Action.SUBMIT, Action.GRAB, Action.ADD_LINE,
        Action.MESSAGE, Action.MESSAGE, Action.FINISH, Action.RATE), actions);
    Record message = s.timeline(o).get(3);
    assertEquals("已更换灯管", message.getString("details"));
    assertEquals(OrderStatus.IN_PROGRESS, message.getEnum("from_status", OrderStatus.class));
  }

  @Test
  void staffReportingForTheOrgCompletesWithoutRating() {
    long o = s.submitFree(s.dispA);
    Record r = s.order(o);
    assertEquals(s.disp, r.getLong("reporter_staff_id"));
    assertTrue(r.isNull("tenant_id"));
    assertEquals(Payer.ENTERPRISE, r.getEnum("payer", Payer.class));
    assertEquals(ActorKind.STAFF, r.getEnum("created_by_kind", ActorKind.class));
    db.orderGrab(s.t2a, o);
    db.orderFinish(s.dispA, o);
    assertEquals(OrderStatus.COMPLETED, s.status(o));
    assertEquals(s.now(), s.order(o).getLong("completed_at"));
  }

  @Test
  void transferRemoveLineCancelAndRefund() {
    long o = s.inProgress();
    long mat = db.orderAddLine(s.t1a, o, LineKind.MATERIAL, s.material, 3000);
    assertEquals(7000, s.stock());
    db.orderRemoveLine(s.t1a, o, mat);
    assertEquals(10000, s.stock(), "released");
    assertEquals(1, db.orderLines(s.admin, o).toList().get(0).getLong("removed"));
    long kept = db.orderAddLine(s.t1a, o, LineKind.MATERIAL, s.material, 1000);
    assertEquals(9000, s.stock());

    db.orderTransfer(s.t1a, o, s.t2, "换班 shift ends", false);
    Record r = s.order(o);
    assertEquals(OrderStatus.PENDING_ACCEPT, r.getEnum("status", OrderStatus.class));
    assertEquals(s.t2, r.getLong("assignee_id"));
    assertTrue(r.isNull("accepted_at"));
    assertEquals(2, db.orderLines(s.admin, o).toList().size(), "lines stay");

    // An admin cancels in progress work: stock released, the deposit is due back.
    db.orderAccept(s.t2a, o);
    db.orderCancel(s.admin, o, "租户取消");
    r = s.order(o);
    assertEquals(OrderStatus.CANCELLED, r.getEnum("status", OrderStatus.class));
    assertEquals(10000, s.stock());
    assertEquals(3000, r.getLong("refund_due"));
    db.orderRefund(s.dispA, o, Channel.WECHAT, 1000, "rf-1");
    try (Input rest = new Input().set("channel", Channel.CASH).set("amount", 2000)) {
      db.orderRefund(s.admin, o, rest);
    }
    r = s.order(o);
    assertEquals(3000, r.getLong("refunded"));
    assertEquals(0, r.getLong("refund_due"));
    assertEquals(0, r.getLong("balance"));
    List<Record> events = s.timeline(o);
    assertEquals(Action.REFUND, events.get(events.size() - 1).getEnum("action", Action.class));
    assertNotEquals(kept, mat);
  }

  @Test
  void aReopenedOrderGoesBackToDispatchKeepingItsMoney() {
    long o = s.submitFree(s.ca);
    db.orderGrab(s.t1a, o);
    db.orderFinish(s.t1a, o);
    db.orderRate(s.ca, o, 2, "还是不亮");
    s.advance(DAY);
    db.orderReopen(s.ca, o, "灯又坏了");
    Record r = s.order(o);
    assertEquals(OrderStatus.PENDING_DISPATCH, r.getEnum("status", OrderStatus.class));
    assertEquals(1, r.getLong("reopen_count"));
    assertTrue(r.isNull("assignee_id"));
    assertTrue(r.isNull("rating"));
    db.orderGrab(s.t2a, o);
    assertEquals(s.t2, s.order(o).getLong("assignee_id"));
  }

  @Test
  void orderCursorsCloseWithTheirDatabase() {
    long o = s.submitFree(s.ca);
    Database other = Database.open(s.f.location);
    RecordCursor timeline = other.orderTimeline(s.admin, o);
    RecordCursor lines = other.orderLines(s.admin, o);
    assertEquals(Action.SUBMIT, timeline.next().getEnum("action", Action.class));
    other.close();
    assertTrue(timeline.isClosed());
    assertTrue(lines.isClosed());
    assertThrows(IllegalStateException.class, timeline::hasNext);
    assertThrows(IllegalStateException.class, () -> other.orderGet(s.admin, o));
    assertEquals(o, s.order(o).id(), "the first Database is unaffected");
  }

  @Test
  void inputsReplaceOnSetAndAppendOnAdd() {
    long o;
    try (Input in = Shop.draft(s.freeSub, SourceChannel.H5)
        .set("description", "第一次")
        .set("description", "第二次 replaces")
        .add("attachments", "a.jpg")
        .add("attachments", "b.jpg")) {
      o = s.submit(s.ca, in);
      assertEquals("第二次 replaces", s.order(o).getString("description"));
      assertEquals(List.of("a.jpg", "b.jpg"), values(db.orderAttachments(s.ca, o)));
      // set on the list field replaces every earlier entry.
      in.set("attachments", "c.jpg");
      assertEquals(List.of("c.jpg"), values(db.orderAttachments(s.ca, s.submit(s.ca, in))));
    }
    // A collection in Input.from is a list field, entries in order.
    try (Input in = Input.from(Fixture.map("subtype_id", s.freeSub, "description", "x", "address", "y",
        "source_channel", SourceChannel.API, "attachments", List.of("1", "2", "3")))) {
      assertEquals(List.of("1", "2", "3"), values(db.orderAttachments(s.ca, s.submit(s.ca, in))));
      in.setObject("attachments", List.of("4"));
      assertEquals(List.of("4"), values(db.orderAttachments(s.ca, s.submit(s.ca, in))));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Input.from(Fixture.map("attachments", List.of("ok", 5))));
    assertTrue(e.getMessage().contains("attachments"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Input().add("attachments", "a\0b"));
  }

  private static List<String> values(RecordCursor attachments) {
    return attachments.toList().stream().map(a -> a.getString("value")).collect(Collectors.toList());
  }
}
