# SPDX-License-Identifier: MIT
"""The declarative table against the header and the loaded library, enum values against the
header's typed enums, version and strerror, and the library lookup order."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pathlib
import re
import shutil
import subprocess
import sys
from ctypes import POINTER, c_char_p, c_int, c_int32, c_int64, c_void_p

import pytest
from conftest import header_path

import workorder as wo
from workorder import _ffi

PACKAGE_DIR = pathlib.Path(wo.__file__).resolve().parent


@pytest.fixture(scope="module")
def header() -> str:
    path = header_path()
    if path is None:
        pytest.skip("workorder.h not found (set WORKORDER_HEADER)")
    return path.read_text(encoding="utf-8")


def _enum_blocks(header: str) -> dict[str, dict[str, int]]:
    """Every `typedef WO_ENUM(name) { WO_X = N, ... } name;` of the header: name -> entries."""
    text = re.sub(r"/\*.*?\*/", " ", header, flags=re.S)
    blocks = {}
    for name, body, closing in re.findall(r"typedef WO_ENUM\((\w+)\)\s*\{(.*?)\}\s*(\w+)\s*;", text, flags=re.S):
        assert closing == name, f"typedef WO_ENUM({name}) closes as {closing}"
        entries = re.findall(r"\b(WO_\w+)\s*=\s*(\d+)\s*(?:,|$)", body.strip())
        assert len(entries) == body.count("="), f"{name}: an entry that is not WO_X = N"
        blocks[name] = {entry: int(value) for entry, value in entries}
    return blocks


def _c_type(decl: str, enums: frozenset[str] = frozenset()):
    """The ctypes type for a C parameter or return declaration (name already removed); a typed
    enum (`enums`) passed by value is a 32-bit int."""
    decl = decl.replace("const", " ").strip()
    stars = decl.count("*")
    base = decl.replace("*", " ").split()[0]
    table = {
        ("void", 0): None,
        ("void", 1): c_void_p,
        ("int", 0): c_int,
        ("int32_t", 0): c_int32,
        ("int32_t", 1): POINTER(c_int32),
        ("int64_t", 0): c_int64,
        ("int64_t", 1): POINTER(c_int64),
        ("char", 1): c_char_p,
        ("char", 2): POINTER(c_char_p),
        ("wo_clock_fn", 0): _ffi.CLOCK_FN,
        ("wo_write_fn", 0): _ffi.WRITE_FN,
    }
    if base in enums and stars == 0:
        return c_int32
    if base.startswith("wo_") and base not in ("wo_clock_fn", "wo_write_fn"):
        return {1: c_void_p, 2: POINTER(c_void_p)}[stars]
    return table[(base, stars)]


def _parse_header(text: str) -> dict[str, tuple[list, object]]:
    enums = frozenset(_enum_blocks(text))
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    functions = {}
    for ret, name, params in re.findall(r"^WO_API\s+([^;(]*?)\b(wo_\w+)\s*\(([^)]*)\)\s*;", text, flags=re.S | re.M):
        args = []
        for p in params.split(","):
            p = " ".join(p.split())
            if p in ("", "void"):
                continue
            # Drop the parameter name: the last identifier.
            p = re.sub(r"\b\w+$", "", p).strip()
            args.append(_c_type(p, enums))
        functions[name] = (args, _c_type(ret, enums))
    return functions


def test_table_matches_every_function_in_the_header(header):
    declared = _parse_header(header)
    assert len(declared) == len(re.findall(r"^WO_API ", header, flags=re.M)) > 90
    table = {name: (args, res) for name, args, res in _ffi.FUNCTIONS}
    assert len(table) == len(_ffi.FUNCTIONS), "duplicate rows in FUNCTIONS"
    assert sorted(table) == sorted(declared)
    for name, (args, res) in declared.items():
        assert table[name][0] == args, name
        assert table[name][1] == res, name


def test_every_row_has_an_explicit_restype_and_is_bound():
    lib = _ffi.lib()
    assert lib.missing == []
    for name, argtypes, restype in _ffi.FUNCTIONS:
        fn = getattr(lib, name)
        assert fn.argtypes == argtypes
        assert fn.restype is restype, name
        # Statuses are int; everything that returns a pointer is a pointer type.
        assert restype in (c_int, c_int32, c_char_p, None), name


def test_the_library_exports_nothing_outside_the_table():
    nm = shutil.which("nm")
    path = pathlib.Path(_ffi.library_path())
    if nm is None or not path.exists():
        pytest.skip("nm or a library path is not available")
    out = subprocess.run([nm, "-D", "--defined-only", str(path)], capture_output=True, text=True, check=True).stdout
    exported = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.split()[1:2] == ["T"]}
    assert exported == {name for name, _, _ in _ffi.FUNCTIONS}


def test_enum_typed_parameters_are_32_bit(header):
    declared = _parse_header(header)
    # wo_channel_set_enabled(db, actor, wo_channel, int32_t), wo_order_list(..., wo_view, ...),
    # wo_dashboard_rows(out, dashboard, wo_dashboard_table): int32 on both sides.
    assert declared["wo_channel_set_enabled"][0][2] is c_int32
    assert declared["wo_order_list"][0][3] is c_int32
    assert declared["wo_dashboard_rows"][0][2] is c_int32


# Each typed enum of the header and its Python enum; the prefix its entries share.
ENUMS = [
    ("wo_role", "WO_ROLE_", wo.Role),
    ("wo_tenant_kind", "WO_TENANT_", wo.TenantKind),
    ("wo_charge_mode", "WO_CHARGE_", wo.ChargeMode),
    ("wo_channel", "WO_CHANNEL_", wo.Channel),
    ("wo_movement_kind", "WO_MOVEMENT_", wo.MovementKind),
    ("wo_dispatch_strategy", "WO_DISPATCH_", wo.DispatchStrategy),
    ("wo_order_status", "WO_STATUS_", wo.OrderStatus),
    ("wo_action", "WO_ACTION_", wo.Action),
    ("wo_service_state", "WO_SERVICE_", wo.ServiceState),
    ("wo_source_channel", "WO_SOURCE_", wo.SourceChannel),
    ("wo_payer", "WO_PAYER_", wo.Payer),
    ("wo_line_kind", "WO_LINE_", wo.LineKind),
    ("wo_payment_kind", "WO_PAYMENT_", wo.PaymentKind),
    ("wo_actor_kind", "WO_ACTOR_", wo.ActorKind),
    ("wo_field_type", "WO_TYPE_", wo.FieldType),
    ("wo_view", "WO_VIEW_", wo.OrderView),
    ("wo_audience", "WO_AUDIENCE_", wo.Audience),
    ("wo_dashboard_table", "WO_DASHBOARD_", wo.DashboardTable),
]


@pytest.mark.parametrize("c_name, prefix, enum", ENUMS)
def test_enums_match_the_header(header, c_name, prefix, enum):
    entries = _enum_blocks(header)[c_name]
    assert entries and all(name.startswith(prefix) for name in entries), c_name
    assert {name[len(prefix) :]: v for name, v in entries.items()} == {m.name: m.value for m in enum}
    # The constants are enum entries only, no longer macros as well.
    assert not [name for name in entries if re.search(rf"#define {name}\b", header)]


def test_every_typed_enum_of_the_header_is_known(header):
    blocks = _enum_blocks(header)
    # wo_status is Status (below); wo_open_flag is Database(sync_normal=True).
    assert set(blocks) == {c_name for c_name, _, _ in ENUMS} | {"wo_status", "wo_open_flag"}
    assert blocks["wo_open_flag"] == {"WO_OPEN_SYNC_NORMAL": 1}


def test_status_codes_and_exception_classes_match_the_header(header):
    codes = _enum_blocks(header)["wo_status"]
    assert all(re.fullmatch(r"WO_(OK|DONE|E[A-Z]+)", k) for k in codes)
    assert sorted(codes.values()) == sorted(s.value for s in wo.Status)
    expected = {
        "WO_ENOTFOUND": wo.NotFound,
        "WO_EINVALID": wo.InvalidArgument,
        "WO_ESTATE": wo.InvalidState,
        "WO_EFORBIDDEN": wo.Forbidden,
        "WO_ECONFLICT": wo.Conflict,
        "WO_ESLOTFULL": wo.SlotFull,
        "WO_ESLOTUNAVAILABLE": wo.SlotUnavailable,
        "WO_EGRABLIMIT": wo.GrabLimit,
        "WO_EOUTOFSTOCK": wo.OutOfStock,
        "WO_EPAYMENT": wo.PaymentMismatch,
        "WO_ECHANNEL": wo.ChannelDisabled,
        "WO_EBUSY": wo.Busy,
        "WO_ESTORAGE": wo.StorageError,
        "WO_ESCHEMA": wo.SchemaTooNew,
        "WO_EOVERFLOW": wo.Overflow,
        "WO_EINTERNAL": wo.InternalError,
        "WO_ESLOTHORIZON": wo.SlotBeyondHorizon,
        "WO_ESLOTTOOEARLY": wo.SlotTooEarly,
        "WO_EABORTED": wo.Aborted,
        "WO_EINELIGIBLE": wo.Ineligible,
        "WO_ENULL": wo.NullField,
    }
    assert sorted(k for k in codes if k.startswith("WO_E")) == sorted(expected)
    for name, cls in expected.items():
        err = wo.errors.error_for(codes[name], "the message")
        assert type(err) is cls and err.code == codes[name] == cls.code and err.message == "the message"
        assert isinstance(err, wo.WorkOrderError)
    # Status names the same codes: WO_EINELIGIBLE is Status.INELIGIBLE, WO_ENULL Status.NULL_FIELD.
    assert (wo.Status.INELIGIBLE, wo.Status.NULL_FIELD) == (codes["WO_EINELIGIBLE"], codes["WO_ENULL"])
    # An ineligible target used to be WO_ESTATE: `except InvalidState` still catches it.
    assert issubclass(wo.Ineligible, wo.InvalidState)


def test_write_fn_matches_the_header_typedef(header):
    typedef = re.search(r"typedef int \(\*wo_write_fn\)\(([^)]*)\);", header)
    assert typedef, "wo_write_fn typedef not found"
    params = [" ".join(p.split()) for p in typedef.group(1).split(",")]
    assert params == ["void* ctx", "const char* data", "int64_t len"]
    assert _ffi.WRITE_FN._restype_ is c_int
    assert list(_ffi.WRITE_FN._argtypes_) == [c_void_p, c_void_p, c_int64]  # data: not NUL-terminated


def test_status_bit_macro_and_status_mask(header):
    assert re.search(r"#define WO_STATUS_BIT\(s\) \(1 << \(s\)\)", header)
    assert wo.status_mask() == 0
    assert wo.status_mask(wo.OrderStatus.COMPLETED, wo.OrderStatus.CANCELLED) == (1 << 6) | (1 << 7)
    with pytest.raises(ValueError):
        wo.status_mask(8)


def test_version_matches_the_header(header):
    expected = re.search(r'#define WO_VERSION_STRING "([^"]+)"', header).group(1)
    assert wo.version() == expected
    assert re.fullmatch(r"\d+\.\d+\.\d+", wo.version())
    major, minor, patch = (int(part) for part in expected.split("."))
    assert wo.version_number() == major * 1000000 + minor * 1000 + patch


def test_strerror():
    assert wo.strerror(0) == "ok"
    assert wo.strerror(wo.Status.NOT_FOUND) == "not found"
    assert wo.strerror(wo.Status.DONE) == "no more records"
    assert wo.strerror(9999) == "unknown status code"
    codes = [s for s in wo.Status if s not in (wo.Status.OK, wo.Status.DONE)]
    texts = [wo.strerror(code) for code in codes]
    assert len(set(texts)) == len(codes) and all(t != "unknown status code" for t in texts)


def test_catalog_kinds_come_from_the_table():
    assert wo.catalog_kinds() == [
        "department",
        "position",
        "staff",
        "tenant",
        "contact",
        "order_type",
        "subtype",
        "service_spec",
        "service_item",
        "labor_item",
        "labor_rate",
        "material",
    ]


def _run(code: str, env: dict, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def _clean_env(pythonpath: pathlib.Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "WORKORDER_LIBRARY"}
    env["PYTHONPATH"] = str(pythonpath)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def test_lookup_uses_WORKORDER_LIBRARY_first(tmp_path):
    env = _clean_env(PACKAGE_DIR.parent)
    env["WORKORDER_LIBRARY"] = str(tmp_path / "no-such-libworkorder.so")
    r = _run("import workorder\nworkorder.version()", env, tmp_path)
    assert r.returncode != 0
    assert "no-such-libworkorder.so" in r.stderr and "WORKORDER_LIBRARY" in r.stderr


def test_lookup_finds_the_library_next_to_the_package(tmp_path):
    copy = tmp_path / "site" / "workorder"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    shutil.copy(_ffi.library_path(), copy / "libworkorder.so.0")
    r = _run("import workorder\nprint(workorder.library_path())\nprint(workorder.version())", _clean_env(copy.parent), tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(copy / "libworkorder.so.0"), wo.version()]


def test_lookup_falls_back_to_the_system(monkeypatch):
    monkeypatch.delenv("WORKORDER_LIBRARY", raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: "libworkorder-from-ldconfig.so.0")
    candidates = _ffi._candidates()
    assert candidates[-3:] == ["libworkorder-from-ldconfig.so.0", "libworkorder.so.0", "libworkorder.so"]
    monkeypatch.setenv("WORKORDER_LIBRARY", "/x/libworkorder.so")
    assert _ffi._candidates() == ["/x/libworkorder.so"]


def test_a_function_the_library_lacks_fails_only_when_called():
    import types

    real = ctypes.CDLL(_ffi.library_path())
    older = _ffi._Library("libworkorder-older.so", types.SimpleNamespace(wo_version=real.wo_version))
    assert older.wo_version().decode() == wo.version()
    assert "wo_db_open" in older.missing and "wo_version" not in older.missing
    with pytest.raises(AttributeError, match="wo_db_open is not exported by libworkorder-older.so"):
        older.wo_db_open
    with pytest.raises(AttributeError, match="not in workorder._ffi.FUNCTIONS"):
        older.wo_no_such_function
