# SPDX-License-Identifier: MIT
"""Status codes become the right exception, with wo_errmsg()'s message naming the field, and
a failed call leaves the database exactly as it was."""

from __future__ import annotations

import pickle
import threading

import pytest
from conftest import postgres_only, psql, snapshot, sqlite_only

import workorder as wo


@pytest.fixture
def before(db, admin, system, catalog):
    return snapshot(db, admin, system)


def _unchanged(db, admin, system, before):
    assert snapshot(db, admin, system) == before


@pytest.mark.parametrize(
    "kind, fields, exc, pattern",
    [
        ("department", {"name": "   "}, wo.InvalidArgument, r"^name is required and must not be blank$"),
        ("department", {}, wo.InvalidArgument, r"^name is required$"),
        ("department", {"nmae": "x"}, wo.InvalidArgument, r"^nmae is not a field of department$"),
        ("department", {"name": 5}, wo.InvalidArgument, r"\bname\b"),
        ("department", {"name": "a\x01b"}, wo.InvalidArgument, r"^name contains a control character"),
        ("department", {"name": "水电维修部"}, wo.Conflict, r"department with name '?水电维修部'? already exists"),
        ("department", {"name": "x", "active": 0}, wo.InvalidArgument, r"^active is set by the engine"),
        ("staff", {"name": "赵", "phone": "call me", "roles": 4}, wo.InvalidArgument, r"phone 'call me' is not a phone number"),
        ("staff", {"name": "赵", "phone": "13900000001", "roles": 4}, wo.Conflict, r"phone"),
        ("staff", {"name": "赵", "phone": "13900000009", "roles": 8}, wo.InvalidArgument, r"^roles 8 is not a combination"),
        ("staff", {"name": "赵", "phone": "13900000009", "roles": 4, "department_id": 999}, wo.NotFound, r"^department_id 999 not found$"),
        ("tenant", {"name": "租户", "tenant_kind": 7}, wo.InvalidArgument, r"^tenant_kind has unknown value 7$"),
        ("service_item", {"subtype_id": 1, "name": "负价", "price": -1}, wo.InvalidArgument, r"^price must not be negative, got -1$"),
        ("subtype", {"order_type_id": 1, "name": "定金", "charge_mode": 2}, wo.InvalidArgument, r"deposit_fixed and deposit_bps"),
        ("material", {"sku": "PVC-20", "name": "重复", "unit": "米", "unit_price": 1}, wo.Conflict, r"sku"),
    ],
)
def test_create_errors_name_the_field_and_change_nothing(db, admin, system, before, kind, fields, exc, pattern):
    with pytest.raises(exc, match=pattern) as info:
        db.create(kind, admin, fields)
    assert info.value.code == exc.code
    assert str(info.value) == info.value.message
    _unchanged(db, admin, system, before)


def test_update_errors_change_nothing(db, admin, system, before, catalog):
    # A valid name and an invalid phone in one update: neither is applied.
    with pytest.raises(wo.InvalidArgument, match="phone 'x' is not a phone number"):
        db.update("staff", admin, catalog["staff"], name="改名", phone="x")
    with pytest.raises(wo.InvalidArgument, match="^tenant_id cannot be changed after creation$"):
        db.update("contact", admin, catalog["contact"], tenant_id=catalog["tenant"])
    with pytest.raises(wo.NotFound, match="^department 999 not found$"):
        db.update("department", admin, 999, name="x")
    with pytest.raises(wo.InvalidArgument, match="active must be 0 or 1, got 2"):
        db.set_active("department", admin, catalog["department"], 2)
    _unchanged(db, admin, system, before)


def test_invalid_state_last_admin(db, admin, system, before, org):
    with pytest.raises(wo.InvalidState, match=f"staff {org[1]} is the org's last active admin"):
        db.set_active("staff", admin, org[1], False)
    with pytest.raises(wo.InvalidState, match="must keep the admin role"):
        db.update("staff", admin, org[1], roles=wo.Role.TECHNICIAN)
    _unchanged(db, admin, system, before)


def test_forbidden_and_not_found_by_actor(db, admin, system, before, catalog):
    with wo.Actor.staff(catalog["staff"]) as technician:
        with pytest.raises(wo.Forbidden, match=f"staff {catalog['staff']} cannot create a department: needs an admin"):
            db.create("department", technician, name="新部门")
        # Staff see every record of their org.
        assert db.get("department", technician, catalog["department"]).name == "水电维修部"
    with wo.Actor.contact(catalog["contact"]) as contact:
        # Contacts see order types, subtypes, specs, items, their tenant and contacts ...
        assert db.get("order_type", contact, catalog["order_type"]).id == catalog["order_type"]
        assert [t.id for t in db.list("tenant", contact)] == [catalog["tenant"]]
        # ... anything else does not exist for them.
        with pytest.raises(wo.NotFound, match=f"department {catalog['department']} not found"):
            db.get("department", contact, catalog["department"])
        with pytest.raises(wo.Forbidden, match="cannot list department records"):
            db.list("department", contact)
    with pytest.raises(wo.Forbidden, match="system actor cannot"):
        db.create("department", system, name="x")
    with wo.Actor.staff(4242) as ghost:
        with pytest.raises(wo.NotFound, match="actor staff 4242 not found"):
            db.get("department", ghost, catalog["department"])
    _unchanged(db, admin, system, before)


