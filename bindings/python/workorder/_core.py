# SPDX-License-Identifier: MIT
"""Handles (Database, Actor), records, iterators and inputs over the C ABI."""

from __future__ import annotations

import codecs
import difflib
import datetime
import io
import os
import re
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from ctypes import addressof, byref, c_char_p, c_int32, c_int64, c_void_p, string_at
from operator import getitem, itemgetter
from typing import Any

from . import _ffi
from .enums import FIELD_ENUMS, Channel, DashboardTable, FieldType, OrderView, Status, coerce, status_mask
from .errors import Aborted, InvalidArgument, Overflow, UnknownName, error_for

__all__ = [
    "Database",
    "Actor",
    "Record",
    "RecordIterator",
    "OrderIterator",
    "Dashboard",
    "catalog_kinds",
    "version",
    "strerror",
]

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_DONE = int(Status.DONE)


# ---- calls and errors ---------------------------------------------------------------------


def _errmsg(lib) -> str:
    raw = lib.wo_errmsg()
    return raw.decode("utf-8", "replace") if raw else ""


def _call(name: str, *args) -> int:
    """Calls wo_<...> `name`; a status other than OK and DONE raises its exception, with
    wo_errmsg() read at once on this thread (it is thread-local and only valid until the
    next call)."""
    lib = _ffi.lib()
    rc = getattr(lib, name)(*args)
    if rc != 0 and rc != _DONE:
        raise error_for(rc, _errmsg(lib))
    return rc


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH" (wo_version)."""
    return _ffi.lib().wo_version().decode("ascii")


def version_number() -> int:
    """The library's version as MAJOR * 1000000 + MINOR * 1000 + PATCH (wo_libversion_number)."""
    return int(_ffi.lib().wo_libversion_number())


def strerror(code: int) -> str:
    """Static English text for a status code (wo_strerror), e.g. strerror(1) == "not found"."""
    code = _int32("code", code)
    return _ffi.lib().wo_strerror(code).decode("utf-8", "replace")


# ---- converting Python values -------------------------------------------------------------


def _int_in(field: str, value: Any, lo: int, hi: int, bits: int) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) or not isinstance(value, int):
        raise TypeError(f"{field} must be an integer (money, quantities and times are integers), got {value!r}")
    value = int(value)  # IntEnum / IntFlag -> int
    if not lo <= value <= hi:
        raise Overflow(f"{field} {value} does not fit {bits} bits", Status.OVERFLOW)
    return value


def _int64(field: str, value: Any) -> int:
    return _int_in(field, value, _INT64_MIN, _INT64_MAX, 64)


def _int32(field: str, value: Any) -> int:
    return _int_in(field, value, _INT32_MIN, _INT32_MAX, 32)


def _utf8(field: str, value: str) -> bytes:
    """UTF-8 bytes for a C string; text C cannot carry faithfully is InvalidArgument."""
    if "\x00" in value:
        raise InvalidArgument(f"{field} contains a NUL character", Status.INVALID_ARGUMENT)
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgument(f"{field} is not valid UTF-8 (lone surrogate)", Status.INVALID_ARGUMENT) from None


def _text_arg(name: str, value: str | None) -> bytes | None:
    """A `const char*` argument; None passes NULL (the library says whether that is allowed)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")
    return _utf8(name, value)


def _merge(fields: Mapping[str, Any] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    if fields is not None:
        if not isinstance(fields, Mapping):
            raise TypeError(f"fields must be a mapping of field name to value, got {type(fields).__name__}")
        merged.update(fields)
    merged.update(kwargs)
    return merged


class _Input:
    """A wo_input built from a mapping; freed on exit. None stays a NULL input."""

    def __init__(self, fields: Mapping[str, Any] | None, allow_none: bool = False):
        self._handle = c_void_p()
        if fields is None and allow_none:
            return
        fields = fields or {}
        _call("wo_input_new", byref(self._handle))
        try:
            for name, value in fields.items():
                self._set(name, value)
        except BaseException:
            self.free()
            raise

    def _set(self, name: Any, value: Any) -> None:
        if not isinstance(name, str):
            raise TypeError(f"field names are strings, got {name!r}")
        key = _utf8("field name", name)
        enum_cls = FIELD_ENUMS.get(name)
        if enum_cls is not None:  # an enum field also takes names: charge_mode="prepay_deposit"
            value = coerce(enum_cls, value, name)
        elif name == "status_mask" and isinstance(value, (list, tuple, set, frozenset)):
            value = status_mask(*value)  # an order query's statuses as a collection
        if value is None:
            _call("wo_input_set_null", self._handle, key)
        elif isinstance(value, str):
            _call("wo_input_set_text", self._handle, key, _utf8(name, value))
        elif isinstance(value, (bool, int, float)):  # bool, IntEnum and IntFlag are ints
            _call("wo_input_set_int", self._handle, key, _int64(name, value))  # a float raises
        elif isinstance(value, (list, tuple)):  # a list field, e.g. an order's attachments
            for item in value:
                if not isinstance(item, str):
                    raise TypeError(f"{name}: list entries must be str, got {type(item).__name__} {item!r}")
                _call("wo_input_add_text", self._handle, key, _utf8(name, item))
        else:
            raise TypeError(
                f"{name}: cannot pass {type(value).__name__} {value!r}; use int, str, bool, None or a list of str"
            )

    @property
    def handle(self) -> c_void_p | None:
        return self._handle if self._handle else None

    def free(self) -> None:
        if self._handle:
            _ffi.lib().wo_input_free(self._handle)
            self._handle = c_void_p()

    def __enter__(self) -> _Input:
        return self

    def __exit__(self, *exc) -> None:
        self.free()


# ---- records ------------------------------------------------------------------------------


class Record(Mapping):
    """One record read back: read-only, by attribute (``r.name``) or item (``r["name"]``).

    ``kind`` is the record kind ("department", ...). ``dict(r)`` or ``r.as_dict()`` gives a
    plain dict. Integers stay ints (money in minor units, quantities in thousandths, times in
    Unix ms); enum fields (roles, tenant_kind, charge_mode, channel, movement_kind,
    dispatch_strategy, response_state, resolution_state, ...) read back as the matching enum,
    which compares equal to its int; null fields are None.
    """

    # The values in field order, with the field-name -> position dict shared by every record
    # of the kind: copying a record builds one tuple, not a dict of 40 entries.
    __slots__ = ("_kind", "_index", "_values")

    def __init__(self, kind: str, fields: Mapping[str, Any]):
        fields = dict(fields)
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_index", {name: i for i, name in enumerate(fields)})
        object.__setattr__(self, "_values", tuple(fields.values()))

    @property
    def kind(self) -> str:
        return self._kind

    def __getitem__(self, name: str) -> Any:
        return self._values[self._index[name]]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[self._index[name]]
        except KeyError:
            raise AttributeError(f"{self._kind} record has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("records are read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("records are read-only")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._index))

    def as_dict(self) -> dict[str, Any]:
        """The fields as a new plain dict."""
        return dict(zip(self._index, self._values))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self._kind == other._kind and self.as_dict() == other.as_dict()
        if isinstance(other, Mapping):
            return self.as_dict() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return (Record, (self._kind, self.as_dict()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in zip(self._index, self._values))
        return f"<{self._kind} {inner}>"


_new_record = object.__new__
_set_kind = Record._kind.__set__  # type: ignore[attr-defined]
_set_index = Record._index.__set__  # type: ignore[attr-defined]
_set_values = Record._values.__set__  # type: ignore[attr-defined]


class _EnumCache(dict):
    """int -> member of one enum, filled on first sight: a dict hit instead of an enum call
    for every enum field of every record. A value the enum does not know (a newer library)
    stays a plain int, as does a field that is not an int."""

    def __init__(self, enum_cls: type):
        super().__init__()
        self.enum_cls = enum_cls

    def __missing__(self, value: Any) -> Any:
        if type(value) is not int:
            return value
        try:
            member = self.enum_cls(value)
        except ValueError:
            return value
        if len(self) < 1024:  # a flag enum has many values; bound what a bad library could add
            self[value] = member
        return member


_ENUM_CACHES = {cls: _EnumCache(cls) for cls in set(FIELD_ENUMS.values())}
_decode = bytes.decode  # UTF-8, strict: text the library hands out is valid UTF-8


def _picker(positions: list[int]) -> Callable[[Any], tuple]:
    """A function giving the tuple of seq[p] for each position (itemgetter returns a bare item,
    not a 1-tuple, for one position)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda seq: (seq[only],)
    if not positions:
        return lambda seq: ()
    return itemgetter(*positions)


