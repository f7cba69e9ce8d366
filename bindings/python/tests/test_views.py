# SPDX-License-Identifier: MIT
"""docs/rules.md §8 through the binding: views and order lists with resumable cursors, order records,
the CSV export, the dashboard, an order's messages and the event feed."""

from __future__ import annotations

import ctypes
import io
import itertools

import pytest

import workorder as wo

T0 = 1_700_000_000_000  # 2023-11-15 06:13:20 in Shanghai
MINUTE = 60_000
HOUR = 60 * MINUTE


class Clock:
    def __init__(self, start: int):
        self.now = start

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def story(db, admin, catalog):
    """The catalog's contact reports 5 orders, a minute apart. o[0] is assigned, accepted,
    finished (awaiting_rating) and rated 4 by the contact (completed); o[1] is assigned
    (pending_accept) and gets a message from each side; o[2] is cancelled; o[3] and o[4]
    wait in the pool."""
    clock = Clock(T0)
    db.set_clock(clock)
    with wo.Actor.staff(catalog["staff"]) as tech, wo.Actor.contact(catalog["contact"]) as contact:
        orders = []
        for i in range(5):
            clock.now += MINUTE
            orders.append(
                db.order_submit(
                    contact,
                    subtype_id=catalog["subtype"],
                    description=f"漏水 {i}",
                    address="3号楼1201",
                    source_channel=wo.SourceChannel.MINI_PROGRAM,
                )
            )
        o = orders
        clock.now += 5 * MINUTE
        db.order_assign(admin, o[0], catalog["staff"])
        clock.now += 10 * MINUTE
        db.order_accept(tech, o[0])
        clock.now += 30 * MINUTE
        db.order_finish(tech, o[0])
        clock.now += MINUTE
        db.order_rate(contact, o[0], 4)
        db.order_assign(admin, o[1], catalog["staff"])
        clock.now += MINUTE
        db.order_message(contact, o[1], "师傅什么时候到？")
        clock.now += MINUTE
        db.order_message(tech, o[1], "明早九点")
        db.order_cancel(contact, o[2], "不修了")
        yield {"ids": catalog, "tech": tech, "contact": contact, "orders": o, "clock": clock}


def _ids(records) -> list[int]:
    return [r.id for r in records]


# ---- views -----------------------------------------------------------------------------------


def test_views_newest_first_within_sight(db, admin, story):
    o, tech, contact = story["orders"], story["tech"], story["contact"]
    newest = list(reversed(o))
    assert _ids(db.orders(admin)) == newest
    assert _ids(db.orders(contact, wo.OrderView.SUBMITTED_BY_ME)) == newest
    assert _ids(db.orders(contact, wo.OrderView.TENANT_TODO)) == []  # o[0] is rated: nothing to do
    assert _ids(db.orders(tech, wo.OrderView.MY_TASKS)) == [o[1]]
    assert _ids(db.orders(tech, wo.OrderView.POOL)) == [o[4], o[3]]

    first = next(iter(db.orders(admin, page_size=1)))
    assert first.kind == "order" and first == db.order_get(admin, o[4])  # with its bill
    assert first.status is wo.OrderStatus.PENDING_DISPATCH


def test_queries_narrow_a_view(db, admin, story):
    o = story["orders"]
    closed = wo.status_mask(wo.OrderStatus.COMPLETED, wo.OrderStatus.CANCELLED)
    assert _ids(db.orders(admin, query={"status_mask": closed})) == [o[2], o[0]]
    assert _ids(db.orders(admin, query={"assignee_id": story["ids"]["staff"]})) == [o[1], o[0]]
    number = db.order_get(admin, o[3]).number
    assert _ids(db.orders(admin, query={"text": number})) == [o[3]]
    window = {"created_from": T0 + 2 * MINUTE, "created_to": T0 + 4 * MINUTE}
    assert _ids(db.orders(admin, wo.OrderView.ALL, window)) == [o[2], o[1]]


def test_bad_views_and_queries_raise_at_the_call(db, admin, story, system):
    contact = story["contact"]
    with pytest.raises(wo.Forbidden, match="pool"):
        db.orders(contact, wo.OrderView.POOL)
    with pytest.raises(wo.Forbidden):
        db.orders(system)
    with pytest.raises(wo.InvalidArgument, match="view"):
        db.orders(admin, 9)
    with pytest.raises(wo.InvalidArgument, match="page_size"):
        db.orders(admin, page_size=0)
    with pytest.raises(wo.InvalidArgument, match="page_size"):
        db.orders(admin, page_size=201)
    with pytest.raises(wo.InvalidArgument, match="bogus"):
        db.orders(admin, query={"bogus": 1})
    with pytest.raises(wo.InvalidArgument, match="status_mask"):
        db.orders(admin, query={"status_mask": 1 << 8})
    with pytest.raises(wo.NotFound, match="tenant_id"):
        db.orders(admin, query={"tenant_id": 999_999})


