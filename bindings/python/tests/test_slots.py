# SPDX-License-Identifier: MIT
"""Appointment slots: schedules, availability, booking in submit, reschedule, release."""

from __future__ import annotations

import datetime

import pytest
from conftest import snapshot

import workorder as wo

T0 = 1_700_000_000_000  # 2023-11-15 06:13:20 in Asia/Shanghai (a Wednesday)
HOUR = 3_600_000
S9 = 1_700_010_000_000  # 2023-11-15 09:00 +08:00
S10 = S9 + HOUR
WEEK = "mon,tue,wed,thu,fri,sat,sun"


@pytest.fixture
def booked(db, admin, catalog):
    """A subtype with one 1-booking slot an hour, 09:00-12:00 every day, booking 7 days ahead."""
    db.set_clock(lambda: T0)
    db.schedule_set(
        admin,
        catalog["subtype"],
        days=WEEK,
        windows="09:00-12:00",
        slot_minutes=60,
        capacity=1,
        horizon_days=7,
        lead_minutes=60,
    )
    with wo.Actor.contact(catalog["contact"]) as contact:
        yield catalog, contact


def _submit(db, actor, ids, **extra):
    return db.order_submit(
        actor,
        subtype_id=ids["subtype"],
        description="空调不制冷",
        address="5号楼302",
        source_channel=wo.SourceChannel.TENANT_APP,
        **extra,
    )


def _slots(db, actor, ids, day="2023-11-15"):
    return {s.start: s for s in db.slot_availability(actor, ids["subtype"], day, day)}


def test_schedule_get_set_clear(db, admin, booked):
    ids, contact = booked
    schedule = db.schedule_get(contact, ids["subtype"])  # contacts may read it
    assert schedule.kind == "slot_schedule"
    assert (schedule.days, schedule.windows, schedule.slot_minutes, schedule.capacity) == (WEEK, "09:00-12:00", 60, 1)
    assert (schedule.horizon_days, schedule.lead_minutes) == (7, 60)
    db.schedule_set(admin, ids["subtype"], capacity=2)  # a replace keeps what is not given
    assert (db.schedule_get(admin, ids["subtype"]).capacity, db.schedule_get(admin, ids["subtype"]).days) == (2, WEEK)
    with pytest.raises(wo.InvalidArgument, match="capacity"):
        db.schedule_set(admin, ids["subtype"], capacity=0)
    with pytest.raises(wo.InvalidArgument, match="days"):
        db.schedule_set(admin, ids["subtype"], days="mon,someday")
    with wo.Actor.staff(ids["staff"]) as tech:
        with pytest.raises(wo.Forbidden):
            db.schedule_set(tech, ids["subtype"], capacity=3)
    assert db.schedule_get(admin, ids["subtype"]).capacity == 2
    db.schedule_clear(admin, ids["subtype"])
    with pytest.raises(wo.NotFound):
        db.schedule_get(admin, ids["subtype"])
    assert _submit(db, contact, ids) > 0  # no schedule: no slot needed


def test_availability(db, booked):
    ids, contact = booked
    slots = list(db.slot_availability(contact, ids["subtype"], "2023-11-15", datetime.date(2023, 11, 16)))
    assert [s.kind for s in slots] == ["slot"] * 6
    assert [s.start for s in slots[:3]] == [S9, S10, S10 + HOUR]
    assert (slots[0].end, slots[0].local_start, slots[0].capacity, slots[0].booked, slots[0].available) == (
        S10,
        "2023-11-15T09:00+08:00",
        1,
        0,
        1,
    )
    assert slots[3].local_start == "2023-11-16T09:00+08:00"
    with pytest.raises(wo.InvalidArgument, match="^from_date '2023-13-01' is not a valid date$"):
        db.slot_availability(contact, ids["subtype"], "2023-13-01", "2023-11-16")
    with pytest.raises(wo.InvalidArgument):
        db.slot_availability(contact, ids["subtype"], "2023-11-16", "2023-11-15")  # reversed
    with pytest.raises(wo.InvalidArgument):
        db.slot_availability(contact, ids["subtype"], "2023-01-01", "2023-12-31")  # more than 62 days


def test_booking_rescheduling_and_release(db, admin, system, booked):
    ids, contact = booked
    with pytest.raises(wo.InvalidArgument, match="slot_start is required"):
        _submit(db, contact, ids)
    oid = _submit(db, contact, ids, slot_start=S9)
    assert db.order_get(contact, oid).slot_start == S9
    slots = _slots(db, contact, ids)
    assert (slots[S9].booked, slots[S9].available, slots[S10].available) == (1, 0, 1)

    before = snapshot(db, admin, system)
    with pytest.raises(wo.SlotFull, match="09:00"):
        _submit(db, contact, ids, slot_start=S9)
    with pytest.raises(wo.SlotUnavailable):
        _submit(db, contact, ids, slot_start=S9 + HOUR // 2)  # misaligned
    with pytest.raises(wo.SlotUnavailable):
        _submit(db, contact, ids, slot_start=S9 - 2 * HOUR)  # 07:00: outside the window
    with pytest.raises(wo.SlotBeyondHorizon):
        _submit(db, contact, ids, slot_start=S9 + 8 * 24 * HOUR)
    db.set_clock(lambda: S10 - HOUR // 2)  # 09:30: 10:00 is inside the one-hour lead
    with pytest.raises(wo.SlotTooEarly):
        _submit(db, contact, ids, slot_start=S10)
    db.set_clock(lambda: T0)
    assert snapshot(db, admin, system) == before
    assert _slots(db, contact, ids)[S9].booked == 1

    db.order_reschedule(contact, oid, S10)
    slots = _slots(db, contact, ids)
    assert (slots[S9].booked, slots[S10].booked) == (0, 1)
    assert db.order_get(contact, oid).slot_start == S10
    assert list(db.order_timeline(contact, oid))[-1].action is wo.Action.RESCHEDULE
    with pytest.raises(wo.SlotUnavailable):
        db.order_reschedule(contact, oid, S10 + 1)
    assert db.order_get(contact, oid).slot_start == S10  # a failed reschedule keeps the booking

    db.order_cancel(contact, oid, "改天再说")
    assert _slots(db, contact, ids)[S10].booked == 0  # cancelling releases the slot
    with pytest.raises(wo.InvalidState):
        db.order_reschedule(contact, oid, S9)
