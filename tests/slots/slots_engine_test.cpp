// SPDX-License-Identifier: MIT
// docs/rules.md §5 through the Engine (":memory:", injected clock): availability, booking at submit and
// its four refusals (each naming the slot in local time and changing nothing), release on cancel
// and on the prepayment timeout, atomic rescheduling, schedule changes that never cancel
// bookings, who may set a schedule, invalid schedules, and the availability range limit.
//
// The clock stands at Friday 2026-11-27 09:00 Asia/Shanghai. The `visit` schedule: mon-sat,
// 09:00-12:00 and 14:00-17:00, 60-minute slots, capacity 2, horizon 7 days (27 Nov .. 3 Dec),
// lead 120 minutes (earliest start today 11:00).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "slots/slot_fixture.hpp"
#include "support/org.hpp"

using namespace slots_test;

namespace {

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

const char* reason = "Plans changed (计划有变)";

}  // namespace

// ---------------------------------------------------------------------------------------------
TEST_CASE_FIXTURE(Fixture, "set_schedule stores the schedule normalised; get_schedule reads it back") {
  const auto s = engine.get_schedule(w.as_admin(), w.visit);
  REQUIRE(s.has_value());
  CHECK(s->id == w.visit);
  CHECK(s->org_id == w.org);
  CHECK(s->days == "mon,tue,wed,thu,fri,sat");
  CHECK(s->windows == "09:00-12:00,14:00-17:00");
  CHECK(s->slot_minutes == 60);
  CHECK(s->capacity == 2);
  CHECK(s->horizon_days == 7);
  CHECK(s->lead_minutes == 120);
  CHECK_FALSE(engine.get_schedule(w.as_admin(), w.plain).has_value());
  // staff of the org read it
  CHECK(engine.get_schedule(w.as_dispatcher(), w.visit).has_value());
}

TEST_CASE_FIXTURE(Fixture, "availability lists every slot with start, end, local start, capacity, booked, available") {
  const auto slots = engine.availability(w.as_admin(), w.visit, ymd(2026, 11, 27), ymd(2026, 12, 5));
  // Fri 27, Sat 28, (Sun 29 closed), Mon 30, Tue 1, Wed 2, Thu 3, Fri 4, Sat 5: 8 days x 6 slots.
  struct Day {
    unsigned m, d;
  };
  const Day days[] = {{11, 27}, {11, 28}, {11, 30}, {12, 1}, {12, 2}, {12, 3}, {12, 4}, {12, 5}};
  std::vector<wo::Slot> want;
  for (auto [m, d] : days)
    for (int h : {9, 10, 11, 14, 15, 16}) {
      wo::Slot s;
      s.start = sh(2026, m, d, h);
      s.end = s.start + 60min;
      s.local_start = fmt::format("2026-{:02}-{:02}T{:02}:00+08:00", m, d, h);
      s.capacity = 2;
      s.booked = 0;
      // not earlier than now + 120 min (11:00 today), and on a local date before 4 Dec
      s.available = s.start >= sh(2026, 11, 27, 11) && s.start < sh(2026, 12, 4, 0);
      want.push_back(s);
    }
  REQUIRE(slots.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CAPTURE(want[i].local_start);
    CHECK(slots[i].start == want[i].start);
    CHECK(slots[i].end == want[i].end);
    CHECK(slots[i].local_start == want[i].local_start);
    CHECK(slots[i].capacity == want[i].capacity);
    CHECK(slots[i].booked == want[i].booked);
    CHECK(slots[i].available == want[i].available);
  }
  // the counts the rules imply: 2 past/too early today, 12 beyond the horizon
  int available = 0;
  for (const auto& s : slots) available += s.available ? 1 : 0;
  CHECK(available == 48 - 2 - 12);
}

TEST_CASE_FIXTURE(Fixture, "availability: a tenant contact and a technician of the org may read it") {
  CHECK(engine.availability(w.as_c1(), w.visit, ymd(2026, 11, 30), ymd(2026, 11, 30)).size() == 6);
  CHECK(engine.availability(w.as_tech(), w.visit, ymd(2026, 11, 30), ymd(2026, 11, 30)).size() == 6);
}

TEST_CASE_FIXTURE(Fixture, "availability reports booked and turns a full slot unavailable") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  submit(mon10);
  auto s = slot(mon10);
  REQUIRE(s);
  CHECK(s->booked == 1);
  CHECK(s->capacity == 2);
  CHECK(s->available);
  submit(mon10, nullptr);
  s = slot(mon10);
  REQUIRE(s);
  CHECK(s->booked == 2);
  CHECK_FALSE(s->available);
  // neighbours untouched
  CHECK(slot(sh(2026, 11, 30, 9))->booked == 0);
  CHECK(slot(sh(2026, 11, 30, 11))->booked == 0);
  CHECK(slot(sh(2026, 11, 30, 11))->available);
}

TEST_CASE_FIXTURE(Fixture, "availability: the horizon counts org-local dates, today included") {
  // Friday 23:59 local: today is still the 27th, so the 4th is beyond the horizon.
  now = sh(2026, 11, 27, 23, 59);
  CHECK(slot(sh(2026, 12, 3, 16))->available);
  CHECK_FALSE(slot(sh(2026, 12, 4, 9))->available);
  // Saturday 07:00 local (still Friday 23:00 in UTC): the horizon now reaches Friday the 4th.
  now = sh(2026, 11, 28, 7);
  CHECK(slot(sh(2026, 12, 4, 9))->available);
  CHECK(slot(sh(2026, 12, 4, 16))->available);
  CHECK_FALSE(slot(sh(2026, 12, 5, 9))->available);
  const OrderId id = submit(sh(2026, 12, 4, 9));
  CHECK(order(id).slot_start == sh(2026, 12, 4, 9));
  CHECK(booked(sh(2026, 12, 4, 9)) == 1);
}