_MAX_PLANS = 256  # null/int/text patterns remembered per kind; more are read without a plan


class _Layout:
    """What every record of one kind shares (workorder.h: same fields in the same order): the
    kind's name, the field-name -> position dict, which fields hold enums, and a plan per
    pattern of field types (which fields are null, int or text) met so far.

    A plan turns wo_record_values' arrays into the values tuple with C-level calls only:
    `values` starts as the ints; the decoded texts (picked by `texts`) and the enum members of
    the int enum fields (picked by `enum_ints`, looked up in `caches`) are appended, then None;
    `pick` takes each field's value from that list. A kind's records fall into a handful of
    patterns."""

    __slots__ = ("kind", "count", "index", "enums", "plans")

    def __init__(self, ptr: int):
        lib = _ffi.lib()
        kind = lib.wo_record_kind(ptr)
        names = []
        for i in range(lib.wo_record_field_count(ptr)):
            key = lib.wo_record_field_name(ptr, i)
            if key is None:
                break
            names.append(key.decode("utf-8"))
        self.kind = kind.decode("utf-8") if kind else ""
        self.count = len(names)
        self.index = {name: i for i, name in enumerate(names)}
        self.enums = [(i, _ENUM_CACHES[FIELD_ENUMS[name]]) for i, name in enumerate(names) if name in FIELD_ENUMS]
        self.plans: dict[bytes, tuple] = {}

    def plan(self, types: list[int]) -> tuple:
        """(pick, texts, enum_ints, caches) for one pattern of field types; see the class comment."""
        n = self.count
        texts = [i for i, t in enumerate(types) if t == FieldType.TEXT]
        enums = [(i, cache) for i, cache in self.enums if types[i] == FieldType.INT]
        enum_slot = {i: n + len(texts) + k for k, (i, _) in enumerate(enums)}
        null_slot = n + len(texts) + len(enums)  # a type code from a newer library reads as None too
        slots, k = [], 0
        for i, t in enumerate(types):
            if t == FieldType.INT:
                slots.append(enum_slot.get(i, i))
            elif t == FieldType.TEXT:
                slots.append(n + k)
                k += 1
            else:
                slots.append(null_slot)
        return (
            _picker(slots),
            _picker(texts) if texts else None,
            _picker([i for i, _ in enums]) if enums else None,
            tuple(cache for _, cache in enums),
        )


_LAYOUTS: dict[int, _Layout] = {}  # by the address of the kind's static name


def _layout(kind_ptr: int, ptr: int) -> _Layout:
    layout = _LAYOUTS.get(kind_ptr)
    if layout is None:
        layout = _LAYOUTS[kind_ptr] = _Layout(ptr)
    return layout


class _Reader:
    """Copies records of one kind with one wo_record_values call each, into arrays it owns
    (one reader per iterator, so threads never share them)."""

    __slots__ = ("layout", "types", "ints", "texts", "int_list", "addresses", "values")

    def __init__(self, layout: _Layout):
        n = layout.count
        self.layout = layout
        self.values = _ffi.lib().fast.wo_record_values
        self.types = (c_int32 * n)()
        self.ints = (c_int64 * n)()
        self.texts = (c_char_p * n)()
        # tolist() on a memoryview is the fastest way from a C array to a list of ints.
        self.int_list = memoryview(self.ints).cast("B").cast("q").tolist if n else list
        self.addresses = (addressof(self.types), addressof(self.ints), addressof(self.texts))

    def read(self, ptr: int) -> Record:
        layout = self.layout
        types, ints, texts = self.addresses
        rc = self.values(types, ints, texts, ptr, layout.count)
        if rc:
            raise error_for(rc, _errmsg(_ffi.lib()))
        key = bytes(self.types)
        plan = layout.plans.get(key)
        if plan is None:
            plan = layout.plan(self.types[:])
            if len(layout.plans) < _MAX_PLANS:
                layout.plans[key] = plan
        pick, text_picker, enum_picker, caches = plan
        values = self.int_list()
        if text_picker is not None:
            values += map(_decode, text_picker(self.texts))
        if enum_picker is not None:
            values += map(getitem, caches, enum_picker(values))
        values.append(None)
        record = _new_record(Record)
        _set_kind(record, layout.kind)
        _set_index(record, layout.index)
        _set_values(record, pick(values))
        return record


def _copy_record(ptr: c_void_p | int) -> Record:
    """Copies a wo_record into a Record (the C record is left as it is)."""
    if isinstance(ptr, c_void_p):
        ptr = ptr.value
    kind_ptr = _ffi.lib().fast.wo_record_kind(ptr)
    return _Reader(_layout(kind_ptr, ptr)).read(ptr)


