// SPDX-License-Identifier: MIT
#include "workorder/time.hpp"

#include <date/tz.h>

#include <mutex>
#include <new>

#include "domain/fail.hpp"
#include "domain/text.hpp"

namespace wo {

Clock system_clock() {
  return [] { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); };
}

namespace {

// glibc loads libgcc_s's unwinder the first time an exception crosses one of its own frames,
// as one thrown while date loads a zone's rules crosses pthread_once (std::call_once), and
// aborts the process when that load fails for lack of memory. Crossing one here, while the
// library loads and memory is ordinary, turns a later out-of-memory there into an error.
const bool unwinder_loaded = [] {
  try {
    std::once_flag once;
    std::call_once(once, [] { throw 0; });
  } catch (...) {
  }
  return true;
}();

}  // namespace

void check_instant(std::string_view field, Timestamp t) {
  const std::int64_t ms = to_unix_ms(t);
  if (ms < earliest_instant_ms || ms > latest_instant_ms)
    fail(Code::invalid_argument, "{} {} (Unix ms) is not between 1970-01-01T00:00Z and 9999-01-01T00:00Z", field, ms);
}

const date::time_zone& find_time_zone(std::string_view field, std::string_view name) {
  // "localtime" and "posixrules" are files of the host's zoneinfo, not IANA zone names.
  if (name.empty() || name.size() > 64 || name == "localtime" || name == "posixrules")
    fail(Code::invalid_argument, "{} '{}' is not an IANA time zone", field, printable(name));
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(name);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    fail(Code::invalid_argument, "{} '{}' is not an IANA time zone", field, printable(name));
  }
  // The zone's rules are read from its file on first use: read them now, so that a failure
  // (out of memory, an unreadable file) is reported as what it is, here.
  try {
    zone->get_info(date::sys_seconds{});
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    fail(Code::internal, "cannot read the rules of time zone '{}': {}", printable(name), printable(e.what()));
  }
  return *zone;
}

}  // namespace wo
