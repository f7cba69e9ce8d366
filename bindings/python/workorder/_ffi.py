# SPDX-License-Identifier: MIT
"""The ctypes layer: finding libworkorder and declaring every function of workorder.h.

FUNCTIONS is the one declarative table of ``(name, argtypes, restype)`` rows, one per
``WO_API`` function, in header order. ``restype`` is always given: ctypes' default (C int)
would truncate returned 64-bit pointers. Opaque handles are ``c_void_p``; out-parameters are
``POINTER(...)``. A function the loaded library does not export (an older library) is left
unbound and fails with AttributeError when called.

A record kind added to the C ABI later needs only its five rows here; ``Database.create``,
``update``, ``set_active``, ``get`` and ``list`` find ``wo_<kind>_<verb>`` by name.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from ctypes import POINTER, c_char_p, c_int, c_int32, c_int64, c_void_p

__all__ = ["FUNCTIONS", "FAST", "CLOCK_FN", "WRITE_FN", "lib", "library_path", "catalog_kinds", "kind_verbs"]

# Handle types, all opaque pointers; the aliases only make the table readable.
DB = c_void_p
ACTOR = c_void_p
INPUT = c_void_p
RECORD = c_void_p
ITER = c_void_p
DASHBOARD = c_void_p
HANDLE_OUT = POINTER(c_void_p)  # wo_X** out
I64_OUT = POINTER(c_int64)
I32_OUT = POINTER(c_int32)
TEXT_OUT = POINTER(c_char_p)  # const char** out
STATUS = c_int  # every fallible function returns an int status

# typedef int64_t (*wo_clock_fn)(void* ctx);
CLOCK_FN = ctypes.CFUNCTYPE(c_int64, c_void_p)

# typedef int (*wo_write_fn)(void* ctx, const char* data, int64_t len);
# data is c_void_p, not c_char_p: the chunk is not NUL-terminated (read it with string_at).
WRITE_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, c_int64)

# The shapes shared by every catalog record kind.
_CREATE = [I64_OUT, DB, ACTOR, INPUT]
_UPDATE = [DB, ACTOR, c_int64, INPUT]
_SET_ACTIVE = [DB, ACTOR, c_int64, c_int32]
_GET = [HANDLE_OUT, DB, ACTOR, c_int64]
_LIST = [HANDLE_OUT, DB, ACTOR, INPUT]

# fmt: off
FUNCTIONS: list[tuple[str, list, object]] = [
    # versions and errors
    ("wo_version",                  [],                                       c_char_p),
    ("wo_libversion_number",        [],                                       c_int),
    ("wo_strerror",                 [c_int],                                  c_char_p),
    ("wo_errmsg",                   [],                                       c_char_p),
    # database
    ("wo_db_open",                  [HANDLE_OUT, c_char_p, c_int32, c_int32], STATUS),
    ("wo_db_free",                  [DB],                                     None),
    ("wo_db_set_clock",             [DB, CLOCK_FN, c_void_p],                 STATUS),
    ("wo_db_now",                   [I64_OUT, DB],                            STATUS),
    ("wo_db_schema_version",        [I32_OUT, DB],                            STATUS),
    # actors
    ("wo_actor_system",             [HANDLE_OUT],                             STATUS),
    ("wo_actor_staff",              [HANDLE_OUT, c_int64],                    STATUS),
    ("wo_actor_contact",            [HANDLE_OUT, c_int64],                    STATUS),
    ("wo_actor_free",               [ACTOR],                                  None),
    # inputs
    ("wo_input_new",                [HANDLE_OUT],                             STATUS),
    ("wo_input_free",               [INPUT],                                  None),
    ("wo_input_set_int",            [INPUT, c_char_p, c_int64],               STATUS),
    ("wo_input_set_text",           [INPUT, c_char_p, c_char_p],              STATUS),
    ("wo_input_add_text",           [INPUT, c_char_p, c_char_p],              STATUS),
    ("wo_input_set_null",           [INPUT, c_char_p],                        STATUS),
    # records
    ("wo_record_free",              [RECORD],                                 None),
    ("wo_record_kind",              [RECORD],                                 c_char_p),
    ("wo_record_field_count",       [RECORD],                                 c_int32),
    ("wo_record_field_name",        [RECORD, c_int32],                        c_char_p),
    ("wo_record_field_type",        [I32_OUT, RECORD, c_char_p],              STATUS),
    ("wo_record_get_int",           [I64_OUT, RECORD, c_char_p],              STATUS),
    ("wo_record_get_text",          [TEXT_OUT, RECORD, c_char_p],             STATUS),
    ("wo_record_field_type_at",     [I32_OUT, RECORD, c_int32],               STATUS),
    ("wo_record_get_int_at",        [I64_OUT, RECORD, c_int32],               STATUS),
    ("wo_record_get_text_at",       [TEXT_OUT, RECORD, c_int32],              STATUS),
    # types_out, ints_out, texts_out: arrays of `count` entries (ctypes arrays pass as pointers)
    ("wo_record_values",            [I32_OUT, I64_OUT, TEXT_OUT, RECORD, c_int32], STATUS),
    # iterators
    ("wo_iter_next",                [HANDLE_OUT, ITER],                       STATUS),
    ("wo_iter_free",                [ITER],                                   None),
    # organisations
    ("wo_org_create",               [I64_OUT, I64_OUT, DB, ACTOR, INPUT, INPUT], STATUS),
    ("wo_org_update",               _UPDATE,                                  STATUS),
    ("wo_org_get",                  _GET,                                     STATUS),
    ("wo_org_list",                 [HANDLE_OUT, DB, ACTOR],                  STATUS),
    # the settings catalog: five rows per record kind
    ("wo_department_create",        _CREATE,                                  STATUS),
    ("wo_department_update",        _UPDATE,                                  STATUS),
    ("wo_department_set_active",    _SET_ACTIVE,                              STATUS),
    ("wo_department_get",           _GET,                                     STATUS),
    ("wo_department_list",          _LIST,                                    STATUS),
    ("wo_position_create",          _CREATE,                                  STATUS),
    ("wo_position_update",          _UPDATE,                                  STATUS),
    ("wo_position_set_active",      _SET_ACTIVE,                              STATUS),
    ("wo_position_get",             _GET,                                     STATUS),
    ("wo_position_list",            _LIST,                                    STATUS),
    ("wo_staff_create",             _CREATE,                                  STATUS),
    ("wo_staff_update",             _UPDATE,                                  STATUS),
    ("wo_staff_set_active",         _SET_ACTIVE,                              STATUS),
    ("wo_staff_get",                _GET,                                     STATUS),
    ("wo_staff_list",               _LIST,                                    STATUS),
    ("wo_tenant_create",            _CREATE,                                  STATUS),
    ("wo_tenant_update",            _UPDATE,                                  STATUS),
    ("wo_tenant_set_active",        _SET_ACTIVE,                              STATUS),
    ("wo_tenant_get",               _GET,                                     STATUS),
    ("wo_tenant_list",              _LIST,                                    STATUS),
    ("wo_contact_create",           _CREATE,                                  STATUS),
    ("wo_contact_update",           _UPDATE,                                  STATUS),
    ("wo_contact_set_active",       _SET_ACTIVE,                              STATUS),
    ("wo_contact_get",              _GET,                                     STATUS),
    ("wo_contact_list",             _LIST,                                    STATUS),
    ("wo_order_type_create",        _CREATE,                                  STATUS),
    ("wo_order_type_update",        _UPDATE,                                  STATUS),
    ("wo_order_type_set_active",    _SET_ACTIVE,                              STATUS),
    ("wo_order_type_get",           _GET,                                     STATUS),
    ("wo_order_type_list",          _LIST,                                    STATUS),
    ("wo_subtype_create",           _CREATE,                                  STATUS),
    ("wo_subtype_update",           _UPDATE,                                  STATUS),
    ("wo_subtype_set_active",       _SET_ACTIVE,                              STATUS),
    ("wo_subtype_get",              _GET,                                     STATUS),
    ("wo_subtype_list",             _LIST,                                    STATUS),
    ("wo_service_spec_create",      _CREATE,                                  STATUS),
    ("wo_service_spec_update",      _UPDATE,                                  STATUS),
    ("wo_service_spec_set_active",  _SET_ACTIVE,                              STATUS),
    ("wo_service_spec_get",         _GET,                                     STATUS),
    ("wo_service_spec_list",        _LIST,                                    STATUS),
    ("wo_service_item_create",      _CREATE,                                  STATUS),
    ("wo_service_item_update",      _UPDATE,                                  STATUS),
    ("wo_service_item_set_active",  _SET_ACTIVE,                              STATUS),
    ("wo_service_item_get",         _GET,                                     STATUS),
    ("wo_service_item_list",        _LIST,                                    STATUS),
    ("wo_labor_item_create",        _CREATE,                                  STATUS),
    ("wo_labor_item_update",        _UPDATE,                                  STATUS),
    ("wo_labor_item_set_active",    _SET_ACTIVE,                              STATUS),
    ("wo_labor_item_get",           _GET,                                     STATUS),
    ("wo_labor_item_list",          _LIST,                                    STATUS),
    ("wo_labor_rate_create",        _CREATE,                                  STATUS),
    ("wo_labor_rate_update",        _UPDATE,                                  STATUS),
    ("wo_labor_rate_set_active",    _SET_ACTIVE,                              STATUS),
    ("wo_labor_rate_get",           _GET,                                     STATUS),
    ("wo_labor_rate_list",          _LIST,                                    STATUS),
    ("wo_material_create",          _CREATE,                                  STATUS),
    ("wo_material_update",          _UPDATE,                                  STATUS),
    ("wo_material_set_active",      _SET_ACTIVE,                              STATUS),
    ("wo_material_get",             _GET,                                     STATUS),
    ("wo_material_list",            _LIST,                                    STATUS),
    # stock movements
    ("wo_stock_movement_create",    _CREATE,                                  STATUS),
    ("wo_stock_movement_get",       _GET,                                     STATUS),
    ("wo_stock_movement_list",      _LIST,                                    STATUS),
    # labor rates
    ("wo_labor_rate_resolve",       [I64_OUT, DB, ACTOR, c_int64, c_int64],   STATUS),
    # work-order settings and payment channels
    ("wo_settings_get",             [HANDLE_OUT, DB, ACTOR],                  STATUS),
    ("wo_settings_update",          [DB, ACTOR, INPUT],                       STATUS),
    ("wo_channel_set_enabled",      [DB, ACTOR, c_int32, c_int32],            STATUS),
    ("wo_channel_list",             [HANDLE_OUT, DB, ACTOR],                  STATUS),
    # work orders: the life cycle
    ("wo_order_submit",             [I64_OUT, DB, ACTOR, INPUT],              STATUS),
    ("wo_order_pay_prepayment",     [DB, ACTOR, c_int64, INPUT],              STATUS),
    ("wo_order_assign",             [DB, ACTOR, c_int64, c_int64, c_int32],   STATUS),
    ("wo_order_grab",               [DB, ACTOR, c_int64],                     STATUS),
    ("wo_order_accept",             [DB, ACTOR, c_int64],                     STATUS),
    ("wo_order_reject",             [DB, ACTOR, c_int64, c_char_p],           STATUS),
    ("wo_order_transfer",           [DB, ACTOR, c_int64, c_int64, c_char_p, c_int32], STATUS),
    ("wo_order_add_line",           [I64_OUT, DB, ACTOR, c_int64, INPUT],     STATUS),
    ("wo_order_remove_line",        [DB, ACTOR, c_int64, c_int64],            STATUS),
    ("wo_order_finish",             [DB, ACTOR, c_int64],                     STATUS),
    ("wo_order_pay",                [DB, ACTOR, c_int64, INPUT],              STATUS),
    ("wo_order_refund",             [DB, ACTOR, c_int64, INPUT],              STATUS),
    ("wo_order_rate",               [DB, ACTOR, c_int64, c_int32, c_char_p],  STATUS),
    ("wo_order_reopen",             [DB, ACTOR, c_int64, c_char_p],           STATUS),
    ("wo_order_cancel",             [DB, ACTOR, c_int64, c_char_p],           STATUS),
    ("wo_order_message",            [DB, ACTOR, c_int64, c_char_p],           STATUS),
    ("wo_order_dispatch_preview",   [I64_OUT, DB, ACTOR, c_int64],            STATUS),
    ("wo_tick",                     [I64_OUT, DB, ACTOR, c_int64],            STATUS),
    # work orders: reading one back
    ("wo_order_get",                _GET,                                     STATUS),
    ("wo_order_attachments",        [HANDLE_OUT, DB, ACTOR, c_int64],         STATUS),
    ("wo_order_lines",              [HANDLE_OUT, DB, ACTOR, c_int64],         STATUS),
    ("wo_order_payments",           [HANDLE_OUT, DB, ACTOR, c_int64],         STATUS),
    ("wo_order_timeline",           [HANDLE_OUT, DB, ACTOR, c_int64, c_int64], STATUS),
    # appointment slots
    ("wo_schedule_set",             [DB, ACTOR, c_int64, INPUT],              STATUS),
    ("wo_schedule_get",             [HANDLE_OUT, DB, ACTOR, c_int64],         STATUS),
    ("wo_schedule_clear",           [DB, ACTOR, c_int64],                     STATUS),
    ("wo_slot_availability",        [HANDLE_OUT, DB, ACTOR, c_int64, c_char_p, c_char_p], STATUS),
    ("wo_order_reschedule",         [DB, ACTOR, c_int64, c_int64],            STATUS),
    # views, order records, dashboard and the event feed
    ("wo_order_list",               [HANDLE_OUT, DB, ACTOR, c_int32, INPUT, c_char_p, c_int32], STATUS),
    ("wo_iter_cursor",              [TEXT_OUT, ITER],                         STATUS),
    ("wo_order_records",            [HANDLE_OUT, DB, ACTOR, INPUT, c_char_p, c_int32], STATUS),
    ("wo_export_csv",               [DB, ACTOR, INPUT, WRITE_FN, c_void_p],   STATUS),
    ("wo_dashboard_get",            [HANDLE_OUT, DB, ACTOR, c_int64, c_int64], STATUS),
    ("wo_dashboard_free",           [DASHBOARD],                              None),
    ("wo_dashboard_summary",        [HANDLE_OUT, DASHBOARD],                  STATUS),
    ("wo_dashboard_rows",           [HANDLE_OUT, DASHBOARD, c_int32],         STATUS),
    ("wo_order_messages",           [HANDLE_OUT, DB, ACTOR, c_int64],         STATUS),
    ("wo_event_feed",               [HANDLE_OUT, DB, ACTOR, c_int64],         STATUS),
]
# fmt: on

SIGNATURES: dict[str, tuple[list, object]] = {name: (args, res) for name, args, res in FUNCTIONS}

# Second bindings of the functions the record-copy loop calls for every record, taking each
# pointer as a plain int (an address): ctypes converts an int argument faster than a pointer
# or array object, which saves about 1 µs a record. lib().fast holds them. wo_record_kind
# returns the address of its static string, so comparing ints tells two kinds apart.
FAST: list[tuple[str, list, object]] = [
    ("wo_iter_next",     [c_void_p, c_void_p],                     STATUS),
    ("wo_record_kind",   [c_void_p],                               c_void_p),
    ("wo_record_values", [c_void_p, c_void_p, c_void_p, c_void_p, c_int32], STATUS),
    ("wo_record_free",   [c_void_p],                               None),
]

# The verbs every catalog record kind has, with their argument shapes.
CATALOG_VERBS = {"create": _CREATE, "update": _UPDATE, "set_active": _SET_ACTIVE, "get": _GET, "list": _LIST}
# A list without a filter argument (wo_org_list, wo_channel_list).
_LIST_ALL = [HANDLE_OUT, DB, ACTOR]


def catalog_kinds() -> list[str]:
    """Record kinds with all five catalog calls (create, update, set_active, get, list)."""
    kinds = []
    for name, args, _ in FUNCTIONS:
        if name.startswith("wo_") and name.endswith("_create") and args == _CREATE:
            kind = name[3 : -len("_create")]
            if all(SIGNATURES.get(f"wo_{kind}_{verb}", (None,))[0] == shape for verb, shape in CATALOG_VERBS.items()):
                kinds.append(kind)
    return kinds


def kind_verbs() -> dict[str, tuple[str, ...]]:
    """Every record kind with generic calls, in table order, and which of the five verbs
    (create, update, set_active, get, list) it has: a kind has a `wo_<kind>_create`, or both a
    `wo_<kind>_get` and a `wo_<kind>_list`, of the shapes above (a list may also take no
    filter; wo_channel_list alone, over "payment_channel" records, is not a kind), e.g.
    {"org": ("update", "get", "list"), "department": (all five), ...}."""
    found: dict[str, list[str]] = {}
    for name, args, _ in FUNCTIONS:
        for verb, shape in CATALOG_VERBS.items():
            if name.startswith("wo_") and name.endswith("_" + verb):
                if args == shape or (verb == "list" and args == _LIST_ALL):
                    found.setdefault(name[3 : -len(verb) - 1], []).append(verb)
    return {
        kind: tuple(v for v in CATALOG_VERBS if v in verbs)
        for kind, verbs in found.items()
        if "create" in verbs or ("get" in verbs and "list" in verbs)
    }


def _library_names() -> list[str]:
    if sys.platform == "darwin":
        return ["libworkorder.0.dylib", "libworkorder.dylib"]
    if sys.platform == "win32":
        return ["workorder.dll", "libworkorder.dll"]
    return ["libworkorder.so.0", "libworkorder.so"]


def _candidates() -> list[str]:
    """Where to look, in order: WORKORDER_LIBRARY, next to the package, the system."""
    env = os.environ.get("WORKORDER_LIBRARY")
    if env:
        return [env]  # an explicit choice is not second-guessed
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, n) for n in _library_names() if os.path.exists(os.path.join(here, n))]
    system = ctypes.util.find_library("workorder")
    if system:
        found.append(system)
    found.extend(_library_names())  # the dynamic loader's own search (LD_LIBRARY_PATH, ldconfig)
    return found


class _Library:
    """The loaded library with every table row bound; attribute access by C name."""

    def __init__(self, path: str, cdll: ctypes.CDLL):
        self.path = path
        self.missing: list[str] = []
        for name, argtypes, restype in FUNCTIONS:
            try:
                fn = getattr(cdll, name)
            except AttributeError:
                self.missing.append(name)
                continue
            fn.argtypes = argtypes
            fn.restype = restype
            setattr(self, name, fn)
        self._cdll = cdll
        self.fast = _Fast(self)

    def __getattr__(self, name: str):
        # Only reached for names not bound above.
        if name in SIGNATURES:
            raise AttributeError(f"{name} is not exported by {self.path} (a library older than this binding?)")
        raise AttributeError(f"{name} is not in workorder._ffi.FUNCTIONS")


class _Fast:
    """The FAST bindings, made from the table's functions (same entry points); a function the
    library lacks fails when used, as on _Library."""

    def __init__(self, library: _Library):
        self._path = library.path  # first: __getattr__ reads it
        for name, argtypes, restype in FAST:
            if name in library.missing:
                continue
            address = ctypes.cast(getattr(library, name), c_void_p).value
            setattr(self, name, ctypes.CFUNCTYPE(restype, *argtypes)(address))

    def __getattr__(self, name: str):
        raise AttributeError(f"{name} is not exported by {self._path} (a library older than this binding?)")


_lock = threading.Lock()
_loaded: _Library | None = None


def lib() -> _Library:
    """The library, loaded and bound on first use."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            errors = []
            for candidate in _candidates():
                try:
                    cdll = ctypes.CDLL(candidate)
                except OSError as e:
                    errors.append(f"  {candidate}: {e}")
                    continue
                _loaded = _Library(candidate, cdll)
                break
            else:
                raise OSError(
                    "libworkorder not found; set WORKORDER_LIBRARY to its path. Tried:\n" + "\n".join(errors)
                )
    return _loaded


def library_path() -> str:
    """The path (or name) the library was loaded from."""
    return lib().path
