// SPDX-License-Identifier: MIT
#include "engine/dispatch.hpp"

#include <algorithm>
#include <vector>

#include "domain/fail.hpp"
#include "domain/lifecycle.hpp"
#include "engine/row_mapping.hpp"
#include "workorder/engine.hpp"

namespace wo {
namespace {

std::int64_t orders_held(Transaction& tx, StaffId staff) {
  std::vector<Value> held;
  for (Status s : held_statuses) held.push_back(to_value(s));
  const Condition where[] = {{"assignee_id", Value{staff.value}}, {"status", held}};
  return tx.count("work_order", where);
}

void remember_holder(OrderStep& step, StaffId staff) {
  static const std::vector<std::string_view> id_col{"id"};
  const Condition where[] = {{"order_id", Value{step.order.id.value}}, {"staff_id", Value{staff.value}}};
  if (!step.tx.select("order_holder", id_col, where, 0, 1).empty()) return;
  static const std::vector<std::string_view> cols{"org_id", "order_id", "staff_id", "order_created_at"};
  step.tx.append("order_holder", cols,
                 Row{Value{step.order.org_id.value}, Value{step.order.id.value}, Value{staff.value},
                     Value{to_unix_ms(step.order.created_at)}});
}

// Staff who turned the order down: rejected it, or let its acceptance time out.
std::vector<std::int64_t> turned_down(Transaction& tx, OrderId order) {
  static const std::vector<std::string_view> cols{"id", "staff_id"};
  const Condition where[] = {{"order_id", Value{order.value}},
                             {"action", std::vector<Value>{to_value(Action::reject), to_value(Action::accept_timeout)}}};
  std::vector<std::int64_t> staff;
  for (std::int64_t after = 0;;) {
    const auto rows = tx.select("event", cols, where, after, max_page_size);
    for (const auto& row : rows) {
      after = std::get<std::int64_t>(row[0]);
      if (const auto* id = std::get_if<std::int64_t>(&row[1])) staff.push_back(*id);
    }
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return staff;
  }
}

struct Candidate {
  Staff staff;
  std::int64_t held = 0;
};

// The type's eligible, active technicians under the grab limit who did not turn the order
// down, in id order, with how many orders each holds.
std::vector<Candidate> candidates(Transaction& tx, const Order& order, const OrderType& type) {
  const OrderSettings settings = load_settings(tx, order.org_id);
  const std::vector<std::int64_t> declined = turned_down(tx, order.id);
  const Condition where[] = {{"org_id", Value{order.org_id.value}},
                             {"department_id", Value{type.department_id.value}},
                             {"position_id", Value{type.position_id.value}},
                             {"active", Value{std::int64_t{1}}}};
  std::vector<Candidate> out;
  for (std::int64_t after = 0;;) {
    const auto rows = tx.select("staff", columns<Staff>(), where, after, max_page_size);
    for (const auto& row : rows) {
      Candidate c{from_row<Staff>(row)};
      after = c.staff.id.value;
      if (!(c.staff.roles & role_technician) ||
          std::find(declined.begin(), declined.end(), c.staff.id.value) != declined.end())
        continue;
      c.held = orders_held(tx, c.staff.id);
      if (settings.grab_limit > 0 && c.held >= settings.grab_limit) continue;
      out.push_back(std::move(c));
    }
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return out;
  }
}

// Whether `staff` holds fewer orders than the org's grab limit, counted under their lock.
bool under_grab_limit(Transaction& tx, const OrderSettings& settings, StaffId staff) {
  if (settings.grab_limit <= 0) return true;
  tx.lock("staff", staff.value);
  return orders_held(tx, staff) < settings.grab_limit;
}

}  // namespace

void check_grab_limit(OrderStep& step, StaffId staff, std::string_view field) {
  const OrderSettings settings = load_settings(step.tx, step.order.org_id);
  if (!under_grab_limit(step.tx, settings, staff))
    fail(Code::grab_limit, "{} {} already holds {} orders (grab_limit)", field, staff.value, settings.grab_limit);
}

void hand_to(OrderStep& step, StaffId staff) {
  step.order.assignee_id = staff;
  step.order.assigned_at = step.now;
  remember_holder(step, staff);
  static const std::vector<std::string_view> cols{"last_assigned_at"};
  step.tx.update("staff", staff.value, cols, Row{Value{to_unix_ms(step.now)}});
}

std::optional<StaffId> pick_assignee(Transaction& tx, const Order& order, const OrderType& type) {
  if (type.dispatch_strategy == DispatchStrategy::manual) return std::nullopt;
  const std::vector<Candidate> all = candidates(tx, order, type);
  if (all.empty()) return std::nullopt;
  if (type.dispatch_strategy == DispatchStrategy::round_robin) {
    // The next after the one this type assigned last, wrapping round to the lowest id.
    const std::int64_t last = type.last_dispatched_id ? type.last_dispatched_id->value : 0;
    const auto next = std::find_if(all.begin(), all.end(), [&](const Candidate& c) { return c.staff.id.value > last; });
    return (next != all.end() ? *next : all.front()).staff.id;
  }
  // least_loaded: fewest orders held, then idle longest (never handed one counts as longest),
  // then the lowest id.
  const auto best = std::min_element(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
    const auto idle_since = [](const Candidate& c) { return c.staff.last_assigned_at.value_or(Timestamp::min()); };
    if (a.held != b.held) return a.held < b.held;
    if (idle_since(a) != idle_since(b)) return idle_since(a) < idle_since(b);
    return a.staff.id.value < b.staff.id.value;
  });
  return best->staff.id;
}

