// SPDX-License-Identifier: MIT
// An order's two service-level clocks kept up to date on the order row itself, step by step,
// so that no status change, list or tick reads the history (rules §11). Pure: no storage, no
// clock. src/domain/service_level computes the same clocks from the whole history; the tests
// hold the two to each other.
//
// What the row keeps per clock: the target, the business time used up to `sla_as_of`, the due
// instant (the earliest at which the target's business time is used up; unknown while paused
// before it), the state (open while it runs or is paused, even when late: a read shows it
// breached) and the alerts sent. A clock is late once it is past its due instant: stopping at
// or before it is in time. Business time after `sla_as_of` is counted when the next change,
// tick or read needs it.
#pragma once
#include <date/tz.h>

#include <optional>
#include <vector>

#include "domain/business_hours.hpp"
#include "workorder/order.hpp"

namespace wo {

// What the clocks of one org are counted in.
struct ServiceCalendar {
  BusinessHours hours;
  const date::time_zone* zone = nullptr;
  std::int32_t warning_percent = 0;  // 0: no warnings
};

// True while the order waits for the tenant and both clocks stand still.
bool waits_for_tenant(Status s);

// True for a reopen: both clocks start again.
bool reopens(Status from, Status to);

// True when the order has a target: only then do its changes need the calendar.
bool has_clocks(const Order& o);

// Starts both clocks of an order just submitted (with its targets set) at `at`.
void start_clocks(Order& o, Timestamp at, const ServiceCalendar& calendar);

// Moves both clocks through the order's change from `from` to its current status at `at`:
// counts the business time since sla_as_of, then stops, pauses, resumes or (on a reopen)
// restarts them; schedules the next alert.
void move_clocks(Order& o, Status from, Timestamp at, const ServiceCalendar& calendar);

// Sets when a tick next has an alert for the order (sla_alert_at), from its clocks as they are.
void reschedule_alert(Order& o, const ServiceCalendar& calendar);

// The clocks as a reader sees them at `now`: used time counted to now, and a running clock
// past its target shown breached. Not for saving.
void project_clocks(Order& o, Timestamp now, const ServiceCalendar& calendar);

// One alert a tick sends.
struct ServiceAlert {
  Action action;      // sla_warning or sla_breach
  const char* clock;  // "response" or "resolution"
  std::int32_t target_min;
};

// The alerts due at `now`, each marked sent on the order (which is brought to `now` and
// given its next alert instant). A clock already past its target gets only the breach.
std::vector<ServiceAlert> take_due_alerts(Order& o, Timestamp now, const ServiceCalendar& calendar);

// On a reopen, before the clocks start again: the breaches of the clocks that stopped late
// and have not been reported yet, each then marked sent (every breach has its event).
std::vector<ServiceAlert> owed_breaches(Order& o);

}  // namespace wo
