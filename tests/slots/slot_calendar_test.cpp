// SPDX-License-Identifier: MIT
// docs/rules.md §5 (pure domain): a schedule is parsed and checked (rules §9: every bad field fails with
// invalid_argument and a message naming the field and value), normalised to canonical text,
// and cut into slots in the org's zone — local times that do not exist on a DST change are
// skipped, repeated ones take the first occurrence. Exact UTC instants are checked for a zone
// without DST (Asia/Shanghai) and for both DST changes of America/New_York and Europe/Berlin.
#include <doctest/doctest.h>

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/slot_calendar.hpp"
#include "workorder/errors.hpp"
#include "workorder/schedule.hpp"
#include "workorder/time.hpp"

namespace {

using namespace std::chrono_literals;
using wo::Code;

wo::SlotSchedule schedule(std::string days, std::string windows, int slot_minutes = 60, int capacity = 1,
                          int horizon_days = 7, int lead_minutes = 0) {
  wo::SlotSchedule s;
  s.days = std::move(days);
  s.windows = std::move(windows);
  s.slot_minutes = slot_minutes;
  s.capacity = capacity;
  s.horizon_days = horizon_days;
  s.lead_minutes = lead_minutes;
  return s;
}

// parse_schedule must throw invalid_argument with a message containing every `needle`.
void expect_rejected(wo::SlotSchedule s, std::vector<std::string> needles) {
  CAPTURE(s.days);
  CAPTURE(s.windows);
  CAPTURE(s.slot_minutes);
  CAPTURE(s.capacity);
  CAPTURE(s.horizon_days);
  CAPTURE(s.lead_minutes);
  bool thrown = false;
  try {
    wo::parse_schedule(s);
  } catch (const wo::Error& e) {
    thrown = true;
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(static_cast<int>(e.code()) == static_cast<int>(Code::invalid_argument));
    for (const auto& needle : needles) {
      CAPTURE(needle);
      CHECK(message.find(needle) != std::string::npos);
    }
  }
  CHECK_MESSAGE(thrown, "parse_schedule accepted an invalid schedule");
}

const date::time_zone& zone(const char* name) { return wo::find_time_zone("time_zone", name); }

date::local_days day(int y, unsigned m, unsigned d) {
  return date::local_days{date::year{y} / date::month{m} / date::day{d}};
}

wo::Timestamp utc(int y, unsigned m, unsigned d, int h, int min) {
  const auto midnight = std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return wo::Timestamp{std::chrono::time_point_cast<std::chrono::milliseconds>(midnight) + std::chrono::hours{h} +
                       std::chrono::minutes{min}};
}

std::string utc_text(wo::Timestamp t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }

// "a b c": readable when a comparison fails.
std::string joined(const std::vector<wo::Timestamp>& ts) {
  std::string out;
  for (auto t : ts) out += (out.empty() ? "" : " ") + utc_text(t);
  return out;
}
std::string joined_local(const date::time_zone& z, const std::vector<wo::Timestamp>& ts) {
  std::string out;
  for (auto t : ts) out += (out.empty() ? "" : " ") + wo::local_iso(z, t);
  return out;
}

std::vector<wo::Timestamp> starts(const char* zone_name, const char* days, const char* windows, int slot_minutes,
                                  date::local_days first, date::local_days last) {
  auto s = schedule(days, windows, slot_minutes);
  const wo::Calendar cal = wo::parse_schedule(s);
  return wo::slot_starts(cal, zone(zone_name), first, last);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
TEST_CASE("parse_schedule rejects overlapping windows, naming both") {
  expect_rejected(schedule("mon", "09:00-12:00,11:00-13:00"), {"windows", "09:00-12:00", "11:00-13:00", "overlap"});
  // given out of order: still an overlap once sorted
  expect_rejected(schedule("mon", "11:00-13:00,09:00-12:00"), {"windows", "09:00-12:00", "11:00-13:00"});
  // one window inside another
  expect_rejected(schedule("mon", "08:00-18:00,10:00-11:00"), {"windows", "08:00-18:00", "10:00-11:00"});
  // identical windows
  expect_rejected(schedule("mon", "09:00-10:00,09:00-10:00"), {"windows", "09:00-10:00"});
}

TEST_CASE("parse_schedule accepts windows that only touch ([start, end) is half open)") {
  auto s = schedule("mon", "10:00-12:00,09:00-10:00");
  const wo::Calendar cal = wo::parse_schedule(s);
  REQUIRE(cal.windows.size() == 2);
  CHECK(s.windows == "09:00-10:00,10:00-12:00");
}

TEST_CASE("parse_schedule rejects zero and negative capacity, naming the field and value") {
  expect_rejected(schedule("mon", "09:00-12:00", 60, 0), {"capacity", "0"});
  expect_rejected(schedule("mon", "09:00-12:00", 60, -1), {"capacity", "-1"});
  expect_rejected(schedule("mon", "09:00-12:00", 60, -2147483647 - 1), {"capacity", "-2147483648"});
}

TEST_CASE("parse_schedule rejects a window shorter than one slot") {
  expect_rejected(schedule("mon", "09:00-09:30", 60), {"windows", "09:00-09:30", "60"});
  expect_rejected(schedule("mon", "09:00-12:00,14:00-14:45", 60), {"windows", "14:00-14:45"});
  // exactly one slot long is fine
  auto s = schedule("mon", "09:00-10:00", 60);
  CHECK_NOTHROW(wo::parse_schedule(s));
}

TEST_CASE("parse_schedule rejects an unknown weekday, naming it") {
  expect_rejected(schedule("funday", "09:00-12:00"), {"days", "funday"});
  expect_rejected(schedule("mon,funday,tue", "09:00-12:00"), {"days", "funday"});
  expect_rejected(schedule("monday", "09:00-12:00"), {"days", "monday"});
  expect_rejected(schedule("mon,,tue", "09:00-12:00"), {"days"});
  expect_rejected(schedule("", "09:00-12:00"), {"days"});
}

TEST_CASE("parse_schedule rejects malformed HH:MM, naming the window") {
  expect_rejected(schedule("mon", "9:00-12:00"), {"windows", "9:00-12:00"});
  expect_rejected(schedule("mon", "09:00-1200"), {"windows", "09:00-1200"});
  expect_rejected(schedule("mon", "09h00-12:00"), {"windows", "09h00-12:00"});
  expect_rejected(schedule("mon", "ab:cd-12:00"), {"windows", "ab:cd-12:00"});
  expect_rejected(schedule("mon", "09:60-12:00"), {"windows", "09:60-12:00"});
  expect_rejected(schedule("mon", "25:00-26:00"), {"windows", "25:00-26:00"});
  expect_rejected(schedule("mon", "23:00-24:30"), {"windows", "23:00-24:30"});
  expect_rejected(schedule("mon", "09:00"), {"windows", "09:00"});
  expect_rejected(schedule("mon", "09:00-12:00-13:00"), {"windows"});
  expect_rejected(schedule("mon", ""), {"windows"});
  expect_rejected(schedule("mon", "09:00-12:00,"), {"windows"});
  expect_rejected(schedule("mon", "-09:00-12:00"), {"windows"});
}

TEST_CASE("parse_schedule rejects a window that ends before (or when) it starts") {
  expect_rejected(schedule("mon", "12:00-09:00"), {"windows", "12:00-09:00"});
  expect_rejected(schedule("mon", "09:00-09:00"), {"windows", "09:00-09:00"});
  expect_rejected(schedule("mon", "08:00-10:00,18:00-17:00"), {"windows", "18:00-17:00"});
}

TEST_CASE("parse_schedule rejects bad slot length, horizon and lead time, naming the field") {
  expect_rejected(schedule("mon", "09:00-12:00", 0), {"slot_minutes", "0"});
  expect_rejected(schedule("mon", "09:00-12:00", -60), {"slot_minutes", "-60"});
  expect_rejected(schedule("mon", "09:00-12:00", 60, 1, 0), {"horizon_days", "0"});
  expect_rejected(schedule("mon", "09:00-12:00", 60, 1, -3), {"horizon_days", "-3"});
  expect_rejected(schedule("mon", "09:00-12:00", 60, 1, 7, -1), {"lead_minutes", "-1"});
}

TEST_CASE("parse_schedule normalises days and sorts windows") {
  SUBCASE("days 'sun, mon' becomes 'mon,sun'") {
    auto s = schedule("sun, mon", "09:00-12:00");
    const wo::Calendar cal = wo::parse_schedule(s);
    CHECK(s.days == "mon,sun");
    CHECK(cal.weekdays == ((1u << 0) | (1u << 6)));
  }
  SUBCASE("every day, given backwards") {
    auto s = schedule("sun,sat,fri,thu,wed,tue,mon", "09:00-12:00");
    wo::parse_schedule(s);
    CHECK(s.days == "mon,tue,wed,thu,fri,sat,sun");
  }
  SUBCASE("windows are sorted by start and written canonically") {
    auto s = schedule("mon", "18:00-20:00, 13:30-17:00,08:00-12:00", 30);
    const wo::Calendar cal = wo::parse_schedule(s);
    CHECK(s.windows == "08:00-12:00,13:30-17:00,18:00-20:00");
    REQUIRE(cal.windows.size() == 3);
    CHECK(cal.windows[0].start_minute == 8 * 60);
    CHECK(cal.windows[0].end_minute == 12 * 60);
    CHECK(cal.windows[1].start_minute == 13 * 60 + 30);
    CHECK(cal.windows[1].end_minute == 17 * 60);
    CHECK(cal.windows[2].start_minute == 18 * 60);
    CHECK(cal.windows[2].end_minute == 20 * 60);
    CHECK(cal.slot_minutes == 30);
  }
  SUBCASE("a window may end at 24:00") {
    auto s = schedule("mon", "22:00-24:00");
    const wo::Calendar cal = wo::parse_schedule(s);
    CHECK(s.windows == "22:00-24:00");
    REQUIRE(cal.windows.size() == 1);
    CHECK(cal.windows[0].end_minute == 24 * 60);
  }
  SUBCASE("normalising is idempotent") {
    auto s = schedule("sun, mon", "14:00-17:00,09:00-12:00");
    wo::parse_schedule(s);
    const std::string days = s.days, windows = s.windows;
    wo::parse_schedule(s);
    CHECK(s.days == days);
    CHECK(s.windows == windows);
  }
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("slot_starts in Asia/Shanghai: weekdays only, windows cut into consecutive slots, in order") {
  // 2026-11-27 is a Friday; 28/29 the weekend; 30 a Monday. Windows given out of order.
  const auto got = starts("Asia/Shanghai", "mon,tue,wed,thu,fri", "14:00-17:00,09:00-12:00", 60, day(2026, 11, 27),
                          day(2026, 11, 30));
  std::vector<wo::Timestamp> want;
  for (unsigned d : {27u, 30u})
    for (int h : {9, 10, 11, 14, 15, 16}) want.push_back(utc(2026, 11, d, h - 8, 0));
  CHECK(joined(got) == joined(want));
  CHECK(joined_local(zone("Asia/Shanghai"), {got.front(), got.back()}) ==
        "2026-11-27T09:00+08:00 2026-11-30T16:00+08:00");
}

TEST_CASE("slot_starts: a window that is not a multiple of the slot keeps only whole slots") {
  // 09:00-10:30 with 60-minute slots: only 09:00 (10:00 would end at 11:00).
  const auto got = starts("Asia/Shanghai", "fri", "09:00-10:30", 60, day(2026, 11, 27), day(2026, 11, 27));
  CHECK(joined(got) == joined(std::vector{utc(2026, 11, 27, 1, 0)}));
  // 45-minute slots from 08:00 to 11:00: 08:00, 08:45, 09:30, 10:15
  const auto q = starts("Asia/Shanghai", "fri", "08:00-11:00", 45, day(2026, 11, 27), day(2026, 11, 27));
  CHECK(joined_local(zone("Asia/Shanghai"), q) ==
        "2026-11-27T08:00+08:00 2026-11-27T08:45+08:00 2026-11-27T09:30+08:00 2026-11-27T10:15+08:00");
}

TEST_CASE("slot_starts: a day ending at 24:00 and the local date boundary") {
  // Shanghai 22:00-24:00 on Friday 27th = 14:00Z and 15:00Z; nothing on Saturday.
  const auto got = starts("Asia/Shanghai", "fri", "22:00-24:00", 60, day(2026, 11, 27), day(2026, 11, 28));
  CHECK(joined(got) == joined(std::vector{utc(2026, 11, 27, 14, 0), utc(2026, 11, 27, 15, 0)}));
  // 00:00 local on Saturday the 28th is still Friday in UTC
  const auto sat = starts("Asia/Shanghai", "sat", "00:00-01:00", 60, day(2026, 11, 28), day(2026, 11, 28));
  CHECK(joined(sat) == joined(std::vector{utc(2026, 11, 27, 16, 0)}));
}

TEST_CASE("slot_starts: an empty or reversed range gives nothing") {
  CHECK(starts("Asia/Shanghai", "mon,tue,wed,thu,fri,sat,sun", "09:00-12:00", 60, day(2026, 11, 28),
               day(2026, 11, 27))
            .empty());
  CHECK(starts("Asia/Shanghai", "mon", "09:00-12:00", 60, day(2026, 11, 28), day(2026, 11, 29)).empty());
}

TEST_CASE("slot_starts in America/New_York, spring forward 2026-03-08: 02:00-03:00 local does not exist") {
  SUBCASE("hourly slots 00:00-05:00") {
    const auto got = starts("America/New_York", "sun", "00:00-05:00", 60, day(2026, 3, 8), day(2026, 3, 8));
    // 00:00 EST, 01:00 EST, (02:00 skipped), 03:00 EDT, 04:00 EDT
    CHECK(joined(got) == joined(std::vector{utc(2026, 3, 8, 5, 0), utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 7, 0),
                                            utc(2026, 3, 8, 8, 0)}));
    CHECK(joined_local(zone("America/New_York"), got) ==
          "2026-03-08T00:00-05:00 2026-03-08T01:00-05:00 2026-03-08T03:00-04:00 2026-03-08T04:00-04:00");
  }
  SUBCASE("half-hour slots 01:00-04:00: 02:00 and 02:30 are skipped") {
    const auto got = starts("America/New_York", "sun", "01:00-04:00", 30, day(2026, 3, 8), day(2026, 3, 8));
    CHECK(joined(got) == joined(std::vector{utc(2026, 3, 8, 6, 0), utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7, 0),
                                            utc(2026, 3, 8, 7, 30)}));
  }
  SUBCASE("the day before is whole: Saturday and Sunday 01:00-03:00") {
    const auto got = starts("America/New_York", "sat,sun", "01:00-03:00", 60, day(2026, 3, 7), day(2026, 3, 8));
    // Sat 01:00 EST, Sat 02:00 EST, Sun 01:00 EST, (Sun 02:00 skipped)
    CHECK(joined(got) == joined(std::vector{utc(2026, 3, 7, 6, 0), utc(2026, 3, 7, 7, 0), utc(2026, 3, 8, 6, 0)}));
  }
}

TEST_CASE("slot_starts in America/New_York, fall back 2026-11-01: 01:00-02:00 repeats, first occurrence (EDT) only") {
  SUBCASE("hourly slots 00:00-04:00") {
    const auto got = starts("America/New_York", "sun", "00:00-04:00", 60, day(2026, 11, 1), day(2026, 11, 1));
    // 00:00 EDT, 01:00 EDT (not 01:00 EST = 06:00Z), 02:00 EST, 03:00 EST
    CHECK(joined(got) == joined(std::vector{utc(2026, 11, 1, 4, 0), utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 7, 0),
                                            utc(2026, 11, 1, 8, 0)}));
    CHECK(joined_local(zone("America/New_York"), got) ==
          "2026-11-01T00:00-04:00 2026-11-01T01:00-04:00 2026-11-01T02:00-05:00 2026-11-01T03:00-05:00");
  }
  SUBCASE("half-hour slots 01:00-02:00 appear once each, in EDT") {
    const auto got = starts("America/New_York", "sun", "01:00-02:00", 30, day(2026, 11, 1), day(2026, 11, 1));
    CHECK(joined(got) == joined(std::vector{utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 5, 30)}));
    CHECK(joined_local(zone("America/New_York"), got) == "2026-11-01T01:00-04:00 2026-11-01T01:30-04:00");
  }
}

