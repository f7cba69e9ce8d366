// SPDX-License-Identifier: MIT
// docs/rules.md §1: an org's time zone is an IANA name, validated; §9: bad time zones fail with a
// message naming the field and value. architecture §4: a clock is injected, the system clock by default.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <string_view>

#include <date/tz.h>

#include "workorder/errors.hpp"
#include "workorder/time.hpp"

namespace {

void check_rejected(std::string_view field, std::string_view name) {
  CAPTURE(name);
  bool thrown = false;
  try {
    const auto& zone = wo::find_time_zone(field, name);
    CAPTURE(zone.name());
  } catch (const wo::Error& e) {
    thrown = true;
    CHECK(e.code() == wo::Code::invalid_argument);
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(message.find(field) != std::string::npos);
    // what() is a C string: a value with an embedded NUL shows up to the NUL
    CHECK(message.find(name.substr(0, name.find('\0'))) != std::string::npos);
  }
  CHECK(thrown);
}

}  // namespace

TEST_CASE("find_time_zone accepts IANA zone names") {
  for (const char* name : {"Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Hong_Kong", "UTC",
                           "Etc/UTC", "America/Argentina/Buenos_Aires"}) {
    CAPTURE(name);
    CHECK(wo::find_time_zone("time_zone", name).name() == name);
  }
}

TEST_CASE("the zone found is the real one: offsets and DST") {
  using namespace std::chrono;
  const auto& shanghai = wo::find_time_zone("time_zone", "Asia/Shanghai");
  const auto& new_york = wo::find_time_zone("time_zone", "America/New_York");
  const auto& berlin = wo::find_time_zone("time_zone", "Europe/Berlin");
  // 2024-01-15 and 2024-07-15, 12:00 UTC
  const sys_seconds winter = date::sys_days{date::year{2024} / 1 / 15} + hours{12};
  const sys_seconds summer = date::sys_days{date::year{2024} / 7 / 15} + hours{12};
  CHECK(shanghai.get_info(winter).offset == hours{8});
  CHECK(shanghai.get_info(summer).offset == hours{8});
  CHECK(new_york.get_info(winter).offset == hours{-5});
  CHECK(new_york.get_info(summer).offset == hours{-4});
  CHECK(berlin.get_info(winter).offset == hours{1});
  CHECK(berlin.get_info(summer).offset == hours{2});
}

TEST_CASE("find_time_zone rejects unknown names, naming the field and the value") {
  check_rejected("time_zone", "Mars/Olympus");
  check_rejected("time_zone", "");
  check_rejected("time_zone", "Asia");
  check_rejected("time_zone", "Asia/Shanghai ");
  check_rejected("time_zone", " Asia/Shanghai");
  check_rejected("time_zone", "/Asia/Shanghai");
  check_rejected("time_zone", "Asia//Shanghai");
  check_rejected("time_zone", "../zoneinfo/UTC");
  check_rejected("time_zone", "+08:00");
  check_rejected("time_zone", "GMT+8");
  check_rejected("time_zone", "CST-8");
  check_rejected("time_zone", std::string(100, 'A'));
  check_rejected("org.tz", "Nowhere/City");
}

TEST_CASE("zone names are case-sensitive, as in the IANA database") {
  // date/tz looks names up exactly; a differently-cased name is not the same zone.
  check_rejected("time_zone", "asia/shanghai");
  check_rejected("time_zone", "ASIA/SHANGHAI");
  check_rejected("time_zone", "europe/berlin");
}

TEST_CASE("a name with an embedded NUL is not cut short") {
  check_rejected("time_zone", std::string_view("Asia/Shanghai\0junk", 18));
}

// "localtime" is a file tzdata installs next to the zones (a link to /etc/localtime), not an
// IANA zone name: accepting it makes an org's local time depend on the host's configuration.
TEST_CASE("host-specific pseudo zones are not IANA zone names") {
  check_rejected("time_zone", "localtime");
}

TEST_CASE("system_clock returns about now, in milliseconds") {
  const auto clock = wo::system_clock();
  REQUIRE(static_cast<bool>(clock));
  const auto before = std::chrono::system_clock::now();
  const wo::Timestamp t = clock();
  const auto after = std::chrono::system_clock::now();
  CHECK(t >= std::chrono::floor<std::chrono::milliseconds>(before));
  CHECK(t <= std::chrono::ceil<std::chrono::milliseconds>(after));
  // and it moves
  const wo::Timestamp t2 = clock();
  CHECK(t2 >= t);
  // sanity: after 2024-01-01 UTC
  CHECK(wo::to_unix_ms(t) > 1704067200000);
}

TEST_CASE("from_unix_ms and to_unix_ms round-trip") {
  CHECK(wo::to_unix_ms(wo::from_unix_ms(0)) == 0);
  CHECK(wo::to_unix_ms(wo::from_unix_ms(1718000000123)) == 1718000000123);
  CHECK(wo::to_unix_ms(wo::from_unix_ms(-1)) == -1);
}
