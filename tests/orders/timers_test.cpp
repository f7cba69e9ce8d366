// SPDX-License-Identifier: MIT
// The three timers of docs/rules.md §4 run by tick(now) with the settings' timeouts (rules §2), and the
// reopen window.
#include <doctest/doctest.h>

#include "orders/order_fixture.hpp"

using namespace orders_test;

namespace {

// Moves the clock to `t` and ticks there as the system.
int tick_at(Fixture& fx, wo::Timestamp t) {
  fx.now = t;
  return fx.engine.tick(Actor::system(), t);
}

// Ticks at `t` expecting nothing to change at all.
void tick_nothing(Fixture& fx, wo::Timestamp t) {
  const Snapshot before = fx.snapshot();
  CHECK(tick_at(fx, t) == 0);
  CHECK(diff(before, fx.snapshot()) == "");
}

wo::OrderEvent last_event(const std::vector<wo::OrderEvent>& ev) {
  REQUIRE_FALSE(ev.empty());
  return ev.back();
}

}  // namespace

TEST_CASE("timers: the prepayment timeout cancels, and releases nothing of other orders") {
  Fixture fx;
  const OrgIds& o = fx.a;
  // Another order in progress holds reserved stock.
  const OrderId busy = fx.in_progress_after(o, o.tech_b);
  fx.engine.add_line(o.as_tech_b(), busy, {wo::LineKind::material, o.pipe.value, Qty{4000}});
  const OrderId id = fx.drive(o, Status::awaiting_prepayment);
  const wo::Timestamp submitted = fx.order(id).status_since;
  CHECK(fx.engine.get_settings(o.as_admin()).prepay_timeout_min == 30);

  tick_nothing(fx, submitted + 30min - 1ms);
  CHECK(tick_at(fx, submitted + 30min) == 1);
  const wo::Order ord = fx.order(id);
  CHECK(ord.status == Status::cancelled);
  CHECK(ord.cancelled_at == std::optional{submitted + 30min});
  CHECK(fx.bill(id).refund_due == Money{0});
  // The other order and its reservation are untouched.
  CHECK(fx.status(busy) == Status::in_progress);
  CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock - 4000});
  for (const auto& m : fx.engine.list<wo::StockMovement>(o.as_admin(), {}, {}, wo::max_page_size))
    CHECK(m.movement_kind != wo::MovementKind::release);
  const wo::OrderEvent e = last_event(fx.events(id));
  CHECK(e.action == wo::Action::prepayment_timeout);
  CHECK(e.actor_kind == wo::ActorKind::system);
  CHECK(e.actor_id == 0);
  CHECK(e.at == submitted + 30min);
  CHECK(e.from_status == std::optional{Status::awaiting_prepayment});
  CHECK(e.to_status == std::optional{Status::cancelled});
  CHECK(e.details.has_value());
  // A second tick finds nothing to do.
  tick_nothing(fx, submitted + 31min);
}

TEST_CASE("timers: the accept timeout returns the order to dispatch, counted from the assignment") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::pending_dispatch);
  // Two hours in the pool do not count towards the accept timeout.
  fx.advance(2h);
  tick_nothing(fx, fx.now);
  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  const wo::Timestamp assigned = fx.now;
  CHECK(fx.engine.get_settings(o.as_admin()).accept_timeout_min == 60);
  tick_nothing(fx, assigned + 59min);
  CHECK(tick_at(fx, assigned + 60min) == 1);
  const wo::Order ord = fx.order(id);
  CHECK(ord.status == Status::pending_dispatch);
  CHECK_FALSE(ord.assignee_id.has_value());
  CHECK(ord.status_since == assigned + 60min);
  const wo::OrderEvent e = last_event(fx.events(id));
  CHECK(e.action == wo::Action::accept_timeout);
  CHECK(e.actor_kind == wo::ActorKind::system);
  CHECK(e.from_status == std::optional{Status::pending_accept});
  CHECK(e.to_status == std::optional{Status::pending_dispatch});
  CHECK(e.staff_id == std::optional{o.tech_a});
  CHECK(e.at == assigned + 60min);
  // tech_a no longer holds it: may not accept it, may grab it from the pool again.
  fx.expect_error(Code::invalid_state, [&] { fx.engine.accept(o.as_tech_a(), id); });
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::grab_limit, std::int32_t{1}); });
  CHECK(fx.expect_ok([&] { fx.engine.grab(o.as_tech_a(), id); }));
}