def _take_record(ptr: c_void_p) -> Record:
    """Copies a wo_record into a Record and frees the C record, whatever happens."""
    try:
        return _copy_record(ptr)
    finally:
        _ffi.lib().wo_record_free(ptr)


# ---- iterators ----------------------------------------------------------------------------


class RecordIterator(Iterator[Record]):
    """A wo_iter as a Python iterator of Records, read lazily page by page.

    The C iterator is freed when the iterator is exhausted, closed (``close()`` or a
    ``with`` block), garbage collected, or its Database is closed. An error while advancing
    raises and leaves the iterator usable (the next ``next()`` retries).
    """

    def __init__(self, db: Database, handle: c_void_p):
        self._db = db
        self._handle = handle
        self._lock = threading.Lock()
        self._out = c_void_p()  # wo_iter_next's out-parameter, reused for every record
        self._out_address = addressof(self._out)
        self._kind_ptr: int | None = None  # the kind of the last record, and its reader
        self._reader: _Reader | None = None
        self._fast = _ffi.lib().fast
        db._iters.add(self)

    def __iter__(self) -> RecordIterator:
        return self

    def __next__(self) -> Record:
        with self._lock:
            handle = self._handle
            if not handle:
                raise StopIteration
            fast = self._fast
            rc = fast.wo_iter_next(self._out_address, handle.value)
            if rc:
                if rc == _DONE:
                    self._free()
                    raise StopIteration
                raise error_for(rc, _errmsg(_ffi.lib()))
            ptr = self._out.value
            try:
                # The copy runs under the lock: the reader's arrays are this iterator's own.
                kind_ptr = fast.wo_record_kind(ptr)
                if kind_ptr != self._kind_ptr:
                    self._reader = _Reader(_layout(kind_ptr, ptr))
                    self._kind_ptr = kind_ptr
                return self._reader.read(ptr)
            finally:
                fast.wo_record_free(ptr)

    def _free(self) -> None:
        if self._handle:
            try:
                _ffi.lib().wo_iter_free(self._handle)
            finally:
                self._handle = c_void_p()
                self._db._iters.discard(self)

    def close(self) -> None:
        """Frees the C iterator; later ``next()`` calls stop at once. Idempotent."""
        with self._lock:
            self._free()

    @property
    def closed(self) -> bool:
        return not self._handle

    def __enter__(self) -> RecordIterator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self._free()
        except Exception:
            pass


class OrderIterator(RecordIterator):
    """The iterator of Database.orders and Database.order_records: a RecordIterator that
    knows where it stands.

    ``cursor`` is the opaque cursor right after the last record handed out: pass it as
    ``cursor=`` to a new ``orders`` / ``order_records`` call (same view and query) to resume
    exactly there, e.g. after showing a page of 50. Before the first record it is the cursor
    the list started from; once the last record has been handed out it is "" (nothing left;
    "" given back starts over). It stays readable after the iterator is closed.
    """

    def __init__(self, db: Database, handle: c_void_p, start: str):
        super().__init__(db, handle)
        self._cursor = start

    @property
    def cursor(self) -> str:
        with self._lock:
            if self._handle:
                self._cursor = self._read_cursor()
            return self._cursor

    def _read_cursor(self) -> str:
        out = c_char_p()
        _call("wo_iter_cursor", byref(out), self._handle)
        return out.value.decode("ascii") if out.value else ""

    def _free(self) -> None:
        if self._handle:
            try:
                self._cursor = self._read_cursor()  # kept for after the close
            finally:
                super()._free()


class Dashboard:
    """The dashboard (数据看板) of Database.dashboard, read whole: ``summary`` is the "dashboard"
    record (orders, status_<status>, rates, rating and duration figures, money), and
    ``types``, ``subtypes``, ``days`` and ``staff`` are the lists of its tables' records."""

    __slots__ = ("summary", "types", "subtypes", "days", "staff")

    def __init__(self, summary: Record, tables: dict[DashboardTable, list[Record]]):
        self.summary = summary
        self.types = tables[DashboardTable.TYPES]
        self.subtypes = tables[DashboardTable.SUBTYPES]
        self.days = tables[DashboardTable.DAYS]
        self.staff = tables[DashboardTable.STAFF]

    def table(self, table: DashboardTable | int | str) -> list[Record]:
        """One table by DashboardTable, value or name: ``dash.table("days")`` is ``dash.days``."""
        member = DashboardTable(coerce(DashboardTable, table, "table"))  # an unknown value: ValueError
        return getattr(self, member.name.lower())

    def __repr__(self) -> str:
        return f"<workorder.Dashboard orders={self.summary.orders} from={self.summary['from']} to={self.summary.to}>"


def _csv_writer(dest: Any) -> Callable[[bytes], Any]:
    """The function that takes each CSV chunk for export_csv's `dest`."""
    if isinstance(dest, io.TextIOBase):
        decoder = codecs.getincrementaldecoder("utf-8")()  # a chunk may end inside a character
        return lambda chunk: dest.write(decoder.decode(chunk))
    write = getattr(dest, "write", None)
    if callable(write):
        return lambda chunk: (write(chunk), None)[1]  # a file's byte count is not a stop signal
    if callable(dest):
        return dest
    raise TypeError(f"dest must be a file object or a callable taking bytes, got {type(dest).__name__}")


# ---- actors -------------------------------------------------------------------------------


