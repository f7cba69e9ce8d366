#include "workorder/time.hpp"

#include <date/tz.h>

#include "domain/fail.hpp"

namespace wo {

Clock system_clock() {
  return [] { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); };
}

const date::time_zone& find_time_zone(std::string_view field, std::string_view name) {
  if (name.empty() || name.size() > 64) fail(Code::invalid_argument, "{} '{}' is not an IANA time zone", field, name);
  try {
    return *date::locate_zone(name);
  } catch (const std::exception&) {
    fail(Code::invalid_argument, "{} '{}' is not an IANA time zone", field, name);
  }
}

}  // namespace wo