TEST_CASE_FIXTURE(Fixture, "availability: range limits and errors") {
  // 62 days (27 Nov .. 27 Jan) is the most
  CHECK_NOTHROW(engine.availability(w.as_admin(), w.visit, ymd(2026, 11, 27), ymd(2027, 1, 27)));
  auto out = expect_error(Code::invalid_argument,
                          [&] { engine.availability(w.as_admin(), w.visit, ymd(2026, 11, 27), ymd(2027, 1, 28)); });
  CHECK(contains(out.message, "62"));
  expect_error(Code::invalid_argument,
               [&] { engine.availability(w.as_admin(), w.visit, ymd(2026, 1, 1), ymd(2026, 12, 31)); });
  // reversed range, impossible dates
  expect_error(Code::invalid_argument,
               [&] { engine.availability(w.as_admin(), w.visit, ymd(2026, 11, 30), ymd(2026, 11, 27)); });
  expect_error(Code::invalid_argument,
               [&] { engine.availability(w.as_admin(), w.visit, ymd(2026, 2, 30), ymd(2026, 3, 2)); });
  // one day is fine; a single closed day is an empty list
  CHECK(engine.availability(w.as_admin(), w.visit, ymd(2026, 11, 29), ymd(2026, 11, 29)).empty());
  // a subtype without a schedule has no availability
  expect_error(Code::not_found,
               [&] { engine.availability(w.as_admin(), w.plain, ymd(2026, 11, 27), ymd(2026, 11, 27)); });
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_FIXTURE(Fixture, "submit with a slot books it") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  CHECK(booked(mon10) == 0);
  const OrderId id = submit(mon10);
  const wo::Order o = order(id);
  CHECK(o.slot_start == mon10);
  CHECK(o.status == Status::pending_dispatch);
  CHECK(booked(mon10) == 1);
  // staff reporting for the org book the same way
  const Actor dispatcher = w.as_dispatcher();
  const OrderId by_staff = submit(mon10, &dispatcher);
  CHECK(order(by_staff).slot_start == mon10);
  CHECK(booked(mon10) == 2);
}

TEST_CASE_FIXTURE(Fixture, "submit: the earliest bookable slot is exactly now + lead") {
  const OrderId id = submit(sh(2026, 11, 27, 11));
  CHECK(order(id).slot_start == sh(2026, 11, 27, 11));
  CHECK(booked(sh(2026, 11, 27, 11)) == 1);
  // and the last day of the horizon
  CHECK(order(submit(sh(2026, 12, 3, 16))).slot_start == sh(2026, 12, 3, 16));
}

TEST_CASE_FIXTURE(Fixture, "submit: a start that is not a slot is slot_unavailable, naming it in local time") {
  struct Case {
    Timestamp start;
    const char* shown;
  };
  const Case cases[] = {
      {sh(2026, 11, 30, 10, 30), "2026-11-30T10:30+08:00"},  // inside a slot
      {sh(2026, 11, 30, 12), "2026-11-30T12:00+08:00"},      // a window's end
      {sh(2026, 11, 30, 13), "2026-11-30T13:00+08:00"},      // between windows
      {sh(2026, 11, 30, 8), "2026-11-30T08:00+08:00"},       // before the first window
      {sh(2026, 11, 29, 10), "2026-11-29T10:00+08:00"},      // Sunday: no slots
      {sh(2026, 11, 30, 10) + 1ms, "2026-11-30T10:00+08:00"},
      {sh(2026, 11, 30, 10) + 1min, "2026-11-30T10:01+08:00"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.shown);
    const auto before = order_count();
    const auto out = expect_error(Code::slot_unavailable, [&] { submit(c.start); });
    CHECK(contains(out.message, c.shown));
    CHECK(order_count() == before);
  }
  CHECK(booked(sh(2026, 11, 30, 10)) == 0);
}

TEST_CASE_FIXTURE(Fixture, "submit: earlier than now + lead is slot_too_early, naming the slot in local time") {
  struct Case {
    Timestamp start;
    const char* shown;
  };
  const Case cases[] = {
      {sh(2026, 11, 27, 10), "2026-11-27T10:00+08:00"},  // within the lead time
      {sh(2026, 11, 27, 9), "2026-11-27T09:00+08:00"},   // starting right now
      {sh(2026, 11, 26, 14), "2026-11-26T14:00+08:00"},  // yesterday
      {sh(2026, 11, 2, 9), "2026-11-02T09:00+08:00"},    // weeks ago
  };
  for (const auto& c : cases) {
    CAPTURE(c.shown);
    const auto out = expect_error(Code::slot_too_early, [&] { submit(c.start); });
    CHECK(contains(out.message, c.shown));
    CHECK(booked(c.start) == 0);
  }
  CHECK(order_count() == 0);
  // the lead time is counted from the clock: one minute later 11:00 is too early too
  now += 1min;
  const auto out = expect_error(Code::slot_too_early, [&] { submit(sh(2026, 11, 27, 11)); });
  CHECK(contains(out.message, "2026-11-27T11:00+08:00"));
}

TEST_CASE_FIXTURE(Fixture, "submit: past the horizon is slot_beyond_horizon, naming the slot in local time") {
  struct Case {
    Timestamp start;
    const char* shown;
  };
  const Case cases[] = {
      {sh(2026, 12, 4, 9), "2026-12-04T09:00+08:00"},  // the first day after the horizon
      {sh(2026, 12, 5, 16), "2026-12-05T16:00+08:00"},
      {sh(2027, 3, 1, 9), "2027-03-01T09:00+08:00"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.shown);
    const auto out = expect_error(Code::slot_beyond_horizon, [&] { submit(c.start); });
    CHECK(contains(out.message, c.shown));
    CHECK(booked(c.start) == 0);
  }
  CHECK(order_count() == 0);
}

