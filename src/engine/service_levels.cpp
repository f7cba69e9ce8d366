// SPDX-License-Identifier: MIT
#include "engine/service_levels.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "domain/concerns.hpp"
#include "domain/fail.hpp"
#include "domain/service_level.hpp"
#include "engine/slot_booking.hpp"

namespace wo {
namespace {

// Orders per write transaction of the tick, as for the timers.
constexpr int alert_batch = 100;

const ServiceCalendar& calendar_of(OrderStep& step) {
  if (!step.calendar) step.calendar = load_calendar(step.tx, step.order.org_id);
  return *step.calendar;
}

std::vector<OrderId> orders_alerting(Transaction& tx, OrgId org, Timestamp now) {
  static const std::vector<std::string_view> id_col{"id"};
  OrderFilter filter;
  filter.org_id = org.value;
  filter.sla_alert_to_ms = to_unix_ms(now);
  std::vector<OrderId> ids;
  tx.scan_orders(filter, id_col, [&](const Row& row) {
    ids.push_back(OrderId{std::get<std::int64_t>(row[0])});
    return ids.size() < static_cast<std::size_t>(alert_batch);
  });
  return ids;
}

// The status changes of each order, oldest first, from its history events.
std::map<std::int64_t, std::vector<StatusChange>> histories(Transaction& tx, const std::vector<Value>& orders) {
  static const std::vector<std::string_view> cols{"id", "order_id", "at", "from_status", "to_status"};
  std::map<std::int64_t, std::vector<StatusChange>> out;
  const Condition where[] = {{"order_id", orders}};
  for (std::int64_t after = 0;;) {
    const auto rows = tx.select("event", cols, where, after, max_page_size);
    for (const Row& r : rows) {
      after = std::get<std::int64_t>(r[0]);
      const auto* to = std::get_if<std::int64_t>(&r[4]);
      const auto* from = std::get_if<std::int64_t>(&r[3]);
      if (!to || (from && *from == *to)) continue;  // no change of status
      StatusChange c{from_unix_ms(std::get<std::int64_t>(r[2])), std::nullopt, static_cast<Status>(*to)};
      if (from) c.from = static_cast<Status>(*from);
      out[std::get<std::int64_t>(r[1])].push_back(c);
    }
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return out;
  }
}

std::optional<std::chrono::minutes> minutes_of(const std::optional<std::int32_t>& m) {
  if (!m) return std::nullopt;
  return std::chrono::minutes{*m};
}

// Sets a running clock from the history's count (a stopped one keeps its verdict).
void recount(std::optional<Timestamp>& due, ServiceState& state, std::int64_t& used, const ServiceClock& clock) {
  if (state != ServiceState::open) return;
  due = clock.due;
  used = clock.used.count();
}

}  // namespace

void append_alerts(OrderStep& step, const std::vector<ServiceAlert>& alerts, std::optional<StaffId> assignee) {
  const Who system{};
  for (const ServiceAlert& a : alerts) {
    decide(a.action, step.before, party_system, {});
    EventNote note{.amount = a.target_min, .details = a.clock};
    append_event(step.tx, step.order, a.action, system, step.now, step.before, note);
    if (assignee) {
      note.concerns = Concern{Audience::staff, assignee->value};
      append_event(step.tx, step.order, a.action, system, step.now, step.before, note);
    }
  }
}

ServiceCalendar load_calendar(Transaction& tx, OrgId org) {
  const OrderSettings settings = load_settings(tx, org);
  std::string weekly = settings.business_hours, exceptions = settings.business_exceptions;
  return {parse_business_hours(weekly, exceptions), &org_zone(tx, org), settings.sla_warning_percent};
}

void move_step_clocks(OrderStep& step, Status to) {
  if (!has_clocks(step.order)) return;
  const Status from = step.order.status;
  // A breach not reported yet is reported before the clocks start again, to the assignee it
  // happened with (a reopen hands the order back to the pool).
  if (reopens(from, to)) append_alerts(step, owed_breaches(step.order), step.loaded.assignee_id);
  step.order.status = to;
  move_clocks(step.order, from, step.now, calendar_of(step));
}

std::optional<ServiceCalendar> start_order_clocks(Transaction& tx, Order& o, const Subtype& subtype, Timestamp now) {
  o.response_target_min = subtype.response_target_min;
  o.resolution_target_min = subtype.resolution_target_min;
  if (!has_clocks(o)) return std::nullopt;
  ServiceCalendar calendar = load_calendar(tx, o.org_id);
  start_clocks(o, now, calendar);
  return calendar;
}

void project_for_reading(Transaction& tx, std::span<Order> orders, Timestamp now) {
  std::optional<ServiceCalendar> calendar;
  for (Order& o : orders) {
    if (!has_clocks(o)) continue;
    if (!calendar) calendar = load_calendar(tx, o.org_id);
    project_clocks(o, now, *calendar);
  }
}

void send_due_alerts(Store& store, const Actor& actor, OrgId org, Timestamp now, std::set<std::int64_t>& alerted) {
  bool any = false;
  store.read([&](Transaction& tx) { any = !orders_alerting(tx, org, now).empty(); });
  // Each batch moves every order it takes past `now`, so the next batch takes new ones.
  for (std::size_t taken = alert_batch; any && taken == alert_batch;) {
    std::vector<std::int64_t> batch;
    store.write([&](Transaction& tx) {
      const Who who = resolve(tx, actor);
      const auto ids = orders_alerting(tx, org, now);
      taken = ids.size();
      batch.clear();
      std::optional<ServiceCalendar> calendar;
      for (OrderId id : ids) {
        tx.lock("work_order", id.value);
        OrderStep step = open_step(tx, who, id, now);
        // Another tick may have sent them since the scan: the row says what is left.
        if (!step.order.sla_alert_at || *step.order.sla_alert_at > now) continue;
        if (!calendar) calendar = load_calendar(tx, org);
        step.calendar = calendar;
        const auto alerts = take_due_alerts(step.order, now, *calendar);
        if (step.order.sla_alert_at && *step.order.sla_alert_at <= now)
          fail(Code::internal, "order {} has a service-level alert due that cannot be sent", id.value);
        write_order_changes(step, alerts.empty() ? Action::sla_warning : alerts.front().action);
        append_alerts(step, alerts, step.order.assignee_id);
        if (!alerts.empty()) batch.push_back(id.value);
      }
    });
    alerted.insert(batch.begin(), batch.end());
  }
}

void recount_running_clocks(Transaction& tx, OrgId org, Timestamp now, const ServiceCalendar& calendar) {
  const auto recount_page = [&](std::vector<Value> ids) {
    // Under each order's lock, as every order action, and read again after it: an action that
    // committed meanwhile is counted, never overwritten.
    std::sort(ids.begin(), ids.end());
    for (const Value& id : ids) tx.lock("work_order", std::get<std::int64_t>(id));
    const Condition these[] = {{"id", ids}};
    const auto rows = tx.select("work_order", columns<Order>(), these, 0, max_page_size);
    const auto changes = histories(tx, ids);
    for (const Row& row : rows) {
      Order o = from_row<Order>(row);
      const auto it = changes.find(o.id.value);
      if (it == changes.end()) continue;
      const ServiceTargets targets{minutes_of(o.response_target_min), minutes_of(o.resolution_target_min)};
      const ServiceLevel level = service_level(it->second, targets, calendar.hours, *calendar.zone, now);
      recount(o.response_due, o.response_state, o.response_used_ms, level.response);
      recount(o.resolution_due, o.resolution_state, o.resolution_used_ms, level.resolution);
      o.sla_as_of = now;
      reschedule_alert(o, calendar);
      static const std::vector<std::string_view> cols{"response_due", "response_used_ms", "resolution_due",
                                                      "resolution_used_ms", "sla_as_of", "sla_alert_at"};
      const auto ms = [](const std::optional<Timestamp>& t) { return t ? Value{to_unix_ms(*t)} : Value{}; };
      tx.update("work_order", o.id.value, cols,
                Row{ms(o.response_due), Value{o.response_used_ms}, ms(o.resolution_due), Value{o.resolution_used_ms},
                    ms(o.sla_as_of), ms(o.sla_alert_at)});
    }
  };
  // Each running clock is a range of (org, state) in creation order, read a page at a time.
  static const std::vector<std::string_view> key_cols{"id", "created_at"};
  std::set<std::int64_t> done;
  for (const auto state : {&OrderFilter::response_state, &OrderFilter::resolution_state}) {
    OrderFilter filter;
    filter.org_id = org.value;
    filter.*state = static_cast<std::int64_t>(ServiceState::open);
    for (std::optional<OrderKey> after;;) {
      const auto rows = tx.select_orders(filter, key_cols, after, false, max_page_size);
      std::vector<Value> page;
      for (const Row& row : rows) {
        const std::int64_t id = std::get<std::int64_t>(row[0]);
        after = OrderKey{std::get<std::int64_t>(row[1]), id};
        if (done.insert(id).second) page.emplace_back(id);
      }
      if (!page.empty()) recount_page(std::move(page));
      if (rows.size() < static_cast<std::size_t>(max_page_size)) break;
    }
  }
}

}  // namespace wo
