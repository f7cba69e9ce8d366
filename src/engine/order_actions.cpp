// SPDX-License-Identifier: MIT
// Dispatch, work and closing actions of the life cycle (docs/rules.md §4).
#include "domain/billing.hpp"
#include "domain/fail.hpp"
#include "domain/order_access.hpp"
#include "domain/text.hpp"
#include "engine/dispatch.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"

namespace wo {
namespace {

// The target of an assign or transfer: active staff of the org, eligible and under the grab
// limit unless forced.
Staff check_target(OrderStep& step, StaffId target, bool force) {
  const Staff staff = load_staff(step.tx, step.order.org_id, target, "staff_id");
  if (!staff.active) fail(Code::ineligible, "staff_id {} is inactive and cannot take orders", target.value);
  if (force) {
    if (!(step.parties & (party_dispatcher | party_admin)))
      fail(Code::forbidden, "only a dispatcher or admin may force an assignment");
    return staff;
  }
  if (!is_eligible(staff, step.type))
    fail(Code::ineligible, "staff_id {} does not have the department and position of order type {}", target.value,
         step.type.id.value);
  check_grab_limit(step, target, "staff_id");
  return staff;
}

Facts settle_facts(const Order& order, Status fixed_status) {
  Order fixed = order;
  fixed.status = fixed_status;
  Facts f;
  f.balance_due = bill_of(fixed).balance > Money{0};
  f.tenant_reporter = order.reporter_contact_id.has_value();
  return f;
}

}  // namespace

void Engine::assign(const Actor& actor, OrderId id, StaffId staff, bool force) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::assign, step.before, step.parties, {});
    check_target(step, staff, force);
    hand_to(step, staff);
    save_step(step, Action::assign, t.to, {.staff = staff, .details = force ? std::optional<std::string>("forced") : std::nullopt});
  });
}

void Engine::grab(const Actor& actor, OrderId id) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::grab, step.before, step.parties, {});
    const OrderSettings settings = load_settings(step.tx, step.order.org_id);
    if (!settings.grab_enabled) fail(Code::invalid_state, "grabbing orders is disabled for this org");
    check_grab_limit(step, StaffId{step.who.id}, "staff");
    hand_to(step, StaffId{step.who.id});
    step.order.accepted_at = step.now;
    save_step(step, Action::grab, t.to, {.staff = StaffId{step.who.id}});
  });
}

void Engine::accept(const Actor& actor, OrderId id) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::accept, step.before, step.parties, {});
    step.order.accepted_at = step.now;
    save_step(step, Action::accept, t.to);
  });
}

void Engine::reject(const Actor& actor, OrderId id, const std::string& reason) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::reject, step.before, step.parties, {});
    check_reason("reason", reason);
    const auto previous = step.order.assignee_id;
    step.order.assignee_id.reset();
    save_step(step, Action::reject, t.to, {.staff = previous, .details = reason});
    dispatch_automatically(step);
  });
}

void Engine::transfer(const Actor& actor, OrderId id, StaffId staff, const std::string& reason, bool force) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::transfer, step.before, step.parties, {});
    check_reason("reason", reason);
    if (step.order.assignee_id == staff)
      fail(Code::invalid_argument, "staff_id {} already holds this order", staff.value);
    check_target(step, staff, force);
    hand_to(step, staff);
    step.order.accepted_at.reset();
    save_step(step, Action::transfer, t.to, {.staff = staff, .details = reason});
  });
}

void Engine::finish(const Actor& actor, OrderId id) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::finish, step.before, step.parties, settle_facts(step.order, Status::awaiting_payment));
    // Reserved materials become consumed: the stock already left at reserve time, so the
    // consume movement records the use without moving stock again.
    for_each_material_line(step, [&](const ChargeLine& line) {
      record_movement(step, MaterialId{line.item_id}, MovementKind::consume, line.qty);
      static const std::vector<std::string_view> cols{"consumed"};
      step.tx.update("charge_line", line.id, cols, Row{Value{std::int64_t{1}}});
    });
    step.order.finished_at = step.now;
    if (*t.to != Status::awaiting_payment) step.order.settled_at = step.now;
    if (*t.to == Status::completed) step.order.completed_at = step.now;
    Order fixed = step.order;
    fixed.status = *t.to;
    save_step(step, Action::finish, t.to, {.amount = bill_of(fixed).total.minor});
  });
}

void Engine::rate(const Actor& actor, OrderId id, int score, const std::optional<std::string>& comment) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::rate, step.before, step.parties, {});
    if (score < 1 || score > 5) fail(Code::invalid_argument, "score {} must be between 1 and 5", score);
    if (comment) check_text("comment", *comment, long_text_max, false);
    step.order.rating = score;
    step.order.rating_comment = comment;
    step.order.completed_at = step.now;
    save_step(step, Action::rate, t.to, {.amount = score, .details = comment});
  });
}

void Engine::reopen(const Actor& actor, OrderId id, const std::string& reason) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const OrderSettings settings = load_settings(step.tx, step.order.org_id);
    Facts facts;
    using namespace std::chrono;
    facts.within_reopen_window = settings.reopen_window_days > 0 && step.order.completed_at &&
                                 step.now - *step.order.completed_at <= days{settings.reopen_window_days};
    const Transition& t = decide(Action::reopen, step.before, step.parties, facts);
    check_reason("reason", reason);
    Order& o = step.order;
    o.reopen_count += 1;
    o.assignee_id.reset();
    o.rating.reset();
    o.rating_comment.reset();
    o.accepted_at.reset();
    o.finished_at.reset();
    o.settled_at.reset();
    o.completed_at.reset();
    save_step(step, Action::reopen, t.to, {.details = reason});
    dispatch_automatically(step);
  });
}

void Engine::cancel(const Actor& actor, OrderId id, const std::string& reason) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::cancel, step.before, step.parties, {});
    check_reason("reason", reason);
    release_holds(step);
    step.order.cancelled_at = step.now;
    save_step(step, Action::cancel, t.to, {.details = reason});
  });
}

void Engine::message(const Actor& actor, OrderId id, const std::string& text) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::message, step.before, step.parties, {});
    check_reason("text", text);
    save_step(step, Action::message, t.to, {.details = text});
  });
}

}  // namespace wo
