// SPDX-License-Identifier: MIT
// The CSV helpers of the order export (docs/rules.md §8, docs/export.md): RFC 4180 quoting, amounts in
// major units for every int64 and currency exponent, org-local ISO 8601 times with offsets,
// and the writer's bounded chunks.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "domain/csv.hpp"
#include "workorder/errors.hpp"
#include "workorder/money.hpp"
#include "workorder/time.hpp"

namespace {

using namespace std::chrono;
using wo::Money;

std::string field(std::string_view v) {
  std::string out;
  wo::append_field(out, v);
  return out;
}

std::string row(std::vector<std::string_view> fields) {
  std::string out;
  wo::append_row(out, fields);
  return out;
}

wo::Timestamp utc(date::year_month_day day, int h, int m, int s = 0) {
  return wo::Timestamp{date::sys_days{day} + hours{h} + minutes{m} + seconds{s}};
}

std::string local(std::string_view zone, wo::Timestamp t) {
  return wo::local_time_text(wo::find_time_zone("time_zone", zone), t);
}

wo::Code code_of(auto&& call) {
  try {
    call();
  } catch (const wo::Error& e) {
    return e.code();
  }
  return wo::Code::ok;
}

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

}  // namespace

TEST_CASE("a field is quoted only when it holds a comma, quote, CR or LF") {
  CHECK(field("plain") == "plain");
  CHECK(field("") == "");
  CHECK(field(" spaces stay ") == " spaces stay ");
  CHECK(field("厨房龙头漏水") == "厨房龙头漏水");  // UTF-8 passes through untouched
  CHECK(field("tab\there") == "tab\there");
  CHECK(field("a,b") == "\"a,b\"");
  CHECK(field("line\nbreak") == "\"line\nbreak\"");
  CHECK(field("carriage\rreturn") == "\"carriage\rreturn\"");
  CHECK(field("crlf\r\n") == "\"crlf\r\n\"");
  CHECK(field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(field("\"") == "\"\"\"\"");
  CHECK(field("漏水, \"急\"") == "\"漏水, \"\"急\"\"\"");
}

TEST_CASE("a row joins its fields with commas and ends with CRLF") {
  CHECK(row({"a", "b", "c"}) == "a,b,c\r\n");
  CHECK(row({"", "", ""}) == ",,\r\n");
  CHECK(row({"x,y", "", "z"}) == "\"x,y\",,z\r\n");
  CHECK(row({"only"}) == "only\r\n");
}

TEST_CASE("times are org-local ISO 8601 with seconds and the offset in force") {
  using date::year;
  SUBCASE("New York around the spring change (2026-03-08 02:00 EST -> 03:00 EDT)") {
    CHECK(local("America/New_York", utc(year{2026} / 3 / 8, 6, 30)) == "2026-03-08T01:30:00-05:00");
    CHECK(local("America/New_York", utc(year{2026} / 3 / 8, 6, 59, 59)) == "2026-03-08T01:59:59-05:00");
    CHECK(local("America/New_York", utc(year{2026} / 3 / 8, 7, 0)) == "2026-03-08T03:00:00-04:00");
  }
  SUBCASE("New York's repeated hour in autumn is told apart by the offset") {
    CHECK(local("America/New_York", utc(year{2026} / 11 / 1, 5, 30)) == "2026-11-01T01:30:00-04:00");
    CHECK(local("America/New_York", utc(year{2026} / 11 / 1, 6, 30)) == "2026-11-01T01:30:00-05:00");
  }
  SUBCASE("the local date can differ from the UTC date") {
    CHECK(local("Asia/Shanghai", utc(year{2026} / 11 / 27, 16, 0)) == "2026-11-28T00:00:00+08:00");
    CHECK(local("America/Los_Angeles", utc(year{2026} / 1 / 1, 3, 0)) == "2025-12-31T19:00:00-08:00");
  }
  SUBCASE("offsets with minutes, on both sides of UTC") {
    CHECK(local("Asia/Kolkata", utc(year{2026} / 1 / 1, 0, 0)) == "2026-01-01T05:30:00+05:30");
    CHECK(local("Asia/Kathmandu", utc(year{2026} / 1 / 1, 0, 0)) == "2026-01-01T05:45:00+05:45");
    CHECK(local("America/St_Johns", utc(year{2026} / 1 / 1, 12, 0)) == "2026-01-01T08:30:00-03:30");
    CHECK(local("UTC", utc(year{2026} / 1 / 1, 12, 0)) == "2026-01-01T12:00:00+00:00");
  }
  SUBCASE("milliseconds are dropped toward the past, also before 1970") {
    CHECK(local("UTC", wo::from_unix_ms(999)) == "1970-01-01T00:00:00+00:00");
    CHECK(local("UTC", wo::from_unix_ms(-1)) == "1969-12-31T23:59:59+00:00");
  }
  SUBCASE("local mean time keeps the seconds of its offset so the instant stays exact") {
    CHECK(local("Asia/Shanghai", utc(year{1900} / 1 / 1, 0, 0)) == "1900-01-01T08:05:43+08:05:43");
  }
}

TEST_CASE("times a four-digit year cannot carry are overflow, never wrapped text") {
  const auto first = wo::Timestamp{date::sys_days{date::year{1} / 1 / 1}};
  const auto end = wo::Timestamp{date::sys_days{date::year{9999} / 1 / 1}};
  CHECK(local("UTC", first) == "0001-01-01T00:00:00+00:00");
  CHECK(local("UTC", end - milliseconds{1}) == "9998-12-31T23:59:59+00:00");
  CHECK(local("Pacific/Kiritimati", end - milliseconds{1}).starts_with("9999-01-01T"));
  for (auto t : {first - milliseconds{1}, end, wo::from_unix_ms(int64_min), wo::from_unix_ms(int64_max)}) {
    CAPTURE(wo::to_unix_ms(t));
    CHECK(code_of([&] { local("America/New_York", t); }) == wo::Code::overflow);
  }
}

TEST_CASE("the writer hands rows over in chunks of at least flush_at bytes, then the rest") {
  std::vector<std::string> chunks;
  const wo::CsvWriter::Sink sink = [&](std::string_view s) { chunks.emplace_back(s); };
  wo::CsvWriter out(sink, 16);
  const std::vector<std::string_view> r = {"012345", "x"};  // 10 bytes a row with CRLF
  std::string expected;
  out.row(r);
  CHECK(chunks.empty());  // under the threshold nothing is written yet
  out.row(r);
  REQUIRE(chunks.size() == 1);
  CHECK(chunks[0].size() == 20);
  for (int i = 0; i < 3; ++i) {
    out.row(r);
    wo::append_row(expected, r);
  }
  out.flush();
  out.flush();  // nothing buffered: no empty chunk
  CHECK(chunks.size() == 3);
  std::string all;
  for (const auto& c : chunks) {
    CHECK(c.size() < 16 + 10);  // flush_at plus at most one row
    all += c;
  }
  CHECK(all == row({"012345", "x"}) + row({"012345", "x"}) + expected);
}

TEST_CASE("an exception from the sink reaches the caller") {
  int calls = 0;
  const wo::CsvWriter::Sink sink = [&](std::string_view) {
    ++calls;
    throw std::runtime_error("disk full");
  };
  wo::CsvWriter out(sink, 4);
  CHECK_THROWS_WITH_AS(out.row(std::vector<std::string_view>{"abcdef"}), "disk full", std::runtime_error);
  CHECK(calls == 1);
}
