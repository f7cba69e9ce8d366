# SPDX-License-Identifier: MIT
"""The API as Python (issue 12, item 12): record kinds as attributes of the Database, enum names
wherever enum values go, and misspelled kinds and names that list the valid ones."""

from __future__ import annotations

import pytest
from conftest import CATALOG, snapshot

import workorder as wo

T0 = 1_700_000_000_000


def test_every_catalog_kind_is_an_attribute_named_by_its_plural(db, admin):
    plurals = {
        "department": "departments",
        "position": "positions",
        "staff": "staff",
        "tenant": "tenants",
        "contact": "contacts",
        "order_type": "order_types",
        "subtype": "subtypes",
        "service_spec": "service_specs",
        "service_item": "service_items",
        "labor_item": "labor_items",
        "labor_rate": "labor_rates",
        "material": "materials",
    }
    assert sorted(plurals) == sorted(wo.catalog_kinds())
    ids: dict[str, int] = {}
    for kind, (make, (changes)) in CATALOG.items():
        records = getattr(db, plurals[kind])
        assert isinstance(records, wo.Records) and records.kind == kind
        ids[kind] = records.create(admin, make(ids))
        records.update(admin, ids[kind], **changes)
        got = records.get(admin, ids[kind])
        assert got == db.get(kind, admin, ids[kind]) and got.kind == kind
        assert all(got[field] == value for field, value in changes.items())
        assert [r.id for r in records.list(admin, active=True)] == [r.id for r in db.list(kind, admin, active=True)]
    db.materials.set_active(admin, ids["material"], False)
    assert db.materials.get(admin, ids["material"]).active == 0
    assert [m.id for m in db.materials.list(admin, {"active": True})] == []


def test_other_kinds_have_only_their_own_calls(db, admin, system, org, catalog):
    assert db.orgs.get(system, org[0]).name == "阳光物业"
    db.orgs.update(admin, org[0], name="阳光物业二期")
    assert [o.name for o in db.orgs.list(system)] == ["阳光物业二期"]
    movement = db.stock_movements.create(admin, material_id=catalog["material"], movement_kind="requisition", qty=3000)
    assert db.stock_movements.get(admin, movement).movement_kind is wo.MovementKind.REQUISITION
    assert [m.id for m in db.stock_movements.list(admin, movement_kind="requisition")] == [movement]
    assert not hasattr(db.orgs, "create") and not hasattr(db.stock_movements, "update")
    with pytest.raises(AttributeError, match="create"):
        db.orgs.create(system, name="x")
    assert callable(db.orders)  # "order" has only get: db.orders stays the view listing
    assert "departments" in dir(db) and repr(db.departments).startswith("<workorder.Records 'department' of ")


def test_misspelled_kinds_list_the_valid_ones(db, admin, system, catalog):
    before = snapshot(db, admin, system)
    with pytest.raises(wo.UnknownName, match=r"unknown record kind 'departmnt'.*did you mean 'department'\?") as e:
        db.create("departmnt", admin, name="x")
    assert "Record kinds with create: department, position, staff," in str(e.value)
    assert isinstance(e.value, ValueError) and isinstance(e.value, wo.InvalidArgument)
    with pytest.raises(wo.UnknownName, match=r"Record kinds with list: org, department,"):
        db.list("stuff", admin)
    with pytest.raises(AttributeError, match=r"no attribute 'departmnts'; did you mean 'departments'\? Record kinds: orgs, departments,"):
        db.departmnts
    with pytest.raises(AttributeError, match=r"did you mean 'departments'\?"):
        db.department  # the singular
    with pytest.raises(AttributeError) as e:
        db.order_submitt  # close to a method, not to a kind: Python's own message and suggestion
    assert "Record kinds" not in str(e.value) and e.value.name == "order_submitt"
    assert snapshot(db, admin, system) == before


@pytest.mark.parametrize("charge_mode", ["prepay_deposit", "PREPAY_DEPOSIT", "Prepay_Deposit", wo.ChargeMode.PREPAY_DEPOSIT, 2])
def test_enum_fields_take_names_in_any_case(db, admin, catalog, charge_mode):
    sub = db.subtypes.create(
        admin, order_type_id=catalog["order_type"], name="定金", charge_mode=charge_mode, deposit_fixed=1000
    )
    assert db.subtypes.get(admin, sub).charge_mode is wo.ChargeMode.PREPAY_DEPOSIT
    assert sub in [s.id for s in db.subtypes.list(admin, charge_mode="prepay_deposit")]


@pytest.mark.parametrize(
    "roles, expected",
    [
        ("technician", wo.Role.TECHNICIAN),
        (["dispatcher", "technician"], wo.Role.DISPATCHER | wo.Role.TECHNICIAN),
        (("ADMIN", wo.Role.TECHNICIAN), wo.Role.ADMIN | wo.Role.TECHNICIAN),
        ({"dispatcher"}, wo.Role.DISPATCHER),
        (wo.Role.ADMIN | wo.Role.DISPATCHER, wo.Role.ADMIN | wo.Role.DISPATCHER),
        (4, wo.Role.TECHNICIAN),
    ],
)
def test_roles_take_names_lists_and_flags(db, admin, catalog, roles, expected):
    staff = db.staff.create(admin, name="赵师傅", phone="13900000009", roles=roles)
    assert db.staff.get(admin, staff).roles == expected


