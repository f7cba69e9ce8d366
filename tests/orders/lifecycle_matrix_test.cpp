// SPDX-License-Identifier: MIT
// Every (status, action) pair of the life cycle (docs/rules.md §4): a fresh order is driven to the
// status, the action is attempted by an actor who may take it whenever the status allows, and
// either the order reaches the status the table names, or the call fails with invalid_state
// and nothing at all changed.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <thread>
#include <unistd.h>

#include "orders/order_fixture.hpp"

using namespace orders_test;
using wo::Action;

namespace {

constexpr Action matrix_actions[] = {
    Action::pay_prepayment, Action::assign, Action::grab,   Action::accept, Action::reject,  Action::transfer,
    Action::add_line,       Action::remove_line, Action::finish, Action::pay, Action::refund, Action::rate,
    Action::reopen,         Action::cancel, Action::message, Action::prepayment_timeout, Action::accept_timeout,
    Action::rating_timeout};

bool is_timer(Action a) {
  return a == Action::prepayment_timeout || a == Action::accept_timeout || a == Action::rating_timeout;
}

// docs/rules.md §4 (the refund rows of src/domain/lifecycle.cpp included: a choice of the
// engine): the status the story order reaches, or nullopt when the pair is not allowed.
// `stays` is the from-status itself.
std::optional<Status> spec_target(Action a, Status from) {
  using S = Status;
  switch (a) {
    case Action::pay_prepayment: return from == S::awaiting_prepayment ? std::optional{S::pending_dispatch} : std::nullopt;
    case Action::assign: return from == S::pending_dispatch ? std::optional{S::pending_accept} : std::nullopt;
    case Action::grab: return from == S::pending_dispatch ? std::optional{S::in_progress} : std::nullopt;
    case Action::accept: return from == S::pending_accept ? std::optional{S::in_progress} : std::nullopt;
    case Action::reject: return from == S::pending_accept ? std::optional{S::pending_dispatch} : std::nullopt;
    case Action::transfer:
      return from == S::pending_accept || from == S::in_progress ? std::optional{S::pending_accept} : std::nullopt;
    case Action::add_line:
    case Action::remove_line: return from == S::in_progress ? std::optional{S::in_progress} : std::nullopt;
    // the story's order owes a balance at finish
    case Action::finish: return from == S::in_progress ? std::optional{S::awaiting_payment} : std::nullopt;
    // the story pays the whole balance, reported by a tenant contact
    case Action::pay: return from == S::awaiting_payment ? std::optional{S::awaiting_rating} : std::nullopt;
    case Action::refund:
      return from == S::awaiting_rating || from == S::completed || from == S::cancelled ? std::optional{from}
                                                                                        : std::nullopt;
    case Action::rate: return from == S::awaiting_rating ? std::optional{S::completed} : std::nullopt;
    case Action::reopen:
      return from == S::awaiting_rating || from == S::completed ? std::optional{S::pending_dispatch} : std::nullopt;
    case Action::cancel:
      return from == S::awaiting_prepayment || from == S::pending_dispatch || from == S::pending_accept ||
                     from == S::in_progress
                 ? std::optional{S::cancelled}
                 : std::nullopt;
    case Action::message: return from;
    case Action::prepayment_timeout: return from == S::awaiting_prepayment ? std::optional{S::cancelled} : std::nullopt;
    case Action::accept_timeout: return from == S::pending_accept ? std::optional{S::pending_dispatch} : std::nullopt;
    case Action::rating_timeout: return from == S::awaiting_rating ? std::optional{S::completed} : std::nullopt;
    default: return std::nullopt;
  }
}

// The current assignee if there is one, else the lead (dispatcher + eligible technician, who
// can see every order but holds none): an actor that sees the order and would be the
// permitted party if the status had an assignee.
Actor assignee_or_lead(Fixture& fx, const OrgIds& o, OrderId id) {
  const auto assignee = fx.order(id).assignee_id;
  return assignee ? Actor::staff(*assignee) : o.as_lead();
}

// Performs `a` on order `id`; for timers, enables only that timer and ticks far in the future.
// Returns the number of orders tick changed (timers) or -1.
int attempt(Fixture& fx, const OrgIds& o, OrderId id, Action a) {
  auto& e = fx.engine;
  const wo::Order ord = fx.order(id);
  const wo::Bill bl = fx.bill(id);
  switch (a) {
    case Action::pay_prepayment: {
      const Money due = ord.prepay_due - ord.paid;
      e.pay_prepayment(o.as_c1(), id, {wo::Channel::wechat, due > Money{0} ? due : Money{story_deposit}, std::nullopt});
      return -1;
    }
    case Action::assign: e.assign(o.as_dispatcher(), id, o.tech_b); return -1;
    case Action::grab: e.grab(o.as_lead(), id); return -1;
    case Action::accept: e.accept(assignee_or_lead(fx, o, id), id); return -1;
    case Action::reject: e.reject(assignee_or_lead(fx, o, id), id, "Too far away (太远)"); return -1;
    case Action::transfer: e.transfer(o.as_dispatcher(), id, o.tech_b, "Rebalancing (调整)"); return -1;
    case Action::add_line:
      e.add_line(assignee_or_lead(fx, o, id), id, {wo::LineKind::service_item, o.dep_callout.value, Qty{1000}});
      return -1;
    case Action::remove_line: {
      const std::int64_t line = fx.active_line(id);
      e.remove_line(assignee_or_lead(fx, o, id), id, line ? line : 1);
      return -1;
    }
    case Action::finish: e.finish(o.as_dispatcher(), id); return -1;
    case Action::pay:
      e.pay(o.as_c1(), id, {wo::Channel::alipay, bl.balance > Money{0} ? bl.balance : Money{100}, std::nullopt});
      return -1;
    case Action::refund:
      e.refund(o.as_dispatcher(), id, {wo::Channel::wechat, bl.refund_due > Money{0} ? bl.refund_due : Money{100}, std::nullopt});
      return -1;
    case Action::rate: e.rate(o.as_c1(), id, 4, std::string("ok")); return -1;
    case Action::reopen: e.reopen(o.as_c1(), id, "Leaking again (又漏了)"); return -1;
    case Action::cancel: e.cancel(o.as_admin(), id, "Duplicate (重复)"); return -1;
    case Action::message: e.message(o.as_dispatcher(), id, "On the way (在路上)"); return -1;
    default: break;
  }
  // A timer: the tick runs at "now", which is set far past every timeout.
  return e.tick(Actor::system(), fx.now);
}

void prepare_timer(Fixture& fx, const OrgIds& o, Action a) {
  fx.settings(o, [&](wo::Patch<wo::OrderSettings>& p) {
    p.set(&wo::OrderSettings::prepay_timeout_min, std::int32_t{a == Action::prepayment_timeout ? 1 : 0});
    p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{a == Action::accept_timeout ? 1 : 0});
    p.set(&wo::OrderSettings::rating_timeout_days, std::int32_t{a == Action::rating_timeout ? 1 : 0});
  });
  fx.advance(std::chrono::days{400});
}

