// SPDX-License-Identifier: MIT
// Fixture for the appointment-slot tests (docs/rules.md §5): an org in Asia/Shanghai with a dispatcher,
// an eligible technician, a tenant with two contacts, and three subtypes — `visit` (free, with
// a schedule), `plain` (free, no schedule) and `prepaid` (prepay_full, with a schedule) —
// plus a snapshot of every table a slot operation may touch, so a refused call can be checked
// to have changed nothing.
#pragma once
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/expect.hpp"
#include "support/fields.hpp"
#include "support/org.hpp"
#include "support/table_pages.hpp"
#include "support/outcome.hpp"
#include "support/snapshot.hpp"
#include "support/test_db.hpp"
#include "support/string_makers.hpp"
#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/order.hpp"
#include "workorder/schedule.hpp"
#include "workorder/store.hpp"

namespace slots_test {

using namespace std::chrono_literals;
using wo::Actor;
using wo::Code;
using wo::OrderId;
using wo::Status;
using wo::Timestamp;

// 2026-11-27T01:00:00Z = Friday 09:00 in Asia/Shanghai.
inline constexpr std::int64_t start_ms = 1'795'741'200'000;

// An instant given as Asia/Shanghai local time (UTC+8, no DST).
inline Timestamp sh(int y, unsigned m, unsigned d, int h, int min = 0) {
  const auto midnight = std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return Timestamp{std::chrono::time_point_cast<std::chrono::milliseconds>(midnight) + std::chrono::hours{h - 8} +
                   std::chrono::minutes{min}};
}

inline std::chrono::year_month_day ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
}

using test_support::add;
using test_support::capture;
using test_support::diff;
using test_support::f;
using test_support::Outcome;
using test_support::Snapshot;

// ---------------------------------------------------------------------------------------------
inline const std::vector<std::string_view> booking_cols{"id", "org_id", "subtype_id", "slot_start", "booked"};

// ---------------------------------------------------------------------------------------------
struct World {
  wo::OrgId org;
  wo::StaffId admin, dispatcher, tech;
  wo::TenantId tenant;
  wo::ContactId c1, c2;
  wo::OrderTypeId type;
  wo::SubtypeId visit;    // free, schedule mon-sat 09:00-12:00,14:00-17:00, 60 min, capacity 2, 7 days, lead 120
  wo::SubtypeId plain;    // free, no schedule
  wo::SubtypeId prepaid;  // prepay_full (spec 100.00), same schedule as visit
  wo::ServiceSpecId prepaid_spec;

  Actor as_admin() const { return Actor::staff(admin); }
  Actor as_dispatcher() const { return Actor::staff(dispatcher); }
  Actor as_tech() const { return Actor::staff(tech); }
  Actor as_c1() const { return Actor::contact(c1); }
  Actor as_c2() const { return Actor::contact(c2); }
};

inline wo::Patch<wo::SlotSchedule> schedule_patch(const std::string& days, const std::string& windows,
                                                  std::int32_t slot_minutes, std::int32_t capacity,
                                                  std::int32_t horizon_days, std::int32_t lead_minutes) {
  wo::Patch<wo::SlotSchedule> p;
  p.set(&wo::SlotSchedule::days, days)
      .set(&wo::SlotSchedule::windows, windows)
      .set(&wo::SlotSchedule::slot_minutes, slot_minutes)
      .set(&wo::SlotSchedule::capacity, capacity)
      .set(&wo::SlotSchedule::horizon_days, horizon_days)
      .set(&wo::SlotSchedule::lead_minutes, lead_minutes);
  return p;
}

inline wo::Patch<wo::SlotSchedule> standard_schedule(std::int32_t capacity = 2) {
  return schedule_patch("sat,fri,thu,wed,tue,mon", "14:00-17:00,09:00-12:00", 60, capacity, 7, 120);
}