TEST_CASE_FIXTURE(Fixture, "submit: a full slot is slot_full, naming it in local time; nothing changes") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  submit(mon10);
  submit(mon10);
  CHECK(booked(mon10) == 2);
  const auto before = order_count();
  for (const Actor& actor : {w.as_c1(), w.as_c2(), w.as_dispatcher(), w.as_admin()}) {
    const auto out = expect_error(Code::slot_full, [&] { submit(mon10, &actor); });
    CHECK(contains(out.message, "2026-11-30T10:00+08:00"));
  }
  CHECK(order_count() == before);
  CHECK(booked(mon10) == 2);
  // the next slot is still free
  submit(sh(2026, 11, 30, 11));
  CHECK(booked(sh(2026, 11, 30, 11)) == 1);
}

TEST_CASE_FIXTURE(Fixture, "submit: slot_start is required with a schedule and rejected without one") {
  auto out = expect_error(Code::invalid_argument, [&] { engine.submit(w.as_c1(), draft(w.visit, std::nullopt)); });
  CHECK(contains(out.message, "slot_start"));
  out = expect_error(Code::invalid_argument,
                     [&] { engine.submit(w.as_c1(), draft(w.plain, sh(2026, 11, 30, 10))); });
  CHECK(contains(out.message, "slot_start"));
  CHECK(order_count() == 0);
  // without a schedule and without a slot: an ordinary order
  const OrderId id = engine.submit(w.as_c1(), draft(w.plain, std::nullopt));
  CHECK_FALSE(order(id).slot_start.has_value());
}

TEST_CASE_FIXTURE(Fixture, "submit: bookings are per subtype") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  submit(mon10);
  submit(mon10);
  const OrderId p = engine.submit(w.as_c1(), draft(w.prepaid, mon10, w.prepaid_spec));
  CHECK(order(p).status == Status::awaiting_prepayment);
  CHECK(booked(mon10, w.prepaid) == 1);
  CHECK(booked(mon10, w.visit) == 2);
  CHECK(slot(mon10, w.prepaid)->available);
}

TEST_CASE_FIXTURE(Fixture, "submit: a repeated client_token returns the first order and books nothing more") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  auto d = draft(w.visit, mon10);
  d.client_token = "tap-req-1";
  const OrderId first = engine.submit(w.as_c1(), d);
  CHECK(booked(mon10) == 1);
  CHECK(engine.submit(w.as_c1(), d) == first);
  CHECK(booked(mon10) == 1);
  CHECK(order_count() == 1);
  // even once the slot is full, the repeat is the first order, not slot_full
  submit(mon10);
  CHECK(booked(mon10) == 2);
  const auto out = capture([&] { CHECK(engine.submit(w.as_c1(), d) == first); });
  CHECK_MESSAGE(!out.threw, out.message);
  CHECK(booked(mon10) == 2);
  CHECK(order_count() == 2);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_FIXTURE(Fixture, "cancel releases the slot") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId a = submit(mon10);
  const Actor c2 = w.as_c2();
  const OrderId b = submit(mon10, &c2);
  CHECK_FALSE(slot(mon10)->available);

  SUBCASE("by the reporter in pending_dispatch") {
    engine.cancel(w.as_c1(), a, reason);
    CHECK(order(a).status == Status::cancelled);
    CHECK(booked(mon10) == 1);
    CHECK(slot(mon10)->available);
    // the place can be taken again
    submit(mon10);
    CHECK(booked(mon10) == 2);
    // a second cancel is refused and releases nothing more
    expect_error(Code::invalid_state, [&] { engine.cancel(w.as_c1(), a, reason); });
    CHECK(booked(mon10) == 2);
  }
  SUBCASE("by the dispatcher in pending_accept") {
    engine.assign(w.as_dispatcher(), b, w.tech);
    engine.cancel(w.as_dispatcher(), b, reason);
    CHECK(booked(mon10) == 1);
  }
  SUBCASE("by an admin in progress") {
    engine.assign(w.as_dispatcher(), b, w.tech);
    engine.accept(w.as_tech(), b);
    engine.cancel(w.as_admin(), b, reason);
    CHECK(order(b).status == Status::cancelled);
    CHECK(booked(mon10) == 1);
  }
  SUBCASE("a refused cancel (no reason) keeps the booking") {
    expect_error(Code::invalid_argument, [&] { engine.cancel(w.as_c1(), a, ""); });
    CHECK(booked(mon10) == 2);
  }
  SUBCASE("both cancelled: empty again") {
    engine.cancel(w.as_c1(), a, reason);
    engine.cancel(w.as_c2(), b, reason);
    CHECK(booked(mon10) == 0);
    CHECK(slot(mon10)->booked == 0);
    CHECK(slot(mon10)->available);
  }
}

TEST_CASE_FIXTURE(Fixture, "the prepayment timeout (tick) cancels the order and releases its slot") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId p = engine.submit(w.as_c1(), draft(w.prepaid, mon10, w.prepaid_spec));
  const OrderId paid = engine.submit(w.as_c2(), draft(w.prepaid, mon10, w.prepaid_spec));
  engine.pay_prepayment(w.as_c2(), paid, {wo::Channel::wechat, wo::Money{10000}, std::string("txn-1")});
  CHECK(order(paid).status == Status::pending_dispatch);
  CHECK(booked(mon10, w.prepaid) == 2);
  CHECK_FALSE(slot(mon10, w.prepaid)->available);

  // 29 minutes: nothing yet (the default prepayment timeout is 30 minutes)
  CHECK(engine.tick(Actor::system(), now + 29min) == 0);
  CHECK(order(p).status == Status::awaiting_prepayment);
  CHECK(booked(mon10, w.prepaid) == 2);

  now += 31min;
  CHECK(engine.tick(Actor::system(), now) == 1);
  CHECK(order(p).status == Status::cancelled);
  CHECK(order(paid).status == Status::pending_dispatch);
  CHECK(booked(mon10, w.prepaid) == 1);
  CHECK(slot(mon10, w.prepaid)->available);
  // ticking again releases nothing more
  CHECK(engine.tick(Actor::system(), now + 60min) == 0);
  CHECK(booked(mon10, w.prepaid) == 1);
}