void dispatch_automatically(OrderStep& step) {
  if (step.order.status != Status::pending_dispatch || step.type.dispatch_strategy == DispatchStrategy::manual) return;
  // The system acts from here, on the order as the action saved it.
  step.who = Who{};
  step.parties = party_system;
  step.loaded = step.order;
  step.before = step.order.status;
  if (step.type.dispatch_strategy == DispatchStrategy::round_robin) {
    // One order of a type at a time takes the next in turn.
    step.tx.lock("order_type", step.type.id.value);
    step.type = load_in_org<OrderType>(step.tx, step.order.org_id, step.type.id.value, "order_type_id");
  }
  const std::string strategy = name_of(step.type.dispatch_strategy);
  const OrderSettings settings = load_settings(step.tx, step.order.org_id);
  std::optional<StaffId> staff;
  // The pick counted without locks; counted again under the staff member's lock, another
  // writer may have been first. Then the next pick, which sees that order, passes them over.
  do staff = pick_assignee(step.tx, step.order, step.type);
  while (staff && !under_grab_limit(step.tx, settings, *staff));
  if (!staff) {
    const Transition& t = decide(Action::dispatch_unmatched, step.before, step.parties, {});
    save_step(step, Action::dispatch_unmatched, t.to, {.details = strategy});
    return;
  }
  const Transition& t = decide(Action::auto_assign, step.before, step.parties, {});
  hand_to(step, *staff);
  if (step.type.dispatch_strategy == DispatchStrategy::round_robin) {
    static const std::vector<std::string_view> cols{"last_dispatched_id"};
    step.tx.update("order_type", step.type.id.value, cols, Row{Value{staff->value}});
  }
  save_step(step, Action::auto_assign, t.to, {.staff = *staff, .details = strategy});
}

std::optional<StaffId> Engine::preview_dispatch(const Actor& actor, OrderId id) {
  std::optional<StaffId> staff;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    const OrderStep step = open_step(tx, who, id, impl_->now());
    if (!(step.parties & (party_dispatcher | party_admin)))
      fail(Code::forbidden, "only a dispatcher or admin may preview the dispatch of order {}", id.value);
    if (step.before != Status::pending_dispatch)
      fail(Code::invalid_state, "order {} is {}, not pending_dispatch", id.value, name_of(step.before));
    staff = pick_assignee(tx, step.order, step.type);
  });
  return staff;
}

}  // namespace wo
