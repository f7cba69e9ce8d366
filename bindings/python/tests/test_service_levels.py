# SPDX-License-Identifier: MIT
"""Service levels (docs/rules.md §11) through the binding: business hours and the warning
share as settings, a subtype's targets, an order's response and resolution clocks read live
(ServiceState), the sla_warning / sla_breach alerts of tick, the breached and due_before list
filters, and the dashboard's attainment counts. Time is the database's clock (set_clock)."""

from __future__ import annotations

import datetime

import pytest

import workorder as wo

MINUTE = 60_000
HOUR = 60 * MINUTE
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))  # the org's zone (conftest ORG): no DST


def local_ms(day: int, hour: int, minute: int = 0) -> int:
    """Unix ms of December `day`, 2026, hour:minute in the org's zone (7 December is a Monday)."""
    return int(datetime.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).timestamp() * 1000)


MON_9 = local_ms(7, 9)


class Clock:
    def __init__(self, start: int):
        self.now = start

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(db):
    c = Clock(MON_9)
    db.set_clock(c)
    return c


@pytest.fixture
def timed(db, admin, catalog, clock):
    """The catalog's subtype with a 60-minute response and a 240-minute resolution target."""
    db.subtypes.update(admin, catalog["subtype"], response_target_min=60, resolution_target_min=240)
    return catalog


def _submit(db, actor, subtype_id):
    return db.order_submit(
        actor,
        subtype_id=subtype_id,
        description="厨房水管漏水",
        address="2号楼302",
        source_channel=wo.SourceChannel.STAFF_PC,
    )


def _sla_events(db, admin, order_id):
    return [
        (e.action, e.details, e.amount, e.concerns, e.concerns_id)
        for e in db.order_timeline(admin, order_id)
        if e.action in (wo.Action.SLA_WARNING, wo.Action.SLA_BREACH)
    ]


# ---- settings and targets -------------------------------------------------------------------


def test_business_hours_and_warning_share_are_settings(db, admin):
    s = db.settings_get(admin)
    assert (s.business_hours, s.business_exceptions, s.sla_warning_percent) == ("", "", 80)  # around the clock
    db.settings_update(
        admin,
        business_hours="sat 09:00-12:00;mon-fri 13:00-18:00, 09:00-12:00",
        business_exceptions="2026-10-01 closed;2026-09-27 09:00-18:00",
        sla_warning_percent=50,
    )
    s = db.settings_get(admin)
    # Written back canonically: days in week order, windows sorted, dates ascending.
    assert s.business_hours == "mon-fri 09:00-12:00,13:00-18:00; sat 09:00-12:00"
    assert s.business_exceptions == "2026-09-27 09:00-18:00; 2026-10-01 closed"
    assert s.sla_warning_percent == 50
    db.settings_update(admin, sla_warning_percent=0)  # 0: no warnings, only breaches
    assert db.settings_get(admin).sla_warning_percent == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"business_hours": "mon-fri 25:00-26:00"}, r"^business_hours '25:00-26:00' has an invalid time$"),
        ({"business_hours": "Sat 09:00-12:00"}, r"^business_hours .*unknown weekday 'Sat'"),
        (
            {"business_exceptions": "2026-13-01 closed"},
            r"^business_exceptions '2026-13-01 closed' has a date that does not exist$",
        ),
        ({"sla_warning_percent": 100}, r"^sla_warning_percent 100 must be between 0 \(no warnings\) and 99$"),
        ({"sla_warning_percent": -1}, r"^sla_warning_percent must not be negative"),
    ],
)
def test_bad_service_level_settings_change_nothing(db, admin, fields, message):
    db.settings_update(admin, business_hours="mon-fri 09:00-18:00")
    before = db.settings_get(admin)
    with pytest.raises(wo.InvalidArgument, match=message):
        db.settings_update(admin, {"grab_limit": 3, "business_exceptions": "2026-10-01 closed", **fields})
    assert db.settings_get(admin) == before  # not even the valid fields of the call applied


