# SPDX-License-Identifier: MIT
"""Shared fixtures: a fresh database per test on the run's backend, an org with its first
admin, and a full settings catalog (one record of every kind) built through the binding.

The backend is SQLite (a file in the test's temp directory) unless the environment variable
WO_TEST_POSTGRES holds a PostgreSQL server URI (ctest's ``python_binding:pg`` sets it); then
every database is a schema of its own on that server, made and dropped with the ``psql``
client, and its location is the URI with ``search_path`` set to it."""

from __future__ import annotations

import itertools
import os
import pathlib
import re
import subprocess

import pytest

import workorder as wo

HERE = pathlib.Path(__file__).resolve().parent


def header_path() -> pathlib.Path | None:
    """workorder.h in the source tree (or WORKORDER_HEADER); None when installed elsewhere."""
    env = os.environ.get("WORKORDER_HEADER")
    if env:
        return pathlib.Path(env)
    for root in HERE.parents:  # bindings/python/tests -> the source tree's root
        candidate = root / "capi" / "include" / "workorder.h"
        if candidate.exists():
            return candidate
    return None


# Per catalog kind: the fields of a first record (a callable over the ids made so far),
# and one update with the value it must read back as. Names are Chinese on purpose.
CATALOG = {
    "department": (lambda ids: {"name": "水电维修部"}, {"name": "暖通部"}),
    "position": (lambda ids: {"name": "维修工"}, {"name": "高级维修工"}),
    "staff": (
        lambda ids: {
            "name": "王师傅",
            "phone": "139-0000-0001",
            "department_id": ids["department"],
            "position_id": ids["position"],
            "roles": wo.Role.TECHNICIAN,
        },
        {"name": "王大师", "roles": wo.Role.TECHNICIAN | wo.Role.DISPATCHER},
    ),
    "tenant": (lambda ids: {"name": "张三", "tenant_kind": wo.TenantKind.PERSON}, {"tenant_kind": wo.TenantKind.COMPANY}),
    "contact": (
        lambda ids: {"tenant_id": ids["tenant"], "name": "张三", "phone": "13700000000"},
        {"name": "张小三"},
    ),
    "order_type": (
        lambda ids: {"name": "水电维修", "department_id": ids["department"], "position_id": ids["position"]},
        {"name": "水电报修"},
    ),
    "subtype": (
        lambda ids: {
            "order_type_id": ids["order_type"],
            "name": "换水龙头",
            "charge_mode": wo.ChargeMode.AFTER_COMPLETION,
            "consumables_enabled": True,
        },
        {"consumables_enabled": False},
    ),
    "service_spec": (lambda ids: {"subtype_id": ids["subtype"], "name": "标准款", "price": 5000}, {"price": 6000}),
    "service_item": (lambda ids: {"subtype_id": ids["subtype"], "name": "上门费", "price": 2000}, {"price": 2500}),
    "labor_item": (lambda ids: {"name": "普通工时", "default_rate": 8000}, {"default_rate": None}),
    "labor_rate": (
        lambda ids: {"labor_item_id": ids["labor_item"], "department_id": ids["department"], "rate": 9000},
        {"rate": 9500},
    ),
    "material": (
        lambda ids: {"sku": "PVC-20", "name": "PVC管", "unit": "米", "unit_price": 1200},
        {"name": "PVC 水管"},
    ),
}

ORG = {"name": "阳光物业", "time_zone": "Asia/Shanghai"}
ADMIN = {"name": "李管理", "phone": "13800000000"}


POSTGRES = os.environ.get("WO_TEST_POSTGRES", "")
ON_POSTGRES = bool(POSTGRES)

# For the tests of one backend's own behaviour (files, ":memory:", the wo_schema table):
# the other run covers them.
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite behaviour: the run without WO_TEST_POSTGRES has it")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL behaviour: needs WO_TEST_POSTGRES")


def psql(location: str, sql: str) -> str:
    """Runs `sql` with psql on the database `location` names (unaligned, tuples only) and
    returns its output; raises with psql's message on any error."""
    try:
        r = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", location, "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except FileNotFoundError:
        raise RuntimeError("the PostgreSQL run needs psql on PATH (Debian: postgresql-client)") from None
    if r.returncode != 0:
        raise RuntimeError(f"psql failed ({r.returncode}) running {sql!r}: {r.stderr.strip()}")
    return r.stdout.strip()


_schemas = itertools.count()


@pytest.fixture
def new_location(request, tmp_path):
    """A factory of fresh, empty database locations on the run's backend: a file path on
    SQLite, on PostgreSQL the server URI with ``options=-csearch_path%3D<schema>`` for a new
    schema. Everything it made is removed after the test (the databases must be closed
    first, which fixtures that depend on this one are)."""
    made: list[str] = []

    def make() -> str:
        n = next(_schemas)
        if not ON_POSTGRES:
            return str(tmp_path / f"wo{n}.db")
        # Lower-case letters, digits and _ only: the name needs no quoting in SQL or the URI.
        test = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:24]
        schema = f"t_py_{test}_{os.getpid()}_{n}"
        psql(POSTGRES, f"CREATE SCHEMA {schema}")
        made.append(schema)
        return f"{POSTGRES}{'&' if '?' in POSTGRES else '?'}options=-csearch_path%3D{schema}"

    yield make
    for schema in made:
        psql(POSTGRES, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def location(new_location):
    """The location of one fresh database (see new_location)."""
    return new_location()


@pytest.fixture
def db(location):
    with wo.Database(location, sync_normal=True) as database:
        yield database


@pytest.fixture
def system():
    with wo.Actor.system() as actor:
        yield actor


@pytest.fixture
def org(db, system):
    """(org_id, admin_id) of a fresh org."""
    return db.org_create(system, org=ORG, admin=ADMIN)


@pytest.fixture
def admin(org):
    with wo.Actor.staff(org[1]) as actor:
        yield actor


def build_catalog(db: wo.Database, admin: wo.Actor) -> dict[str, int]:
    ids: dict[str, int] = {}
    for kind, (make, _) in CATALOG.items():
        ids[kind] = db.create(kind, admin, make(ids))
    return ids


@pytest.fixture
def catalog(db, admin):
    """Ids of one record of every catalog kind."""
    return build_catalog(db, admin)


def snapshot(db: wo.Database, admin: wo.Actor, system: wo.Actor) -> dict:
    """Everything the binding can read, as plain data, to prove a failed call changed nothing."""
    state = {kind: [dict(r) for r in db.list(kind, admin)] for kind in wo.catalog_kinds()}
    state["org"] = [dict(r) for r in db.org_list(system)]
    state["settings"] = dict(db.settings_get(admin))
    state["channels"] = [dict(r) for r in db.channel_list(admin)]
    state["stock_movement"] = [dict(r) for r in db.stock_movement_list(admin)]
    return state