TEST_CASE_FIXTURE(Fixture, "the accept timeout keeps the booking") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId a = submit(mon10);
  engine.assign(w.as_dispatcher(), a, w.tech);
  now += 61min;
  CHECK(engine.tick(Actor::system(), now) == 1);
  CHECK(order(a).status == Status::pending_dispatch);
  CHECK(order(a).slot_start == mon10);
  CHECK(booked(mon10) == 1);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_FIXTURE(Fixture, "reschedule moves the booking: new slot booked, old released, event written") {
  const Timestamp mon10 = sh(2026, 11, 30, 10), mon14 = sh(2026, 11, 30, 14), tue9 = sh(2026, 12, 1, 9);
  const OrderId a = submit(mon10);
  engine.reschedule(w.as_c1(), a, mon14);
  CHECK(order(a).slot_start == mon14);
  CHECK(order(a).status == Status::pending_dispatch);
  CHECK(booked(mon10) == 0);
  CHECK(booked(mon14) == 1);
  const auto events = engine.timeline(Actor::system(), a, 0, wo::max_page_size);
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().action == wo::Action::reschedule);
  CHECK(events.back().details.has_value());
  CHECK(contains(events.back().details.value_or(""), "2026-11-30T10:00+08:00"));
  CHECK(contains(events.back().details.value_or(""), "2026-11-30T14:00+08:00"));
  // the office may move it too, and a cancel then releases the slot it is in now
  engine.reschedule(w.as_dispatcher(), a, tue9);
  CHECK(booked(mon14) == 0);
  CHECK(booked(tue9) == 1);
  engine.cancel(w.as_c1(), a, reason);
  CHECK(booked(tue9) == 0);
  CHECK(booked(mon10) == 0);
  CHECK(booked(mon14) == 0);
}

TEST_CASE_FIXTURE(Fixture, "reschedule is allowed in awaiting_prepayment and pending_accept") {
  const Timestamp mon10 = sh(2026, 11, 30, 10), mon11 = sh(2026, 11, 30, 11);
  const OrderId p = engine.submit(w.as_c1(), draft(w.prepaid, mon10, w.prepaid_spec));
  engine.reschedule(w.as_c1(), p, mon11);
  CHECK(order(p).slot_start == mon11);
  CHECK(booked(mon10, w.prepaid) == 0);
  CHECK(booked(mon11, w.prepaid) == 1);
  CHECK(booked(mon11, w.visit) == 0);

  const OrderId a = submit(mon10);
  engine.assign(w.as_dispatcher(), a, w.tech);
  engine.reschedule(w.as_dispatcher(), a, mon11);
  CHECK(order(a).slot_start == mon11);
  CHECK(order(a).status == Status::pending_accept);
  CHECK(booked(mon10) == 0);
  CHECK(booked(mon11) == 1);
}

TEST_CASE_FIXTURE(Fixture, "reschedule into a full slot fails with slot_full and keeps the old booking") {
  const Timestamp mon10 = sh(2026, 11, 30, 10), mon14 = sh(2026, 11, 30, 14);
  const OrderId a = submit(mon10);
  submit(mon14);
  submit(mon14);
  const auto out = expect_error(Code::slot_full, [&] { engine.reschedule(w.as_c1(), a, mon14); });
  CHECK(contains(out.message, "2026-11-30T14:00+08:00"));
  CHECK(order(a).slot_start == mon10);
  CHECK(booked(mon10) == 1);
  CHECK(booked(mon14) == 2);
}

TEST_CASE_FIXTURE(Fixture, "reschedule to an invalid slot fails with the slot's code and changes nothing") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId a = submit(mon10);
  auto out = expect_error(Code::slot_unavailable, [&] { engine.reschedule(w.as_c1(), a, sh(2026, 11, 30, 10, 30)); });
  CHECK(contains(out.message, "2026-11-30T10:30+08:00"));
  out = expect_error(Code::slot_too_early, [&] { engine.reschedule(w.as_c1(), a, sh(2026, 11, 27, 10)); });
  CHECK(contains(out.message, "2026-11-27T10:00+08:00"));
  out = expect_error(Code::slot_beyond_horizon, [&] { engine.reschedule(w.as_c1(), a, sh(2026, 12, 4, 10)); });
  CHECK(contains(out.message, "2026-12-04T10:00+08:00"));
  CHECK(order(a).slot_start == mon10);
  CHECK(booked(mon10) == 1);
}

TEST_CASE_FIXTURE(Fixture, "reschedule to the same slot is invalid_argument") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId a = submit(mon10);
  const auto out = expect_error(Code::invalid_argument, [&] { engine.reschedule(w.as_c1(), a, mon10); });
  CHECK(contains(out.message, "slot_start"));
  CHECK(booked(mon10) == 1);
}

TEST_CASE_FIXTURE(Fixture, "reschedule once work started, or of a cancelled order, is invalid_state") {
  const Timestamp mon10 = sh(2026, 11, 30, 10), mon14 = sh(2026, 11, 30, 14);
  const OrderId a = submit(mon10);
  engine.assign(w.as_dispatcher(), a, w.tech);
  engine.accept(w.as_tech(), a);
  CHECK(order(a).status == Status::in_progress);
  expect_error(Code::invalid_state, [&] { engine.reschedule(w.as_dispatcher(), a, mon14); });
  expect_error(Code::invalid_state, [&] { engine.reschedule(w.as_admin(), a, mon14); });
  CHECK(booked(mon10) == 1);
  CHECK(booked(mon14) == 0);

  const OrderId b = submit(mon10);
  engine.cancel(w.as_c1(), b, reason);
  expect_error(Code::invalid_state, [&] { engine.reschedule(w.as_admin(), b, mon14); });
  CHECK(booked(mon10) == 1);
  CHECK(booked(mon14) == 0);
}