# ---- cursors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("listing", ["orders", "order_records"])
def test_a_cursor_resumes_exactly_where_the_host_stopped(db, admin, story, listing):
    read = getattr(db, listing)
    whole = _ids(read(admin, page_size=200))
    assert sorted(whole) == sorted(story["orders"])
    for page_size in (1, 2, 3):
        for stop in range(len(whole) + 1):
            it = read(admin, page_size=page_size)
            head = _ids(itertools.islice(it, stop))
            cursor = it.cursor
            it.close()
            assert it.cursor == cursor  # still readable after close
            if stop == len(whole):
                assert cursor == ""  # everything handed out: nothing left
                continue
            assert bool(cursor) == (stop > 0)
            rest = read(admin, cursor=cursor, page_size=4 - page_size)
            assert rest.cursor == cursor  # before the first record: where it started
            assert head + _ids(rest) == whole
            assert rest.cursor == "" and rest.closed


def test_cursors_are_checked(db, admin, story):
    it = db.orders(admin, page_size=2)
    next(it)
    newest_first = it.cursor
    it.close()
    it = db.order_records(admin, page_size=2)
    next(it)
    oldest_first = it.cursor
    it.close()
    with pytest.raises(wo.InvalidArgument, match="cursor"):
        db.orders(admin, cursor=oldest_first)
    with pytest.raises(wo.InvalidArgument, match="cursor"):
        db.order_records(admin, cursor=newest_first)
    tampered = newest_first[:-1] + ("0" if newest_first[-1] != "0" else "1")
    with pytest.raises(wo.InvalidArgument, match="cursor"):
        db.orders(admin, cursor=tampered)
    with pytest.raises(wo.InvalidArgument, match="cursor"):
        db.orders(admin, cursor="page 2")


def test_only_order_lists_have_cursors(db, admin, story):
    assert not hasattr(db.order_timeline(admin, story["orders"][0]), "cursor")
    lib = wo._ffi.lib()
    it = db.events_after(admin)
    out = ctypes.c_char_p(b"x")
    assert lib.wo_iter_cursor(ctypes.byref(out), it._handle) == wo.Status.INVALID_ARGUMENT
    assert out.value is None and "cursor" in lib.wo_errmsg().decode()
    it.close()


# ---- order records and the CSV export --------------------------------------------------------


def test_order_records_oldest_first(db, admin, story, system):
    o = story["orders"]
    records = list(db.order_records(admin))
    assert _ids(records) == o
    first = records[0]
    assert first.kind == "order_record"
    assert (first.number, first.content, first.status) == (
        db.order_get(admin, o[0]).number,
        "漏水 0",
        wo.OrderStatus.COMPLETED,
    )
    assert first.reporter == "张三" and first.responsible == "王师傅"
    assert first.created_at == T0 + MINUTE and first.completed_at is not None
    cancelled = list(db.order_records(admin, {"status_mask": wo.status_mask(wo.OrderStatus.CANCELLED)}))
    assert _ids(cancelled) == [o[2]] and cancelled[0].responsible is None
    with pytest.raises(wo.Forbidden):
        db.order_records(system)


def test_export_csv_to_files_and_callbacks(db, admin, story):
    o = story["orders"]
    binary = io.BytesIO()
    written = db.export_csv(admin, binary)
    data = binary.getvalue()
    assert written == len(data) > 0
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0].startswith("number,") and lines[-1] == ""
    assert len(lines) == len(o) + 2  # header, one per order, the empty tail after the last CRLF
    assert db.order_get(admin, o[0]).number in lines[1] and "漏水 0" in lines[1]
    assert "2023-11-15T06:14:20+08:00" in lines[1]  # org-local ISO 8601

    as_text = io.StringIO()
    db.export_csv(admin, as_text)
    assert as_text.getvalue() == text

    chunks = []
    db.export_csv(admin, chunks.append, {"text": db.order_get(admin, o[3]).number})
    assert b"".join(chunks).decode("utf-8").count("\r\n") == 2


