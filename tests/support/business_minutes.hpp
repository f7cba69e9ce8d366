// SPDX-License-Identifier: MIT
// The independent calculation the business-hours and service-level tests compare with: whole
// minutes, stepped through UTC one at a time, each asked of the zone for its local wall-clock
// time. Slow and obviously right; it shares nothing with src/domain/business_hours but the
// BusinessHours data it reads.
#pragma once
#include <date/date.h>
#include <date/tz.h>

#include <chrono>

#include "domain/business_hours.hpp"

namespace test_support {

// Whether the minute starting at t is business time: its local minute lies in a window of its
// own local date (that date's exception, else its weekday's hours).
inline bool business_minute(const wo::BusinessHours& hours, const date::time_zone& zone, wo::Timestamp t) {
  using namespace std::chrono_literals;
  const auto local = zone.to_local(date::floor<std::chrono::minutes>(t));
  const auto day = date::floor<date::days>(local);
  const int minute = static_cast<int>((local - day) / 1min);
  const auto exception = hours.exceptions.find(day);
  const auto& windows =
      exception != hours.exceptions.end() ? exception->second : hours.weekly[date::weekday(day).iso_encoding() - 1];
  for (const auto& w : windows)
    if (w.start_minute <= minute && minute < w.end_minute) return true;
  return false;
}

// The business minutes of [from, to) outside the pauses.
inline std::chrono::minutes minute_by_minute(const wo::BusinessHours& hours, const date::time_zone& zone,
                                             wo::Timestamp from, wo::Timestamp to, const wo::Pauses& pauses = {}) {
  using namespace std::chrono_literals;
  std::chrono::minutes total{0};
  for (auto t = from; t < to; t += 1min) {
    bool paused = false;
    for (const auto& p : pauses) paused = paused || (p.start <= t && t < p.end);
    if (!paused && business_minute(hours, zone, t)) total += 1min;
  }
  return total;
}

}  // namespace test_support
