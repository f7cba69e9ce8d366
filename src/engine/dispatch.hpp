// SPDX-License-Identifier: MIT
// Who gets an order: handing it to a staff member under the grab limit, and the automatic
// dispatch strategies (round_robin, least_loaded) that pick one when an order reaches
// pending_dispatch (docs/rules.md §4).
#pragma once
#include <optional>
#include <string_view>

#include "engine/order_step.hpp"

namespace wo {

// Fails with grab_limit when `staff` already holds the org's limit of orders. Counted under
// the staff member's lock: every call that hands them an order takes it first.
void check_grab_limit(OrderStep& step, StaffId staff, std::string_view field);

// Makes `staff` the order's assignee, remembers them as a holder and when they were handed it.
void hand_to(OrderStep& step, StaffId staff);

// Whom the order type's strategy picks for the order now (no locks taken); nullopt for manual
// or when no eligible, active technician under the grab limit is left who has not turned this
// order down (rejected it, or let its acceptance time out).
std::optional<StaffId> pick_assignee(Transaction& tx, const Order& order, const OrderType& type);

// Called after an action saved the order: if it is now pending_dispatch and its type is not
// dispatched by hand, the system assigns it (auto_assign), or records that no one could take
// it (dispatch_unmatched, for the dispatchers), in the same transaction.
void dispatch_automatically(OrderStep& step);

}  // namespace wo
