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

int exponent_of(std::string_view currency) {
  const auto e = wo::currency_minor_units(currency);
  REQUIRE(e.has_value());
  return *e;
}

std::string money(std::int64_t minor, std::string_view currency) { return wo::money_text(Money{minor}, exponent_of(currency)); }

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

TEST_CASE("money is written in major units with the currency's exponent") {
  CHECK(money(12345, "CNY") == "123.45");
  CHECK(money(0, "CNY") == "0.00");
  CHECK(money(5, "CNY") == "0.05");
  CHECK(money(50, "CNY") == "0.50");
  CHECK(money(100, "CNY") == "1.00");
  CHECK(money(-5, "CNY") == "-0.05");
  CHECK(money(-12345, "CNY") == "-123.45");
  SUBCASE("zero-exponent currencies have no point") {
    CHECK(money(7, "JPY") == "7");
    CHECK(money(0, "JPY") == "0");
    CHECK(money(-1500, "KRW") == "-1500");
  }
  SUBCASE("three-exponent currencies") {
    CHECK(money(1234, "BHD") == "1.234");
    CHECK(money(5, "KWD") == "0.005");
    CHECK(money(-1000, "OMR") == "-1.000");
  }
  SUBCASE("every int64 is exact, including the minimum whose magnitude int64 cannot hold") {
    CHECK(money(int64_max, "CNY") == "92233720368547758.07");
    CHECK(money(int64_min, "CNY") == "-92233720368547758.08");
    CHECK(money(int64_max, "JPY") == "9223372036854775807");
    CHECK(money(int64_min, "JPY") == "-9223372036854775808");
    CHECK(money(int64_min, "BHD") == "-9223372036854775.808");
    CHECK(wo::money_text(Money{int64_min}, 18) == "-9.223372036854775808");
    CHECK(wo::money_text(Money{1}, 18) == "0.000000000000000001");
  }
  SUBCASE("an exponent outside 0..18 is refused, naming it") {
    for (int e : {-1, 19}) {
      CAPTURE(e);
      try {
        wo::money_text(Money{1}, e);
        FAIL("accepted");
      } catch (const wo::Error& err) {
        CHECK(err.code() == wo::Code::invalid_argument);
        CHECK(std::string(err.what()).find("exponent " + std::to_string(e)) != std::string::npos);
      }
    }
  }
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
