// SPDX-License-Identifier: MIT
// Business hours for service-level clocks (issue 13, pure domain): weekly hours and dated
// exceptions are parsed, checked (every bad part fails with invalid_argument naming the field
// and the part) and written back canonically; business time and deadlines are exact across
// DST changes and holidays, and stand still while the clock is paused. The exactness is checked against an independent calculation that
// steps minute by minute through UTC, asking the zone for each minute's local wall-clock time
// (zones with 1-hour and 30-minute DST changes, none, and a skipped local day).
#include <doctest/doctest.h>

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "domain/business_hours.hpp"
#include "support/business_minutes.hpp"
#include "workorder/errors.hpp"
#include "workorder/time.hpp"

namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::minutes;

wo::BusinessHours parse(std::string weekly, std::string exceptions = "") {
  return wo::parse_business_hours(weekly, exceptions);
}

void expect_rejected(std::string weekly, std::string exceptions, std::vector<std::string> needles) {
  CAPTURE(weekly);
  CAPTURE(exceptions);
  try {
    wo::parse_business_hours(weekly, exceptions);
    FAIL("accepted");
  } catch (const wo::Error& e) {
    CHECK(e.code() == wo::Code::invalid_argument);
    const std::string message = e.what();
    CAPTURE(message);
    for (const auto& n : needles) CHECK(message.find(n) != std::string::npos);
  }
}

wo::Timestamp utc(date::sys_days day, minutes at) { return wo::Timestamp{day} + at; }

TEST_CASE("weekly hours and exceptions are parsed, checked and written back canonically") {
  std::string weekly = " sat 09:00-12:00 ;mon-wed,thu-fri 13:00-18:00,09:00-12:00";
  std::string exceptions = "2026-10-02 closed; 2026-09-27 10:00-16:00";
  const auto hours = wo::parse_business_hours(weekly, exceptions);
  CHECK(weekly == "mon-fri 09:00-12:00,13:00-18:00; sat 09:00-12:00");
  CHECK(exceptions == "2026-09-27 10:00-16:00; 2026-10-02 closed");
  CHECK(hours.weekly[0] == std::vector<wo::Window>{{540, 720}, {780, 1080}});
  CHECK(hours.weekly[6].empty());  // Sunday: not named, closed
  CHECK(hours.exceptions.size() == 2);

  std::string none, no_exceptions;
  const auto always = wo::parse_business_hours(none, no_exceptions);
  for (const auto& day : always.weekly) CHECK(day == std::vector<wo::Window>{{0, 24 * 60}});
  CHECK(none.empty());

  expect_rejected("mon-fri", "", {"business_hours", "'mon-fri'", "<days>"});
  expect_rejected("mon-frx 09:00-18:00", "", {"business_hours", "unknown weekday 'frx'"});
  expect_rejected("fri-mon 09:00-18:00", "", {"business_hours", "runs backwards", "'fri-mon'"});
  expect_rejected("mon 09:00-18:00; mon 10:00-11:00", "", {"business_hours", "names mon twice"});
  expect_rejected("mon 9:00-18:00", "", {"business_hours", "'9:00-18:00'", "not HH:MM"});
  expect_rejected("mon 18:00-09:00", "", {"business_hours", "'18:00-09:00'", "ends before it starts"});
  expect_rejected("mon 09:00-12:00,11:00-13:00", "", {"business_hours", "09:00-12:00 and 11:00-13:00 overlap"});
  expect_rejected("mon 09:00-25:00", "", {"business_hours", "invalid time"});
  expect_rejected("", "2026-02-30 closed", {"business_exceptions", "'2026-02-30 closed'", "does not exist"});
  expect_rejected("", "2026/10/01 closed", {"business_exceptions", "not YYYY-MM-DD"});
  expect_rejected("", "2026-10-01", {"business_exceptions", "'2026-10-01'"});
  expect_rejected("", "2026-10-01 closed; 2026-10-01 09:00-10:00", {"business_exceptions", "names 2026-10-01 twice"});
  expect_rejected("", "2026-10-01 opened", {"business_exceptions", "'opened'"});
}