// What each allowed transition does to the order besides its status.
void check_effects(Fixture& fx, const OrgIds& o, OrderId id, Action a, const wo::Order& before) {
  const wo::Order after = fx.order(id);
  if (after.status != before.status) CHECK(after.status_since == fx.now);
  switch (a) {
    case Action::pay_prepayment:
      CHECK(after.paid == before.paid + before.prepay_due);
      CHECK(after.prepaid_at == std::optional{fx.now});
      break;
    case Action::assign:
      CHECK(after.assignee_id == std::optional{o.tech_b});
      CHECK(after.assigned_at == std::optional{fx.now});
      break;
    case Action::grab:
      CHECK(after.assignee_id == std::optional{o.lead});
      CHECK(after.accepted_at == std::optional{fx.now});
      break;
    case Action::accept:
      CHECK(after.assignee_id == before.assignee_id);
      CHECK(after.accepted_at == std::optional{fx.now});
      break;
    case Action::reject: CHECK_FALSE(after.assignee_id.has_value()); break;
    case Action::transfer:
      CHECK(after.assignee_id == std::optional{o.tech_b});
      CHECK_FALSE(after.accepted_at.has_value());
      break;
    case Action::add_line: CHECK(after.lines_total == before.lines_total + Money{callout_price}); break;
    case Action::remove_line: CHECK(after.lines_total == before.lines_total - Money{callout_price}); break;
    case Action::finish: CHECK(after.finished_at == std::optional{fx.now}); break;
    case Action::pay:
      CHECK(fx.bill(id).balance == Money{0});
      CHECK(after.settled_at == std::optional{fx.now});
      break;
    case Action::refund: CHECK(after.refunded == before.refunded + Money{story_deposit}); break;
    case Action::rate:
      CHECK(after.rating == std::optional<std::int32_t>{4});
      CHECK(after.completed_at == std::optional{fx.now});
      break;
    case Action::reopen:
      CHECK(after.reopen_count == before.reopen_count + 1);
      CHECK_FALSE(after.assignee_id.has_value());
      CHECK_FALSE(after.rating.has_value());
      CHECK(after.lines_total == before.lines_total);
      CHECK(after.paid == before.paid);
      break;
    case Action::cancel:
      CHECK(after.cancelled_at == std::optional{fx.now});
      CHECK(fx.bill(id).refund_due == before.paid - before.refunded);
      break;
    case Action::message: CHECK(wo::to_row(after) == wo::to_row(before)); break;
    case Action::prepayment_timeout: CHECK(after.cancelled_at == std::optional{fx.now}); break;
    case Action::accept_timeout: CHECK_FALSE(after.assignee_id.has_value()); break;
    case Action::rating_timeout:
      CHECK(after.rating == std::optional<std::int32_t>{5});
      CHECK(after.completed_at == std::optional{fx.now});
      break;
    default: break;
  }
}

