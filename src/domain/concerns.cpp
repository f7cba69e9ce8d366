// SPDX-License-Identifier: MIT
#include "domain/concerns.hpp"

namespace wo {
namespace {

Concern reporter(const Order& o) {
  if (o.reporter_contact_id) return {Audience::contact, o.reporter_contact_id->value};
  if (o.reporter_staff_id) return {Audience::staff, o.reporter_staff_id->value};
  return {};
}

Concern assignee(const Order& o) {
  if (o.assignee_id) return {Audience::staff, o.assignee_id->value};
  return {};
}

Concern assignee_or_dispatchers(const Order& o) {
  if (o.assignee_id) return assignee(o);
  return {Audience::dispatchers, std::nullopt};
}

constexpr Concern dispatchers{Audience::dispatchers, std::nullopt};

bool is_reporter(const Order& o, ActorKind kind, std::int64_t id) {
  if (kind == ActorKind::contact) return o.reporter_contact_id && o.reporter_contact_id->value == id;
  if (kind == ActorKind::staff) return o.reporter_staff_id && o.reporter_staff_id->value == id;
  return false;
}

}  // namespace

// Whoever must act next, or is told of a change they did not make: the new assignee of an
// assignment, the reporter when money is due or work starts, dispatchers when an order
// needs (re)dispatching, and the other party of a message, cancel or reschedule.
Concern concern_of(Action action, const Order& o, ActorKind actor_kind, std::int64_t actor_id) {
  const bool by_reporter = is_reporter(o, actor_kind, actor_id);
  switch (action) {
    case Action::submit:
      return o.status == Status::awaiting_prepayment ? reporter(o) : dispatchers;
    case Action::pay_prepayment:
    case Action::reject:
    case Action::reopen:
    case Action::accept_timeout:
    case Action::dispatch_unmatched:
    case Action::sla_warning:  // the tick also writes one for the assignee
    case Action::sla_breach:
      return dispatchers;
    case Action::assign:
    case Action::auto_assign:
    case Action::transfer:
    case Action::rate:
      return assignee(o);
    case Action::grab:
    case Action::accept:
    case Action::refund:
    case Action::prepayment_timeout:
      return reporter(o);
    case Action::finish:
      return o.status == Status::completed ? Concern{} : reporter(o);
    case Action::cancel:
    case Action::message:
    case Action::reschedule:
      return by_reporter ? assignee_or_dispatchers(o) : reporter(o);
    case Action::add_line:
    case Action::remove_line:
    case Action::pay:
    case Action::rating_timeout:
      return {};
  }
  return {};
}

}  // namespace wo