// Builds the world in `e`; `capacity` is the schedules' capacity.
inline World build_world(wo::Engine& e, const std::string& name, std::int32_t capacity = 2) {
  World w;
  const wo::NewOrg created = test_support::create_org(e, name, "Asia/Shanghai", "Admin", "13900000000");
  w.org = created.org;
  w.admin = created.admin;
  const Actor admin = w.as_admin();
  const auto dept = add<wo::Department>(e, admin, f(&wo::Department::name, "Maintenance"));
  const auto plumber = add<wo::Position>(e, admin, f(&wo::Position::name, "Plumber"));
  const auto desk = add<wo::Position>(e, admin, f(&wo::Position::name, "Desk"));
  w.dispatcher = add<wo::Staff>(e, admin, f(&wo::Staff::name, "Dispatcher"), f(&wo::Staff::phone, "13900000001"),
                                f(&wo::Staff::department_id, std::optional{dept}),
                                f(&wo::Staff::position_id, std::optional{desk}),
                                f(&wo::Staff::roles, std::int32_t{wo::role_dispatcher}));
  w.tech = add<wo::Staff>(e, admin, f(&wo::Staff::name, "Technician"), f(&wo::Staff::phone, "13900000002"),
                          f(&wo::Staff::department_id, std::optional{dept}),
                          f(&wo::Staff::position_id, std::optional{plumber}),
                          f(&wo::Staff::roles, std::int32_t{wo::role_technician}));
  w.tenant = add<wo::Tenant>(e, admin, f(&wo::Tenant::name, "Tenant"));
  w.c1 = add<wo::Contact>(e, admin, f(&wo::Contact::tenant_id, w.tenant), f(&wo::Contact::name, "Contact 1"),
                          f(&wo::Contact::phone, "13800000001"));
  w.c2 = add<wo::Contact>(e, admin, f(&wo::Contact::tenant_id, w.tenant), f(&wo::Contact::name, "Contact 2"),
                          f(&wo::Contact::phone, "13800000002"));
  w.type = add<wo::OrderType>(e, admin, f(&wo::OrderType::name, "Home repair"), f(&wo::OrderType::department_id, dept),
                              f(&wo::OrderType::position_id, plumber));
  w.visit = add<wo::Subtype>(e, admin, f(&wo::Subtype::order_type_id, w.type), f(&wo::Subtype::name, "Home visit"),
                             f(&wo::Subtype::charge_mode, wo::ChargeMode::free));
  w.plain = add<wo::Subtype>(e, admin, f(&wo::Subtype::order_type_id, w.type), f(&wo::Subtype::name, "Walk-in"),
                             f(&wo::Subtype::charge_mode, wo::ChargeMode::free));
  w.prepaid = add<wo::Subtype>(e, admin, f(&wo::Subtype::order_type_id, w.type), f(&wo::Subtype::name, "Deep clean"),
                               f(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_full));
  w.prepaid_spec = add<wo::ServiceSpec>(e, admin, f(&wo::ServiceSpec::subtype_id, w.prepaid),
                                        f(&wo::ServiceSpec::name, "Standard"), f(&wo::ServiceSpec::price, wo::Money{10000}));
  e.set_schedule(admin, w.visit, standard_schedule(capacity));
  e.set_schedule(admin, w.prepaid, standard_schedule(capacity));
  for (auto c : {wo::Channel::wechat, wo::Channel::alipay, wo::Channel::cash}) e.set_channel_enabled(admin, c, true);
  return w;
}

inline wo::OrderDraft draft(wo::SubtypeId subtype, std::optional<Timestamp> slot,
                            std::optional<wo::ServiceSpecId> spec = std::nullopt) {
  wo::OrderDraft d;
  d.subtype_id = subtype;
  d.spec_id = spec;
  d.description = "Bathroom tap drips (卫生间龙头滴水)";
  d.address = "Building 2, Room 301";
  d.source_channel = wo::SourceChannel::tenant_app;
  d.slot_start = slot;
  return d;
}

// The stored booked count of one slot (0 without a row).
inline std::int64_t stored_booked(wo::Store& store, wo::SubtypeId subtype, Timestamp start) {
  std::int64_t booked = 0;
  int rows = 0;
  store.read([&](wo::Transaction& tx) {
    const wo::Condition where[] = {{"subtype_id", wo::Value{subtype.value}}, {"slot_start", wo::Value{wo::to_unix_ms(start)}}};
    for (const auto& r : tx.select("slot_booking", booking_cols, where, 0, wo::max_page_size)) {
      booked += std::get<std::int64_t>(r[4]);
      ++rows;
    }
  });
  CHECK(rows <= 1);
  return booked;
}

// ---------------------------------------------------------------------------------------------
// expect_error(code, call) and expect_ok(call) come from test_support::Expectations.
class Fixture : public test_support::Expectations<Fixture> {
 public:
  Timestamp now = wo::from_unix_ms(start_ms);
  wo::Store* store = nullptr;  // the engine's own, for snapshots and counts
  wo::Engine engine{test_support::keep(store, test_support::fresh_store("slots")), [this] { return now; }};
  World w;

  Fixture() { w = build_world(engine, "Slots Property"); }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  // Every table a slot operation may touch.
  Snapshot snapshot() {
    using test_support::table_of;
    return test_support::take_snapshot(*store, {table_of<wo::Order>("work_order"), table_of<wo::OrderEvent>(),
                                                        table_of<wo::Payment>(), table_of<wo::SlotSchedule>(),
                                                        {"slot_booking", booking_cols}, table_of<wo::Subtype>()});
  }

  OrderId submit(Timestamp slot, const Actor* actor = nullptr) {
    return engine.submit(actor ? *actor : w.as_c1(), draft(w.visit, slot));
  }

  wo::Order order(OrderId id) { return engine.get_order(Actor::system(), id); }
  std::int64_t booked(Timestamp start, std::optional<wo::SubtypeId> subtype = std::nullopt) {
    return stored_booked(*store, subtype.value_or(w.visit), start);
  }
  std::int64_t order_count() { return test_support::count_rows(*store, "work_order"); }

  // The slot of `subtype` starting at `start` as availability reports it (its local date).
  std::optional<wo::Slot> slot(Timestamp start, std::optional<wo::SubtypeId> subtype = std::nullopt) {
    const auto local_day = std::chrono::floor<std::chrono::days>(start + 8h);
    const std::chrono::year_month_day d{local_day};
    for (const auto& s : engine.availability(w.as_admin(), subtype.value_or(w.visit), d, d))
      if (s.start == start) return s;
    return std::nullopt;
  }
};

}  // namespace slots_test
