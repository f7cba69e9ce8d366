# SPDX-License-Identifier: MIT
"""The work-order life cycle through the binding: submit, dispatch, charge lines, payments,
refunds, rating, reopening, timers and reading an order back."""

from __future__ import annotations

import re

import pytest
from conftest import snapshot

import workorder as wo

T0 = 1_700_000_000_000
MINUTE = 60_000


class Clock:
    def __init__(self, start: int):
        self.now = start

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(db):
    c = Clock(T0)
    db.set_clock(c)
    return c


@pytest.fixture
def shop(db, admin, catalog, clock):
    """The catalog plus stock, a tenant contact actor and a technician actor."""
    db.stock_movement_create(admin, material_id=catalog["material"], movement_kind=wo.MovementKind.REQUISITION, qty=10_000)
    with wo.Actor.staff(catalog["staff"]) as tech, wo.Actor.contact(catalog["contact"]) as contact:
        yield {"ids": catalog, "tech": tech, "contact": contact}


def _status(db, actor, order_id):
    return db.order_get(actor, order_id).status


def _submit(db, actor, ids, **extra):
    fields = {
        "subtype_id": ids["subtype"],
        "description": "厨房水龙头漏水",
        "address": "3号楼1201",
        "source_channel": wo.SourceChannel.MINI_PROGRAM,
    }
    fields.update(extra)
    return db.order_submit(actor, fields)