TEST_CASE("business time and deadlines on fixed examples") {
  const auto& shanghai = *date::locate_zone("Asia/Shanghai");
  // Monday 2026-09-28 to Friday, 09:00-12:00 and 13:00-18:00; 2026-10-01 (Thursday) a holiday;
  // Sunday 2026-09-27 worked 10:00-16:00 instead.
  const auto hours = parse("mon-fri 09:00-12:00,13:00-18:00", "2026-10-01 closed; 2026-09-27 10:00-16:00");
  const date::sys_days mon = date::sys_days{date::year{2026} / 9 / 28};
  // 08:00 local is 00:00 UTC. Monday 08:00 to Monday 20:00: 3 + 5 hours.
  CHECK(wo::business_time(hours, shanghai, utc(mon, 0h), utc(mon, 12h)) == 8h);
  // Monday 11:00 to Tuesday 10:00 local: 1 + 5 + 1 hours.
  CHECK(wo::business_time(hours, shanghai, utc(mon, 3h), utc(mon + date::days{1}, 2h)) == 7h);
  // The worked Sunday before it, and none of the holiday.
  CHECK(wo::business_time(hours, shanghai, utc(mon - date::days{1}, 0h), utc(mon, 0h)) == 6h);
  CHECK(wo::business_time(hours, shanghai, utc(mon + date::days{3}, 0h), utc(mon + date::days{4}, 0h)) == 0h);
  CHECK(wo::business_time(hours, shanghai, utc(mon, 12h), utc(mon, 0h)) == 0h);
  // 4 business hours from Wednesday 17:00 local: 1 hour on Wednesday, the holiday skipped,
  // 3 hours on Friday: Friday 12:00 local, 04:00 UTC.
  CHECK(wo::business_deadline(hours, shanghai, utc(mon + date::days{2}, 9h), 4h) == utc(mon + date::days{4}, 4h));
  // A deadline falls at the end of the window that completes it, not at the next opening.
  CHECK(wo::business_deadline(hours, shanghai, utc(mon, 1h), 3h) == utc(mon, 4h));
  CHECK(wo::business_deadline(hours, shanghai, utc(mon, 1h), 0h) == utc(mon, 1h));
  // Around the clock: plain elapsed time.
  const auto always = parse("");
  CHECK(wo::business_time(always, shanghai, utc(mon, 0h), utc(mon, 90h)) == 90h);
  CHECK(wo::business_deadline(always, shanghai, utc(mon, 5min), 26h) == utc(mon, 26h + 5min));
  // Hours that never open again: no deadline, however far it is looked for.
  const auto closed = parse("sun closed", "2026-10-01 09:00-10:00");
  CHECK(wo::business_deadline(closed, shanghai, utc(mon, 0h), 30min) == utc(mon + date::days{3}, 1h + 30min));
  CHECK(!wo::business_deadline(closed, shanghai, utc(mon, 0h), 2h));
}

TEST_CASE("a paused clock stands still") {
  const auto& shanghai = *date::locate_zone("Asia/Shanghai");
  const auto hours = parse("mon-fri 09:00-18:00");
  const date::sys_days mon = date::sys_days{date::year{2026} / 9 / 28};
  // Monday 09:00-18:00 local is 01:00-10:00 UTC; paused 10:00-12:00 local and from Tuesday
  // 17:00 to Wednesday 10:00 local.
  const wo::Pauses pauses = {{utc(mon, 2h), utc(mon, 4h)}, {utc(mon + date::days{1}, 9h), utc(mon + date::days{2}, 2h)}};
  CHECK(wo::business_time(hours, shanghai, utc(mon, 0h), utc(mon, 24h), pauses) == 7h);
  // 16 business hours from Monday 09:00: 7 on Monday, 8 on Tuesday (to the pause at 17:00),
  // then 1 on Wednesday from 10:00: Wednesday 11:00 local.
  CHECK(wo::business_deadline(hours, shanghai, utc(mon, 1h), 16h, pauses) == utc(mon + date::days{2}, 3h));
  // Started inside a pause, the clock waits for its end.
  CHECK(wo::business_deadline(hours, shanghai, utc(mon, 3h), 1h, pauses) == utc(mon, 5h));
  // A pause with no end yet: no deadline.
  const wo::Pauses open = {{utc(mon, 2h), wo::Timestamp::max()}};
  CHECK(!wo::business_deadline(hours, shanghai, utc(mon, 1h), 2h, open));
}

