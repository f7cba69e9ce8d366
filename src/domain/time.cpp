// SPDX-License-Identifier: MIT
#include "workorder/time.hpp"

#include <date/tz.h>

#include "domain/fail.hpp"
#include "domain/text.hpp"

namespace wo {

Clock system_clock() {
  return [] { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); };
}

const date::time_zone& find_time_zone(std::string_view field, std::string_view name) {
  // "localtime" and "posixrules" are files of the host's zoneinfo, not IANA zone names.
  if (name.empty() || name.size() > 64 || name == "localtime" || name == "posixrules")
    fail(Code::invalid_argument, "{} '{}' is not an IANA time zone", field, printable(name));
  try {
    return *date::locate_zone(name);
  } catch (const std::exception&) {
    fail(Code::invalid_argument, "{} '{}' is not an IANA time zone", field, printable(name));
  }
}

}  // namespace wo