def test_a_tenant_reported_order_from_submit_to_reopen(db, admin, shop, clock):
    ids, tech, contact = shop["ids"], shop["tech"], shop["contact"]
    oid = _submit(db, contact, ids, unit_ref="1201", attachments=["https://img/1.jpg", "https://img/漏水.jpg"])
    order = db.order_get(contact, oid)
    assert order.kind == "order"
    assert order.status is wo.OrderStatus.PENDING_DISPATCH
    assert re.fullmatch(r"\d{8}-\d{6}", order.number)
    assert (order.tenant_id, order.reporter_contact_id, order.reporter_staff_id) == (ids["tenant"], ids["contact"], None)
    assert (order.payer, order.created_by_kind, order.source_channel) == (
        wo.Payer.TENANT,
        wo.ActorKind.CONTACT,
        wo.SourceChannel.MINI_PROGRAM,
    )
    assert (order.description, order.unit_ref, order.created_at) == ("厨房水龙头漏水", "1201", T0)
    assert (order.total, order.owed, order.balance, order.refund_due) == (0, 0, 0, 0)
    assert [(a.id, a.value) for a in db.order_attachments(contact, oid)] == [(1, "https://img/1.jpg"), (2, "https://img/漏水.jpg")]

    # Dispatch: assign, reject, assign again, accept.
    db.order_assign(admin, oid, ids["staff"])
    assert db.order_get(admin, oid).assignee_id == ids["staff"]
    assert _status(db, admin, oid) is wo.OrderStatus.PENDING_ACCEPT
    db.order_reject(tech, oid, "今天排满了")
    assert (_status(db, admin, oid), db.order_get(admin, oid).assignee_id) == (wo.OrderStatus.PENDING_DISPATCH, None)
    db.order_assign(admin, oid, ids["staff"], force=False)
    db.order_accept(tech, oid)
    assert _status(db, tech, oid) is wo.OrderStatus.IN_PROGRESS

    # Charge lines: labor at the technician's department rate (9000/h), material at its unit
    # price (1200), a service item (2000) that is removed again.
    labor = db.order_add_line(tech, oid, line_kind=wo.LineKind.LABOR, item_id=ids["labor_item"], qty=1500)
    material = db.order_add_line(tech, oid, {"line_kind": wo.LineKind.MATERIAL, "item_id": ids["material"], "qty": 2000})
    item = db.order_add_line(tech, oid, line_kind=wo.LineKind.SERVICE_ITEM, item_id=ids["service_item"], qty=1000)
    assert db.get("material", admin, ids["material"]).stock == 8000  # reserved
    db.order_remove_line(tech, oid, item)
    lines = {line.id: line for line in db.order_lines(tech, oid)}
    assert sorted(lines) == sorted([labor, material, item])
    assert (lines[labor].line_kind, lines[labor].unit_price, lines[labor].amount) == (wo.LineKind.LABOR, 9000, 13500)
    assert (lines[material].amount, lines[material].name, lines[item].removed) == (2400, "PVC管", 1)
    reserve = list(db.stock_movement_list(admin, order_id=oid, movement_kind=wo.MovementKind.RESERVE))
    assert [(m.material_id, m.qty) for m in reserve] == [(ids["material"], -2000)]  # the stock delta

    clock.now += 60 * MINUTE
    db.order_finish(tech, oid)
    order = db.order_get(contact, oid)
    assert order.status is wo.OrderStatus.AWAITING_PAYMENT
    assert (order.total, order.owed, order.balance, order.finished_at) == (15900, 15900, 15900, T0 + 60 * MINUTE)

    # Payments: a disabled channel, too much, then two partial payments.
    before = snapshot(db, admin, wo.Actor.system())
    with pytest.raises(wo.ChannelDisabled, match="wechat"):
        db.order_pay(contact, oid, channel=wo.Channel.WECHAT, amount=5900)
    db.channel_set_enabled(admin, wo.Channel.WECHAT, True)
    before["channels"] = [dict(r) for r in db.channel_list(admin)]
    with pytest.raises(wo.PaymentMismatch) as info:
        db.order_pay(contact, oid, channel=wo.Channel.WECHAT, amount=20_000)
    assert "20000" in info.value.message or "200.00" in info.value.message
    assert snapshot(db, admin, wo.Actor.system()) == before
    db.order_pay(contact, oid, channel=wo.Channel.WECHAT, amount=5900, provider_txn_id="wx-1")
    assert db.order_get(contact, oid).balance == 10_000
    db.order_pay(contact, oid, {"channel": wo.Channel.WECHAT, "amount": 10_000, "provider_txn_id": "wx-2"})
    db.order_pay(contact, oid, channel=wo.Channel.WECHAT, amount=10_000, provider_txn_id="wx-2")  # a repeat: no-op
    assert _status(db, contact, oid) is wo.OrderStatus.AWAITING_RATING
    payments = list(db.order_payments(contact, oid))
    assert [(p.payment_kind, p.amount, p.provider_txn_id, p.recorded_by_kind) for p in payments] == [
        (wo.PaymentKind.PAYMENT, 5900, "wx-1", wo.ActorKind.CONTACT),
        (wo.PaymentKind.PAYMENT, 10_000, "wx-2", wo.ActorKind.CONTACT),
    ]

    db.order_message(contact, oid, "谢谢师傅 👍")
    with pytest.raises(wo.InvalidArgument, match="score"):
        db.order_rate(contact, oid, 6)
    db.order_rate(contact, oid, 5, "修得很好")
    order = db.order_get(contact, oid)
    assert (order.status, order.rating, order.rating_comment) == (wo.OrderStatus.COMPLETED, 5, "修得很好")

    events = list(db.order_timeline(contact, oid))
    A = wo.Action
    assert [e.action for e in events] == [
        A.SUBMIT, A.ASSIGN, A.REJECT, A.ASSIGN, A.ACCEPT, A.ADD_LINE, A.ADD_LINE, A.ADD_LINE,
        A.REMOVE_LINE, A.FINISH, A.PAY, A.PAY, A.MESSAGE, A.RATE,
    ]  # fmt: skip
    assert (events[0].from_status, events[0].to_status) == (None, wo.OrderStatus.PENDING_DISPATCH)
    assert (events[-1].from_status, events[-1].to_status) == (wo.OrderStatus.AWAITING_RATING, wo.OrderStatus.COMPLETED)
    assert events[12].details == "谢谢师傅 👍" and events[12].actor_kind is wo.ActorKind.CONTACT
    assert [e.id for e in db.order_timeline(contact, oid, events[-3].id)] == [events[-2].id, events[-1].id]

    db.order_reopen(contact, oid, "又漏了")
    order = db.order_get(contact, oid)
    assert (order.status, order.reopen_count) == (wo.OrderStatus.PENDING_DISPATCH, 1)