void run_cell(Action a, Status from) {
  INFO("action ", wo::name_of(a), " from ", wo::name_of(from));
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, from);
  REQUIRE(fx.status(id) == from);
  if (is_timer(a)) prepare_timer(fx, o, a);
  fx.advance(1min);

  const auto target = spec_target(a, from);
  // The library's table agrees with rules §4 on whether the pair exists at all.
  CHECK(wo::allowed_from(a, from) == target.has_value());

  const Snapshot before = fx.snapshot();
  const wo::Order order_before = fx.order(id);
  const auto lines_before = fx.lines(id);
  const auto payments_before = fx.payments(id);
  const auto events_before = fx.events(id);
  int ticked = -1;
  const Outcome out = capture([&] { ticked = attempt(fx, o, id, a); });
  INFO("outcome: ", out.message);
  CHECK_FALSE(out.foreign);

  auto unchanged = [&] {
    CHECK(diff(before, fx.snapshot()) == "");
    CHECK(wo::to_row(fx.order(id)) == wo::to_row(order_before));
    CHECK(fx.lines(id).size() == lines_before.size());
    CHECK(fx.payments(id).size() == payments_before.size());
    CHECK(fx.events(id).size() == events_before.size());
  };

  if (is_timer(a)) {
    if (target) check_effects(fx, o, id, a, order_before);
    // Timers never fail: a due order of the timer's status moves, any other stays.
    CHECK_FALSE(out.threw);
    if (target) {
      CHECK(ticked == 1);
      CHECK(fx.status(id) == *target);
      const auto ev = fx.events(id);
      REQUIRE(ev.size() == events_before.size() + 1);
      CHECK(ev.back().action == a);
      CHECK(ev.back().actor_kind == wo::ActorKind::system);
      CHECK(ev.back().from_status == std::optional{from});
      CHECK(ev.back().to_status == target);
    } else {
      CHECK(ticked == 0);
      unchanged();
    }
    return;
  }

  if (!target) {
    CHECK(out.threw);
    CHECK(out.code == Code::invalid_state);
    unchanged();
    return;
  }

  if (a == Action::refund && order_before.status != Status::cancelled) {
    // Allowed from the status, but the story's order has no refund due there: the amount is
    // refused, not the state.
    REQUIRE(fx.bill(id).refund_due == Money{0});
    CHECK(out.threw);
    CHECK(out.code == Code::payment_mismatch);
    unchanged();
    return;
  }

  CHECK_MESSAGE(!out.threw, "unexpected error ", doctest::toString(out.code), ": ", out.message);
  CHECK(fx.status(id) == *target);
  check_effects(fx, o, id, a, order_before);
  const auto ev = fx.events(id);
  REQUIRE(ev.size() == events_before.size() + 1);
  CHECK(ev.back().action == a);
  CHECK(ev.back().from_status == std::optional{from});
  CHECK(ev.back().to_status == target);
  fx.check_bill_invariants(id);
}