def test_unknown_names_raise_before_any_call_and_list_the_valid_ones(db, admin, system, catalog):
    before = snapshot(db, admin, system)
    with pytest.raises(wo.UnknownName, match=r"charge_mode 'prepay_depost' is not a name of ChargeMode; did you mean 'prepay_deposit'\? Valid names: free, after_completion, prepay_deposit, prepay_full$") as e:
        db.subtypes.create(admin, order_type_id=catalog["order_type"], name="x", charge_mode="prepay_depost")
    assert e.value.code == wo.Status.INVALID_ARGUMENT and isinstance(e.value, ValueError)
    with pytest.raises(wo.UnknownName, match=r"roles 'plumber' is not a name of Role\. Valid names: admin, dispatcher, technician$"):
        db.staff.create(admin, name="x", phone="13900000008", roles=["technician", "plumber"])
    with pytest.raises(TypeError, match="roles: entries must be Role names or ints"):
        db.staff.create(admin, name="x", phone="13900000008", roles=["technician", 1.5])
    with pytest.raises(wo.UnknownName, match=r"tenant_kind 'persn'.*did you mean 'person'"):
        db.tenants.update(admin, catalog["tenant"], tenant_kind="persn")
    with pytest.raises(wo.UnknownName, match=r"view 'pol' is not a name of OrderView; did you mean 'pool'\?"):
        db.orders(admin, view="pol")
    with pytest.raises(wo.UnknownName, match=r"channel 'wechatpay'.*Valid names: wechat, alipay, corporate, cash, bank_transfer, other"):
        db.channel_set_enabled(admin, "wechatpay", True)
    with pytest.raises(wo.UnknownName, match="status 'done' is not a name of OrderStatus"):
        wo.status_mask("completed", "done")
    # A member of another enum, or a bool, would pass as a number that means something else.
    with pytest.raises(TypeError, match=r"channel takes Channel values .*got <SourceChannel.H5: 2>"):
        db.channel_set_enabled(admin, wo.SourceChannel.H5, True)
    with pytest.raises(TypeError, match="charge_mode takes ChargeMode values"):
        db.subtypes.create(admin, order_type_id=catalog["order_type"], name="x", charge_mode=wo.Channel.CASH)
    with pytest.raises(TypeError, match="view takes OrderView values"):
        db.orders(admin, view=True)
    with pytest.raises(TypeError, match="status takes OrderStatus values"):
        wo.status_mask(wo.Channel.CASH)
    assert snapshot(db, admin, system) == before


def test_parameters_and_queries_take_names(db, admin, catalog):
    db.set_clock(lambda: T0)
    db.channel_set_enabled(admin, "alipay", True)
    assert {c.channel: c.enabled for c in db.channel_list(admin)}[wo.Channel.ALIPAY] == 1
    with wo.Actor.staff(catalog["staff"]) as tech, wo.Actor.contact(catalog["contact"]) as contact:
        draft = {"subtype_id": catalog["subtype"], "description": "漏水", "address": "3号楼", "source_channel": "h5"}
        first, second = db.order_submit(contact, draft), db.order_submit(contact, draft)
        assert db.order_get(contact, first).source_channel is wo.SourceChannel.H5
        assert [o.id for o in db.orders(tech, view="pool")] == [second, first]
        assert [o.id for o in db.orders(tech, "POOL")] == [o.id for o in db.orders(tech, wo.OrderView.POOL)]
        db.order_cancel(contact, first, "不修了")
        assert wo.status_mask("cancelled", wo.OrderStatus.COMPLETED, 1) == (1 << 7) | (1 << 6) | (1 << 1)
        assert [o.id for o in db.orders(admin, query={"status_mask": ["cancelled", "completed"]})] == [first]
        assert [o.id for o in db.order_records(admin, {"status_mask": {"pending_dispatch"}})] == [second]
        db.order_assign(admin, second, catalog["staff"])
        db.order_accept(tech, second)
        db.order_add_line(tech, second, line_kind="labor", item_id=catalog["labor_item"], qty=1000)
        assert [line.line_kind for line in db.order_lines(tech, second)] == [wo.LineKind.LABOR]
        db.order_finish(tech, second)
        owed = db.order_get(contact, second).balance
        db.order_pay(contact, second, channel="alipay", amount=owed, provider_txn_id="ali-1")
        assert [p.channel for p in db.order_payments(admin, second)] == [wo.Channel.ALIPAY]
    dash = db.dashboard(admin, T0, T0 + 86_400_000)
    assert dash.table("days") == dash.table(wo.DashboardTable.DAYS) == dash.table(2) == dash.days
    assert dash.table("Staff") is dash.staff
    with pytest.raises(wo.UnknownName, match="table 'weeks' is not a name of DashboardTable"):
        dash.table("weeks")


def test_an_ineligible_assignee_is_its_own_error(db, admin, catalog):
    outsider = db.staff.create(admin, name="孙师傅", phone="13900000007", roles="technician")  # no department
    with wo.Actor.contact(catalog["contact"]) as contact:
        order = db.order_submit(
            contact, subtype_id=catalog["subtype"], description="漏水", address="3号楼", source_channel="mini_program"
        )
    with pytest.raises(wo.Ineligible, match=f"staff_id {outsider} does not have the department and position") as e:
        db.order_assign(admin, order, outsider)
    assert e.value.code == wo.Status.INELIGIBLE == 20 and isinstance(e.value, wo.InvalidState)
    db.staff.set_active(admin, catalog["staff"], False)
    with pytest.raises(wo.Ineligible, match="is inactive"):
        db.order_assign(admin, order, catalog["staff"])
    db.order_assign(admin, order, outsider, force=True)  # force overrides eligibility