def test_inactive_staff_actor_is_forbidden(db, admin, catalog):
    db.set_active("staff", admin, catalog["staff"], False)
    with wo.Actor.staff(catalog["staff"]) as technician:
        with pytest.raises(wo.Forbidden, match="is inactive"):
            db.get("department", technician, catalog["department"])


def test_errors_raised_in_python_before_any_call(db, admin, system, before):
    with pytest.raises(wo.Overflow, match=r"^price 9223372036854775808 does not fit 64 bits$") as info:
        db.create("service_item", admin, subtype_id=1, name="x", price=2**63)
    assert info.value.code == wo.Status.OVERFLOW
    with pytest.raises(wo.Overflow, match="id"):
        db.get("department", admin, -(2**63) - 1)
    with pytest.raises(wo.InvalidArgument, match="^name contains a NUL character$"):
        db.create("department", admin, name="a\x00b")  # C would silently cut it at the NUL
    with pytest.raises(wo.InvalidArgument, match="name is not valid UTF-8"):
        db.create("department", admin, name="\udc80")
    with pytest.raises(TypeError, match="price must be an integer"):
        db.create("service_item", admin, subtype_id=1, name="x", price=12.5)
    with pytest.raises(TypeError, match="cannot pass bytes"):
        db.create("department", admin, name=b"raw")
    with pytest.raises(TypeError, match="mapping"):
        db.create("department", admin, [("name", "x")])
    _unchanged(db, admin, system, before)


@sqlite_only
def test_schema_too_new_leaves_the_file_untouched(tmp_path):
    import sqlite3

    path = tmp_path / "newer.db"
    with wo.Database(path) as db:
        version = db.schema_version()
        assert version >= 1
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {version + 1}")
    con.close()
    raw = path.read_bytes()
    with pytest.raises(wo.SchemaTooNew, match="newer than") as info:
        wo.Database(path)
    assert info.value.code == 14 and str(path) in info.value.message
    assert path.read_bytes() == raw


@postgres_only
def test_schema_too_new_leaves_the_schema_untouched(location):
    with wo.Database(location) as db:
        assert 1 <= db.schema_version() < 99
    psql(location, "UPDATE wo_schema SET version = 99")
    tables = "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()"
    before = psql(location, tables)
    with pytest.raises(wo.SchemaTooNew, match="schema version 99, newer than") as info:
        wo.Database(location)
    assert info.value.code == 14
    assert psql(location, "SELECT count(*), max(version) FROM wo_schema") == "1|99"
    assert psql(location, tables) == before


@sqlite_only
def test_storage_error(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "wo.db"
    with pytest.raises(wo.StorageError) as info:
        wo.Database(missing)
    assert info.value.code == 13 and str(missing) in info.value.message


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_an_unreachable_server_is_a_storage_error_without_the_password(scheme, monkeypatch):
    # Needs no server: a socket directory that does not exist fails at once, on both runs.
    uri = f"{scheme}://u:secret@/nodb?host=/nonexistent"
    with pytest.raises(wo.StorageError) as info:
        wo.Database(uri)
    message = info.value.message
    assert info.value.code == 13 and "nodb" in message and "/nonexistent" in message
    assert "secret" not in message and "secret" not in str(info.value)
    monkeypatch.setenv("PGPASSWORD", "envsecret")
    with pytest.raises(wo.StorageError) as info:
        wo.Database(f"{scheme}://u@/nodb?host=/nonexistent")
    assert "nodb" in info.value.message and "envsecret" not in info.value.message


def test_open_arguments_are_checked(location):
    with pytest.raises(wo.InvalidArgument, match="^busy_timeout_ms -1 is negative$"):
        wo.Database(location, busy_timeout_ms=-1)
    with pytest.raises(wo.Overflow, match="busy_timeout_ms"):
        wo.Database(location, busy_timeout_ms=2**31)


def test_exception_classes():
    assert issubclass(wo.SlotFull, wo.WorkOrderError) and issubclass(wo.WorkOrderError, Exception)
    err = wo.errors.error_for(8, "staff 3 holds 5 orders")
    assert isinstance(err, wo.GrabLimit) and err.code == 8 and err.message == "staff 3 holds 5 orders"
    unknown = wo.errors.error_for(77, "from a newer library")
    assert type(unknown) is wo.WorkOrderError and unknown.code == 77
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is wo.GrabLimit and copy.code == 8 and copy.message == err.message
    assert wo.NotFound("x").code == 1 and str(wo.NotFound()) == "status 1"
    assert repr(err) == "GrabLimit('staff 3 holds 5 orders', code=8)"


def test_errmsg_is_read_per_thread(db, admin, catalog):
    """Two threads fail differently at the same time; each gets its own message."""
    failures: list[str] = []
    barrier = threading.Barrier(2)

    def missing_ids():
        barrier.wait()
        for i in range(300):
            try:
                db.get("department", admin, 10_000 + i)
            except wo.NotFound as e:
                if e.message != f"department {10_000 + i} not found":
                    failures.append(e.message)

    def bad_fields():
        barrier.wait()
        for i in range(300):
            try:
                db.create("position", admin, {f"field_{i}": 1})
            except wo.InvalidArgument as e:
                if e.message != f"field_{i} is not a field of position":
                    failures.append(e.message)

    threads = [threading.Thread(target=missing_ids), threading.Thread(target=bad_fields)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