void run_action(Action a) {
  for (Status s : all_statuses) run_cell(a, s);
}

}  // namespace

TEST_CASE("matrix: pay_prepayment") { run_action(Action::pay_prepayment); }
TEST_CASE("matrix: assign") { run_action(Action::assign); }
TEST_CASE("matrix: grab") { run_action(Action::grab); }
TEST_CASE("matrix: accept") { run_action(Action::accept); }
TEST_CASE("matrix: reject") { run_action(Action::reject); }
TEST_CASE("matrix: transfer") { run_action(Action::transfer); }
TEST_CASE("matrix: add_line") { run_action(Action::add_line); }
TEST_CASE("matrix: remove_line") { run_action(Action::remove_line); }
TEST_CASE("matrix: finish") { run_action(Action::finish); }
TEST_CASE("matrix: pay") { run_action(Action::pay); }
TEST_CASE("matrix: refund") { run_action(Action::refund); }
TEST_CASE("matrix: rate") { run_action(Action::rate); }
TEST_CASE("matrix: reopen") { run_action(Action::reopen); }
TEST_CASE("matrix: cancel") { run_action(Action::cancel); }
TEST_CASE("matrix: message") { run_action(Action::message); }
TEST_CASE("matrix: prepayment_timeout via tick") { run_action(Action::prepayment_timeout); }
TEST_CASE("matrix: accept_timeout via tick") { run_action(Action::accept_timeout); }
TEST_CASE("matrix: rating_timeout via tick") { run_action(Action::rating_timeout); }

TEST_CASE("matrix: every pair of the library's table is one rules §4 expects, and vice versa") {
  std::set<std::pair<int, int>> table_pairs;
  for (const auto& r : wo::lifecycle_table())
    if (r.from) table_pairs.insert({static_cast<int>(r.action), static_cast<int>(*r.from)});
  std::set<std::pair<int, int>> spec_pairs;
  for (Action a : matrix_actions)
    for (Status s : all_statuses)
      if (spec_target(a, s)) spec_pairs.insert({static_cast<int>(a), static_cast<int>(s)});
  // rules §5: rescheduling to another slot is possible before in_progress.
  for (Status s : {Status::awaiting_prepayment, Status::pending_dispatch, Status::pending_accept})
    spec_pairs.insert({static_cast<int>(Action::reschedule), static_cast<int>(s)});
  // rules §4, automatic dispatch: the system assigns, or says no one qualifies, only from
  // pending_dispatch.
  for (Action a : {Action::auto_assign, Action::dispatch_unmatched})
    spec_pairs.insert({static_cast<int>(a), static_cast<int>(Status::pending_dispatch)});
  // rules §11: a warning while a clock runs; a breach while it runs or, owed, after it stopped
  // late (never in awaiting_prepayment, where the clocks have only just started).
  for (Status s : {Status::pending_dispatch, Status::pending_accept, Status::in_progress})
    spec_pairs.insert({static_cast<int>(Action::sla_warning), static_cast<int>(s)});
  for (Status s : all_statuses)
    if (s != Status::awaiting_prepayment) spec_pairs.insert({static_cast<int>(Action::sla_breach), static_cast<int>(s)});
  CHECK(table_pairs == spec_pairs);
}

