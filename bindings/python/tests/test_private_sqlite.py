# SPDX-License-Identifier: MIT
"""libworkorder carries its own SQLite with every symbol private, so a host that uses another
SQLite in the same process (here Python's sqlite3 module) neither shares nor clashes with it."""

from __future__ import annotations

import ctypes
import sqlite3

import pytest

import workorder as wo
from workorder import _ffi


def test_sqlite_is_neither_exported_nor_a_dependency():
    handle = ctypes.CDLL(_ffi.library_path())
    # A lookup through the library's own handle searches the library and every library it
    # depends on: finding nothing means SQLite is neither exported nor pulled in at run time.
    for name in ("sqlite3_open_v2", "sqlite3_libversion", "sqlite3_config", "sqlite3_initialize"):
        with pytest.raises(AttributeError):
            getattr(handle, name)
    assert handle.wo_version  # the same lookup does find the library's own functions


def test_python_sqlite3_and_workorder_in_one_process(tmp_path):
    # Each SQLite on a file of its own: two copies of SQLite in one process must never open the
    # same file (their POSIX locks would not see each other), which the docs say as well.
    host = sqlite3.connect(tmp_path / "host.db")
    host.execute("CREATE TABLE notes(body TEXT NOT NULL)")
    with wo.Database(str(tmp_path / "repairs.db")) as db, wo.Actor.system() as system:
        host.execute("INSERT INTO notes VALUES ('before')")
        host.commit()
        org_id, admin_id = db.org_create(
            system, org={"name": "阳光物业", "time_zone": "Asia/Shanghai"},
            admin={"name": "李管理", "phone": "13800000000"})
        host.execute("INSERT INTO notes VALUES ('between')")
        with wo.Actor.staff(admin_id) as admin:
            department = db.create("department", admin, name="水电维修部")
            host.commit()
            assert db.get("department", admin, department).name == "水电维修部"
        assert db.org_get(system, org_id).name == "阳光物业"
    assert [r[0] for r in host.execute("SELECT body FROM notes ORDER BY rowid")] == ["before", "between"]
    host.close()
