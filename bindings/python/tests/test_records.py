# SPDX-License-Identifier: MIT
"""Copying records (issue 12, item 6): one wo_record_values call per record, field names looked
up once per kind, and every value exactly what the per-field getters of the C ABI give."""

from __future__ import annotations

import ctypes
import threading
from ctypes import byref, c_char_p, c_int32, c_int64, c_void_p

import pytest

import workorder as wo
from workorder import _core, _ffi
from workorder.enums import FIELD_ENUMS

T0 = 1_700_000_000_000


@pytest.fixture
def world(db, admin, catalog):
    """Records of many kinds with ints, texts, nulls and enums: a paid, finished order reported
    by a contact, an order reported by staff, a stock movement and a dashboard."""
    db.set_clock(lambda: T0)
    ids = catalog
    db.stock_movement_create(admin, material_id=ids["material"], movement_kind=wo.MovementKind.REQUISITION, qty=5000)
    db.channel_set_enabled(admin, wo.Channel.WECHAT, True)
    with wo.Actor.staff(ids["staff"]) as tech, wo.Actor.contact(ids["contact"]) as contact:
        paid = db.order_submit(
            contact,
            subtype_id=ids["subtype"],
            description="厨房水龙头漏水",
            address="3号楼1201",
            unit_ref="1201",
            source_channel=wo.SourceChannel.MINI_PROGRAM,
            attachments=["https://img/1.jpg"],
        )
        db.order_assign(admin, paid, ids["staff"])
        db.order_accept(tech, paid)
        db.order_add_line(tech, paid, line_kind=wo.LineKind.LABOR, item_id=ids["labor_item"], qty=1500)
        db.order_finish(tech, paid)
        balance = db.order_get(contact, paid).balance
        db.order_pay(contact, paid, channel=wo.Channel.WECHAT, amount=balance, provider_txn_id="wx-1")
        by_staff = db.order_submit(
            admin, subtype_id=ids["subtype"], description="楼道灯坏了", address="5号楼", source_channel=wo.SourceChannel.STAFF_PC
        )
        yield {"ids": ids, "orders": [paid, by_staff], "tech": tech, "contact": contact}


def _by_index(ptr: int) -> dict:
    """A record read field by field through wo_record_field_type_at / _get_int_at /
    _get_text_at, as the binding read records before wo_record_values: the reference."""
    lib = _ffi.lib()
    fields = {}
    for i in range(lib.wo_record_field_count(ptr)):
        name = lib.wo_record_field_name(ptr, i).decode()
        ftype, number, text = c_int32(), c_int64(), c_char_p()
        assert lib.wo_record_field_type_at(byref(ftype), ptr, i) == 0
        if ftype.value == wo.FieldType.INT:
            assert lib.wo_record_get_int_at(byref(number), ptr, i) == 0
            value = number.value
            enum_cls = FIELD_ENUMS.get(name)
            fields[name] = enum_cls(value) if enum_cls else value
            assert lib.wo_record_get_text_at(byref(text), ptr, i) == wo.Status.INVALID_ARGUMENT
        elif ftype.value == wo.FieldType.TEXT:
            assert lib.wo_record_get_text_at(byref(text), ptr, i) == 0
            fields[name] = text.value.decode("utf-8")
        else:
            # A null field is WO_ENULL for both getters (it was WO_ENOTFOUND), with *out cleared.
            number.value, text.value = 7, b"x"
            assert lib.wo_record_get_int_at(byref(number), ptr, i) == wo.Status.NULL_FIELD
            assert lib.wo_record_get_text_at(byref(text), ptr, i) == wo.Status.NULL_FIELD
            assert (number.value, text.value) == (0, None)
            assert lib.wo_record_get_int(byref(number), ptr, name.encode()) == wo.Status.NULL_FIELD
            fields[name] = None
    return fields


def _raw_walk(name: str, *args) -> list[tuple[wo.Record, dict]]:
    """Walks a C iterator made by `name` without the binding's iterator; for each record, the
    binding's copy and the field-by-field reference."""
    lib = _ffi.lib()
    it, rec = c_void_p(), c_void_p()
    assert getattr(lib, name)(byref(it), *args) == 0, lib.wo_errmsg()
    pairs = []
    try:
        while lib.wo_iter_next(byref(rec), it) == 0:
            try:
                pairs.append((_core._copy_record(rec.value), _by_index(rec.value)))
            finally:
                lib.wo_record_free(rec)
    finally:
        lib.wo_iter_free(it)
    return pairs


def _same(record: wo.Record, reference: dict) -> None:
    assert list(record) == list(reference)
    for name, value in reference.items():
        got = record[name]
        assert got == value and type(got) is type(value), (record.kind, name, got, value)


