// SPDX-License-Identifier: MIT
// Appointment slots (docs/rules.md §5): a subtype's schedule in the org's zone, and the slots it offers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "workorder/fields.hpp"
#include "workorder/ids.hpp"
#include "workorder/time.hpp"

namespace wo {

// A subtype's schedule (预约时段); id is the subtype's id. Text fields keep a readable form:
// days "mon,tue,wed,thu,fri" and windows "08:00-12:00,13:30-18:00" ([start, end) local time).
struct SlotSchedule {
  static constexpr const char* kind = "slot_schedule";
  SubtypeId id;
  OrgId org_id;
  std::string days;
  std::string windows;
  std::int32_t slot_minutes = 60;
  std::int32_t capacity = 1;      // bookings per slot (间隔时间预约上限数)
  std::int32_t horizon_days = 7;  // slots on the next horizon_days local dates, today included
  std::int32_t lead_minutes = 0;  // earliest bookable start = now + lead
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, SlotSchedule>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("days", s.days, required);
  f("windows", s.windows, required);
  f("slot_minutes", s.slot_minutes, required);
  f("capacity", s.capacity, required);
  f("horizon_days", s.horizon_days, required);
  f("lead_minutes", s.lead_minutes, plain);
}

// One slot as availability reports it.
struct Slot {
  static constexpr const char* kind = "slot";
  Timestamp start{};
  Timestamp end{};
  std::string local_start;  // ISO 8601 with the zone's offset, e.g. 2026-11-28T08:00+08:00
  std::int32_t capacity = 0;
  std::int32_t booked = 0;
  bool available = false;   // false when full, earlier than now + lead, or past the horizon
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Slot>
void reflect(S& s, F&& f) {
  f("start", s.start, internal);
  f("end", s.end, internal);
  f("local_start", s.local_start, internal);
  f("capacity", s.capacity, internal);
  f("booked", s.booked, internal);
  f("available", s.available, internal);
}

}  // namespace wo