class Actor:
    """Who is acting: ``Actor.system()``, ``Actor.staff(id)`` or ``Actor.contact(id)``.

    A context manager; ``close()`` frees the C handle (also done on garbage collection).
    """

    __slots__ = ("_handle", "_kind", "_id", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use Actor.system(), Actor.staff(staff_id) or Actor.contact(contact_id)")

    @classmethod
    def _make(cls, kind: str, ident: int | None, fn: str, *args) -> Actor:
        self = object.__new__(cls)
        object.__setattr__(self, "_handle", c_void_p())
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_id", ident)
        _call(fn, byref(self._handle), *args)
        return self

    @classmethod
    def system(cls) -> Actor:
        """The system actor: creates and lists orgs, runs timers."""
        return cls._make("system", None, "wo_actor_system")

    @classmethod
    def staff(cls, staff_id: int) -> Actor:
        """Staff member `staff_id`, acting with their roles (checked on each call)."""
        staff_id = _int64("staff_id", staff_id)
        return cls._make("staff", staff_id, "wo_actor_staff", staff_id)

    @classmethod
    def contact(cls, contact_id: int) -> Actor:
        """Tenant contact `contact_id`."""
        contact_id = _int64("contact_id", contact_id)
        return cls._make("contact", contact_id, "wo_actor_contact", contact_id)

    @property
    def kind(self) -> str:
        """"system", "staff" or "contact"."""
        return self._kind

    @property
    def id(self) -> int | None:
        """The staff or contact id; None for the system actor."""
        return self._id

    @property
    def closed(self) -> bool:
        return not self._handle

    def _ptr(self) -> c_void_p:
        if not self._handle:
            raise ValueError(f"{self!r} is closed")
        return self._handle

    def close(self) -> None:
        """Frees the actor. Idempotent."""
        handle = self._handle
        if handle:
            object.__setattr__(self, "_handle", c_void_p())
            _ffi.lib().wo_actor_free(handle)

    def __setattr__(self, name, value):
        raise AttributeError("actors are read-only")

    def __enter__(self) -> Actor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        return f"Actor.{self._kind}()" if self._id is None else f"Actor.{self._kind}({self._id})"


def _actor_ptr(actor: Actor) -> c_void_p:
    if not isinstance(actor, Actor):
        raise TypeError(f"actor must be a workorder.Actor, got {type(actor).__name__}")
    return actor._ptr()


# ---- the database -------------------------------------------------------------------------


def _system_ms() -> int:
    return time.time_ns() // 1_000_000


def _shown(location: str) -> str:
    """The location as repr shows it: a PostgreSQL URI's password (user:password@ or
    password=) replaced by ***, since reprs end up in logs and tracebacks."""
    if not location.startswith(("postgresql://", "postgres://")):
        return location
    location = re.sub(r"^(\w+://[^/?#@:]*:)[^/?#@]*@", r"\1***@", location)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", location)


class Database:
    """An open workorder database (wo_db): ``Database(path)`` opens or creates it and
    migrates an older schema. ``path`` is a SQLite file path (``":memory:"`` for a private
    in-memory database) or a PostgreSQL connection URI, ``postgresql://…`` or
    ``postgres://…`` (e.g. ``postgresql:///repairs?host=/var/run/postgresql``), one
    connection per Database. The password comes from the URI or libpq's usual environment
    (PGPASSWORD, ~/.pgpass) and is never part of an error message or the repr.

    sync_normal: SQLite synchronous=NORMAL instead of FULL, PostgreSQL synchronous_commit=off
    (faster; a power loss or server crash may drop the last commits). busy_timeout_ms: how
    long a call waits for another writer, on PostgreSQL the lock_timeout and the budget for
    retrying a serialisation failure (0 = the library's default, 5000).

    Raises StorageError when the file cannot be opened or the server cannot be reached (the
    message names the path, or the host and database), SchemaTooNew when the database was
    written by a newer library (it is left untouched).

    A context manager; ``close()`` first closes the iterators still open on it. Calls may
    come from several threads (each is atomic in the library), but ``close()`` must not race
    with them.
    """

    def __init__(self, path: str | os.PathLike, sync_normal: bool = False, busy_timeout_ms: int = 0):
        self._handle = c_void_p()
        self._iters: weakref.WeakSet[RecordIterator] = weakref.WeakSet()
        self._clock_fn = None  # the installed CFUNCTYPE: must outlive its use by the library
        self._clock_lock = threading.Lock()
        self.path = os.fspath(path)
        raw_path = os.fsencode(self.path)
        if b"\x00" in raw_path:
            raise InvalidArgument("path contains a NUL character", Status.INVALID_ARGUMENT)
        flags = 1 if sync_normal else 0  # WO_OPEN_SYNC_NORMAL
        _call("wo_db_open", byref(self._handle), raw_path, flags, _int32("busy_timeout_ms", busy_timeout_ms))

    # -- life cycle --

    def _ptr(self) -> c_void_p:
        if not self._handle:
            raise ValueError("the database is closed")
        return self._handle

    @property
    def closed(self) -> bool:
        return not self._handle

    def close(self) -> None:
        """Closes open iterators, then the database. Idempotent."""
        for it in list(self._iters):
            it.close()
        handle = self._handle
        if handle:
            self._handle = c_void_p()
            _ffi.lib().wo_db_free(handle)
        self._clock_fn = None  # only now: the library no longer holds the pointer

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name Database does not have: a misspelled record kind lists them.
        raise _missing_attribute(self, name)

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<workorder.Database {_shown(self.path)!r} {state}>"

    # -- database --

    def schema_version(self) -> int:
        """The database's schema version (the migrations applied to it)."""
        out = c_int32()
        _call("wo_db_schema_version", byref(out), self._ptr())
        return out.value

    def now(self) -> int:
        """The current time of the database's clock, Unix milliseconds (UTC)."""
        out = c_int64()
        _call("wo_db_now", byref(out), self._ptr())
        return out.value

    def set_clock(self, clock: Callable[[], int] | None) -> None:
        """Replaces the clock every time rule reads with `clock()` -> Unix ms (an int);
        None restores the system clock.

        The clock may be called from any thread that uses this database and must not call
        back into the library. The C clock cannot report a failure, so if `clock` raises or
        returns something that is not an int64, the system time is used for that reading and
        the exception goes to ``sys.unraisablehook``.
        """
        db = self._ptr()
        if clock is None:
            with self._clock_lock:  # the call and the kept reference change together
                _call("wo_db_set_clock", db, _ffi.CLOCK_FN(), None)  # a NULL function pointer
                self._clock_fn = None
            return
        if not callable(clock):
            raise TypeError(f"clock must be callable or None, got {type(clock).__name__}")

        def tick(_ctx) -> int:
            try:
                value = clock()
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError(f"the clock returned {value!r}, not an int of Unix milliseconds")
                if not _INT64_MIN <= value <= _INT64_MAX:
                    raise OverflowError(f"the clock returned {value}, which does not fit 64 bits")
                return int(value)
            except BaseException as e:  # noqa: BLE001 - an exception must not cross into C
                sys.unraisablehook(_Unraisable(e, tick))
                return _system_ms()

        fn = _ffi.CLOCK_FN(tick)
        # Without the lock two threads could install fn1 then fn2 yet keep fn1 alive: the
        # library would call a freed fn2.
        with self._clock_lock:
            _call("wo_db_set_clock", db, fn, None)
            self._clock_fn = fn  # keep it alive while installed

    # -- generic catalog calls --

    @staticmethod
    def _fn(kind: str, verb: str, *shapes) -> tuple[str, list]:
        if not isinstance(kind, str) or not kind.isidentifier():
            raise UnknownName(f"record kind must be a name like 'department', got {kind!r}")
        name = f"wo_{kind}_{verb}"
        sig = _ffi.SIGNATURES.get(name)
        if sig is None or sig[0] not in shapes:
            kinds = _KIND_VERBS
            if kind in kinds or any(other.startswith(f"wo_{kind}_") for other in _ffi.SIGNATURES):
                # A kind the C ABI knows (wo_order_get, wo_org_create of its own shape, ...).
                has = f"; its generic calls: {', '.join(kinds[kind])}" if kind in kinds else ""
                raise ValueError(f"{kind!r} has no generic {verb} call ({name} is not in the C ABI with that shape){has}")
            valid = [k for k, verbs in kinds.items() if verb in verbs]
            raise UnknownName(
                f"unknown record kind {kind!r}: no generic {verb} call ({name}){_did_you_mean(kind, valid)} "
                f"Record kinds with {verb}: {', '.join(valid)}"
            )
        return name, sig[0]

    def create(self, kind: str, actor: Actor, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> int:
        """Creates a `kind` record (wo_<kind>_create) from `fields` and keyword arguments;
        returns the new id. ``db.create("department", admin, name="Plumbing")``."""
        name, _ = self._fn(kind, "create", _ffi.CATALOG_VERBS["create"])
        out = c_int64()
        with _Input(_merge(fields, kw)) as inp:
            _call(name, byref(out), self._ptr(), _actor_ptr(actor), inp.handle)
        return out.value

    def update(self, kind: str, actor: Actor, id: int, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Updates the given fields of `kind` record `id` (wo_<kind>_update); None clears a field."""
        name, _ = self._fn(kind, "update", _ffi.CATALOG_VERBS["update"])
        with _Input(_merge(fields, kw)) as inp:
            _call(name, self._ptr(), _actor_ptr(actor), _int64("id", id), inp.handle)

    def set_active(self, kind: str, actor: Actor, id: int, active: bool, /) -> None:
        """Deactivates (False) or reactivates (True) `kind` record `id` (wo_<kind>_set_active)."""
        name, _ = self._fn(kind, "set_active", _ffi.CATALOG_VERBS["set_active"])
        _call(name, self._ptr(), _actor_ptr(actor), _int64("id", id), _int32("active", active))

    def get(self, kind: str, actor: Actor, id: int, /) -> Record:
        """`kind` record `id` (wo_<kind>_get)."""
        name, _ = self._fn(kind, "get", _ffi.CATALOG_VERBS["get"])
        rec = c_void_p()
        _call(name, byref(rec), self._ptr(), _actor_ptr(actor), _int64("id", id))
        return _take_record(rec)

    def list(self, kind: str, actor: Actor, filter: Mapping[str, Any] | None = None, /, **filters: Any) -> RecordIterator:
        """An iterator over `kind` records in id order (wo_<kind>_list), with equality
        filters from `filter` and keyword arguments: ``db.list("staff", admin, active=True)``.
        Errors in the actor or the filters raise here, not on the first ``next()``."""
        no_filter = [_ffi.HANDLE_OUT, _ffi.DB, _ffi.ACTOR]
        name, shape = self._fn(kind, "list", _ffi.CATALOG_VERBS["list"], no_filter)
        merged = _merge(filter, filters)
        it = c_void_p()
        if shape == no_filter:
            if merged:
                raise ValueError(f"{name} takes no filters, got {sorted(merged)}")
            _call(name, byref(it), self._ptr(), _actor_ptr(actor))
        else:
            with _Input(merged or None, allow_none=True) as inp:
                _call(name, byref(it), self._ptr(), _actor_ptr(actor), inp.handle)
        return RecordIterator(self, it)

    # -- organisations --

    def org_create(self, actor: Actor, org: Mapping[str, Any], admin: Mapping[str, Any]) -> tuple[int, int]:
        """Creates an org (name, time_zone, currency) with its settings, payment channels and
        first admin (name, phone, roles). Actor: the system actor. Returns (org_id, admin_id)."""
        org_id, admin_id = c_int64(), c_int64()
        with _Input(_merge(org, {})) as org_in, _Input(_merge(admin, {})) as admin_in:
            _call(
                "wo_org_create",
                byref(org_id),
                byref(admin_id),
                self._ptr(),
                _actor_ptr(actor),
                org_in.handle,
                admin_in.handle,
            )
        return org_id.value, admin_id.value

    def org_update(self, actor: Actor, org_id: int, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Updates an org's name and/or time_zone. Actor: an admin of the org."""
        self.update("org", actor, org_id, fields, **kw)

    def org_get(self, actor: Actor, org_id: int) -> Record:
        """The org record (id, name, time_zone, currency, created_at)."""
        return self.get("org", actor, org_id)

    def org_list(self, actor: Actor) -> RecordIterator:
        """Every org by id. Actor: the system actor."""
        return self.list("org", actor)

    # -- stock movements --

    def stock_movement_create(self, actor: Actor, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> int:
        """Records a stock movement (material_id, movement_kind, qty in thousandths, note) and
        moves the material's stock; returns the movement id."""
        return self.create("stock_movement", actor, fields, **kw)

    def stock_movement_get(self, actor: Actor, id: int) -> Record:
        return self.get("stock_movement", actor, id)

    def stock_movement_list(
        self, actor: Actor, filter: Mapping[str, Any] | None = None, /, **filters: Any
    ) -> RecordIterator:
        """Stock movements, filtered on material_id, movement_kind, order_id."""
        return self.list("stock_movement", actor, filter, **filters)

    # -- labor rates, settings, payment channels --

    def labor_rate_resolve(self, actor: Actor, labor_item_id: int, staff_id: int) -> int:
        """The hourly rate (minor units) of a labor item for a staff member."""
        out = c_int64()
        _call(
            "wo_labor_rate_resolve",
            byref(out),
            self._ptr(),
            _actor_ptr(actor),
            _int64("labor_item_id", labor_item_id),
            _int64("staff_id", staff_id),
        )
        return out.value

    def settings_get(self, actor: Actor) -> Record:
        """The org's work-order settings (an "order_settings" record)."""
        rec = c_void_p()
        _call("wo_settings_get", byref(rec), self._ptr(), _actor_ptr(actor))
        return _take_record(rec)

    def settings_update(self, actor: Actor, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Updates the given work-order settings. Actor: an admin."""
        with _Input(_merge(fields, kw)) as inp:
            _call("wo_settings_update", self._ptr(), _actor_ptr(actor), inp.handle)

    def channel_set_enabled(self, actor: Actor, channel: Channel | int | str, enabled: bool) -> None:
        """Enables or disables a payment channel (a Channel or its name, e.g. "wechat") for the
        actor's org."""
        _call(
            "wo_channel_set_enabled",
            self._ptr(),
            _actor_ptr(actor),
            _int32("channel", coerce(Channel, channel, "channel")),
            _int32("enabled", enabled),
        )

    def channel_list(self, actor: Actor) -> RecordIterator:
        """The org's payment_channel records (channel, enabled), one per channel."""
        it = c_void_p()
        _call("wo_channel_list", byref(it), self._ptr(), _actor_ptr(actor))
        return RecordIterator(self, it)

    # -- work orders: the life cycle --

    def _order_call(self, name: str, actor: Actor, order_id: int, *args) -> None:
        _call(name, self._ptr(), _actor_ptr(actor), _int64("order_id", order_id), *args)

    def _order_input_call(self, name: str, actor: Actor, order_id: int, fields, kw) -> None:
        with _Input(_merge(fields, kw)) as inp:
            self._order_call(name, actor, order_id, inp.handle)

    def order_submit(self, actor: Actor, draft: Mapping[str, Any] | None = None, /, **kw: Any) -> int:
        """Submits an order (subtype_id, description, address, source_channel, spec_id,
        unit_ref, tenant_id, reporter_phone, payer, client_token, attachments=[str, ...]);
        returns its id."""
        out = c_int64()
        with _Input(_merge(draft, kw)) as inp:
            _call("wo_order_submit", byref(out), self._ptr(), _actor_ptr(actor), inp.handle)
        return out.value

    def order_pay_prepayment(self, actor: Actor, order_id: int, payment: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Records the prepayment (channel, amount, provider_txn_id)."""
        self._order_input_call("wo_order_pay_prepayment", actor, order_id, payment, kw)

    def order_assign(self, actor: Actor, order_id: int, staff_id: int, force: bool = False) -> None:
        """Assigns a pending_dispatch order to `staff_id`; force overrides eligibility and the grab limit."""
        self._order_call("wo_order_assign", actor, order_id, _int64("staff_id", staff_id), _int32("force", force))

    def order_grab(self, actor: Actor, order_id: int) -> None:
        self._order_call("wo_order_grab", actor, order_id)

    def order_accept(self, actor: Actor, order_id: int) -> None:
        self._order_call("wo_order_accept", actor, order_id)

    def order_reject(self, actor: Actor, order_id: int, reason: str) -> None:
        self._order_call("wo_order_reject", actor, order_id, _text_arg("reason", reason))

    def order_transfer(self, actor: Actor, order_id: int, staff_id: int, reason: str, force: bool = False) -> None:
        self._order_call(
            "wo_order_transfer",
            actor,
            order_id,
            _int64("staff_id", staff_id),
            _text_arg("reason", reason),
            _int32("force", force),
        )

    def order_add_line(self, actor: Actor, order_id: int, line: Mapping[str, Any] | None = None, /, **kw: Any) -> int:
        """Adds a charge line (line_kind, item_id, qty in thousandths); returns the line id."""
        out = c_int64()
        with _Input(_merge(line, kw)) as inp:
            _call("wo_order_add_line", byref(out), self._ptr(), _actor_ptr(actor), _int64("order_id", order_id), inp.handle)
        return out.value

    def order_remove_line(self, actor: Actor, order_id: int, line_id: int) -> None:
        self._order_call("wo_order_remove_line", actor, order_id, _int64("line_id", line_id))

    def order_finish(self, actor: Actor, order_id: int) -> None:
        self._order_call("wo_order_finish", actor, order_id)

    def order_pay(self, actor: Actor, order_id: int, payment: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Records a payment towards the balance (channel, amount, provider_txn_id)."""
        self._order_input_call("wo_order_pay", actor, order_id, payment, kw)

    def order_refund(self, actor: Actor, order_id: int, refund: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Records a refund paid out (channel, amount, provider_txn_id)."""
        self._order_input_call("wo_order_refund", actor, order_id, refund, kw)

    def order_rate(self, actor: Actor, order_id: int, score: int, comment: str | None = None) -> None:
        self._order_call("wo_order_rate", actor, order_id, _int32("score", score), _text_arg("comment", comment))

    def order_reopen(self, actor: Actor, order_id: int, reason: str) -> None:
        self._order_call("wo_order_reopen", actor, order_id, _text_arg("reason", reason))

    def order_cancel(self, actor: Actor, order_id: int, reason: str) -> None:
        self._order_call("wo_order_cancel", actor, order_id, _text_arg("reason", reason))

    def order_message(self, actor: Actor, order_id: int, text: str) -> None:
        self._order_call("wo_order_message", actor, order_id, _text_arg("text", text))

    def order_dispatch_preview(self, actor: Actor, order_id: int) -> int | None:
        """The staff id the order type's dispatch strategy would assign the pending_dispatch
        order to now, or None when the type is dispatched by hand (manual) or no eligible
        technician is left. Changes nothing. Actor: a dispatcher or admin (else Forbidden);
        InvalidState when the order is not pending_dispatch."""
        out = c_int64()
        _call("wo_order_dispatch_preview", byref(out), self._ptr(), _actor_ptr(actor), _int64("order_id", order_id))
        return out.value or None  # the C ABI's 0 means "no one"

    def tick(self, actor: Actor, now_ms: int | None = None) -> int:
        """Runs the timers of every org as of `now_ms` (default: the database's clock) and
        sends the service-level alerts due (Action.SLA_WARNING, Action.SLA_BREACH; each once
        per clock); returns how many orders changed. Actor: the system actor."""
        if now_ms is None:
            now_ms = self.now()
        out = c_int64()
        _call("wo_tick", byref(out), self._ptr(), _actor_ptr(actor), _int64("now_ms", now_ms))
        return out.value

    # -- work orders: reading one back --

    def order_get(self, actor: Actor, order_id: int) -> Record:
        """The order record with its bill (total, owed, balance, refund_due)."""
        return self.get("order", actor, order_id)

    def _order_iter(self, name: str, actor: Actor, order_id: int, *args) -> RecordIterator:
        it = c_void_p()
        _call(name, byref(it), self._ptr(), _actor_ptr(actor), _int64("order_id", order_id), *args)
        return RecordIterator(self, it)

    def order_attachments(self, actor: Actor, order_id: int) -> RecordIterator:
        """The order's attachments ("attachment" records: id, value)."""
        return self._order_iter("wo_order_attachments", actor, order_id)

    def order_lines(self, actor: Actor, order_id: int) -> RecordIterator:
        """The order's charge lines, removed ones included (removed = 1)."""
        return self._order_iter("wo_order_lines", actor, order_id)

    def order_payments(self, actor: Actor, order_id: int) -> RecordIterator:
        """The order's prepayments, payments and refunds."""
        return self._order_iter("wo_order_payments", actor, order_id)

    def order_timeline(self, actor: Actor, order_id: int, after_event_id: int = 0) -> RecordIterator:
        """The order's history events with id > after_event_id, oldest first."""
        return self._order_iter("wo_order_timeline", actor, order_id, _int64("after_event_id", after_event_id))

    # -- appointment slots --

    def schedule_set(self, actor: Actor, subtype_id: int, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
        """Creates or replaces a subtype's slot schedule (days, windows, slot_minutes, capacity,
        horizon_days, lead_minutes); on replace, fields not given keep their values."""
        with _Input(_merge(fields, kw)) as inp:
            _call("wo_schedule_set", self._ptr(), _actor_ptr(actor), _int64("subtype_id", subtype_id), inp.handle)

    def schedule_get(self, actor: Actor, subtype_id: int) -> Record:
        """The subtype's schedule (a "slot_schedule" record)."""
        rec = c_void_p()
        _call("wo_schedule_get", byref(rec), self._ptr(), _actor_ptr(actor), _int64("subtype_id", subtype_id))
        return _take_record(rec)

    def schedule_clear(self, actor: Actor, subtype_id: int) -> None:
        """Removes the subtype's schedule; booked orders keep their slots."""
        _call("wo_schedule_clear", self._ptr(), _actor_ptr(actor), _int64("subtype_id", subtype_id))

    def slot_availability(self, actor: Actor, subtype_id: int, from_date, to_date) -> RecordIterator:
        """The subtype's "slot" records (start, end, local_start, capacity, booked, available)
        whose local start date is in [from_date, to_date]: "YYYY-MM-DD" strings or dates."""
        it = c_void_p()
        _call(
            "wo_slot_availability",
            byref(it),
            self._ptr(),
            _actor_ptr(actor),
            _int64("subtype_id", subtype_id),
            _text_arg("from_date", _date_text(from_date)),
            _text_arg("to_date", _date_text(to_date)),
        )
        return RecordIterator(self, it)

    def order_reschedule(self, actor: Actor, order_id: int, slot_start: int) -> None:
        """Moves the order's booking to the slot starting at `slot_start` (Unix ms)."""
        self._order_call("wo_order_reschedule", actor, order_id, _int64("slot_start", slot_start))

    # -- views, order records, dashboard and the event feed --

    def orders(
        self,
        actor: Actor,
        view: OrderView | int | str = OrderView.ALL,
        query: Mapping[str, Any] | None = None,
        cursor: str | None = None,
        page_size: int = 50,
    ) -> OrderIterator:
        """The orders of `view` (an OrderView or its name: "all", "tenant_todo",
        "submitted_by_me", "my_tasks", "pool") narrowed by `query`, newest first: "order"
        records with their bill, as order_get gives them.

        query: the filters of an "order_query" (status_mask — see status_mask(), or a list of
        statuses —,
        order_type_id, subtype_id, assignee_id, tenant_id, reporter_contact_id,
        reporter_staff_id, created_from, created_to, text, breached — True: a service-level
        clock late as of the call —, due_before — a running clock due before that Unix ms,
        overdue ones included). cursor: where to continue, from
        an earlier iterator's ``.cursor`` (None or "" = from the start). page_size: orders
        read per round trip (1..200). Errors in any argument raise here."""
        it = c_void_p()
        start = cursor or ""
        with _Input(_merge(query, {}) if query is not None else None, allow_none=True) as q:
            _call(
                "wo_order_list",
                byref(it),
                self._ptr(),
                _actor_ptr(actor),
                _int32("view", coerce(OrderView, view, "view")),
                q.handle,
                _text_arg("cursor", start),
                _int32("page_size", page_size),
            )
        return OrderIterator(self, it, start)

    def order_records(
        self, actor: Actor, query: Mapping[str, Any] | None = None, cursor: str | None = None, page_size: int = 50
    ) -> OrderIterator:
        """The order records (订单记录) of `query` the actor may see, oldest first:
        "order_record" records (number, order_type, subtype, content, status, reporter,
        responsible, times, result, amounts). cursor and page_size as for orders(); cursors
        of one list are refused by the other."""
        it = c_void_p()
        start = cursor or ""
        with _Input(_merge(query, {}) if query is not None else None, allow_none=True) as q:
            _call(
                "wo_order_records",
                byref(it),
                self._ptr(),
                _actor_ptr(actor),
                q.handle,
                _text_arg("cursor", start),
                _int32("page_size", page_size),
            )
        return OrderIterator(self, it, start)

    def export_csv(self, actor: Actor, dest: Any, query: Mapping[str, Any] | None = None) -> int:
        """Streams the order records of `query` as RFC 4180 CSV (UTF-8, header line, CRLF,
        org-local times, amounts in major units) to `dest`, oldest first; returns the number
        of bytes written.

        dest: a binary file (gets bytes), a text file (gets str), or a callable taking each
        bytes chunk. A callable that returns False stops the export (raises Aborted); an
        exception raised by the callable or the file stops it too and is re-raised here.
        The callable must not call back into this Database."""
        write = _csv_writer(dest)
        failure: list[BaseException] = []
        written = 0

        def on_chunk(_ctx, data, length) -> int:
            nonlocal written
            try:
                chunk = string_at(data, length) if length > 0 else b""
                if write(chunk) is False:
                    return 1
                written += length
                return 0
            except BaseException as e:  # noqa: BLE001 - an exception must not cross into C
                failure.append(e)
                return 2

        fn = _ffi.WRITE_FN(on_chunk)
        with _Input(_merge(query, {}) if query is not None else None, allow_none=True) as q:
            try:
                _call("wo_export_csv", self._ptr(), _actor_ptr(actor), q.handle, fn, None)
            except Aborted as e:
                if failure:
                    raise failure[0] from e
                raise
        return written

    def dashboard(self, actor: Actor, from_ms: int, to_ms: int) -> Dashboard:
        """The dashboard (数据看板) of orders created in [from_ms, to_ms), read whole.
        Actor: an admin or a dispatcher."""
        lib = _ffi.lib()
        handle = c_void_p()
        _call(
            "wo_dashboard_get",
            byref(handle),
            self._ptr(),
            _actor_ptr(actor),
            _int64("from_ms", from_ms),
            _int64("to_ms", to_ms),
        )
        try:
            summary = c_void_p()
            _call("wo_dashboard_summary", byref(summary), handle)
            record = _copy_record(summary)  # borrowed from the dashboard: not freed here
            tables = {}
            for table in DashboardTable:
                it = c_void_p()
                _call("wo_dashboard_rows", byref(it), handle, int(table))
                with RecordIterator(self, it) as rows:
                    tables[table] = list(rows)
            return Dashboard(record, tables)
        finally:
            lib.wo_dashboard_free(handle)

    def order_messages(self, actor: Actor, order_id: int) -> RecordIterator:
        """The order's messages, oldest first ("event" records, the text in details)."""
        return self._order_iter("wo_order_messages", actor, order_id)

    def events_after(self, actor: Actor, after_event_id: int = 0) -> RecordIterator:
        """History events with id > after_event_id, ascending (the event feed): every event
        of the org for admins and dispatchers, of every org for the system actor, those that
        concern them (concerns, concerns_id) for technicians and contacts."""
        it = c_void_p()
        _call("wo_event_feed", byref(it), self._ptr(), _actor_ptr(actor), _int64("after_event_id", after_event_id))
        return RecordIterator(self, it)


def _date_text(value: Any) -> Any:
    """A datetime.date as "YYYY-MM-DD"; anything else is passed on as given."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


class _Unraisable:
    """The argument sys.unraisablehook expects (its fields as in sys.UnraisableHookArgs)."""

    def __init__(self, exc: BaseException, obj: object):
        self.exc_type = type(exc)
        self.exc_value = exc
        self.exc_traceback = exc.__traceback__
        self.err_msg = "Exception ignored in the workorder clock; the system time was used"
        self.object = obj


def catalog_kinds() -> list[str]:
    """The record kinds with create, update, set_active, get and list calls, e.g. "department"."""
    return _ffi.catalog_kinds()



# ---- record kinds as attributes -----------------------------------------------------------

_KIND_VERBS = _ffi.kind_verbs()  # {"department": ("create", ..., "list"), "org": (...), ...}
_IRREGULAR_PLURALS = {"staff": "staff"}


def _plural(kind: str) -> str:
    if kind in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[kind]
    if kind.endswith(("s", "x", "ch", "sh")):
        return kind + "es"
    if kind.endswith("y") and kind[-2:-1] not in ("a", "e", "i", "o", "u"):
        return kind[:-1] + "ies"
    return kind + "s"


def _did_you_mean(name: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(name, valid, n=1)
    return f"; did you mean {close[0]!r}?" if close else "."


class Records:
    """The records of one kind, as an attribute of a Database named by the kind's plural:
    ``db.departments.create(admin, name="Plumbing")``, ``db.staff.list(admin, active=True)``,
    ``db.orgs.get(system, org_id)``. Each method is the generic call of the same name with the
    kind filled in (``db.create("department", ...)``); a kind has only the calls the C ABI
    gives it (``db.stock_movements`` has no update, ``db.orgs`` no create)."""

    __slots__ = ("_db",)
    kind = ""  # set on each kind's subclass

    def __init__(self, db: Database):
        self._db = db

    def __repr__(self) -> str:
        return f"<workorder.Records {self.kind!r} of {self._db!r}>"


def _create(self: Records, actor: Actor, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> int:
    """Creates a record from `fields` and keyword arguments; returns its id."""
    return self._db.create(self.kind, actor, fields, **kw)


def _update(self: Records, actor: Actor, id: int, fields: Mapping[str, Any] | None = None, /, **kw: Any) -> None:
    """Updates the given fields of record `id`; None clears a field."""
    self._db.update(self.kind, actor, id, fields, **kw)


def _set_active(self: Records, actor: Actor, id: int, active: bool, /) -> None:
    """Deactivates (False) or reactivates (True) record `id`."""
    self._db.set_active(self.kind, actor, id, active)


def _get(self: Records, actor: Actor, id: int, /) -> Record:
    """Record `id`."""
    return self._db.get(self.kind, actor, id)


def _list(self: Records, actor: Actor, filter: Mapping[str, Any] | None = None, /, **filters: Any) -> RecordIterator:
    """An iterator over the records in id order, with equality filters (``active=True``)."""
    return self._db.list(self.kind, actor, filter, **filters)


_VERB_METHODS = {"create": _create, "update": _update, "set_active": _set_active, "get": _get, "list": _list}


class _KindAttribute:
    """The Database attribute of one kind: ``db.departments`` is a new Records each time (one
    cached on the Database would keep it alive through a reference cycle)."""

    def __init__(self, cls: type[Records]):
        self.cls = cls
        self.__doc__ = cls.__doc__

    def __get__(self, db: Database | None, owner: type | None = None):
        return self.cls if db is None else self.cls(db)


_KIND_ATTRIBUTES: dict[str, str] = {}  # "departments" -> "department"

for _kind, _verbs in _KIND_VERBS.items():
    _name = _plural(_kind)
    if hasattr(Database, _name):  # never hide a method: "order" has only get, db.orders is a call
        continue
    _cls = type(
        "".join(part.title() for part in _name.split("_")),
        (Records,),
        {
            "__slots__": (),
            "__module__": __name__,
            "__doc__": f"The {_kind} records of a Database (db.{_name}): {', '.join(_verbs)}.",
            "kind": _kind,
            **{verb: _VERB_METHODS[verb] for verb in _verbs},
        },
    )
    setattr(Database, _name, _KindAttribute(_cls))
    _KIND_ATTRIBUTES[_name] = _kind
del _kind, _verbs, _name, _cls


def _missing_attribute(db: Database, name: str) -> AttributeError:
    """The AttributeError for db.<name>: when the closest attribute is a record kind
    (db.departmnts, db.department), the message names it and lists the kinds."""
    if not name.startswith("_"):
        if name in _KIND_VERBS and _plural(name) in _KIND_ATTRIBUTES:
            close = [_plural(name)]  # the singular: db.department -> db.departments
        else:
            public = [n for n in dir(type(db)) if not n.startswith("_")]
            close = difflib.get_close_matches(name, public, n=1)
        if close and close[0] in _KIND_ATTRIBUTES:
            return AttributeError(
                f"Database has no attribute {name!r}; did you mean {close[0]!r}? "
                f"Record kinds: {', '.join(_KIND_ATTRIBUTES)}"
            )
    error = AttributeError(f"{type(db).__name__!r} object has no attribute {name!r}")
    error.name, error.obj = name, db  # Python 3.10+ suggests the closest attribute from these
    return error
