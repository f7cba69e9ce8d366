# SPDX-License-Identifier: MIT
"""Orgs, work-order settings, payment channels, labor rate resolution and stock movements."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ORG, snapshot

import workorder as wo

T0 = 1_700_000_000_000


# ---- organisations ------------------------------------------------------------------------


def test_org_create_makes_org_admin_settings_and_channels(db, system):
    db.set_clock(lambda: T0)
    org_id, admin_id = db.org_create(
        system,
        org={"name": "阳光物业", "time_zone": "Asia/Shanghai"},
        admin={"name": "李管理", "phone": "+86 138-0000-0000", "roles": wo.Role.DISPATCHER},
    )
    assert org_id > 0 and admin_id > 0
    org = db.org_get(system, org_id)
    assert org.kind == "org"
    assert dict(org) == {"id": org_id, "name": "阳光物业", "time_zone": "Asia/Shanghai", "currency": "CNY", "created_at": T0}
    with wo.Actor.staff(admin_id) as admin:
        me = db.get("staff", admin, admin_id)
        assert me.name == "李管理" and me.phone == "+8613800000000"
        assert me.roles == wo.Role.ADMIN | wo.Role.DISPATCHER  # admin is always added
        assert db.settings_get(admin).id == org_id
        channels = list(db.channel_list(admin))
        assert [c.channel for c in channels] == list(wo.Channel)
        assert all(c.enabled == 0 and c.kind == "payment_channel" for c in channels)
        assert db.org_get(admin, org_id) == org  # staff see their own org


def test_org_create_errors_change_nothing(db, system, org, admin):
    before = snapshot(db, admin, system)
    with pytest.raises(wo.InvalidArgument, match="^time_zone"):
        db.org_create(system, org={"name": "坏时区", "time_zone": "Mars/Olympus"}, admin=ADMIN)
    with pytest.raises(wo.InvalidArgument, match="^name is required$"):
        db.org_create(system, org={"time_zone": "Asia/Shanghai"}, admin=ADMIN)
    # The org row is written before the admin is checked: the whole call must roll back.
    with pytest.raises(wo.InvalidArgument, match="^admin phone is required$"):
        db.org_create(system, org=ORG, admin={"name": "无电话"})
    with pytest.raises(wo.InvalidArgument, match="currency 'XYZ'"):
        db.org_create(system, org={**ORG, "currency": "XYZ"}, admin=ADMIN)
    with pytest.raises(wo.Forbidden, match="only the system actor creates orgs"):
        db.org_create(admin, org=ORG, admin=ADMIN)
    assert snapshot(db, admin, system) == before


def test_org_update_get_list(db, system, org, admin):
    org_id, _ = org
    db.org_update(admin, org_id, name="阳光物业（浦东）", time_zone="Asia/Chongqing")
    rec = db.org_get(admin, org_id)
    assert (rec.name, rec.time_zone, rec.currency) == ("阳光物业（浦东）", "Asia/Chongqing", "CNY")
    with pytest.raises(wo.InvalidArgument, match="^currency cannot be changed$"):
        db.org_update(admin, org_id, {"currency": "USD"})
    other_id, other_admin = db.org_create(system, org={"name": "第二家", "time_zone": "UTC", "currency": "USD"}, admin={"name": "Bob", "phone": "5550100"})
    assert [o.id for o in db.org_list(system)] == [org_id, other_id]
    assert [o.currency for o in db.list("org", system)] == ["CNY", "USD"]  # the generic call too
    assert db.get("org", system, other_id).name == "第二家"
    with pytest.raises(wo.NotFound, match=f"^org {other_id} not found$"):
        db.org_get(admin, other_id)  # another org does not exist for this admin
    with pytest.raises(wo.NotFound):
        db.org_update(admin, other_id, name="x")
    with pytest.raises(wo.Forbidden, match="only the system actor lists orgs"):
        db.org_list(admin)
    with wo.Actor.staff(other_admin) as bob:
        assert list(db.list("department", bob)) == []  # orgs do not see each other's catalog


# ---- settings and channels ----------------------------------------------------------------


def test_settings_get_and_update(db, admin, system):
    s = db.settings_get(admin)
    assert s.kind == "order_settings"
    assert {k: v for k, v in s.items() if k != "id"} == {
        "grab_enabled": 1,
        "grab_limit": 0,
        "prepay_timeout_min": 30,
        "accept_timeout_min": 60,
        "rating_timeout_days": 7,
        "auto_rating_score": 5,
        "reopen_window_days": 7,
        "business_hours": "",  # around the clock
        "business_exceptions": "",
        "sla_warning_percent": 80,
    }
    db.settings_update(admin, grab_enabled=False, grab_limit=3)
    db.settings_update(admin, {"auto_rating_score": 4})
    s2 = db.settings_get(admin)
    assert (s2.grab_enabled, s2.grab_limit, s2.auto_rating_score, s2.prepay_timeout_min) == (0, 3, 4, 30)
    with pytest.raises(wo.InvalidArgument, match="^auto_rating_score 9 must be between 1 and 5$"):
        db.settings_update(admin, auto_rating_score=9, grab_limit=5)
    with pytest.raises(wo.InvalidArgument, match="^grab_limit must not be negative, got -1$"):
        db.settings_update(admin, grab_limit=-1)
    assert db.settings_get(admin) == s2  # neither failed update applied
    with pytest.raises(wo.Forbidden, match="system actor cannot read work-order settings"):
        db.settings_get(system)


def test_channels(db, admin, catalog):
    db.channel_set_enabled(admin, wo.Channel.WECHAT, True)
    db.channel_set_enabled(admin, wo.Channel.CASH, 1)
    db.channel_set_enabled(admin, wo.Channel.CASH, False)
    db.channel_set_enabled(admin, wo.Channel.ALIPAY, True)
    enabled = {c.channel: c.enabled for c in db.channel_list(admin)}
    assert enabled == {
        wo.Channel.WECHAT: 1,
        wo.Channel.ALIPAY: 1,
        wo.Channel.CORPORATE: 0,
        wo.Channel.CASH: 0,
        wo.Channel.BANK_TRANSFER: 0,
        wo.Channel.OTHER: 0,
    }
    with pytest.raises(wo.InvalidArgument, match="^channel 99 is unknown$"):
        db.channel_set_enabled(admin, 99, True)
    with pytest.raises(wo.InvalidArgument, match="^enabled must be 0 or 1, got 2$"):
        db.channel_set_enabled(admin, wo.Channel.OTHER, 2)
    with wo.Actor.staff(catalog["staff"]) as technician:
        with pytest.raises(wo.Forbidden, match="change payment channels"):
            db.channel_set_enabled(technician, wo.Channel.OTHER, True)
        assert len(list(db.channel_list(technician))) == 6  # anyone of the org may read them
    assert {c.channel: c.enabled for c in db.channel_list(admin)} == enabled


# ---- labor rates --------------------------------------------------------------------------


def test_labor_rate_resolve_picks_the_most_specific_rule(db, admin, catalog):
    item, staff = catalog["labor_item"], catalog["staff"]
    # catalog: default_rate 8000, a department rule 9000 (no position).
    assert db.labor_rate_resolve(admin, item, staff) == 9000
    both = db.create(
        "labor_rate", admin, labor_item_id=item, department_id=catalog["department"], position_id=catalog["position"], rate=9500
    )
    assert db.labor_rate_resolve(admin, item, staff) == 9500
    db.set_active("labor_rate", admin, both, False)
    db.set_active("labor_rate", admin, catalog["labor_rate"], False)
    assert db.labor_rate_resolve(admin, item, staff) == 8000  # the item's default
    db.update("labor_item", admin, item, default_rate=None)
    with pytest.raises(wo.NotFound, match=f"labor_item {item} '普通工时' has no rate for staff {staff}"):
        db.labor_rate_resolve(admin, item, staff)
    with pytest.raises(wo.NotFound, match="^labor_item 999 not found$"):
        db.labor_rate_resolve(admin, 999, staff)
    with pytest.raises(wo.NotFound, match="^staff 999 not found$"):
        db.labor_rate_resolve(admin, item, 999)


# ---- stock movements ----------------------------------------------------------------------


def test_stock_movements_move_stock(db, admin, system, catalog):
    material = catalog["material"]
    db.set_clock(lambda: T0)
    assert db.get("material", admin, material).stock == 0
    req = db.stock_movement_create(admin, material_id=material, movement_kind=wo.MovementKind.REQUISITION, qty=5000, note="入库 5 米")
    adj = db.stock_movement_create(admin, {"material_id": material, "movement_kind": wo.MovementKind.ADJUSTMENT, "qty": -2000})
    assert db.get("material", admin, material).stock == 3000
    m = db.stock_movement_get(admin, req)
    assert m.kind == "stock_movement"
    assert (m.material_id, m.movement_kind, m.qty, m.note, m.order_id, m.created_at) == (
        material,
        wo.MovementKind.REQUISITION,
        5000,
        "入库 5 米",
        None,
        T0,
    )
    assert m.staff_id == admin.id
    assert db.get("stock_movement", admin, adj).note is None
    assert [x.id for x in db.stock_movement_list(admin)] == [req, adj]
    assert [x.id for x in db.stock_movement_list(admin, movement_kind=wo.MovementKind.ADJUSTMENT)] == [adj]
    assert [x.id for x in db.stock_movement_list(admin, {"material_id": material})] == [req, adj]
    assert list(db.stock_movement_list(admin, material_id=material + 1)) == []

    before = snapshot(db, admin, system)
    with pytest.raises(wo.OutOfStock, match="has stock 3000") as info:
        db.stock_movement_create(admin, material_id=material, movement_kind=wo.MovementKind.ADJUSTMENT, qty=-4000)
    assert info.value.code == wo.Status.OUT_OF_STOCK
    with pytest.raises(wo.InvalidArgument, match="^qty -1 of a requisition must be positive$"):
        db.stock_movement_create(admin, material_id=material, movement_kind=wo.MovementKind.REQUISITION, qty=-1)
    with pytest.raises(wo.InvalidArgument, match="^movement_kind reserve is recorded by orders"):
        db.stock_movement_create(admin, material_id=material, movement_kind=wo.MovementKind.RESERVE, qty=1)
    with pytest.raises(wo.NotFound, match="^material 999 not found$"):
        db.stock_movement_create(admin, material_id=999, movement_kind=wo.MovementKind.REQUISITION, qty=1)
    with pytest.raises(wo.NotFound):
        db.stock_movement_get(admin, 999)
    assert snapshot(db, admin, system) == before
