# SPDX-License-Identifier: MIT
"""Every catalog kind through the generic calls: create, get, list, update, set_active,
plus filters, records as dicts and Chinese text round trips."""

from __future__ import annotations

import pickle

import pytest
from conftest import CATALOG, build_catalog

import workorder as wo


def test_the_test_catalog_covers_every_kind_in_the_table():
    assert sorted(CATALOG) == sorted(wo.catalog_kinds())


@pytest.mark.parametrize("kind", list(CATALOG))
def test_create_get_list_update_set_active(db, admin, org, kind):
    ids = build_catalog(db, admin)
    made = CATALOG[kind][0]
    # get: what was created reads back, org_id and active set by the engine.
    rec = db.get(kind, admin, ids[kind])
    assert isinstance(rec, wo.Record)
    assert rec.kind == kind
    assert rec.id == rec["id"] == ids[kind]
    assert rec.org_id == org[0]
    assert rec.active == 1
    for field, value in made(ids).items():
        if field != "phone":  # phones are normalised
            assert rec[field] == value, field
    # list: this record (staff also lists the org's first admin, made by org_create).
    others = [org[1]] if kind == "staff" else []
    listed = list(db.list(kind, admin))
    assert [r.id for r in listed] == sorted(others + [ids[kind]])
    assert [r for r in listed if r.id == ids[kind]] == [rec]
    # update: the new values read back, the rest is unchanged.
    change = CATALOG[kind][1]
    db.update(kind, admin, ids[kind], change)
    after = db.get(kind, admin, ids[kind])
    for field, value in change.items():
        assert after[field] == value, field
    assert {k: v for k, v in after.items() if k not in change} == {k: v for k, v in rec.items() if k not in change}
    # set_active: off, filtered out of active lists, on again.
    db.set_active(kind, admin, ids[kind], False)
    assert db.get(kind, admin, ids[kind]).active == 0
    assert [r.id for r in db.list(kind, admin, active=True)] == others
    assert [r.id for r in db.list(kind, admin, active=False)] == [ids[kind]]
    db.set_active(kind, admin, ids[kind], True)
    assert db.get(kind, admin, ids[kind]).active == 1
    assert [r.id for r in db.list(kind, admin, {"active": 1})] == sorted(others + [ids[kind]])


def test_update_with_keywords_and_a_dict_merge(db, admin):
    dept = db.create("department", admin, {"name": "甲"})
    db.update("department", admin, dept, {"name": "乙"}, name="丙")  # keywords win
    assert db.get("department", admin, dept).name == "丙"


def test_staff_fields_read_back(db, admin, catalog):
    staff = db.get("staff", admin, catalog["staff"])
    assert staff.phone == "13900000001"  # normalised by the engine
    assert staff.roles == wo.Role.TECHNICIAN
    assert isinstance(staff.roles, wo.Role)
    assert staff.department_id == catalog["department"]
    assert staff.position_id == catalog["position"]
    db.update("staff", admin, catalog["staff"], roles=wo.Role.ADMIN | wo.Role.DISPATCHER, position_id=None)
    staff = db.get("staff", admin, catalog["staff"])
    assert staff.roles == 3 and wo.Role.DISPATCHER in staff.roles
    assert staff.position_id is None  # set_null cleared an optional field


def test_enum_fields_read_back_as_enums(db, admin, catalog):
    assert db.get("tenant", admin, catalog["tenant"]).tenant_kind is wo.TenantKind.PERSON
    assert db.get("subtype", admin, catalog["subtype"]).charge_mode is wo.ChargeMode.AFTER_COMPLETION
    deposit = db.create(
        "subtype",
        admin,
        order_type_id=catalog["order_type"],
        name="预付定金",
        charge_mode=wo.ChargeMode.PREPAY_DEPOSIT,
        deposit_bps=3000,
    )
    rec = db.get("subtype", admin, deposit)
    assert rec.charge_mode is wo.ChargeMode.PREPAY_DEPOSIT
    assert rec.deposit_bps == 3000 and rec.deposit_fixed is None
    assert rec.consumables_enabled == 0


