// SPDX-License-Identifier: MIT
// Slot schedules, availability, booking and rescheduling (docs/rules.md §5).
#include <date/tz.h>

#include <algorithm>

#include "domain/fail.hpp"
#include "domain/slot_calendar.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"
#include "engine/slot_booking.hpp"

namespace wo {
namespace {

const std::vector<std::string_view> zone_cols{"time_zone"};

constexpr int max_availability_days = 62;

date::local_days to_local_days(std::chrono::year_month_day d) {
  return date::local_days{date::days{std::chrono::local_days{d}.time_since_epoch().count()}};
}

}  // namespace

const date::time_zone& org_zone(Transaction& tx, OrgId org) {
  return find_time_zone("time_zone", std::get<std::string>(tx.find("org", zone_cols, org.value)->at(0)));
}

void prefetch_org_zone(Transaction& tx, OrgId org) { tx.prefetch("org", zone_cols, org.value); }

std::optional<SlotSchedule> load_schedule(Transaction& tx, SubtypeId subtype) {
  auto row = tx.find("slot_schedule", columns<SlotSchedule>(), subtype.value);
  if (!row) return std::nullopt;
  return from_row<SlotSchedule>(*row);
}

void prefetch_schedule(Transaction& tx, SubtypeId subtype) {
  tx.prefetch("slot_schedule", columns<SlotSchedule>(), subtype.value);
}

void book_slot(Transaction& tx, OrgId org, const date::time_zone& zone, SubtypeId subtype, Timestamp start,
               Timestamp now) {
  auto schedule = load_schedule(tx, subtype);
  if (!schedule) fail(Code::invalid_argument, "slot_start is given but subtype {} has no slot schedule", subtype.value);
  const Calendar cal = parse_schedule(*schedule);
  // Instants more than a year outside the bookable range are refused before any local-time
  // arithmetic could overflow (and shown in Unix ms); nearer ones go through the usual checks.
  const auto year = date::days{366};
  if (start < now - year) fail(Code::slot_too_early, "slot_start {} (Unix ms) is in the past", to_unix_ms(start));
  if (start > now + date::days{schedule->horizon_days} + year)
    fail(Code::slot_beyond_horizon, "slot_start {} (Unix ms) is beyond the booking horizon of {} days",
         to_unix_ms(start), schedule->horizon_days);
  const auto day = local_date(zone, start);
  const auto slots = slot_starts(cal, zone, day, day);
  const std::string shown = local_iso(zone, start);
  if (std::find(slots.begin(), slots.end(), start) == slots.end())
    fail(Code::slot_unavailable, "slot_start {} is not a slot of subtype {} ({} slots of {} minutes in {})", shown,
         subtype.value, schedule->days, schedule->slot_minutes, schedule->windows);
  if (start < now + std::chrono::minutes{schedule->lead_minutes})
    fail(Code::slot_too_early, "slot_start {} is earlier than now plus the lead time of {} minutes", shown,
         schedule->lead_minutes);
  if (day >= local_date(zone, now) + date::days{schedule->horizon_days})
    fail(Code::slot_beyond_horizon, "slot_start {} is beyond the booking horizon of {} days", shown, schedule->horizon_days);
  if (!tx.book_slot(org.value, subtype.value, to_unix_ms(start), schedule->capacity))
    fail(Code::slot_full, "slot_start {} is full (capacity {})", shown, schedule->capacity);
}

void release_slot(Transaction& tx, SubtypeId subtype, Timestamp start) {
  tx.release_slot(subtype.value, to_unix_ms(start));
}

void Engine::set_schedule(const Actor& actor, SubtypeId subtype_id, const Patch<SlotSchedule>& fields) {
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    tx.lock("subtype", subtype_id.value);  // the schedule row may not exist yet
    const Subtype subtype = load_in_org<Subtype>(tx, who.org, subtype_id.value, "subtype_id");
    require_role(who, role_admin, "set a slot schedule");
    for (auto name : {"id", "org_id"})
      if (fields.has(name)) fail(Code::invalid_argument, "{} is set by the engine and cannot be given", name);
    const auto existing = load_schedule(tx, subtype.id);
    SlotSchedule s = existing.value_or(SlotSchedule{});
    if (!existing)
      for (auto name : {"days", "windows", "slot_minutes", "capacity", "horizon_days"})
        if (!fields.has(name)) fail(Code::invalid_argument, "{} is required", name);
    fields.apply_to(s);
    s.id = subtype.id;
    s.org_id = who.org;
    parse_schedule(s);  // validates and normalises days and windows
    // Existing bookings stay whatever changes: a lowered capacity only makes slots full.
    if (existing)
      tx.update("slot_schedule", s.id.value, columns_without_id<SlotSchedule>(), values_without_id(s));
    else
      tx.insert("slot_schedule", columns<SlotSchedule>(), to_row(s));
  });
}