TEST_CASE("timers: the rating timeout completes with the automatic score") {
  Fixture fx;
  const OrgIds& o = fx.a;
  fx.settings(o, [](auto& p) {
    p.set(&wo::OrderSettings::auto_rating_score, std::int32_t{4});
    p.set(&wo::OrderSettings::rating_timeout_days, std::int32_t{3});
  });
  const OrderId id = fx.drive(o, Status::awaiting_rating);
  const wo::Timestamp since = fx.order(id).status_since;
  tick_nothing(fx, since + std::chrono::days{3} - 1ms);
  CHECK(tick_at(fx, since + std::chrono::days{3}) == 1);
  const wo::Order ord = fx.order(id);
  CHECK(ord.status == Status::completed);
  CHECK(ord.rating == std::optional<std::int32_t>{4});
  CHECK(ord.completed_at == std::optional{since + std::chrono::days{3}});
  const wo::OrderEvent e = last_event(fx.events(id));
  CHECK(e.action == wo::Action::rating_timeout);
  CHECK(e.from_status == std::optional{Status::awaiting_rating});
  CHECK(e.to_status == std::optional{Status::completed});
  CHECK(e.amount == std::optional<std::int64_t>{4});
  // The reporter can no longer rate.
  fx.expect_error(Code::invalid_state, [&] { fx.engine.rate(o.as_c1(), id, 1, std::nullopt); });
}

TEST_CASE("timers: a timeout of 0 disables that timer") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId prepay = fx.drive(o, Status::awaiting_prepayment);
  const OrderId accept = fx.drive(o, Status::pending_accept);
  const OrderId rating = fx.drive(o, Status::awaiting_rating);
  fx.settings(o, [](auto& p) {
    p.set(&wo::OrderSettings::prepay_timeout_min, std::int32_t{0});
    p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{0});
    p.set(&wo::OrderSettings::rating_timeout_days, std::int32_t{0});
  });
  tick_nothing(fx, fx.now + std::chrono::days{3650});
  CHECK(fx.status(prepay) == Status::awaiting_prepayment);
  CHECK(fx.status(accept) == Status::pending_accept);
  CHECK(fx.status(rating) == Status::awaiting_rating);
  SUBCASE("one timer on, the others off") {
    fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{5}); });
    CHECK(tick_at(fx, fx.now + 1min) == 1);
    CHECK(fx.status(prepay) == Status::awaiting_prepayment);
    CHECK(fx.status(accept) == Status::pending_dispatch);
    CHECK(fx.status(rating) == Status::awaiting_rating);
  }
  SUBCASE("all on: every due order moves in one tick") {
    fx.settings(o, [](auto& p) {
      p.set(&wo::OrderSettings::prepay_timeout_min, std::int32_t{1});
      p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{1});
      p.set(&wo::OrderSettings::rating_timeout_days, std::int32_t{1});
    });
    CHECK(tick_at(fx, fx.now + 1min) == 3);
    CHECK(fx.status(prepay) == Status::cancelled);
    CHECK(fx.status(accept) == Status::pending_dispatch);
    CHECK(fx.status(rating) == Status::completed);
  }
}

TEST_CASE("timers: each org's own settings apply") {
  Fixture fx;
  const OrderId in_a = fx.drive(fx.a, Status::awaiting_prepayment);
  const OrderId in_b = fx.drive(fx.b, Status::awaiting_prepayment);
  fx.settings(fx.b, [](auto& p) { p.set(&wo::OrderSettings::prepay_timeout_min, std::int32_t{0}); });
  CHECK(tick_at(fx, fx.now + 1h) == 1);
  CHECK(fx.status(in_a) == Status::cancelled);
  CHECK(fx.status(in_b) == Status::awaiting_prepayment);
}

TEST_CASE("timers: only the system actor ticks") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::awaiting_prepayment);
  fx.advance(std::chrono::days{1});
  fx.expect_error(Code::forbidden, [&] { fx.engine.tick(o.as_admin(), fx.now); });
  fx.expect_error(Code::forbidden, [&] { fx.engine.tick(o.as_c1(), fx.now); });
  CHECK(fx.status(id) == Status::awaiting_prepayment);
}

