// SPDX-License-Identifier: MIT
#include "domain/service_clock.hpp"

#include <algorithm>

namespace wo {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

bool starts_work(Status, Status to) { return to == Status::in_progress; }

bool finishes(Status from, Status to) {
  return from == Status::in_progress &&
         (to == Status::awaiting_payment || to == Status::awaiting_rating || to == Status::completed);
}

// One clock's columns on the order, and the change that stops it.
struct ClockColumns {
  std::optional<std::int32_t> Order::*target;
  std::optional<Timestamp> Order::*due;
  ServiceState Order::*state;
  std::int64_t Order::*used;
  std::int32_t Order::*alerts;
  const char* name;
  bool (*stops)(Status from, Status to);
};

constexpr ClockColumns clocks[] = {
    {&Order::response_target_min, &Order::response_due, &Order::response_state, &Order::response_used_ms,
     &Order::response_alerts, "response", starts_work},
    {&Order::resolution_target_min, &Order::resolution_due, &Order::resolution_state, &Order::resolution_used_ms,
     &Order::resolution_alerts, "resolution", finishes},
};

constexpr std::int32_t warning_sent = 1, breach_sent = 2;

milliseconds target_of(const Order& o, const ClockColumns& c) { return minutes{*(o.*c.target)}; }
// The target's business time is used up: the due instant has come and is known for good.
bool used_up(const Order& o, const ClockColumns& c) { return milliseconds{o.*c.used} >= target_of(o, c); }
// Late at `t`: past the due instant (stopping at or before it is in time).
bool late_at(const Order& o, const ClockColumns& c, Timestamp t) { return o.*c.due && t > *(o.*c.due); }

// The business time of the running clocks, counted from sla_as_of up to `at`.
void count_to(Order& o, Timestamp at, const ServiceCalendar& cal) {
  const Timestamp since = o.sla_as_of.value_or(at);
  const bool running = std::any_of(std::begin(clocks), std::end(clocks),
                                   [&](const ClockColumns& c) { return o.*c.state == ServiceState::open; });
  if (running && !waits_for_tenant(o.status) && since < at) {
    const milliseconds passed = business_time(cal.hours, *cal.zone, since, at);
    for (const ClockColumns& c : clocks)
      if (o.*c.state == ServiceState::open) o.*c.used += passed.count();
  }
  o.sla_as_of = at;
}

void start(Order& o, const ClockColumns& c, Timestamp at, const ServiceCalendar& cal) {
  if (!(o.*c.target)) {
    o.*c.state = ServiceState::none;
    return;
  }
  o.*c.state = ServiceState::open;
  o.*c.used = 0;
  o.*c.alerts = 0;
  (o.*c.due).reset();
  if (!waits_for_tenant(o.status)) o.*c.due = business_deadline(cal.hours, *cal.zone, at, target_of(o, c));
}

// The instant the clock next has an alert for a tick, if any.
std::optional<Timestamp> next_alert(const Order& o, const ClockColumns& c, const ServiceCalendar& cal) {
  if (!(o.*c.target) || o.*c.alerts >= breach_sent) return std::nullopt;
  const Timestamp as_of = *o.sla_as_of;
  if (o.*c.state == ServiceState::breached) return as_of;  // stopped late: the breach is still owed
  if (o.*c.state != ServiceState::open || !(o.*c.due)) return std::nullopt;
  // The breach: the first millisecond past the due instant.
  const Timestamp breach = *(o.*c.due) + milliseconds{1};
  if (o.*c.alerts == 0 && cal.warning_percent > 0 && !used_up(o, c) && !waits_for_tenant(o.status)) {
    const milliseconds used{o.*c.used}, warn_at = target_of(o, c) * cal.warning_percent / 100;
    if (used >= warn_at) return as_of;
    if (const auto t = business_deadline(cal.hours, *cal.zone, as_of, warn_at - used)) return std::min(*t, breach);
  }
  return breach;
}

}  // namespace