TEST_CASE("slot_starts in Europe/Berlin, spring forward 2026-03-29: 02:00-03:00 local does not exist") {
  const auto got = starts("Europe/Berlin", "sun", "00:00-04:00", 60, day(2026, 3, 29), day(2026, 3, 29));
  // 00:00 CET (23:00Z the day before), 01:00 CET, (02:00 skipped), 03:00 CEST
  CHECK(joined(got) == joined(std::vector{utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 1, 0)}));
  CHECK(joined_local(zone("Europe/Berlin"), got) ==
        "2026-03-29T00:00+01:00 2026-03-29T01:00+01:00 2026-03-29T03:00+02:00");
  const auto halves = starts("Europe/Berlin", "sun", "01:30-03:30", 30, day(2026, 3, 29), day(2026, 3, 29));
  // 01:30 CET, (02:00, 02:30 skipped), 03:00 CEST
  CHECK(joined(halves) == joined(std::vector{utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 0)}));
}

TEST_CASE("slot_starts in Europe/Berlin, fall back 2026-10-25: 02:00-03:00 repeats, first occurrence (CEST) only") {
  const auto got = starts("Europe/Berlin", "sun", "01:00-04:00", 60, day(2026, 10, 25), day(2026, 10, 25));
  // 01:00 CEST, 02:00 CEST (not 02:00 CET = 01:00Z), 03:00 CET
  CHECK(joined(got) == joined(std::vector{utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 2, 0)}));
  CHECK(joined_local(zone("Europe/Berlin"), got) ==
        "2026-10-25T01:00+02:00 2026-10-25T02:00+02:00 2026-10-25T03:00+01:00");
  const auto halves = starts("Europe/Berlin", "sun", "02:00-03:00", 30, day(2026, 10, 25), day(2026, 10, 25));
  CHECK(joined(halves) == joined(std::vector{utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 0, 30)}));
}