def test_subtype_targets(db, admin, catalog):
    st = db.subtypes.get(admin, catalog["subtype"])
    assert (st.response_target_min, st.resolution_target_min) == (None, None)  # no clocks
    new = db.subtypes.create(
        admin,
        order_type_id=catalog["order_type"],
        name="管道疏通",
        charge_mode="free",
        response_target_min=30,
        resolution_target_min=527040,  # the upper bound: a year of minutes
    )
    st = db.subtypes.get(admin, new)
    assert (st.response_target_min, st.resolution_target_min) == (30, 527040)
    db.subtypes.update(admin, new, resolution_target_min=None)  # unset: no resolution clock
    assert db.subtypes.get(admin, new).resolution_target_min is None
    before = db.subtypes.get(admin, new)
    with pytest.raises(wo.InvalidArgument, match=r"^response_target_min 0 must be between 1 and 527040"):
        db.subtypes.update(admin, new, response_target_min=0, name="改名")
    with pytest.raises(wo.InvalidArgument, match=r"^resolution_target_min 527041 must be between 1 and 527040"):
        db.subtypes.update(admin, new, resolution_target_min=527041)
    assert db.subtypes.get(admin, new) == before


# ---- the clocks ----------------------------------------------------------------------------


def test_a_submitted_order_runs_both_clocks(db, admin, timed, clock):
    oid = _submit(db, admin, timed["subtype"])
    o = db.order_get(admin, oid)
    assert (o.response_target_min, o.resolution_target_min) == (60, 240)
    assert (o.response_due, o.resolution_due) == (MON_9 + HOUR, MON_9 + 4 * HOUR)  # around the clock
    assert o.response_state is wo.ServiceState.OPEN and o.resolution_state is wo.ServiceState.OPEN
    assert (o.response_used_ms, o.resolution_used_ms, o.response_alerts, o.resolution_alerts) == (0, 0, 0, 0)
    assert o.sla_alert_at == MON_9 + 48 * MINUTE  # 80% of the response target
    clock.now += 25 * MINUTE
    o = db.order_get(admin, oid)  # as of the read: no tick needed
    assert (o.response_used_ms, o.resolution_used_ms) == (25 * MINUTE, 25 * MINUTE)
    assert o.response_due == MON_9 + HOUR and o.response_state is wo.ServiceState.OPEN
    # The order keeps the targets it was taken with when the subtype changes.
    db.subtypes.update(admin, timed["subtype"], response_target_min=5, resolution_target_min=None)
    o = db.order_get(admin, oid)
    assert (o.response_target_min, o.resolution_target_min, o.response_due) == (60, 240, MON_9 + HOUR)
    # A later order of the subtype has only a response clock; the lists show the same fields.
    later = _submit(db, admin, timed["subtype"])
    o = db.order_get(admin, later)
    assert (o.response_due, o.response_state) == (clock.now + 5 * MINUTE, wo.ServiceState.OPEN)
    assert (o.resolution_target_min, o.resolution_due, o.resolution_state) == (None, None, wo.ServiceState.NONE)
    assert [r.resolution_state for r in db.orders(admin)] == [wo.ServiceState.NONE, wo.ServiceState.OPEN]


def test_the_clocks_count_business_hours_only(db, admin, timed, clock):
    db.settings_update(admin, business_hours="mon-fri 09:00-18:00")
    db.subtypes.update(admin, timed["subtype"], response_target_min=120)
    clock.now = local_ms(7, 17)  # Monday 17:00: one business hour left today
    oid = _submit(db, admin, timed["subtype"])
    o = db.order_get(admin, oid)
    assert o.response_due == local_ms(8, 10)  # 120 minutes: 60 on Monday, then Tuesday 09:00-10:00
    assert o.resolution_due == local_ms(8, 12)  # 240: 60 on Monday, 180 on Tuesday
    clock.now = local_ms(7, 23)  # closed since 18:00
    assert db.order_get(admin, oid).response_used_ms == 60 * MINUTE
    clock.now = local_ms(8, 9, 30)
    assert db.order_get(admin, oid).response_used_ms == 90 * MINUTE
    # A new holiday moves the running clocks at once: Tuesday is closed, Wednesday counts.
    db.settings_update(admin, business_exceptions="2026-12-08 closed")
    o = db.order_get(admin, oid)
    assert (o.response_due, o.resolution_due) == (local_ms(9, 10), local_ms(9, 12))
    assert o.response_used_ms == 60 * MINUTE and o.response_state is wo.ServiceState.OPEN


def test_accepting_in_time_meets_the_response_target(db, admin, timed, clock):
    oid = _submit(db, admin, timed["subtype"])
    db.order_assign(admin, oid, timed["staff"])
    clock.now += 20 * MINUTE
    with wo.Actor.staff(timed["staff"]) as tech:
        db.order_accept(tech, oid)
    clock.now += 3 * HOUR
    o = db.order_get(admin, oid)
    assert (o.response_state, o.response_used_ms) == (wo.ServiceState.MET, 20 * MINUTE)  # stopped at the accept
    assert (o.resolution_state, o.resolution_used_ms) == (wo.ServiceState.OPEN, 200 * MINUTE)


