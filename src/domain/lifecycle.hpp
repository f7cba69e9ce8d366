// SPDX-License-Identifier: MIT
// The life cycle as one table (docs/rules.md §4): the only way an order's status changes.
#pragma once
#include <optional>
#include <span>

#include "workorder/order.hpp"

namespace wo {

// The parts an actor plays towards one order.
enum Party : unsigned {
  party_reporter = 1u << 0,
  party_assignee = 1u << 1,
  party_dispatcher = 1u << 2,
  party_admin = 1u << 3,
  party_eligible_technician = 1u << 4,
  party_system = 1u << 5,
  party_any_staff = 1u << 6,    // submit: any staff member of the org
  party_any_contact = 1u << 7,  // submit: any tenant contact
};

// Conditions that pick between rows of the same action and status.
enum class Guard {
  none,
  prepayment_due,          // submit: the tenant must prepay
  no_prepayment_due,
  balance_due,             // finish / pay: the tenant still owes money
  settled_tenant_reporter, // nothing owed, reported by a tenant contact
  settled_staff_reporter,  // nothing owed, reported by staff for the org
  within_reopen_window,    // completed at most reopen_window_days ago (0 = never)
};

struct Transition {
  Action action;
  std::optional<Status> from;  // nullopt: the order does not exist yet (submit)
  std::optional<Status> to;    // nullopt: the status stays
  unsigned who;                // Party bits allowed
  Guard guard;
};

// Every row, in the order rows are tried.
std::span<const Transition> lifecycle_table();

struct Facts {
  bool prepayment_due = false;
  bool balance_due = false;
  bool tenant_reporter = false;
  bool within_reopen_window = false;
};

// Throws unless some row allows `action` from `from` for one of the actor's parties:
// invalid_state when no row exists for the status, forbidden when none is for these parties.
void permit(Action action, std::optional<Status> from, unsigned parties);

// The row that applies, or throws: invalid_state when the action is not allowed from
// `from` (or no guard holds), forbidden when it is but not for the actor's parties.
const Transition& decide(Action action, std::optional<Status> from, unsigned parties, const Facts& facts);

// The statuses in which the assignee holds an order (rules §4: what the grab limit counts).
constexpr Status held_statuses[] = {Status::pending_accept, Status::in_progress};

// Actions that exist for a status at all (for docs and tests).
bool allowed_from(Action action, std::optional<Status> from);

}  // namespace wo
