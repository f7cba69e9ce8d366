// SPDX-License-Identifier: MIT
#include "domain/lifecycle.hpp"

#include <array>

#include "domain/fail.hpp"

namespace wo {
namespace {

using S = Status;
using A = Action;
constexpr unsigned reporter = party_reporter, assignee = party_assignee, dispatcher = party_dispatcher,
                   admin = party_admin, eligible = party_eligible_technician, system = party_system,
                   any_staff = party_any_staff, any_contact = party_any_contact;
constexpr unsigned office = dispatcher | admin;
constexpr std::optional<Status> none = std::nullopt;
constexpr std::optional<Status> stays = std::nullopt;

constexpr Transition rows[] = {
    // action               from                    to                      who                               guard
    {A::submit,             none,                   S::awaiting_prepayment, any_contact | any_staff,          Guard::prepayment_due},
    {A::submit,             none,                   S::pending_dispatch,    any_contact | any_staff,          Guard::no_prepayment_due},
    {A::pay_prepayment,     S::awaiting_prepayment, S::pending_dispatch,    reporter | office,                Guard::none},
    {A::assign,             S::pending_dispatch,    S::pending_accept,      office,                           Guard::none},
    {A::grab,               S::pending_dispatch,    S::in_progress,         eligible,                         Guard::none},
    {A::accept,             S::pending_accept,      S::in_progress,         assignee,                         Guard::none},
    {A::reject,             S::pending_accept,      S::pending_dispatch,    assignee,                         Guard::none},
    {A::transfer,           S::pending_accept,      S::pending_accept,      assignee | office,                Guard::none},
    {A::transfer,           S::in_progress,         S::pending_accept,      assignee | office,                Guard::none},
    {A::add_line,           S::in_progress,         stays,                  assignee,                         Guard::none},
    {A::remove_line,        S::in_progress,         stays,                  assignee,                         Guard::none},
    {A::finish,             S::in_progress,         S::awaiting_payment,    assignee | office,                Guard::balance_due},
    {A::finish,             S::in_progress,         S::awaiting_rating,     assignee | office,                Guard::settled_tenant_reporter},
    {A::finish,             S::in_progress,         S::completed,           assignee | office,                Guard::settled_staff_reporter},
    {A::pay,                S::awaiting_payment,    stays,                  reporter | office,                Guard::balance_due},
    {A::pay,                S::awaiting_payment,    S::awaiting_rating,     reporter | office,                Guard::settled_tenant_reporter},
    {A::pay,                S::awaiting_payment,    S::completed,           reporter | office,                Guard::settled_staff_reporter},
    {A::refund,             S::awaiting_rating,     stays,                  office,                           Guard::none},
    {A::refund,             S::completed,           stays,                  office,                           Guard::none},
    {A::refund,             S::cancelled,           stays,                  office,                           Guard::none},
    {A::rate,               S::awaiting_rating,     S::completed,           reporter,                         Guard::none},
    {A::reopen,             S::awaiting_rating,     S::pending_dispatch,    reporter,                         Guard::none},
    {A::reopen,             S::completed,           S::pending_dispatch,    reporter,                         Guard::within_reopen_window},
    {A::cancel,             S::awaiting_prepayment, S::cancelled,           reporter | office,                Guard::none},
    {A::cancel,             S::pending_dispatch,    S::cancelled,           reporter | office,                Guard::none},
    {A::cancel,             S::pending_accept,      S::cancelled,           reporter | office,                Guard::none},
    {A::cancel,             S::in_progress,         S::cancelled,           admin,                            Guard::none},
    {A::message,            S::awaiting_prepayment, stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::pending_dispatch,    stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::pending_accept,      stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::in_progress,         stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::awaiting_payment,    stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::awaiting_rating,     stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::completed,           stays,                  reporter | assignee | office,     Guard::none},
    {A::message,            S::cancelled,           stays,                  reporter | assignee | office,     Guard::none},
    {A::reschedule,         S::awaiting_prepayment, stays,                  reporter | office,                Guard::none},
    {A::reschedule,         S::pending_dispatch,    stays,                  reporter | office,                Guard::none},
    {A::reschedule,         S::pending_accept,      stays,                  reporter | office,                Guard::none},
    {A::prepayment_timeout, S::awaiting_prepayment, S::cancelled,           system,                           Guard::none},
    {A::accept_timeout,     S::pending_accept,      S::pending_dispatch,    system,                           Guard::none},
    {A::rating_timeout,     S::awaiting_rating,     S::completed,           system,                           Guard::none},
    {A::auto_assign,        S::pending_dispatch,    S::pending_accept,      system,                           Guard::none},
    {A::dispatch_unmatched, S::pending_dispatch,    stays,                  system,                           Guard::none},
    {A::sla_warning,        S::pending_dispatch,    stays,                  system,                           Guard::none},
    {A::sla_warning,        S::pending_accept,      stays,                  system,                           Guard::none},
    {A::sla_warning,        S::in_progress,         stays,                  system,                           Guard::none},
    {A::sla_breach,         S::pending_dispatch,    stays,                  system,                           Guard::none},
    {A::sla_breach,         S::pending_accept,      stays,                  system,                           Guard::none},
    {A::sla_breach,         S::in_progress,         stays,                  system,                           Guard::none},
    {A::sla_breach,         S::awaiting_payment,    stays,                  system,                           Guard::none},
    {A::sla_breach,         S::awaiting_rating,     stays,                  system,                           Guard::none},
    {A::sla_breach,         S::completed,           stays,                  system,                           Guard::none},
    {A::sla_breach,         S::cancelled,           stays,                  system,                           Guard::none},
};

bool holds(Guard g, const Facts& f) {
  switch (g) {
    case Guard::none: return true;
    case Guard::prepayment_due: return f.prepayment_due;
    case Guard::no_prepayment_due: return !f.prepayment_due;
    case Guard::balance_due: return f.balance_due;
    case Guard::settled_tenant_reporter: return !f.balance_due && f.tenant_reporter;
    case Guard::settled_staff_reporter: return !f.balance_due && !f.tenant_reporter;
    case Guard::within_reopen_window: return f.within_reopen_window;
  }
  return false;
}

const char* status_name(std::optional<Status> s) { return s ? name_of(*s) : "not yet submitted"; }

}  // namespace

std::span<const Transition> lifecycle_table() { return rows; }

bool allowed_from(Action action, std::optional<Status> from) {
  for (const auto& r : rows)
    if (r.action == action && r.from == from) return true;
  return false;
}

void permit(Action action, std::optional<Status> from, unsigned parties) {
  bool exists = false;
  for (const auto& r : rows) {
    if (r.action != action || r.from != from) continue;
    exists = true;
    if (r.who & parties) return;
  }
  if (!exists) fail(Code::invalid_state, "cannot {} an order that is {}", name_of(action), status_name(from));
  fail(Code::forbidden, "this actor may not {} an order that is {}", name_of(action), status_name(from));
}

const Transition& decide(Action action, std::optional<Status> from, unsigned parties, const Facts& facts) {
  permit(action, from, parties);
  for (const auto& r : rows)
    if (r.action == action && r.from == from && (r.who & parties) && holds(r.guard, facts)) return r;
  if (action == Action::reopen) fail(Code::invalid_state, "the reopen window of this order has passed");
  fail(Code::invalid_state, "cannot {} this order now (status {})", name_of(action), status_name(from));
}

}  // namespace wo