TEST_CASE_FIXTURE(Fixture, "reschedule of an order without a slot is refused and changes nothing") {
  const OrderId id = engine.submit(w.as_c1(), draft(w.plain, std::nullopt));
  const auto out = capture([&] {
    const Snapshot before = snapshot();
    try {
      engine.reschedule(w.as_c1(), id, sh(2026, 11, 30, 10));
    } catch (...) {
      CHECK(diff(before, snapshot()) == "");
      throw;
    }
  });
  CHECK(out.threw);
  CHECK((out.code == Code::invalid_state || out.code == Code::invalid_argument));
}

TEST_CASE_FIXTURE(Fixture, "reschedule: another contact of the tenant does not see the order; the assignee may not move it") {
  const Timestamp mon10 = sh(2026, 11, 30, 10), mon14 = sh(2026, 11, 30, 14);
  const OrderId a = submit(mon10);
  // rules §7: a tenant contact sees only the orders they reported
  expect_error(Code::not_found, [&] { engine.reschedule(w.as_c2(), a, mon14); });
  engine.assign(w.as_dispatcher(), a, w.tech);
  const Snapshot before = snapshot();
  const auto out = capture([&] { engine.reschedule(w.as_tech(), a, mon14); });
  CHECK(out.threw);
  CHECK((out.code == Code::forbidden || out.code == Code::not_found));
  CHECK(diff(before, snapshot()) == "");
  CHECK(booked(mon10) == 1);
  CHECK(booked(mon14) == 0);
}

TEST_CASE_FIXTURE(Fixture, "another org sees neither the schedule, the availability nor the order") {
  const wo::NewOrg other = test_support::create_org(engine, "Other", "Asia/Shanghai", "Other admin", "13700000000");
  const Actor stranger = Actor::staff(other.admin);
  const OrderId a = submit(sh(2026, 11, 30, 10));
  expect_error(Code::not_found, [&] { engine.set_schedule(stranger, w.visit, standard_schedule(5)); });
  expect_error(Code::not_found, [&] { engine.clear_schedule(stranger, w.visit); });
  expect_error(Code::not_found, [&] { (void)engine.get_schedule(stranger, w.visit); });
  expect_error(Code::not_found,
               [&] { engine.availability(stranger, w.visit, ymd(2026, 11, 30), ymd(2026, 11, 30)); });
  expect_error(Code::not_found, [&] { engine.reschedule(stranger, a, sh(2026, 11, 30, 14)); });
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_FIXTURE(Fixture, "changing the schedule never cancels bookings") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId a = submit(mon10);
  const Actor c2 = w.as_c2();
  const OrderId b = submit(mon10, &c2);
  // only afternoons from now on, a new slot length, other days: 10:00 is no longer a slot
  wo::Patch<wo::SlotSchedule> p;
  p.set(&wo::SlotSchedule::windows, std::string("14:00-17:00")).set(&wo::SlotSchedule::slot_minutes, std::int32_t{90});
  engine.set_schedule(w.as_admin(), w.visit, p);
  const auto s = engine.get_schedule(w.as_admin(), w.visit);
  REQUIRE(s);
  CHECK(s->windows == "14:00-17:00");
  CHECK(s->slot_minutes == 90);
  CHECK(s->capacity == 2);  // unspecified fields keep their values
  CHECK(s->days == "mon,tue,wed,thu,fri,sat");
  CHECK(s->lead_minutes == 120);
  for (OrderId id : {a, b}) {
    CHECK(order(id).status == Status::pending_dispatch);
    CHECK(order(id).slot_start == mon10);
  }
  CHECK(booked(mon10) == 2);
  const auto monday = engine.availability(w.as_admin(), w.visit, ymd(2026, 11, 30), ymd(2026, 11, 30));
  REQUIRE(monday.size() == 2);
  CHECK(monday[0].local_start == "2026-11-30T14:00+08:00");
  CHECK(monday[1].local_start == "2026-11-30T15:30+08:00");
  // the old slot can no longer be booked, but cancelling still gives its place back
  expect_error(Code::slot_unavailable, [&] { submit(mon10); });
  engine.cancel(w.as_c1(), a, reason);
  CHECK(booked(mon10) == 1);
  // removing the schedule keeps the bookings with their orders
  engine.clear_schedule(w.as_admin(), w.visit);
  CHECK(order(b).slot_start == mon10);
  CHECK(order(b).status == Status::pending_dispatch);
  CHECK(booked(mon10) == 1);
  CHECK_FALSE(engine.get_schedule(w.as_admin(), w.visit).has_value());
  // and the subtype now takes orders without a slot
  CHECK_FALSE(order(engine.submit(w.as_c1(), draft(w.visit, std::nullopt))).slot_start.has_value());
}