namespace {

std::vector<wo::Transition> rows_of(Action a) {
  std::vector<wo::Transition> out;
  for (const auto& r : wo::lifecycle_table())
    if (r.action == a) out.push_back(r);
  return out;
}

constexpr unsigned office = wo::party_dispatcher | wo::party_admin;

}  // namespace

TEST_CASE("lifecycle_table: key rows match rules §4") {
  using S = Status;
  SUBCASE("submit: contacts and staff; awaiting_prepayment when a prepayment is due, else pending_dispatch") {
    const auto rows = rows_of(Action::submit);
    REQUIRE(rows.size() == 2);
    for (const auto& r : rows) {
      CHECK_FALSE(r.from.has_value());
      CHECK(r.who == (wo::party_any_contact | wo::party_any_staff));
    }
    CHECK(rows[0].to == std::optional{S::awaiting_prepayment});
    CHECK(rows[0].guard == wo::Guard::prepayment_due);
    CHECK(rows[1].to == std::optional{S::pending_dispatch});
    CHECK(rows[1].guard == wo::Guard::no_prepayment_due);
  }
  SUBCASE("pay prepayment: reporter or office, awaiting_prepayment -> pending_dispatch") {
    const auto rows = rows_of(Action::pay_prepayment);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].from == std::optional{S::awaiting_prepayment});
    CHECK(rows[0].to == std::optional{S::pending_dispatch});
    CHECK(rows[0].who == (wo::party_reporter | office));
  }
  SUBCASE("assign: office only; grab: eligible technician only") {
    const auto assign = rows_of(Action::assign);
    REQUIRE(assign.size() == 1);
    CHECK(assign[0].from == std::optional{S::pending_dispatch});
    CHECK(assign[0].to == std::optional{S::pending_accept});
    CHECK(assign[0].who == office);
    const auto grab = rows_of(Action::grab);
    REQUIRE(grab.size() == 1);
    CHECK(grab[0].from == std::optional{S::pending_dispatch});
    CHECK(grab[0].to == std::optional{S::in_progress});
    CHECK(grab[0].who == wo::party_eligible_technician);
  }
  SUBCASE("accept and reject: the assignee only") {
    for (Action a : {Action::accept, Action::reject}) {
      const auto rows = rows_of(a);
      REQUIRE(rows.size() == 1);
      CHECK(rows[0].from == std::optional{S::pending_accept});
      CHECK(rows[0].who == wo::party_assignee);
    }
    CHECK(rows_of(Action::accept)[0].to == std::optional{S::in_progress});
    CHECK(rows_of(Action::reject)[0].to == std::optional{S::pending_dispatch});
  }
  SUBCASE("transfer: pending_accept/in_progress -> pending_accept by assignee or office") {
    const auto rows = rows_of(Action::transfer);
    REQUIRE(rows.size() == 2);
    std::set<int> froms;
    for (const auto& r : rows) {
      froms.insert(static_cast<int>(*r.from));
      CHECK(r.to == std::optional{S::pending_accept});
      CHECK(r.who == (wo::party_assignee | office));
    }
    CHECK(froms == std::set<int>{static_cast<int>(S::pending_accept), static_cast<int>(S::in_progress)});
  }
  SUBCASE("charge lines: in_progress, assignee only, status stays") {
    for (Action a : {Action::add_line, Action::remove_line}) {
      const auto rows = rows_of(a);
      REQUIRE(rows.size() == 1);
      CHECK(rows[0].from == std::optional{S::in_progress});
      CHECK_FALSE(rows[0].to.has_value());
      CHECK(rows[0].who == wo::party_assignee);
    }
  }
  SUBCASE("finish: three outcomes by balance and reporter kind") {
    const auto rows = rows_of(Action::finish);
    REQUIRE(rows.size() == 3);
    for (const auto& r : rows) {
      CHECK(r.from == std::optional{S::in_progress});
      CHECK(r.who == (wo::party_assignee | office));
    }
    CHECK(rows[0].to == std::optional{S::awaiting_payment});
    CHECK(rows[0].guard == wo::Guard::balance_due);
    CHECK(rows[1].to == std::optional{S::awaiting_rating});
    CHECK(rows[1].guard == wo::Guard::settled_tenant_reporter);
    CHECK(rows[2].to == std::optional{S::completed});
    CHECK(rows[2].guard == wo::Guard::settled_staff_reporter);
  }
  SUBCASE("pay: awaiting_payment, reporter or office") {
    const auto rows = rows_of(Action::pay);
    REQUIRE(rows.size() == 3);
    for (const auto& r : rows) {
      CHECK(r.from == std::optional{S::awaiting_payment});
      CHECK(r.who == (wo::party_reporter | office));
    }
  }
  SUBCASE("rate and reopen: reporter only") {
    const auto rate = rows_of(Action::rate);
    REQUIRE(rate.size() == 1);
    CHECK(rate[0].from == std::optional{S::awaiting_rating});
    CHECK(rate[0].to == std::optional{S::completed});
    CHECK(rate[0].who == wo::party_reporter);
    const auto reopen = rows_of(Action::reopen);
    REQUIRE(reopen.size() == 2);
    CHECK(reopen[0].from == std::optional{S::awaiting_rating});
    CHECK(reopen[0].guard == wo::Guard::none);
    CHECK(reopen[1].from == std::optional{S::completed});
    CHECK(reopen[1].guard == wo::Guard::within_reopen_window);
    for (const auto& r : reopen) {
      CHECK(r.to == std::optional{S::pending_dispatch});
      CHECK(r.who == wo::party_reporter);
    }
  }
  SUBCASE("cancel: reporter or office before acceptance, admin only in progress") {
    const auto rows = rows_of(Action::cancel);
    REQUIRE(rows.size() == 4);
    for (const auto& r : rows) {
      CHECK(r.to == std::optional{S::cancelled});
      if (r.from == std::optional{S::in_progress})
        CHECK(r.who == wo::party_admin);
      else
        CHECK(r.who == (wo::party_reporter | office));
    }
  }
  SUBCASE("message: every status, reporter, assignee, dispatcher, admin") {
    const auto rows = rows_of(Action::message);
    REQUIRE(rows.size() == 8);
    std::set<int> froms;
    for (const auto& r : rows) {
      froms.insert(static_cast<int>(*r.from));
      CHECK_FALSE(r.to.has_value());
      CHECK(r.who == (wo::party_reporter | wo::party_assignee | office));
    }
    CHECK(froms.size() == 8);
  }
  SUBCASE("timers: the system only") {
    const std::pair<Action, std::pair<S, S>> timers[] = {
        {Action::prepayment_timeout, {S::awaiting_prepayment, S::cancelled}},
        {Action::accept_timeout, {S::pending_accept, S::pending_dispatch}},
        {Action::rating_timeout, {S::awaiting_rating, S::completed}}};
    for (const auto& [a, ft] : timers) {
      const auto rows = rows_of(a);
      REQUIRE(rows.size() == 1);
      CHECK(rows[0].from == std::optional{ft.first});
      CHECK(rows[0].to == std::optional{ft.second});
      CHECK(rows[0].who == wo::party_system);
    }
  }
  SUBCASE("terminal statuses: only message, refund, an owed breach alert (and reopen from completed)") {
    for (const auto& r : wo::lifecycle_table()) {
      const bool stays = r.action == Action::message || r.action == Action::refund || r.action == Action::sla_breach;
      if (r.from == std::optional{S::cancelled}) CHECK(stays);
      if (r.from == std::optional{S::completed}) CHECK((stays || r.action == Action::reopen));
    }
  }
}