TEST_CASE("slot_starts never repeats an instant and is strictly increasing across DST weeks") {
  for (const char* z : {"America/New_York", "Europe/Berlin", "Asia/Shanghai"}) {
    CAPTURE(z);
    for (auto [first, last] : {std::pair{day(2026, 3, 5), day(2026, 4, 2)}, std::pair{day(2026, 10, 22), day(2026, 11, 4)}}) {
      const auto got = starts(z, "mon,tue,wed,thu,fri,sat,sun", "00:00-24:00", 30, first, last);
      CHECK(!got.empty());
      for (std::size_t i = 1; i < got.size(); ++i) {
        CAPTURE(utc_text(got[i - 1]));
        CHECK(got[i - 1] < got[i]);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
TEST_CASE("local_iso formats the instant in the zone with its offset, minutes precision") {
  const auto t = utc(2026, 11, 28, 0, 0);
  CHECK(wo::local_iso(zone("Asia/Shanghai"), t) == "2026-11-28T08:00+08:00");
  CHECK(wo::local_iso(zone("America/New_York"), t) == "2026-11-27T19:00-05:00");
  CHECK(wo::local_iso(zone("Europe/Berlin"), t) == "2026-11-28T01:00+01:00");
  CHECK(wo::local_iso(zone("Asia/Kolkata"), t) == "2026-11-28T05:30+05:30");
  CHECK(wo::local_iso(zone("UTC"), t) == "2026-11-28T00:00+00:00");
  // summer offsets
  CHECK(wo::local_iso(zone("America/New_York"), utc(2026, 7, 1, 12, 0)) == "2026-07-01T08:00-04:00");
  CHECK(wo::local_iso(zone("Europe/Berlin"), utc(2026, 7, 1, 12, 0)) == "2026-07-01T14:00+02:00");
  // the two 01:30s of New York's fall-back night are told apart by their offsets
  CHECK(wo::local_iso(zone("America/New_York"), utc(2026, 11, 1, 5, 30)) == "2026-11-01T01:30-04:00");
  CHECK(wo::local_iso(zone("America/New_York"), utc(2026, 11, 1, 6, 30)) == "2026-11-01T01:30-05:00");
  // seconds are not shown
  CHECK(wo::local_iso(zone("Asia/Shanghai"), t + 59s + 999ms) == "2026-11-28T08:00+08:00");
}

TEST_CASE("local_date is the date in the zone, not in UTC") {
  CHECK(wo::local_date(zone("Asia/Shanghai"), utc(2026, 11, 27, 16, 0)) == day(2026, 11, 28));
  CHECK(wo::local_date(zone("Asia/Shanghai"), utc(2026, 11, 27, 15, 59)) == day(2026, 11, 27));
  CHECK(wo::local_date(zone("America/New_York"), utc(2026, 11, 2, 4, 59)) == day(2026, 11, 1));
  CHECK(wo::local_date(zone("America/New_York"), utc(2026, 11, 2, 5, 0)) == day(2026, 11, 2));
}