TEST_CASE_FIXTURE(Fixture, "a capacity lowered below what is booked makes the slot full") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  wo::Patch<wo::SlotSchedule> cap3;
  cap3.set(&wo::SlotSchedule::capacity, std::int32_t{3});
  engine.set_schedule(w.as_admin(), w.visit, cap3);
  const Actor c2 = w.as_c2(), dispatcher = w.as_dispatcher();
  const OrderId a = submit(mon10), b = submit(mon10, &c2), c = submit(mon10, &dispatcher);
  CHECK(booked(mon10) == 3);

  wo::Patch<wo::SlotSchedule> cap1;
  cap1.set(&wo::SlotSchedule::capacity, std::int32_t{1});
  engine.set_schedule(w.as_admin(), w.visit, cap1);
  for (OrderId id : {a, b, c}) CHECK(order(id).status == Status::pending_dispatch);
  auto s = slot(mon10);
  REQUIRE(s);
  CHECK(s->capacity == 1);
  CHECK(s->booked == 3);
  CHECK_FALSE(s->available);
  auto out = expect_error(Code::slot_full, [&] { submit(mon10); });
  CHECK(contains(out.message, "2026-11-30T10:00+08:00"));
  // rescheduling into it is refused the same way
  const OrderId d = submit(sh(2026, 11, 30, 11));
  expect_error(Code::slot_full, [&] { engine.reschedule(w.as_c1(), d, mon10); });

  engine.cancel(w.as_c1(), a, reason);
  CHECK(booked(mon10) == 2);
  CHECK_FALSE(slot(mon10)->available);
  expect_error(Code::slot_full, [&] { submit(mon10); });
  engine.cancel(w.as_c2(), b, reason);
  CHECK(booked(mon10) == 1);
  CHECK_FALSE(slot(mon10)->available);  // 1 booked of capacity 1
  expect_error(Code::slot_full, [&] { submit(mon10); });
  engine.cancel(w.as_dispatcher(), c, reason);
  CHECK(booked(mon10) == 0);
  CHECK(slot(mon10)->available);
  submit(mon10);
  CHECK(booked(mon10) == 1);
  // and raising it again opens places
  engine.set_schedule(w.as_admin(), w.visit, cap3);
  CHECK(slot(mon10)->available);
}

TEST_CASE_FIXTURE(Fixture, "only an admin sets or clears a schedule") {
  for (const Actor& actor : {w.as_dispatcher(), w.as_tech()}) {
    expect_error(Code::forbidden, [&] { engine.set_schedule(actor, w.visit, standard_schedule(9)); });
    expect_error(Code::forbidden, [&] { engine.set_schedule(actor, w.plain, standard_schedule(9)); });
    expect_error(Code::forbidden, [&] { engine.clear_schedule(actor, w.visit); });
  }
  // a tenant contact is refused too (forbidden, or not found if it cannot see settings)
  const auto before = snapshot();
  const auto out = capture([&] { engine.set_schedule(w.as_c1(), w.visit, standard_schedule(9)); });
  CHECK(out.threw);
  CHECK((out.code == Code::forbidden || out.code == Code::not_found));
  CHECK(diff(before, snapshot()) == "");
  CHECK(engine.get_schedule(w.as_admin(), w.visit)->capacity == 2);
  CHECK_FALSE(engine.get_schedule(w.as_admin(), w.plain).has_value());
  // the system actor belongs to no org
  CHECK(capture([&] { engine.set_schedule(Actor::system(), w.visit, standard_schedule(9)); }).threw);
}

TEST_CASE_FIXTURE(Fixture, "invalid schedules through Engine::set_schedule are rejected and change nothing") {
  struct Case {
    wo::Patch<wo::SlotSchedule> patch;
    std::vector<std::string> needles;
    bool whole = true;  // a whole schedule (also tried as a new one on `plain`)
  };
  auto one = [](auto member, auto value) {
    wo::Patch<wo::SlotSchedule> p;
    p.set(member, value);
    return p;
  };
  const std::vector<Case> cases = {
      {schedule_patch("mon", "09:00-12:00,11:00-13:00", 60, 2, 7, 0), {"windows", "overlap"}},
      {schedule_patch("mon", "09:00-12:00", 60, 0, 7, 0), {"capacity", "0"}},
      {schedule_patch("mon", "09:00-12:00", 60, -3, 7, 0), {"capacity", "-3"}},
      {schedule_patch("mon", "09:00-09:30", 60, 2, 7, 0), {"windows", "09:00-09:30"}},
      {schedule_patch("funday", "09:00-12:00", 60, 2, 7, 0), {"days", "funday"}},
      {schedule_patch("mon", "9:00-12:00", 60, 2, 7, 0), {"windows", "9:00-12:00"}},
      {schedule_patch("mon", "12:00-09:00", 60, 2, 7, 0), {"windows", "12:00-09:00"}},
      {schedule_patch("mon", "09:00-12:00", 0, 2, 7, 0), {"slot_minutes", "0"}},
      {schedule_patch("mon", "09:00-12:00", 60, 2, 0, 0), {"horizon_days", "0"}},
      {schedule_patch("mon", "09:00-12:00", 60, 2, 7, -5), {"lead_minutes", "-5"}},
      // partial updates of the existing schedule that make it invalid
      {one(&wo::SlotSchedule::capacity, std::int32_t{0}), {"capacity", "0"}, false},
      {one(&wo::SlotSchedule::slot_minutes, std::int32_t{240}), {"windows", "240"}, false},
      {one(&wo::SlotSchedule::days, std::string("mon,funday")), {"days", "funday"}, false},
      {one(&wo::SlotSchedule::windows, std::string("09:00-25:00")), {"windows", "09:00-25:00"}, false},
      {one(&wo::SlotSchedule::id, wo::SubtypeId{w.plain}), {"id"}},
      {one(&wo::SlotSchedule::org_id, wo::OrgId{w.org}), {"org_id"}},
  };
  const auto kept = engine.get_schedule(w.as_admin(), w.visit);
  REQUIRE(kept);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i);
    for (auto subtype : {w.visit, w.plain}) {
      if (!cases[i].whole && subtype == w.plain) continue;
      CAPTURE(subtype.value);
      const auto out = expect_error(Code::invalid_argument, [&] { engine.set_schedule(w.as_admin(), subtype, cases[i].patch); });
      for (const auto& needle : cases[i].needles) {
        CAPTURE(needle);
        CHECK(contains(out.message, needle));
      }
    }
  }
  const auto after = engine.get_schedule(w.as_admin(), w.visit);
  REQUIRE(after);
  CHECK(after->days == kept->days);
  CHECK(after->windows == kept->windows);
  CHECK(after->capacity == kept->capacity);
  CHECK(after->slot_minutes == kept->slot_minutes);
  CHECK_FALSE(engine.get_schedule(w.as_admin(), w.plain).has_value());
}