std::optional<SlotSchedule> Engine::get_schedule(const Actor& actor, SubtypeId subtype_id) {
  std::optional<SlotSchedule> schedule;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, "read a slot schedule");
    load_in_org<Subtype>(tx, who.org, subtype_id.value, "subtype_id");
    schedule = load_schedule(tx, subtype_id);
  });
  return schedule;
}

void Engine::clear_schedule(const Actor& actor, SubtypeId subtype_id) {
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    tx.lock("subtype", subtype_id.value);
    load_in_org<Subtype>(tx, who.org, subtype_id.value, "subtype_id");
    require_role(who, role_admin, "clear a slot schedule");
    if (!load_schedule(tx, subtype_id)) fail(Code::not_found, "subtype {} has no slot schedule", subtype_id.value);
    tx.remove("slot_schedule", subtype_id.value);
  });
}

std::vector<Slot> Engine::availability(const Actor& actor, SubtypeId subtype_id, std::chrono::year_month_day first,
                                       std::chrono::year_month_day last) {
  if (!first.ok() || !last.ok()) fail(Code::invalid_argument, "from and to must be valid dates");
  const auto from = to_local_days(first), to = to_local_days(last);
  if (to < from) fail(Code::invalid_argument, "the last date of the range is before the first");
  if (to - from >= date::days{max_availability_days})
    fail(Code::invalid_argument, "the range spans {} days, at most {} allowed", (to - from).count() + 1, max_availability_days);
  std::vector<Slot> slots;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, "read slot availability");
    const Subtype subtype = load_in_org<Subtype>(tx, who.org, subtype_id.value, "subtype_id");
    auto schedule = load_schedule(tx, subtype.id);
    if (!schedule) fail(Code::not_found, "subtype {} has no slot schedule", subtype.id.value);
    const Calendar cal = parse_schedule(*schedule);
    const date::time_zone& zone = org_zone(tx, who.org);
    const Timestamp now = impl_->now();
    const auto starts = slot_starts(cal, zone, from, to);
    if (starts.empty()) return;
    const auto booked = tx.slot_bookings(subtype.id.value, to_unix_ms(starts.front()), to_unix_ms(starts.back()) + 1);
    const auto horizon_end = local_date(zone, now) + date::days{schedule->horizon_days};
    const Timestamp earliest = now + std::chrono::minutes{schedule->lead_minutes};
    auto b = booked.begin();
    for (const Timestamp start : starts) {
      Slot slot;
      slot.start = start;
      slot.end = start + std::chrono::minutes{schedule->slot_minutes};
      slot.local_start = local_iso(zone, start);
      slot.capacity = schedule->capacity;
      while (b != booked.end() && b->first < to_unix_ms(start)) ++b;
      if (b != booked.end() && b->first == to_unix_ms(start)) slot.booked = b->second;
      slot.available = slot.booked < slot.capacity && start >= earliest && local_date(zone, start) < horizon_end;
      slots.push_back(std::move(slot));
    }
  });
  return slots;
}

void Engine::reschedule(const Actor& actor, OrderId id, Timestamp slot_start) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::reschedule, step.before, step.parties, {});
    if (!step.order.slot_start) fail(Code::invalid_state, "order {} has no appointment slot to move", id.value);
    const Timestamp old = *step.order.slot_start;
    if (old == slot_start) fail(Code::invalid_argument, "slot_start is already the order's slot");
    // Book the new slot first: if it fails, the transaction rolls back and the old one stays.
    const date::time_zone& zone = org_zone(step.tx, step.order.org_id);
    book_slot(step.tx, step.order.org_id, zone, step.order.subtype_id, slot_start, step.now);
    release_slot(step.tx, step.order.subtype_id, old);
    step.order.slot_start = slot_start;
    save_step(step, Action::reschedule, t.to,
              {.details = fmt::format("{} → {}", local_iso(zone, old), local_iso(zone, slot_start))});
  });
}

}  // namespace wo