def test_export_csv_stops_when_the_callback_says_so(db, admin, story):
    with pytest.raises(wo.Aborted, match="returned 1") as e:
        db.export_csv(admin, lambda chunk: False)
    assert e.value.code == wo.Status.ABORTED == 19

    class Full(Exception):
        pass

    def boom(chunk):
        raise Full("disk full")

    with pytest.raises(Full, match="disk full") as e:
        db.export_csv(admin, boom)
    assert isinstance(e.value.__cause__, wo.Aborted)
    with pytest.raises(TypeError):
        db.export_csv(admin, 42)
    # The database is fine after an aborted read.
    assert len(list(db.orders(admin))) == 5


# ---- the dashboard ---------------------------------------------------------------------------


def test_dashboard(db, admin, story):
    o, ids = story["orders"], story["ids"]
    d = db.dashboard(admin, T0, T0 + 24 * HOUR)
    s = d.summary
    assert s.kind == "dashboard"
    assert (s["from"], s.to, s.orders) == (T0, T0 + 24 * HOUR, 5)
    assert (s.status_completed, s.status_pending_accept, s.status_cancelled, s.status_pending_dispatch) == (1, 1, 1, 2)
    assert (s.rated, s.rating_mean_x100, s.rating_4, s.rating_5) == (1, 400, 1, 0)
    assert (s.accept_to_finish_count, s.accept_to_finish_mean_ms) == (1, 30 * MINUTE)
    assert s.submit_to_complete_count == 1
    assert [(r.kind, r.id, r.orders) for r in d.types] == [("dashboard_type", ids["order_type"], 5)]
    assert [(r.kind, r.id, r.orders) for r in d.subtypes] == [("dashboard_subtype", ids["subtype"], 5)]
    assert [(r.date, r.created) for r in d.days] == [("2023-11-15", 5), ("2023-11-16", 0)]
    (staff,) = [r for r in d.staff if r.staff_id == ids["staff"]]
    assert (staff.kind, staff.finished, staff.handling_mean_ms, staff.rating_mean_x100, staff.held_now) == (
        "dashboard_staff",
        1,
        30 * MINUTE,
        400,
        1,
    )
    assert len(o) == 5
    with pytest.raises(wo.Forbidden):
        db.dashboard(story["tech"], T0, T0 + HOUR)
    with pytest.raises(wo.InvalidArgument, match="to"):
        db.dashboard(admin, T0, T0)


# ---- messages and the event feed -------------------------------------------------------------


def test_order_messages(db, admin, story):
    o, tech, contact = story["orders"], story["tech"], story["contact"]
    msgs = list(db.order_messages(tech, o[1]))
    assert [(m.action, m.details) for m in msgs] == [
        (wo.Action.MESSAGE, "师傅什么时候到？"),
        (wo.Action.MESSAGE, "明早九点"),
    ]
    assert (msgs[0].concerns, msgs[0].concerns_id) == (wo.Audience.STAFF, story["ids"]["staff"])
    assert (msgs[1].concerns, msgs[1].concerns_id) == (wo.Audience.CONTACT, story["ids"]["contact"])
    assert list(db.order_messages(contact, o[0])) == []
    with pytest.raises(wo.NotFound):
        db.order_messages(admin, 999_999)


def test_event_feed(db, admin, story, system):
    o, tech, contact, ids = story["orders"], story["tech"], story["contact"], story["ids"]
    timeline = sorted((e for oid in o for e in db.order_timeline(admin, oid)), key=lambda e: e.id)
    feed = list(db.events_after(admin))
    assert feed == timeline
    assert [e.id for e in db.events_after(admin, feed[3].id)] == [e.id for e in feed[4:]]
    assert list(db.events_after(admin, feed[-1].id)) == []
    assert list(db.events_after(system)) == feed

    mine = list(db.events_after(contact))
    assert mine == [e for e in feed if (e.concerns, e.concerns_id) == (wo.Audience.CONTACT, ids["contact"])]
    assert any(e.details == "明早九点" for e in mine)
    tasks = list(db.events_after(tech))
    assert tasks == [e for e in feed if (e.concerns, e.concerns_id) == (wo.Audience.STAFF, ids["staff"])]
    assert [e.action for e in tasks if e.action is wo.Action.ASSIGN] == [wo.Action.ASSIGN] * 2
    with pytest.raises(wo.InvalidArgument, match="after"):
        db.events_after(admin, -1)
