// SPDX-License-Identifier: MIT
// The C ABI of slot schedules and availability.
#include <cstdio>
#include <cstring>
#include <limits>

#include "handles.hpp"

using namespace wo;
using namespace wo::capi;

namespace {

std::chrono::year_month_day parse_date(const char* text, const char* name) {
  need(text, name);
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (std::strlen(text) != 10 || std::sscanf(text, "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    fail(Code::invalid_argument, "{} '{}' is not a YYYY-MM-DD date", name, text);
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) fail(Code::invalid_argument, "{} '{}' is not a valid date", name, text);
  return date;
}

}  // namespace

extern "C" {

int wo_schedule_set(wo_db* db, const wo_actor* actor, int64_t subtype_id, const wo_input* fields) {
  return guarded([&] {
    need_db(db, actor);
    db->engine->set_schedule(actor->actor, SubtypeId{subtype_id}, to_patch<SlotSchedule>(fields));
  });
}

int wo_schedule_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t subtype_id) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    const auto schedule = db->engine->get_schedule(actor->actor, SubtypeId{subtype_id});
    if (!schedule) fail(Code::not_found, "subtype {} has no slot schedule", subtype_id);
    *out = to_record(*schedule).release();
  });
}

int wo_schedule_clear(wo_db* db, const wo_actor* actor, int64_t subtype_id) {
  return guarded([&] {
    need_db(db, actor);
    db->engine->clear_schedule(actor->actor, SubtypeId{subtype_id});
  });
}

int wo_slot_availability(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t subtype_id, const char* from_date,
                         const char* to_date) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    // from_date is checked first, whatever order a compiler evaluates arguments in.
    const auto from = parse_date(from_date, "from_date");
    const auto to = parse_date(to_date, "to_date");
    auto slots = db->engine->availability(actor->actor, SubtypeId{subtype_id}, from, to);
    // At most 62 days of slots: computed once, handed out in start order.
    *out = make_iter<Slot>([slots = std::move(slots)](std::int64_t after) {
      std::vector<Slot> rest;
      for (const auto& s : slots)
        if (to_unix_ms(s.start) > after) rest.push_back(s);
      return rest;
    });
    (*out)->after = std::numeric_limits<std::int64_t>::min();
  });
}

}  // extern "C"