# ---- alerts on tick ------------------------------------------------------------------------


def test_a_tick_past_the_warning_share_sends_one_warning(db, admin, system, timed, clock):
    oid = _submit(db, admin, timed["subtype"])
    clock.now += 47 * MINUTE  # 78% of the 60-minute response target
    assert db.tick(system) == 0
    assert _sla_events(db, admin, oid) == []
    clock.now += 3 * MINUTE  # 50 minutes: past 80%
    assert db.tick(system) == 1
    # One event, to the dispatchers (the order has no assignee), from the system.
    assert _sla_events(db, admin, oid) == [(wo.Action.SLA_WARNING, "response", 60, wo.Audience.DISPATCHERS, None)]
    last = list(db.order_timeline(admin, oid))[-1]
    assert (last.actor_kind, last.at) == (wo.ActorKind.SYSTEM, clock.now)
    assert last.from_status is last.to_status is wo.OrderStatus.PENDING_DISPATCH  # no change of status
    o = db.order_get(admin, oid)
    assert (o.response_alerts, o.resolution_alerts, o.response_state) == (1, 0, wo.ServiceState.OPEN)
    assert o.sla_alert_at == MON_9 + HOUR + 1  # next: the response breach, once past its target
    clock.now += 5 * MINUTE
    assert db.tick(system) == 0  # sent once
    assert len(_sla_events(db, admin, oid)) == 1


def test_a_tick_past_the_due_instant_sends_the_breach_once(db, admin, system, timed, clock):
    oid = _submit(db, admin, timed["subtype"])
    clock.now += 50 * MINUTE
    db.tick(system)  # the warning
    clock.now = MON_9 + HOUR + MINUTE
    o = db.order_get(admin, oid)  # late as of the read, before any tick
    assert (o.response_state, o.response_alerts) == (wo.ServiceState.BREACHED, 1)
    assert o.resolution_state is wo.ServiceState.OPEN
    assert db.tick(system) == 1
    warning = (wo.Action.SLA_WARNING, "response", 60, wo.Audience.DISPATCHERS, None)
    breach = (wo.Action.SLA_BREACH, "response", 60, wo.Audience.DISPATCHERS, None)
    assert _sla_events(db, admin, oid) == [warning, breach]
    assert db.order_get(admin, oid).response_alerts == 2
    for _ in range(3):
        clock.now += MINUTE
        assert db.tick(system) == 0
    assert _sla_events(db, admin, oid) == [warning, breach]
    assert db.order_get(admin, oid).response_state is wo.ServiceState.BREACHED
    # The event feed carries the alerts to the dispatchers.
    assert [e.action for e in db.events_after(admin)][-1] is wo.Action.SLA_BREACH


def test_a_tick_that_finds_a_clock_late_sends_only_the_breach(db, admin, system, timed, clock):
    oid = _submit(db, admin, timed["subtype"])
    clock.now += 2 * HOUR
    assert db.tick(system) == 1
    assert _sla_events(db, admin, oid) == [(wo.Action.SLA_BREACH, "response", 60, wo.Audience.DISPATCHERS, None)]


def test_alerts_also_go_to_the_assignee(db, admin, system, timed, clock):
    db.settings_update(admin, sla_warning_percent=50)
    oid = _submit(db, admin, timed["subtype"])
    db.order_assign(admin, oid, timed["staff"])
    with wo.Actor.staff(timed["staff"]) as tech:
        db.order_accept(tech, oid)
        clock.now += 2 * HOUR + MINUTE  # half of the 240-minute resolution target
        assert db.tick(system) == 1
        assert _sla_events(db, admin, oid) == [
            (wo.Action.SLA_WARNING, "resolution", 240, wo.Audience.DISPATCHERS, None),
            (wo.Action.SLA_WARNING, "resolution", 240, wo.Audience.STAFF, timed["staff"]),
        ]
        # The technician's feed has the one that concerns them.
        mine = [e for e in db.events_after(tech) if e.action is wo.Action.SLA_WARNING]
        assert [(e.order_id, e.concerns_id) for e in mine] == [(oid, timed["staff"])]


# ---- lists and the dashboard ---------------------------------------------------------------


