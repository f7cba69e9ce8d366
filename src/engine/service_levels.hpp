// SPDX-License-Identifier: MIT
// Service levels in the engine (docs/rules.md §11): the org's calendar, the clocks started at
// submission and moved by every status change, shown live on reads, alerts sent by tick,
// and the running clocks counted again when the org's hours change.
#pragma once
#include <set>
#include <span>

#include "domain/service_clock.hpp"
#include "engine/order_step.hpp"

namespace wo {

// The org's business hours, zone and warning share.
ServiceCalendar load_calendar(Transaction& tx, OrgId org);

// Brings the clocks of the order `step` saves through its change to `to` (calendar read once
// per step, and only for an order with a target).
void move_step_clocks(OrderStep& step, Status to);

// Appends each alert's events: one for the dispatchers and, given an assignee, one for them;
// by the system, the order staying in its status.
void append_alerts(OrderStep& step, const std::vector<ServiceAlert>& alerts, std::optional<StaffId> assignee);

// Freezes the subtype's targets on a new order and starts its clocks; returns the calendar
// they were started in (none without a target).
std::optional<ServiceCalendar> start_order_clocks(Transaction& tx, Order& o, const Subtype& subtype, Timestamp now);

// Shows the clocks of orders read at `now` (one calendar read for the lot, if any has one).
void project_for_reading(Transaction& tx, std::span<Order> orders, Timestamp now);

// Sends the service-level alerts of `org` due at `now`, batch by batch; adds the orders
// alerted to `alerted`.
void send_due_alerts(Store& store, const Actor& actor, OrgId org, Timestamp now, std::set<std::int64_t>& alerted);

// Counts the running clocks of the org's orders again from their histories under a changed
// calendar: used time, due instants and the next alert.
void recount_running_clocks(Transaction& tx, OrgId org, Timestamp now, const ServiceCalendar& calendar);

}  // namespace wo