def test_list_filters(db, admin, catalog):
    second_tenant = db.create("tenant", admin, name="某某科技有限公司", tenant_kind=wo.TenantKind.COMPANY)
    assert [t.id for t in db.list("tenant", admin, tenant_kind=wo.TenantKind.COMPANY)] == [second_tenant]
    assert [t.id for t in db.list("tenant", admin, tenant_kind=wo.TenantKind.PERSON)] == [catalog["tenant"]]
    assert [t.id for t in db.list("tenant", admin)] == [catalog["tenant"], second_tenant]
    db.create("contact", admin, tenant_id=second_tenant, name="前台", phone="010-1234-5678")
    assert [c.name for c in db.list("contact", admin, tenant_id=second_tenant)] == ["前台"]
    assert [c.id for c in db.list("contact", admin, phone="13700000000")] == [catalog["contact"]]
    assert [s.id for s in db.list("staff", admin, department_id=catalog["department"])] == [catalog["staff"]]
    assert [m.sku for m in db.list("material", admin, sku="PVC-20")] == ["PVC-20"]
    assert list(db.list("material", admin, sku="NONE")) == []


def test_unicode_round_trip(db, admin):
    names = ["水电维修部", "空调·暖通组", "Ünïcödé ✓", "表情🔧🚿", "ｆｕｌｌｗｉｄｔｈ", "多行\n说明\t制表"]
    ids = [db.create("department", admin, name=n) for n in names]
    assert [db.get("department", admin, i).name for i in ids] == names
    assert [r.name for r in db.list("department", admin)] == names
    # Length limits count characters, not UTF-8 bytes: 200 Chinese characters (600 bytes) fit.
    long_name = "修" * 200
    dept = db.create("department", admin, name=long_name)
    assert db.get("department", admin, dept).name == long_name
    with pytest.raises(wo.InvalidArgument, match=r"name is 201 characters long"):
        db.create("department", admin, name="修" * 201)


def test_records_are_read_only_mappings(db, admin, catalog):
    rec = db.get("department", admin, catalog["department"])
    expected = {"id": catalog["department"], "org_id": rec.org_id, "name": "水电维修部", "active": 1}
    assert dict(rec) == expected
    assert rec.as_dict() == expected
    assert list(rec) == ["id", "org_id", "name", "active"]  # the library's field order
    assert len(rec) == 4 and "name" in rec and "nope" not in rec
    assert rec.get("nope", 7) == 7
    copy = rec.as_dict()
    copy["name"] = "changed"
    assert rec.name == "水电维修部"  # as_dict is a copy
    with pytest.raises(AttributeError):
        rec.name = "x"
    with pytest.raises(TypeError):
        rec["name"] = "x"
    with pytest.raises(AttributeError, match="no field 'nope'"):
        rec.nope
    with pytest.raises(KeyError):
        rec["nope"]
    assert rec == expected and rec == db.get("department", admin, catalog["department"])
    assert rec != wo.Record("position", expected)  # same fields, other kind
    assert pickle.loads(pickle.dumps(rec)) == rec
    assert "name='水电维修部'" in repr(rec) and repr(rec).startswith("<department ")


def test_generic_calls_reject_unknown_kinds_and_verbs(db, admin, system):
    with pytest.raises(ValueError, match="no generic create"):
        db.create("nonsense", admin, name="x")
    with pytest.raises(ValueError, match="no generic update"):
        db.update("stock_movement", admin, 1, note="x")
    with pytest.raises(ValueError, match="no generic create"):
        db.create("org", system, name="x")  # wo_org_create has another shape: use org_create
    with pytest.raises(ValueError, match="record kind"):
        db.get("department; drop", admin, 1)
    with pytest.raises(TypeError, match="actor must be a workorder.Actor"):
        db.get("department", object(), 1)