def test_prepayment_cancel_refund_and_timers(db, admin, system, shop, clock):
    ids, contact = shop["ids"], shop["contact"]
    prepaid = db.create(
        "subtype", admin, order_type_id=ids["order_type"], name="整包预付", charge_mode=wo.ChargeMode.PREPAY_FULL
    )
    spec = db.create("service_spec", admin, subtype_id=prepaid, name="包工包料", price=5000)
    oid = _submit(db, contact, ids, subtype_id=prepaid, spec_id=spec)
    order = db.order_get(contact, oid)
    assert (order.status, order.prepay_due, order.spec_price) == (wo.OrderStatus.AWAITING_PREPAYMENT, 5000, 5000)
    db.channel_set_enabled(admin, wo.Channel.ALIPAY, True)
    with pytest.raises(wo.PaymentMismatch):
        db.order_pay_prepayment(contact, oid, channel=wo.Channel.ALIPAY, amount=4999)
    with pytest.raises(wo.InvalidState):
        db.order_pay(contact, oid, channel=wo.Channel.ALIPAY, amount=5000)  # not awaiting_payment
    db.order_pay_prepayment(contact, oid, channel=wo.Channel.ALIPAY, amount=5000, provider_txn_id="ali-1")
    assert db.order_get(contact, oid).status is wo.OrderStatus.PENDING_DISPATCH

    db.order_cancel(contact, oid, "不需要了")
    order = db.order_get(admin, oid)
    assert (order.status, order.paid, order.refund_due) == (wo.OrderStatus.CANCELLED, 5000, 5000)
    with pytest.raises(wo.Forbidden):
        db.order_refund(contact, oid, channel=wo.Channel.ALIPAY, amount=5000)
    with pytest.raises(wo.PaymentMismatch):
        db.order_refund(admin, oid, channel=wo.Channel.ALIPAY, amount=6000)
    db.order_refund(admin, oid, channel=wo.Channel.ALIPAY, amount=5000, provider_txn_id="ali-r1")
    order = db.order_get(admin, oid)
    assert (order.refunded, order.refund_due) == (5000, 0)
    assert [p.payment_kind for p in db.order_payments(admin, oid)] == [wo.PaymentKind.PREPAYMENT, wo.PaymentKind.REFUND]

    # The prepayment timer (30 minutes by default) cancels an unpaid order.
    late = _submit(db, contact, ids, subtype_id=prepaid, spec_id=spec)
    assert db.tick(system, T0 + 29 * MINUTE) == 0
    assert db.tick(system, T0 + 31 * MINUTE) == 1
    assert _status(db, contact, late) is wo.OrderStatus.CANCELLED
    last = list(db.order_timeline(admin, late))[-1]
    assert (last.action, last.actor_kind, last.at) == (wo.Action.PREPAYMENT_TIMEOUT, wo.ActorKind.SYSTEM, T0 + 31 * MINUTE)
    clock.now = T0 + 60 * MINUTE
    assert db.tick(system) == 0  # now_ms defaults to the database's clock
    with pytest.raises(wo.Forbidden, match="only the system actor runs timers"):
        db.tick(admin)


def test_grab_limit_force_transfer_and_staff_reported_orders(db, admin, org, shop):
    ids, tech = shop["ids"], shop["tech"]
    tech2_id = db.create(
        "staff",
        admin,
        name="刘师傅",
        phone="13900000002",
        department_id=ids["department"],
        position_id=ids["position"],
        roles=wo.Role.TECHNICIAN,
    )
    first = _submit(db, admin, ids, source_channel=wo.SourceChannel.STAFF_PC)
    order = db.order_get(admin, first)
    assert (order.reporter_staff_id, order.payer, order.tenant_id) == (org[1], wo.Payer.ENTERPRISE, None)
    db.order_grab(tech, first)
    assert (_status(db, admin, first), db.order_get(admin, first).assignee_id) == (wo.OrderStatus.IN_PROGRESS, ids["staff"])
    with pytest.raises(wo.InvalidState):
        db.order_grab(tech, first)

    db.settings_update(admin, grab_limit=1)
    second = _submit(db, admin, ids, source_channel=wo.SourceChannel.STAFF_PC)
    with pytest.raises(wo.GrabLimit):
        db.order_grab(tech, second)
    with pytest.raises(wo.GrabLimit):
        db.order_assign(admin, second, ids["staff"])
    db.order_assign(admin, second, ids["staff"], force=True)
    assert _status(db, admin, second) is wo.OrderStatus.PENDING_ACCEPT

    with wo.Actor.staff(tech2_id) as tech2:
        db.order_transfer(tech, first, tech2_id, "换人处理")
        order = db.order_get(admin, first)
        assert (order.status, order.assignee_id) == (wo.OrderStatus.PENDING_ACCEPT, tech2_id)
        with pytest.raises(wo.Forbidden):
            db.order_transfer(tech2, first, ids["staff"], "force is for dispatchers", True)
        db.order_accept(tech2, first)
        db.order_finish(tech2, first)
    # Nothing owed and a staff reporter: straight to completed.
    order = db.order_get(admin, first)
    assert (order.status, order.owed, order.balance) == (wo.OrderStatus.COMPLETED, 0, 0)


