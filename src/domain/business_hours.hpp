// SPDX-License-Identifier: MIT
// Business time in an org's zone, for service-level clocks: weekly hours and dated exceptions
// (a holiday closed, a weekend day worked in exchange, 调休). Pure: no storage, no clock.
//
// Business time is the real time of the instants whose local wall-clock time falls in a window
// of their own local date. So it is exact across DST changes: an hour that does not exist on
// the spring-forward night is never business time, and a repeated hour on the fall-back night
// counts twice if the window covers it — the time that really passed.
#pragma once
#include <date/tz.h>

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/slot_calendar.hpp"
#include "workorder/time.hpp"

namespace wo {

struct BusinessHours {
  std::array<std::vector<Window>, 7> weekly;                 // Monday = 0; sorted; empty = closed
  std::map<date::local_days, std::vector<Window>> exceptions;  // a date's own windows; empty = closed
};

// Parses weekly hours and exceptions; every error is invalid_argument naming the field and the
// part at fault.
//  weekly: "mon-fri 09:00-12:00,13:00-18:00; sat 09:00-12:00" — days not named are closed;
//          "" means around the clock, every day (24×7); a week closed every day is written
//          back as "mon-sun closed".
//  exceptions: "2026-10-01 closed; 2026-09-27 09:00-18:00" — a date listed has only these hours.
// Canonical text of both is written back (days as ranges, windows sorted).
BusinessHours parse_business_hours(std::string& weekly, std::string& exceptions);

// Spans of time a service-level clock stands still ([start, end), in order, not overlapping):
// while the ball is in the tenant's court.
struct Span {
  Timestamp start;
  Timestamp end;
};
using Pauses = std::vector<Span>;

// The business time in [from, to) outside the pauses; zero when to <= from.
std::chrono::milliseconds business_time(const BusinessHours& hours, const date::time_zone& zone, Timestamp from,
                                        Timestamp to, const Pauses& pauses = {});

// The earliest instant by which `amount` of business time outside the pauses has passed since
// `from` (`from` itself for zero), or nullopt when the hours do not give that much within 20
// years (every weekday closed and the exceptions run out, or a target far beyond the hours).
std::optional<Timestamp> business_deadline(const BusinessHours& hours, const date::time_zone& zone, Timestamp from,
                                           std::chrono::milliseconds amount, const Pauses& pauses = {});

}  // namespace wo