@pytest.fixture
def sla_story(db, admin, timed, clock):
    """At 09:00 `late` is submitted and left in the pool; at 09:30 `answered` is submitted,
    assigned, accepted at 09:35 and finished at 09:50; at 09:40 `fresh` is submitted; at 09:45
    `cancelled` (cancelled a minute later, within its targets) and `untimed` (a subtype without
    targets). The clock stops at 10:30."""
    untimed_subtype = db.subtypes.create(admin, order_type_id=timed["order_type"], name="其他", charge_mode="free")
    orders = {"late": _submit(db, admin, timed["subtype"])}
    with wo.Actor.staff(timed["staff"]) as tech:
        clock.now = MON_9 + 30 * MINUTE
        orders["answered"] = _submit(db, admin, timed["subtype"])
        db.order_assign(admin, orders["answered"], timed["staff"])
        clock.now = MON_9 + 35 * MINUTE
        db.order_accept(tech, orders["answered"])
        clock.now = MON_9 + 40 * MINUTE
        orders["fresh"] = _submit(db, admin, timed["subtype"])
        clock.now = MON_9 + 45 * MINUTE
        orders["cancelled"] = _submit(db, admin, timed["subtype"])
        orders["untimed"] = _submit(db, admin, untimed_subtype)
        clock.now = MON_9 + 46 * MINUTE
        db.order_cancel(admin, orders["cancelled"], "重复报修")
        clock.now = MON_9 + 50 * MINUTE
        db.order_finish(tech, orders["answered"])
    clock.now = MON_9 + 90 * MINUTE
    return orders


def test_order_states_of_the_story(db, admin, sla_story):
    S = wo.ServiceState
    states = {name: db.order_get(admin, oid) for name, oid in sla_story.items()}
    assert {name: (o.response_state, o.resolution_state) for name, o in states.items()} == {
        "late": (S.BREACHED, S.OPEN),
        "answered": (S.MET, S.MET),
        "fresh": (S.OPEN, S.OPEN),
        "cancelled": (S.NONE, S.NONE),  # stopped within its targets: no verdict
        "untimed": (S.NONE, S.NONE),
    }


def test_list_filters_breached_and_due_before(db, admin, sla_story, clock):
    o = sla_story

    def ids(**query):
        return [r.id for r in db.orders(admin, query=query)]  # newest first

    # Running past its due instant (10:00), as of the call: no tick needed.
    assert ids(breached=True) == [o["late"]]
    # Running clocks due before 10:41: late's response (overdue) and fresh's (10:40).
    assert ids(due_before=MON_9 + 101 * MINUTE) == [o["fresh"], o["late"]]
    assert ids(due_before=MON_9 + 100 * MINUTE) == [o["late"]]  # strictly before
    # answered's clocks have stopped: no instant brings it in.
    assert ids(due_before=MON_9 + 1000 * MINUTE) == [o["fresh"], o["late"]]
    # Both filters, and with the other filters of the query.
    assert ids(breached=True, due_before=MON_9 + 61 * MINUTE) == [o["late"]]
    assert ids(breached=True, status_mask=["in_progress"]) == []
    # Past 10:40 fresh's response clock is late too.
    clock.now = MON_9 + 101 * MINUTE
    assert ids(breached=True) == [o["fresh"], o["late"]]
    with pytest.raises(wo.InvalidArgument, match="^due_before -5 "):
        ids(due_before=-5)
    with pytest.raises(wo.InvalidArgument, match="^breached must be 0 or 1, got 2$"):
        ids(breached=2)


def test_dashboard_counts_attainment(db, admin, sla_story, clock, timed):
    counts = (
        "response_met",
        "response_breached",
        "response_open",
        "resolution_met",
        "resolution_breached",
        "resolution_open",
    )

    def attainment(record):
        return tuple(record[name] for name in counts)

    dash = db.dashboard(admin, MON_9, MON_9 + 2 * HOUR)
    # Response: answered met, late breached, fresh open; resolution: answered met, late and
    # fresh open; cancelled and untimed have no verdict and are not counted.
    assert attainment(dash.summary) == (1, 1, 1, 1, 0, 2)
    assert [(r.id, attainment(r)) for r in dash.types] == [(timed["order_type"], (1, 1, 1, 1, 0, 2))]
    # The technician is assignee of answered only.
    assert [(r.staff_id, attainment(r)) for r in dash.staff] == [(timed["staff"], (1, 0, 0, 1, 0, 0))]
    # As of the read: after 13:00 late's resolution clock is breached too.
    clock.now = MON_9 + 4 * HOUR + 10 * MINUTE
    assert attainment(db.dashboard(admin, MON_9, MON_9 + 2 * HOUR).summary) == (1, 2, 0, 1, 1, 1)