TEST_CASE("lifecycle: decide() reports invalid_state before forbidden") {
  // Not in the table for the status -> invalid_state, whoever asks.
  const auto o1 = capture([] { wo::decide(Action::rate, Status::in_progress, wo::party_reporter, {}); });
  CHECK(o1.code == Code::invalid_state);
  const auto o2 = capture([] { wo::decide(Action::rate, Status::in_progress, wo::party_assignee, {}); });
  CHECK(o2.code == Code::invalid_state);
  // In the table but not for the party -> forbidden.
  const auto o3 = capture([] { wo::decide(Action::rate, Status::awaiting_rating, wo::party_assignee, {}); });
  CHECK(o3.code == Code::forbidden);
  // Reopen of a completed order outside the window -> invalid_state.
  const auto o4 = capture([] { wo::decide(Action::reopen, Status::completed, wo::party_reporter, {}); });
  CHECK(o4.code == Code::invalid_state);
}

TEST_CASE("transitions check their input and change nothing when it is wrong") {
  Fixture fx;
  const OrgIds& o = fx.a;
  SUBCASE("reject needs a reason") {
    const OrderId id = fx.drive(o, Status::pending_accept);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.reject(o.as_tech_a(), id, ""); });
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.reject(o.as_tech_a(), id, std::string(2001, 'r')); });
  }
  SUBCASE("cancel needs a reason") {
    const OrderId id = fx.drive(o, Status::pending_dispatch);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.cancel(o.as_c1(), id, ""); });
  }
  SUBCASE("reopen needs a reason") {
    const OrderId id = fx.drive(o, Status::awaiting_rating);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.reopen(o.as_c1(), id, ""); });
  }
  SUBCASE("a score is 1 to 5") {
    const OrderId id = fx.drive(o, Status::awaiting_rating);
    for (int bad : {0, 6, -1, 100}) {
      INFO("score ", bad);
      fx.expect_error(Code::invalid_argument, [&] { fx.engine.rate(o.as_c1(), id, bad, std::nullopt); });
    }
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.rate(o.as_c1(), id, 5, std::string(2001, 'c')); });
    CHECK(fx.expect_ok([&] { fx.engine.rate(o.as_c1(), id, 1, std::string("Bad")); }));
    CHECK(fx.order(id).rating == std::optional<std::int32_t>{1});
    CHECK(fx.order(id).rating_comment == std::optional<std::string>("Bad"));
  }
  SUBCASE("unknown orders are not found") {
    fx.expect_error(Code::not_found, [&] { fx.engine.accept(o.as_admin(), OrderId{987654}); });
    fx.expect_error(Code::not_found, [&] { fx.engine.message(o.as_admin(), OrderId{987654}, "hello"); });
  }
}