TEST_CASE_FIXTURE(Fixture, "a new schedule needs every required field") {
  for (const char* missing : {"days", "windows", "slot_minutes", "capacity", "horizon_days"}) {
    CAPTURE(missing);
    wo::Patch<wo::SlotSchedule> p;
    if (std::string(missing) != "days") p.set(&wo::SlotSchedule::days, std::string("mon"));
    if (std::string(missing) != "windows") p.set(&wo::SlotSchedule::windows, std::string("09:00-12:00"));
    if (std::string(missing) != "slot_minutes") p.set(&wo::SlotSchedule::slot_minutes, std::int32_t{60});
    if (std::string(missing) != "capacity") p.set(&wo::SlotSchedule::capacity, std::int32_t{1});
    if (std::string(missing) != "horizon_days") p.set(&wo::SlotSchedule::horizon_days, std::int32_t{7});
    const auto out = expect_error(Code::invalid_argument, [&] { engine.set_schedule(w.as_admin(), w.plain, p); });
    CHECK(contains(out.message, missing));
  }
  // lead_minutes is optional (0)
  engine.set_schedule(w.as_admin(), w.plain, schedule_patch("mon", "09:00-12:00", 60, 1, 7, 0));
  wo::Patch<wo::SlotSchedule> no_lead;
  no_lead.set(&wo::SlotSchedule::days, std::string("tue"))
      .set(&wo::SlotSchedule::windows, std::string("09:00-12:00"))
      .set(&wo::SlotSchedule::slot_minutes, std::int32_t{60})
      .set(&wo::SlotSchedule::capacity, std::int32_t{1})
      .set(&wo::SlotSchedule::horizon_days, std::int32_t{7});
  engine.clear_schedule(w.as_admin(), w.plain);
  engine.set_schedule(w.as_admin(), w.plain, no_lead);
  CHECK(engine.get_schedule(w.as_admin(), w.plain)->lead_minutes == 0);
}

