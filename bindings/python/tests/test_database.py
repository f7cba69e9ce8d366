# SPDX-License-Identifier: MIT
"""Database and Actor handles, the injected clock, and iterators."""

from __future__ import annotations

import gc
import sys
import threading
import time

import pytest
from conftest import ADMIN, ON_POSTGRES, ORG, sqlite_only

import workorder as wo

T0 = 1_700_000_000_000  # 2023-11-14T22:13:20Z


def _system_ms() -> int:
    return time.time_ns() // 1_000_000


# ---- handles ------------------------------------------------------------------------------


def test_open_close_and_reopen_keeps_data(location, system):
    with wo.Database(location) as db:
        assert not db.closed
        org_id, _ = db.org_create(system, org=ORG, admin=ADMIN)
        version = db.schema_version()
        assert version >= 1
    assert db.closed
    db.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        db.now()
    with wo.Database(location, sync_normal=True, busy_timeout_ms=250) as again:
        assert again.org_get(system, org_id).name == ORG["name"]
        assert again.schema_version() == version


def test_two_handles_on_one_database_see_each_others_commits(location, system):
    with wo.Database(location) as a, wo.Database(location) as b:
        org_id, _ = a.org_create(system, org=ORG, admin=ADMIN)
        assert b.org_get(system, org_id).name == ORG["name"]


def test_fresh_databases_are_separate(new_location, system):
    with wo.Database(new_location()) as a, wo.Database(new_location()) as b:
        a.org_create(system, org=ORG, admin=ADMIN)
        assert len(list(a.org_list(system))) == 1
        assert list(b.org_list(system)) == []


def test_repr_names_the_location_but_no_password(location):
    if ON_POSTGRES:
        location += "&password=hunter2"  # the test server trusts every local connection
    with wo.Database(location) as db:
        assert repr(db) == f"<workorder.Database {location.replace('hunter2', '***')!r} open>"
    assert repr(db).endswith(" closed>")


@pytest.mark.parametrize(
    "uri, shown",
    [
        ("postgresql://u:hunter2@db.example/wo", "postgresql://u:***@db.example/wo"),
        ("postgres://u:hunter2@/wo?host=/run/pg", "postgres://u:***@/wo?host=/run/pg"),
        ("postgresql:///wo?password=hunter2&host=/run/pg", "postgresql:///wo?password=***&host=/run/pg"),
        ("/srv/u:hunter2@x.db", "/srv/u:hunter2@x.db"),  # a file name is shown as it is
    ],
)
def test_reprs_hide_uri_passwords(uri, shown):
    assert wo._core._shown(uri) == shown


@sqlite_only
def test_memory_databases_are_private(system):
    with wo.Database(":memory:") as a, wo.Database(":memory:") as b:
        a.org_create(system, org=ORG, admin=ADMIN)
        assert len(list(a.org_list(system))) == 1
        assert list(b.org_list(system)) == []


def test_actors(db, org):
    with wo.Actor.system() as s:
        assert s.kind == "system" and s.id is None and repr(s) == "Actor.system()"
    assert s.closed
    with pytest.raises(ValueError, match="closed"):
        db.org_list(s)
    staff = wo.Actor.staff(org[1])
    assert (staff.kind, staff.id, repr(staff)) == ("staff", org[1], f"Actor.staff({org[1]})")
    staff.close()
    staff.close()
    contact = wo.Actor.contact(7)
    assert (contact.kind, contact.id) == ("contact", 7)
    with pytest.raises(AttributeError):
        contact.id = 8
    with pytest.raises(TypeError, match="Actor.system()"):
        wo.Actor()
    with pytest.raises(wo.InvalidArgument, match="^staff_id 0 is not a valid id$"):
        wo.Actor.staff(0)
    with pytest.raises(wo.InvalidArgument, match="^contact_id -3 is not a valid id$"):
        wo.Actor.contact(-3)
    with pytest.raises(wo.Overflow):
        wo.Actor.staff(2**64)


# ---- clock --------------------------------------------------------------------------------


