# SPDX-License-Identifier: MIT
"""Shared fixtures: a fresh database per test on the run's backend, an org with its first
admin, and a full settings catalog (one record of every kind) built through the binding.

The backend is SQLite (a file in the test's temp directory) unless the environment variable
WO_TEST_POSTGRES holds a PostgreSQL server URI (ctest's ``python_binding:pg`` sets it); then
every database is a schema of its own on that server, made and dropped with the ``psql``
client, and its location is the URI with ``search_path`` set to it.

The session also checks every status a wo_* function returns against the codes its comment in
workorder.h lists (the end of this file)."""

from __future__ import annotations

import itertools
import os
import pathlib
import re
import subprocess

import pytest

import workorder as wo
from workorder import _core, _ffi

HERE = pathlib.Path(__file__).resolve().parent

pytest_plugins = ["pytester"]  # test_documented_codes runs the check on a session of its own

# Those sessions run in another directory: make relative paths absolute while the cwd is known.
for _variable in ("WORKORDER_LIBRARY", "WORKORDER_HEADER"):
    if os.environ.get(_variable):
        os.environ[_variable] = os.path.abspath(os.environ[_variable])


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


# ---- documented status codes (issue 12, item 9) ----------------------------------------------
# Every status a wo_* function returns during the session must be one its comment in workorder.h
# lists: the WO_OK, WO_E* and WO_DONE tokens of the /** ... */ comment right before its WO_API
# declaration. The binding's central _core._call is wrapped, and so are the FAST functions of
# the record-copy loop, which do not go through _call. A status the comment does not list fails
# the test phase (setup, call or teardown) that caused it.

_DOC_COMMENT = re.compile(r"/\*\*((?:(?!\*/).)*)\*/\s*WO_API\b[^;(]*?\b(wo_\w+)\s*\(", re.S)


def documented_codes(header: str) -> dict[str, frozenset[int]]:
    """Function name -> the status codes its comment lists."""
    values = {
        name: int(value)
        for name, value in re.findall(r"^\s*(WO_(?:OK|DONE|E[A-Z]+))\s*=\s*(\d+)", header, flags=re.M)
    }
    documented = {}
    for comment, function in _DOC_COMMENT.findall(header):
        tokens = re.findall(r"\bWO_(?:OK|DONE|E[A-Z]+)\b", comment)
        documented[function] = frozenset(values[t] for t in tokens if t in values)
    return documented


class _StatusLog:
    def __init__(self, documented: dict[str, frozenset[int]]):
        self.documented = documented
        self.seen: dict[tuple[str, int], int] = {}  # (function, code) -> times
        self.undocumented: dict[tuple[str, int], list[str]] = {}  # -> tests that caused it
        self.pending: list[tuple[str, int]] = []  # not yet reported by a test phase
        self.test = "(outside a test)"

    def note(self, function: str, code: int) -> None:
        key = (function, int(code))
        self.seen[key] = self.seen.get(key, 0) + 1
        if int(code) not in self.documented.get(function, frozenset()):
            self.pending.append(key)
            tests = self.undocumented.setdefault(key, [])
            if self.test not in tests:
                tests.append(self.test)


_status_log: _StatusLog | None = None


def _code_name(code: int) -> str:
    try:
        return wo.Status(code).name
    except ValueError:
        return "unknown"


def pytest_sessionstart(session):
    global _status_log
    path = header_path()
    if path is None:
        return  # an installed package without the source tree: nothing to check against
    log = _status_log = _StatusLog(documented_codes(path.read_text(encoding="utf-8")))

    call = _core._call

    def checked_call(name, *args):
        try:
            rc = call(name, *args)
        except wo.WorkOrderError as e:  # raised by _call for the status it got
            log.note(name, e.code)
            raise
        log.note(name, rc)
        return rc

    _core._call = checked_call

    fast = _ffi.lib().fast
    for name, _, restype in _ffi.FAST:
        if restype is _ffi.STATUS and hasattr(fast, name):

            def checked(*args, _fn=getattr(fast, name), _name=name):
                rc = _fn(*args)
                log.note(_name, rc)
                return rc

            checked.__wrapped__ = getattr(fast, name)
            setattr(fast, name, checked)


def pytest_runtest_logstart(nodeid, location):
    if _status_log is not None:
        _status_log.test = nodeid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    log = _status_log
    if log is None or not log.pending:
        return
    report = outcome.get_result()
    pending, log.pending = log.pending, []
    lines = sorted({f"{fn} returned {code} ({_code_name(code)}), which its comment in workorder.h does not list"
                    for fn, code in pending})
    message = "undocumented status codes:\n  " + "\n  ".join(lines)
    report.sections.append(("undocumented status codes", message))
    if report.passed:
        report.outcome = "failed"
        report.longrepr = message


def pytest_terminal_summary(terminalreporter):
    log = _status_log
    if log is None:
        terminalreporter.write_line("documented codes: not checked (workorder.h not found; set WORKORDER_HEADER)")
        return
    functions = {fn for fn, _ in log.seen}
    terminalreporter.write_line(
        f"documented codes: {len(functions)} functions called, {len(log.seen)} (function, code) pairs seen, "
        f"{len(log.undocumented)} undocumented"
    )
    for (fn, code), tests in sorted(log.undocumented.items()):
        more = f" and {len(tests) - 1} more" if len(tests) > 1 else ""
        terminalreporter.write_line(f"  undocumented: {fn} returned {code} ({_code_name(code)}) in {tests[0]}{more}")