// ---------------------------------------------------------------------------------------------
// The engine cuts slots in the org's own zone: on DST days the nonexistent local hour is not
// offered and cannot be booked, and a repeated local hour is offered (and bookable) once, at
// its first occurrence.
namespace {

struct ZoneOrg {
  wo::StaffId admin;
  wo::SubtypeId subtype;
};

ZoneOrg zone_org(wo::Engine& e, const std::string& name, const std::string& zone) {
  const wo::NewOrg created = test_support::create_org(e, name, zone, "Admin", "13600000000");
  const Actor admin = Actor::staff(created.admin);
  const auto dept = add<wo::Department>(e, admin, f(&wo::Department::name, "Maintenance"));
  const auto pos = add<wo::Position>(e, admin, f(&wo::Position::name, "Plumber"));
  const auto type = add<wo::OrderType>(e, admin, f(&wo::OrderType::name, "Repair"), f(&wo::OrderType::department_id, dept),
                                       f(&wo::OrderType::position_id, pos));
  const auto subtype = add<wo::Subtype>(e, admin, f(&wo::Subtype::order_type_id, type), f(&wo::Subtype::name, "Night visit"),
                                        f(&wo::Subtype::charge_mode, wo::ChargeMode::free));
  e.set_schedule(admin, subtype, schedule_patch("sun", "00:00-04:00", 60, 1, 366, 0));
  return {created.admin, subtype};
}

Timestamp utc(int y, unsigned m, unsigned d, int h, int min = 0) { return sh(y, m, d, h + 8, min); }

std::string local_starts(const std::vector<wo::Slot>& slots) {
  std::string out;
  for (const auto& s : slots) out += (out.empty() ? "" : " ") + s.local_start;
  return out;
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "availability and booking across DST in America/New_York and Europe/Berlin") {
  now = utc(2026, 3, 1, 12);  // before both spring-forward days; the 366-day horizon covers the year
  const ZoneOrg ny = zone_org(engine, "New York Property", "America/New_York");
  const ZoneOrg berlin = zone_org(engine, "Berlin Property", "Europe/Berlin");
  auto submit_in = [&](const ZoneOrg& o, Timestamp start) {
    return engine.submit(Actor::staff(o.admin), draft(o.subtype, start));
  };

  SUBCASE("New York spring forward 2026-03-08: 02:00 does not exist") {
    const auto slots = engine.availability(Actor::staff(ny.admin), ny.subtype, ymd(2026, 3, 8), ymd(2026, 3, 8));
    // 00:00 EST, 01:00 EST, (02:00 skipped), 03:00 EDT; 04:00 is the window's end
    CHECK(local_starts(slots) == "2026-03-08T00:00-05:00 2026-03-08T01:00-05:00 2026-03-08T03:00-04:00");
    REQUIRE(slots.size() == 3);
    CHECK(slots[0].start == utc(2026, 3, 8, 5));
    CHECK(slots[1].start == utc(2026, 3, 8, 6));
    CHECK(slots[2].start == utc(2026, 3, 8, 7));
    CHECK(slots[1].end == utc(2026, 3, 8, 7));
    for (const auto& s : slots) CHECK(s.available);
    // 07:00Z is 03:00 EDT, a slot; 06:30Z (01:30 EST) is not
    CHECK(engine.get_order(Actor::staff(ny.admin), submit_in(ny, utc(2026, 3, 8, 7))).slot_start == utc(2026, 3, 8, 7));
    const auto out = expect_error(Code::slot_unavailable, [&] { submit_in(ny, utc(2026, 3, 8, 6, 30)); });
    CHECK(contains(out.message, "2026-03-08T01:30-05:00"));
  }
  SUBCASE("New York fall back 2026-11-01: 01:00 offered once, in EDT") {
    const auto slots = engine.availability(Actor::staff(ny.admin), ny.subtype, ymd(2026, 11, 1), ymd(2026, 11, 1));
    CHECK(local_starts(slots) ==
          "2026-11-01T00:00-04:00 2026-11-01T01:00-04:00 2026-11-01T02:00-05:00 2026-11-01T03:00-05:00");
    REQUIRE(slots.size() == 4);
    CHECK(slots[1].start == utc(2026, 11, 1, 5));
    CHECK(slots[2].start == utc(2026, 11, 1, 7));
    // the second 01:00 (EST, 06:00Z) is not a slot; the first is
    const auto out = expect_error(Code::slot_unavailable, [&] { submit_in(ny, utc(2026, 11, 1, 6)); });
    CHECK(contains(out.message, "2026-11-01T01:00-05:00"));
    submit_in(ny, utc(2026, 11, 1, 5));
    const auto again = engine.availability(Actor::staff(ny.admin), ny.subtype, ymd(2026, 11, 1), ymd(2026, 11, 1));
    REQUIRE(again.size() == 4);
    CHECK(again[1].booked == 1);
    CHECK_FALSE(again[1].available);  // capacity 1
    const auto full = expect_error(Code::slot_full, [&] { submit_in(ny, utc(2026, 11, 1, 5)); });
    CHECK(contains(full.message, "2026-11-01T01:00-04:00"));
  }
  SUBCASE("Berlin spring forward 2026-03-29 and fall back 2026-10-25") {
    const auto spring = engine.availability(Actor::staff(berlin.admin), berlin.subtype, ymd(2026, 3, 29), ymd(2026, 3, 29));
    CHECK(local_starts(spring) == "2026-03-29T00:00+01:00 2026-03-29T01:00+01:00 2026-03-29T03:00+02:00");
    REQUIRE(spring.size() == 3);
    CHECK(spring[0].start == utc(2026, 3, 28, 23));
    CHECK(spring[2].start == utc(2026, 3, 29, 1));
    const auto fall = engine.availability(Actor::staff(berlin.admin), berlin.subtype, ymd(2026, 10, 25), ymd(2026, 10, 25));
    CHECK(local_starts(fall) ==
          "2026-10-25T00:00+02:00 2026-10-25T01:00+02:00 2026-10-25T02:00+02:00 2026-10-25T03:00+01:00");
    REQUIRE(fall.size() == 4);
    CHECK(fall[2].start == utc(2026, 10, 25, 0));
    CHECK(fall[3].start == utc(2026, 10, 25, 2));
    // 01:00Z is the second 02:00 (CET): not a slot
    expect_error(Code::slot_unavailable, [&] { submit_in(berlin, utc(2026, 10, 25, 1)); });
    // the slot at local midnight of the 29th (23:00Z on the 28th) belongs to Sunday
    CHECK(engine.get_order(Actor::staff(berlin.admin), submit_in(berlin, utc(2026, 3, 28, 23))).slot_start ==
          utc(2026, 3, 28, 23));
  }
}

// rules §9: every input is checked; a slot_start far outside any calendar is refused with a
// specific error and changes nothing (no overflow while turning it into a local date).
TEST_CASE_FIXTURE(Fixture, "absurd slot_start values are refused cleanly") {
  const Timestamp mon10 = sh(2026, 11, 30, 10);
  const OrderId a = submit(mon10);
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max(), min = std::numeric_limits<std::int64_t>::min();
  std::int64_t ms = 0;
  SUBCASE("INT64_MAX") { ms = max; }
  SUBCASE("INT64_MAX - 1 hour") { ms = max - 3'600'000; }
  SUBCASE("INT64_MAX - 1 day") { ms = max - 86'400'000; }
  SUBCASE("INT64_MIN") { ms = min; }
  SUBCASE("INT64_MIN + 1 hour") { ms = min + 3'600'000; }
  SUBCASE("-1 ms") { ms = -1; }
  SUBCASE("0") { ms = 0; }
  SUBCASE("year 9999") { ms = wo::to_unix_ms(sh(9999, 12, 31, 10)); }
  const Timestamp t = wo::from_unix_ms(ms);
  CAPTURE(ms);
  for (int step = 0; step < 2; ++step) {
    CAPTURE(step);  // 0: submit, 1: reschedule
    const Snapshot before = snapshot();
    const auto out = capture([&] {
      if (step == 0)
        submit(t);
      else
        engine.reschedule(w.as_c1(), a, t);
    });
    INFO("message: ", out.message);
    CHECK(out.threw);
    CHECK_FALSE(out.foreign);
    CHECK((out.code == Code::slot_unavailable || out.code == Code::slot_too_early ||
           out.code == Code::slot_beyond_horizon || out.code == Code::invalid_argument));
    CHECK(diff(before, snapshot()) == "");
  }
  CHECK(order(a).slot_start == mon10);
  CHECK(booked(mon10) == 1);
}

TEST_CASE_FIXTURE(Fixture, "absurd slot_start values are refused cleanly in a zone west of UTC") {
  now = utc(2026, 3, 1, 12);
  const ZoneOrg ny = zone_org(engine, "New York Property", "America/New_York");
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max(), min = std::numeric_limits<std::int64_t>::min();
  std::int64_t ms = 0;
  SUBCASE("INT64_MIN") { ms = min; }
  SUBCASE("INT64_MIN + 1 hour") { ms = min + 3'600'000; }
  SUBCASE("INT64_MAX") { ms = max; }
  CAPTURE(ms);
  const Snapshot before = snapshot();
  const auto out = capture([&] { engine.submit(Actor::staff(ny.admin), draft(ny.subtype, wo::from_unix_ms(ms))); });
  INFO("message: ", out.message);
  CHECK(out.threw);
  CHECK_FALSE(out.foreign);
  CHECK((out.code == Code::slot_unavailable || out.code == Code::slot_too_early ||
         out.code == Code::slot_beyond_horizon || out.code == Code::invalid_argument));
  CHECK(diff(before, snapshot()) == "");
}
