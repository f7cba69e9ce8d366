# SPDX-License-Identifier: MIT
"""Automatic dispatch through the binding: an order type's dispatch_strategy as an enum field,
auto-assignment on submit, and Database.order_dispatch_preview."""

from __future__ import annotations

import pytest

import workorder as wo


def _submit(db, actor, ids):
    return db.order_submit(
        actor,
        subtype_id=ids["subtype"],
        description="卫生间漏水",
        address="2号楼302",
        source_channel=wo.SourceChannel.STAFF_PC,
    )


def test_dispatch_strategy_reads_back_as_the_enum(db, admin, catalog):
    # The catalog's type was created without the field: the default is manual.
    assert db.order_types.get(admin, catalog["order_type"]).dispatch_strategy is wo.DispatchStrategy.MANUAL
    tid = db.order_types.create(
        admin,
        name="空调维修",
        department_id=catalog["department"],
        position_id=catalog["position"],
        dispatch_strategy="least_loaded",
    )
    rec = db.order_types.get(admin, tid)
    assert rec.dispatch_strategy is wo.DispatchStrategy.LEAST_LOADED
    assert rec.last_dispatched_id is None  # set by the engine (round_robin only)
    db.order_types.update(admin, tid, dispatch_strategy=wo.DispatchStrategy.ROUND_ROBIN)
    assert db.order_types.get(admin, tid).dispatch_strategy is wo.DispatchStrategy.ROUND_ROBIN
    # New staff records carry last_assigned_at, null until the engine hands them an order.
    assert db.staff.get(admin, catalog["staff"]).last_assigned_at is None


def test_dispatch_strategy_refuses_unknown_names_and_other_enums(db, admin, catalog):
    fields = {"name": "电梯", "department_id": catalog["department"], "position_id": catalog["position"]}
    with pytest.raises(wo.UnknownName, match=r"did you mean 'least_loaded'\?"):
        db.order_types.create(admin, fields, dispatch_strategy="least_loadd")
    with pytest.raises(TypeError, match="dispatch_strategy takes DispatchStrategy values"):
        db.order_types.create(admin, fields, dispatch_strategy=wo.ChargeMode.PREPAY_FULL)
    with pytest.raises(TypeError):
        db.order_types.create(admin, fields, dispatch_strategy=True)
    assert [t.id for t in db.order_types.list(admin)] == [catalog["order_type"]]


@pytest.mark.parametrize("strategy", ["least_loaded", "round_robin"])
def test_a_submitted_order_is_auto_assigned(db, admin, catalog, strategy):
    db.order_types.update(admin, catalog["order_type"], dispatch_strategy=strategy)
    oid = _submit(db, admin, catalog)
    order = db.order_get(admin, oid)
    # The catalog's technician is the one eligible staff member (department and position).
    assert (order.status, order.assignee_id) == (wo.OrderStatus.PENDING_ACCEPT, catalog["staff"])
    last = list(db.order_timeline(admin, oid))[-1]
    assert (last.action, last.actor_kind) == (wo.Action.AUTO_ASSIGN, wo.ActorKind.SYSTEM)
    assert db.staff.get(admin, catalog["staff"]).last_assigned_at is not None
    expected_last = catalog["staff"] if strategy == "round_robin" else None
    assert db.order_types.get(admin, catalog["order_type"]).last_dispatched_id == expected_last


def test_an_order_no_one_qualifies_for_waits_in_the_pool(db, admin, catalog):
    db.order_types.update(admin, catalog["order_type"], dispatch_strategy="least_loaded")
    db.staff.set_active(admin, catalog["staff"], False)  # the only eligible technician
    oid = _submit(db, admin, catalog)
    order = db.order_get(admin, oid)
    assert (order.status, order.assignee_id) == (wo.OrderStatus.PENDING_DISPATCH, None)
    last = list(db.order_timeline(admin, oid))[-1]
    assert (last.action, last.actor_kind) == (wo.Action.DISPATCH_UNMATCHED, wo.ActorKind.SYSTEM)
    assert db.order_dispatch_preview(admin, oid) is None
    # Back at work, the technician is whom the strategy would pick now; the preview assigns nothing.
    db.staff.set_active(admin, catalog["staff"], True)
    assert db.order_dispatch_preview(admin, oid) == catalog["staff"]
    assert db.order_get(admin, oid).status is wo.OrderStatus.PENDING_DISPATCH


def test_preview_of_a_pool_order(db, admin, catalog):
    # Submitted while the type is manual, the order waits in the pool: the preview is None.
    oid = _submit(db, admin, catalog)
    assert db.order_get(admin, oid).status is wo.OrderStatus.PENDING_DISPATCH
    assert db.order_dispatch_preview(admin, oid) is None
    # The same pool order once its type is least_loaded: the eligible technician's id.
    db.order_types.update(admin, catalog["order_type"], dispatch_strategy="least_loaded")
    assert db.order_dispatch_preview(admin, oid) == catalog["staff"]
    assert db.order_get(admin, oid).assignee_id is None  # changes nothing


def test_preview_is_for_dispatchers_and_pool_orders_only(db, admin, catalog):
    pool = _submit(db, admin, catalog)
    with wo.Actor.staff(catalog["staff"]) as tech:
        with pytest.raises(wo.Forbidden):
            db.order_dispatch_preview(tech, pool)
    db.order_types.update(admin, catalog["order_type"], dispatch_strategy="least_loaded")
    assigned = _submit(db, admin, catalog)
    assert db.order_get(admin, assigned).status is wo.OrderStatus.PENDING_ACCEPT
    with pytest.raises(wo.InvalidState, match="not pending_dispatch"):
        db.order_dispatch_preview(admin, assigned)
    with pytest.raises(wo.NotFound):
        db.order_dispatch_preview(admin, 999_999)