void reschedule_alert(Order& o, const ServiceCalendar& cal) {
  o.sla_alert_at.reset();
  for (const ClockColumns& c : clocks)
    if (const auto t = next_alert(o, c, cal); t && (!o.sla_alert_at || *t < *o.sla_alert_at)) o.sla_alert_at = t;
}

bool waits_for_tenant(Status s) { return s == Status::awaiting_prepayment || s == Status::awaiting_payment; }

bool reopens(Status from, Status to) {
  return (from == Status::awaiting_rating || from == Status::completed) && to == Status::pending_dispatch;
}

bool has_clocks(const Order& o) { return o.response_target_min || o.resolution_target_min; }

void start_clocks(Order& o, Timestamp at, const ServiceCalendar& cal) {
  o.sla_as_of = at;
  for (const ClockColumns& c : clocks) start(o, c, at, cal);
  reschedule_alert(o, cal);
}

void move_clocks(Order& o, Status from, Timestamp at, const ServiceCalendar& cal) {
  const Status to = o.status;
  o.status = from;  // count the time passed in the status it passed in
  count_to(o, at, cal);
  o.status = to;
  for (const ClockColumns& c : clocks) {
    if (!(o.*c.target)) continue;
    if (reopens(from, to)) {
      start(o, c, at, cal);
      continue;
    }
    if (o.*c.state != ServiceState::open) continue;
    if (c.stops(from, to)) {
      o.*c.state = late_at(o, c, at) ? ServiceState::breached : ServiceState::met;
    } else if (to == Status::cancelled) {
      // Cancelled in time: no verdict, so cancelled orders do not flatter attainment.
      o.*c.state = late_at(o, c, at) ? ServiceState::breached : ServiceState::none;
      if (o.*c.state == ServiceState::none) (o.*c.due).reset();
    } else if (used_up(o, c)) {
      // The due instant has come: it is known for good, paused or not.
    } else if (waits_for_tenant(to) && !waits_for_tenant(from)) {
      (o.*c.due).reset();
    } else if (waits_for_tenant(from) && !waits_for_tenant(to)) {
      o.*c.due = business_deadline(cal.hours, *cal.zone, at, target_of(o, c) - milliseconds{o.*c.used});
    }
  }
  reschedule_alert(o, cal);
}

std::vector<ServiceAlert> owed_breaches(Order& o) {
  std::vector<ServiceAlert> owed;
  for (const ClockColumns& c : clocks)
    if (o.*c.target && o.*c.state == ServiceState::breached && o.*c.alerts < breach_sent) {
      owed.push_back({Action::sla_breach, c.name, *(o.*c.target)});
      o.*c.alerts = breach_sent;
    }
  return owed;
}

void project_clocks(Order& o, Timestamp now, const ServiceCalendar& cal) {
  if (o.sla_as_of && *o.sla_as_of < now) count_to(o, now, cal);
  for (const ClockColumns& c : clocks)
    if (o.*c.target && o.*c.state == ServiceState::open && late_at(o, c, now)) o.*c.state = ServiceState::breached;
}

std::vector<ServiceAlert> take_due_alerts(Order& o, Timestamp now, const ServiceCalendar& cal) {
  std::vector<ServiceAlert> alerts;
  if (!o.sla_as_of) return alerts;
  if (*o.sla_as_of < now) count_to(o, now, cal);
  for (const ClockColumns& c : clocks) {
    if (!(o.*c.target) || o.*c.alerts >= breach_sent) continue;
    const bool open = o.*c.state == ServiceState::open;
    if (o.*c.state == ServiceState::breached || (open && late_at(o, c, now))) {
      alerts.push_back({Action::sla_breach, c.name, *(o.*c.target)});
      o.*c.alerts = breach_sent;
    } else if (open && o.*c.alerts == 0 && cal.warning_percent > 0 && !waits_for_tenant(o.status) && !used_up(o, c) &&
               milliseconds{o.*c.used} >= target_of(o, c) * cal.warning_percent / 100) {
      alerts.push_back({Action::sla_warning, c.name, *(o.*c.target)});
      o.*c.alerts = warning_sent;
    }
  }
  reschedule_alert(o, cal);
  return alerts;
}

}  // namespace wo