TEST_CASE("grab: of simultaneous grabs by engines on one database exactly one wins") {
  const test_support::TestDb db("wo_orders_grab");
  const std::string& path = db.path;
  {
    Fixture fx(path);
    const OrgIds& o = fx.a;
    const OrderId id = fx.drive(o, Status::pending_dispatch);
    const std::vector<wo::StaffId> grabbers = {o.tech_a, o.tech_b, o.lead};
    std::atomic<int> ready{0};
    std::vector<Outcome> outcomes(grabbers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < grabbers.size(); ++i)
      threads.emplace_back([&, i] {
        wo::Engine engine(wo::open_store(path));
        ++ready;
        while (ready.load() < static_cast<int>(grabbers.size())) std::this_thread::yield();
        outcomes[i] = capture([&] { engine.grab(Actor::staff(grabbers[i]), id); });
      });
    for (auto& t : threads) t.join();
    int winners = 0;
    std::optional<wo::StaffId> winner;
    for (std::size_t i = 0; i < grabbers.size(); ++i) {
      INFO("grabber ", i, ": ", outcomes[i].message);
      CHECK_FALSE(outcomes[i].foreign);
      if (!outcomes[i].threw) {
        ++winners;
        winner = grabbers[i];
      } else {
        CHECK((outcomes[i].code == Code::not_found || outcomes[i].code == Code::invalid_state ||
               outcomes[i].code == Code::conflict || outcomes[i].code == Code::busy));
      }
    }
    CHECK(winners == 1);
    const wo::Order ord = fx.order(id);
    CHECK(ord.status == Status::in_progress);
    CHECK(ord.assignee_id == winner);
    int grabs = 0;
    for (const auto& e : fx.events(id))
      if (e.action == Action::grab) ++grabs;
    CHECK(grabs == 1);
  }
}