def test_order_inputs_and_errors(db, admin, shop):
    ids, contact, tech = shop["ids"], shop["contact"], shop["tech"]
    token = _submit(db, contact, ids, client_token="app-req-1")
    assert _submit(db, contact, ids, client_token="app-req-1") == token  # idempotent submit
    with pytest.raises(wo.Conflict, match="client_token 'app-req-1' was used by another actor"):
        _submit(db, admin, ids, client_token="app-req-1")
    with pytest.raises(wo.InvalidArgument, match="^description is required$"):
        db.order_submit(contact, subtype_id=ids["subtype"], address="x", source_channel=wo.SourceChannel.H5)
    with pytest.raises(wo.InvalidArgument, match="attachments has 10 entries, at most 9"):
        _submit(db, contact, ids, attachments=[f"{i}.jpg" for i in range(10)])
    with pytest.raises(TypeError, match="list entries must be str"):
        _submit(db, contact, ids, attachments=["a.jpg", 2])
    with pytest.raises(wo.InvalidArgument, match="^reason is NULL$"):
        db.order_cancel(contact, token, None)
    with pytest.raises(wo.InvalidState, match="cannot rate an order that is pending_dispatch"):
        db.order_rate(contact, token, 5)
    with pytest.raises(wo.NotFound):
        db.order_get(contact, 999_999)
    with pytest.raises(wo.InvalidState):
        db.order_accept(tech, token)  # pending_dispatch: nothing to accept
    with pytest.raises(wo.Forbidden):
        db.order_assign(tech, token, ids["staff"])  # technicians do not dispatch
    with pytest.raises(wo.InvalidArgument, match="force must be 0 or 1, got 2"):
        db.order_assign(admin, token, ids["staff"], 2)
    # Another tenant's contact cannot see the order at all.
    other_tenant = db.create("tenant", admin, name="李四")
    other = db.create("contact", admin, tenant_id=other_tenant, name="李四", phone="13600000000")
    with wo.Actor.contact(other) as stranger:
        with pytest.raises(wo.NotFound):
            db.order_get(stranger, token)
        with pytest.raises(wo.NotFound):
            db.order_message(stranger, token, "hello")
        with pytest.raises(wo.NotFound):
            db.order_timeline(stranger, token)
    assert db.order_get(contact, token).status is wo.OrderStatus.PENDING_DISPATCH


def test_out_of_stock_line_changes_nothing(db, admin, system, shop):
    ids, tech = shop["ids"], shop["tech"]
    oid = _submit(db, admin, ids, source_channel=wo.SourceChannel.STAFF_MOBILE)
    db.order_grab(tech, oid)
    before = snapshot(db, admin, system)
    lines_before = list(db.order_lines(tech, oid))
    with pytest.raises(wo.OutOfStock, match="PVC-20"):
        db.order_add_line(tech, oid, line_kind=wo.LineKind.MATERIAL, item_id=ids["material"], qty=10_001)
    assert snapshot(db, admin, system) == before
    assert list(db.order_lines(tech, oid)) == lines_before
    with pytest.raises(wo.Overflow):
        db.order_add_line(tech, oid, line_kind=wo.LineKind.LABOR, item_id=ids["labor_item"], qty=2**62)
    assert snapshot(db, admin, system) == before