def test_injected_clock_drives_now_and_timestamps(db, system):
    times = iter(range(T0, T0 + 1000))
    db.set_clock(lambda: next(times))
    assert db.now() == T0
    org_id, _ = db.org_create(system, org=ORG, admin=ADMIN)
    assert db.org_get(system, org_id).created_at == T0 + 1
    db.set_clock(None)
    assert abs(db.now() - _system_ms()) < 10_000


def test_clock_callback_is_kept_alive(db):
    def install():
        value = T0 + 5
        db.set_clock(lambda: value)  # the lambda and its CFUNCTYPE live only in db

    install()
    gc.collect()
    assert [db.now() for _ in range(3)] == [T0 + 5] * 3
    db.set_clock(lambda: T0 + 6)  # replacing drops the old one safely
    gc.collect()
    assert db.now() == T0 + 6


def test_a_failing_clock_uses_the_system_time_and_reports(db, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda args: seen.append(args))

    def broken():
        raise RuntimeError("clock broke")

    db.set_clock(broken)
    assert abs(db.now() - _system_ms()) < 10_000
    assert [type(a.exc_value) for a in seen] == [RuntimeError]
    assert str(seen[0].exc_value) == "clock broke" and "system time" in seen[0].err_msg
    db.set_clock(lambda: 1.5)  # not an int: money and time stay integers
    db.now()
    assert isinstance(seen[-1].exc_value, TypeError)
    db.set_clock(lambda: 2**63)
    db.now()
    assert isinstance(seen[-1].exc_value, OverflowError)
    with pytest.raises(TypeError, match="callable"):
        db.set_clock(T0)


def test_clock_from_other_threads(db):
    db.set_clock(lambda: T0 + 42)
    results = []
    threads = [threading.Thread(target=lambda: results.append(db.now())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [T0 + 42] * 4


# ---- iterators ----------------------------------------------------------------------------


@pytest.fixture
def mem(location, system):
    """A database with 450 departments (more than two pages of 200)."""
    with wo.Database(location, sync_normal=True) as db:
        _, admin_id = db.org_create(system, org=ORG, admin=ADMIN)
        with wo.Actor.staff(admin_id) as admin:
            ids = [db.create("department", admin, name=f"部门{i:03}") for i in range(450)]
            yield db, admin, ids


def test_iterators_read_every_page_in_id_order(mem):
    db, admin, ids = mem
    it = db.list("department", admin)
    assert iter(it) is it and not it.closed
    records = list(it)
    assert [r.id for r in records] == ids
    assert [r.name for r in records[:2]] == ["部门000", "部门001"]
    assert it.closed  # exhausted: the C iterator is freed
    with pytest.raises(StopIteration):
        next(it)


def test_iterators_close_early_and_as_context_managers(mem):
    db, admin, ids = mem
    it = db.list("department", admin)
    assert next(it).id == ids[0]
    it.close()
    assert it.closed and list(it) == []
    with db.list("department", admin) as it2:
        assert [next(it2).id for _ in range(3)] == ids[:3]
    assert it2.closed
    # Abandoned iterators are freed by the garbage collector.
    for _ in range(50):
        next(db.list("department", admin))
    gc.collect()
    assert len(db._iters) == 0


def test_closing_the_database_closes_its_iterators(location, system):
    db = wo.Database(location)
    db.org_create(system, org=ORG, admin=ADMIN)
    it = db.org_list(system)
    db.close()
    assert it.closed
    assert list(it) == []


def test_list_errors_surface_at_the_list_call(db, admin, catalog):
    with pytest.raises(wo.InvalidArgument, match="^name is not a filter of department$"):
        db.list("department", admin, name="x")
    with pytest.raises(wo.InvalidArgument, match="nope is not a filter"):
        db.list("staff", admin, {"nope": 1})
    with pytest.raises(ValueError, match="takes no filters"):
        db.list("org", admin, name="x")


def test_concurrent_readers_and_writers_share_one_handle(db, admin):
    errors = []

    def writer(n):
        try:
            for i in range(20):
                db.create("position", admin, name=f"岗位{n}-{i}")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def reader():
        try:
            for _ in range(20):
                list(db.list("position", admin))
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(list(db.list("position", admin))) == 40