TEST_CASE("reopen: within the window, at its edge, after it, and disabled") {
  Fixture fx;
  const OrgIds& o = fx.a;
  CHECK(fx.engine.get_settings(o.as_admin()).reopen_window_days == 7);
  const OrderId at_edge = fx.drive(o, Status::completed);
  const wo::Timestamp done1 = *fx.order(at_edge).completed_at;
  const OrderId late = fx.drive(o, Status::completed);
  const wo::Timestamp done2 = *fx.order(late).completed_at;
  const OrderId rating = fx.drive(o, Status::awaiting_rating);
  // Timers off so that waiting does not complete the awaiting_rating order.
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::rating_timeout_days, std::int32_t{0}); });

  SUBCASE("exactly at the end of the window: allowed; a reason is required") {
    fx.now = done1 + std::chrono::days{7};
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.reopen(o.as_c1(), at_edge, ""); });
    CHECK(fx.expect_ok([&] { fx.engine.reopen(o.as_c1(), at_edge, "Dripping again"); }));
    const wo::Order ord = fx.order(at_edge);
    CHECK(ord.status == Status::pending_dispatch);
    CHECK(ord.reopen_count == 1);
    CHECK_FALSE(ord.assignee_id.has_value());
    CHECK_FALSE(ord.rating.has_value());
    CHECK_FALSE(ord.completed_at.has_value());
    CHECK(fx.lines(at_edge).size() == 1);
    CHECK(fx.payments(at_edge).size() == 2);
    const wo::OrderEvent e = last_event(fx.events(at_edge));
    CHECK(e.action == wo::Action::reopen);
    CHECK(e.from_status == std::optional{Status::completed});
    CHECK(e.to_status == std::optional{Status::pending_dispatch});
    CHECK(e.details == std::optional<std::string>("Dripping again"));
    CHECK(e.actor_kind == wo::ActorKind::contact);
    CHECK(e.actor_id == o.c1.value);
  }
  SUBCASE("after the window: invalid_state, nothing changes") {
    fx.now = done2 + std::chrono::days{7} + 1ms;
    fx.expect_error(Code::invalid_state, [&] { fx.engine.reopen(o.as_c1(), late, "Too late?"); });
    CHECK(fx.status(late) == Status::completed);
  }
  SUBCASE("window 0: completed orders cannot be reopened; awaiting_rating still can") {
    fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::reopen_window_days, std::int32_t{0}); });
    fx.now = done1 + 1min;
    fx.expect_error(Code::invalid_state, [&] { fx.engine.reopen(o.as_c1(), at_edge, "Again"); });
    fx.advance(std::chrono::days{30});
    CHECK(fx.expect_ok([&] { fx.engine.reopen(o.as_c1(), rating, "Not fixed"); }));
    CHECK(fx.status(rating) == Status::pending_dispatch);
  }
  SUBCASE("awaiting_rating can be reopened any time") {
    fx.advance(std::chrono::days{365});
    CHECK(fx.expect_ok([&] { fx.engine.reopen(o.as_c1(), rating, "Not fixed"); }));
    CHECK(fx.order(rating).reopen_count == 1);
  }
  SUBCASE("reopened twice: the count goes on, the window restarts at the new completion") {
    fx.now = done1 + 1h;
    fx.engine.reopen(o.as_c1(), at_edge, "1st");
    fx.engine.assign(o.as_dispatcher(), at_edge, o.tech_a);
    fx.engine.accept(o.as_tech_a(), at_edge);
    fx.advance(std::chrono::days{10});  // beyond the first window
    fx.engine.finish(o.as_tech_a(), at_edge);
    CHECK(fx.status(at_edge) == Status::awaiting_rating);  // already paid in full
    fx.engine.rate(o.as_c1(), at_edge, 2, std::nullopt);
    fx.advance(std::chrono::days{6});
    CHECK(fx.expect_ok([&] { fx.engine.reopen(o.as_c1(), at_edge, "2nd"); }));
    CHECK(fx.order(at_edge).reopen_count == 2);
  }
}

TEST_CASE("reopen: an order completed by the rating timer reopens within the window") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::awaiting_rating);
  const wo::Timestamp since = fx.order(id).status_since;
  CHECK(tick_at(fx, since + std::chrono::days{7}) == 1);
  CHECK(fx.status(id) == Status::completed);
  fx.advance(std::chrono::days{7});
  CHECK(fx.expect_ok([&] { fx.engine.reopen(o.as_c1(), id, "Auto-rated but broken"); }));
  fx.advance(std::chrono::days{1});
  // The reopened order can time out again on accept.
  fx.engine.assign(o.as_dispatcher(), id, o.tech_b);
  CHECK(tick_at(fx, fx.now + 1h) == 1);
  CHECK(fx.status(id) == Status::pending_dispatch);
}

TEST_CASE("timers: a transfer gives the new assignee the whole accept timeout") {
  // rules §4: a transfer hands the order to another staff member in pending_accept; the accept
  // timer (accept_timeout_min) is the time an assignee has to accept it.
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::pending_accept);  // assigned to tech_a
  const wo::Timestamp assigned = fx.now;
  fx.now = assigned + 50min;
  fx.engine.transfer(o.as_dispatcher(), id, o.tech_b, "tech_a is off today");
  const wo::Timestamp transferred = fx.now;
  // 60 minutes after the first assignment, only 10 after the transfer: tech_b still has it.
  tick_at(fx, assigned + 60min);
  CHECK(fx.status(id) == Status::pending_accept);
  CHECK(fx.order(id).assignee_id == std::optional{o.tech_b});
  // 60 minutes after the transfer it times out.
  fx.now = transferred + 60min;
  CHECK(fx.engine.tick(Actor::system(), fx.now) >= 0);
  CHECK(fx.status(id) == Status::pending_dispatch);
}

TEST_CASE("timers: many due orders are all handled by one tick") {
  Fixture fx;
  const OrgIds& o = fx.a;
  std::vector<OrderId> ids;
  for (int i = 0; i < 230; ++i) ids.push_back(fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed, o.dep_spec)));
  for (int i = 0; i < 20; ++i) ids.push_back(fx.engine.submit(fx.b.as_c1(), Fixture::draft(fx.b.deposit_fixed, fx.b.dep_spec)));
  CHECK(tick_at(fx, fx.now + 30min) == 250);
  for (OrderId id : ids) CHECK(fx.status(id) == Status::cancelled);
  CHECK(tick_at(fx, fx.now + 1min) == 0);
}
