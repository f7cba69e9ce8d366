// SPDX-License-Identifier: MIT
// Cutting a schedule into slots in the org's zone. Pure: no storage, no clock.
#pragma once
#include <date/tz.h>

#include <string>
#include <vector>

#include "workorder/schedule.hpp"

namespace wo {

struct Window {
  int start_minute;  // minutes after local midnight
  int end_minute;
  friend bool operator==(const Window&, const Window&) = default;
};

// A schedule parsed and checked: weekday bit i = Monday + i.
struct Calendar {
  unsigned weekdays = 0;
  std::vector<Window> windows;  // sorted, non-overlapping
  int slot_minutes = 0;
};

// "HH:MM-HH:MM" → a window ("24:00" may end one); invalid_argument naming `field` and the text.
Window parse_window(const std::string& text, std::string_view field);

// "HH:MM".
std::string clock_text(int minutes);

// Parses and validates a schedule (docs/rules.md §9): unknown weekday, malformed or overlapping
// windows, a window shorter than a slot, zero capacity, negative lead/horizon → invalid_argument.
// Normalises days and windows to their canonical text.
Calendar parse_schedule(SlotSchedule& schedule);

// Every slot of the calendar whose local start falls on a local date in [first, last], as
// UTC instants in order. Local times that do not exist (spring forward) are skipped;
// repeated ones (fall back) take the first occurrence.
std::vector<Timestamp> slot_starts(const Calendar& calendar, const date::time_zone& zone, date::local_days first,
                                   date::local_days last);

// The local date of an instant in the zone.
date::local_days local_date(const date::time_zone& zone, Timestamp t);

// "2026-11-28T08:00+08:00".
std::string local_iso(const date::time_zone& zone, Timestamp t);

}  // namespace wo