TEST_CASE("DST: the missing hour is no business time, the repeated hour counts twice") {
  const auto& new_york = *date::locate_zone("America/New_York");
  const auto hours = parse("mon-sun 00:30-03:00");
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 00:30-03:00 local lasts 1.5 hours.
  const date::sys_days spring = date::sys_days{date::year{2026} / 3 / 8};
  CHECK(wo::business_time(hours, new_york, utc(spring, 0h), utc(spring, 24h)) == 90min);
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 00:30-03:00 local lasts 3.5 hours.
  const date::sys_days fall = date::sys_days{date::year{2026} / 11 / 1};
  CHECK(wo::business_time(hours, new_york, utc(fall, 0h), utc(fall, 24h)) == 210min);
  // 2 business hours from 00:30 EDT (04:30 UTC) on the fall-back night: 02:30 of real time.
  CHECK(wo::business_deadline(hours, new_york, utc(fall, 4h + 30min), 2h) == utc(fall, 6h + 30min));
}

TEST_CASE("business time and deadlines agree with a minute-by-minute calculation") {
  // Zones: a 1-hour DST change in each hemisphere, a 30-minute one (Lord Howe), none, and
  // Apia, which skipped the local day 2011-12-30 entirely.
  const char* zones[] = {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Shanghai",
                         "Pacific/Apia", "America/Sao_Paulo"};
  std::mt19937_64 rng(20261206);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Windows on a 15-minute grid, so they start and end inside the DST gaps and repeats too.
  auto random_windows = [&] {
    std::vector<wo::Window> windows;
    for (int start = pick(0, 40) * 15; start < 24 * 60 && windows.size() < 3;) {
      const int end = std::min(24 * 60, start + pick(1, 40) * 15);
      windows.push_back({start, end});
      start = end + pick(0, 30) * 15;
    }
    return windows;
  };
  int cases = 0;
  for (const char* name : zones) {
    const auto& zone = *date::locate_zone(name);
    for (int round = 0; round < 40; ++round, ++cases) {
      wo::BusinessHours hours;
      for (auto& day : hours.weekly)
        if (pick(0, 5) > 0) day = random_windows();
      // Start near a transition of this zone half the time, anywhere in 2010-2030 otherwise.
      auto from = wo::Timestamp{date::sys_days{date::year{2010} / 1 / 1}} + minutes{pick(0, 20 * 365 * 24 * 60)};
      if (round % 2 == 0) {
        const auto info = zone.get_info(date::floor<std::chrono::seconds>(from));
        if (info.end < date::sys_days{date::year{2031} / 1 / 1}) from = wo::Timestamp{info.end} - minutes{pick(0, 3 * 24 * 60)};
      }
      if (std::string(name) == "Pacific/Apia" && round < 4)
        from = wo::Timestamp{date::sys_days{date::year{2011} / 12 / 28}} + minutes{pick(0, 24 * 60)};
      const auto local_day = date::floor<date::days>(zone.to_local(date::floor<std::chrono::seconds>(from)));
      for (int k = 0; k < 3; ++k)
        hours.exceptions[local_day + date::days{pick(0, 6)}] = pick(0, 1) ? random_windows() : std::vector<wo::Window>{};
      const auto to = from + minutes{pick(0, 7 * 24 * 60)};
      // Up to three pauses, some starting before `from`, on whole minutes.
      wo::Pauses pauses;
      for (auto at = from - minutes{pick(0, 600)}; pauses.size() < static_cast<std::size_t>(round % 4);) {
        const auto start = at + minutes{pick(0, 2 * 24 * 60)};
        pauses.push_back({start, start + minutes{pick(1, 24 * 60)}});
        at = pauses.back().end;
      }
      CAPTURE(name);
      CAPTURE(round);
      const minutes expected = test_support::minute_by_minute(hours, zone, from, to, pauses);
      REQUIRE(wo::business_time(hours, zone, from, to, pauses) == expected);
      // The deadline of what [from, to) held: business_time reaches it there and not before.
      if (expected > 0min) {
        const auto deadline = wo::business_deadline(hours, zone, from, expected, pauses);
        REQUIRE(deadline);
        CHECK(*deadline <= to);
        CHECK(test_support::minute_by_minute(hours, zone, from, *deadline, pauses) == expected);
        CHECK(test_support::minute_by_minute(hours, zone, from, *deadline - 1min, pauses) < expected);
      }
    }
  }
  MESSAGE("business hours: " << cases << " random calendars and ranges agreed with the minute-by-minute count");
}

}  // namespace