def test_every_kind_copies_exactly_what_the_field_getters_give(db, admin, system, world):
    dbh, who = db._handle, admin._handle
    o = world["orders"]
    walks = {
        "order": _raw_walk("wo_order_list", dbh, who, wo.OrderView.ALL, None, b"", 200),
        "order_record": _raw_walk("wo_order_records", dbh, who, None, b"", 200),
        "charge_line": _raw_walk("wo_order_lines", dbh, who, o[0]),
        "payment": _raw_walk("wo_order_payments", dbh, who, o[0]),
        "attachment": _raw_walk("wo_order_attachments", dbh, who, o[0]),
        "event": _raw_walk("wo_event_feed", dbh, who, 0),
        "payment_channel": _raw_walk("wo_channel_list", dbh, who),
        "org": _raw_walk("wo_org_list", dbh, system._handle),
        "stock_movement": _raw_walk("wo_stock_movement_list", dbh, who, None),
    }
    for kind in wo.catalog_kinds():
        walks[kind] = _raw_walk(f"wo_{kind}_list", dbh, who, None)
    seen_types = set()
    for kind, pairs in walks.items():
        assert pairs, kind
        for record, reference in pairs:
            assert record.kind == kind
            _same(record, reference)
            seen_types |= {type(v) for v in reference.values()}
    # The walk met every kind of value: ints, texts, nulls, plain enums and the Role flag.
    assert {int, str, type(None), wo.OrderStatus, wo.Role, wo.Channel, wo.Action} <= seen_types
    # The binding's own iterators and getters give the same records.
    assert list(db.orders(admin)) == [r for r, _ in walks["order"]]
    assert db.order_get(admin, o[0]) == next(r for r, _ in walks["order"] if r.id == o[0])
    summary = db.dashboard(admin, T0, T0 + 86_400_000).summary
    assert summary.orders == 2 and all(type(v) is int for v in summary.values())


def test_one_values_call_per_record_and_names_once_per_kind(db, admin, world, monkeypatch):
    lib = _ffi.lib()
    calls = {"values": 0, "names": 0}
    values, field_name = lib.fast.wo_record_values, lib.wo_record_field_name

    def counting_values(*args):
        calls["values"] += 1
        return values(*args)

    def counting_name(*args):
        calls["names"] += 1
        return field_name(*args)

    def forbidden(*args):
        raise AssertionError("records are copied whole, not field by field")

    monkeypatch.setattr(lib.fast, "wo_record_values", counting_values)
    monkeypatch.setattr(lib, "wo_record_field_name", counting_name)
    for getter in ("wo_record_field_type", "wo_record_get_int", "wo_record_get_text", "wo_record_field_type_at"):
        monkeypatch.setattr(lib, getter, forbidden)
    monkeypatch.setattr(_core, "_LAYOUTS", {})  # forget the kinds met so far

    first = list(db.orders(admin, page_size=1))
    assert calls == {"values": 2, "names": len(first[0])}  # the names of "order", once
    again = list(db.orders(admin)) + [db.order_get(admin, world["orders"][0])]
    assert calls == {"values": 5, "names": len(first[0])}  # no name looked up again
    assert again[:2] == first


def test_enum_fields_read_back_as_the_same_members(db, admin, world):
    order = db.order_get(admin, world["orders"][0])
    assert order.status is wo.OrderStatus.AWAITING_RATING
    assert order.source_channel is wo.SourceChannel.MINI_PROGRAM
    assert order.charge_mode is wo.ChargeMode.AFTER_COMPLETION
    staff = db.staff.get(admin, world["ids"]["staff"])
    assert staff.roles is wo.Role.TECHNICIAN and isinstance(staff.roles, wo.Role)
    assert type(order.total) is int and order.reporter_staff_id is None and type(order.number) is str


def test_an_enum_value_the_binding_does_not_know_stays_an_int():
    cache = _core._EnumCache(wo.OrderStatus)
    assert cache[3] is wo.OrderStatus.IN_PROGRESS
    assert cache[99] == 99 and type(cache[99]) is int
    assert cache["in_progress"] == "in_progress"  # a text field of that name is left alone


def test_threads_copy_records_of_one_kind_at_once(db, admin, world):
    expected = [r.as_dict() for r in db.orders(admin)]
    results, errors = [], []

    def read():
        try:
            for _ in range(30):
                results.append([r.as_dict() for r in db.orders(admin, page_size=1)])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 90 and all(r == expected for r in results)


def test_records_built_by_hand_behave_like_copied_ones(db, admin, world):
    copied = db.order_get(admin, world["orders"][1])
    by_hand = wo.Record("order", copied.as_dict())
    assert by_hand == copied and list(by_hand) == list(copied) and repr(by_hand) == repr(copied)
    assert by_hand.description == copied.description == "楼道灯坏了"
    assert "description" in copied and "nope" not in copied and copied.get("nope") is None
    assert dict(copied.items()) == copied.as_dict() and list(copied.values()) == list(copied.as_dict().values())


def test_fast_bindings_share_the_table_entry_points():
    lib = _ffi.lib()
    for name, _, _ in _ffi.FAST:
        fast = getattr(lib.fast, name)
        if hasattr(fast, "__wrapped__"):  # conftest's status check
            fast = fast.__wrapped__
        assert ctypes.cast(fast, c_void_p).value == ctypes.cast(getattr(lib, name), c_void_p).value
