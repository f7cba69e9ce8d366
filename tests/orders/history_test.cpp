// SPDX-License-Identifier: MIT
// History (docs/rules.md §4 "every transition writes a history event (who, when, from, to, details)",
// §8 event feed): every transition and message writes exactly one event; refusals write none;
// the timeline pages with after/limit.
#include <doctest/doctest.h>

#include <source_location>

#include "orders/order_fixture.hpp"
#include "support/paid_walk.hpp"
#include "support/test_db.hpp"

using namespace orders_test;
using wo::Action;
using wo::ActorKind;

namespace {

struct Expect {
  Action action;
  ActorKind kind;
  std::int64_t actor_id;
  std::optional<Status> from;
  std::optional<Status> to;
  std::optional<wo::StaffId> staff = std::nullopt;
  std::optional<std::int64_t> amount = std::nullopt;
  std::optional<std::string> details = std::nullopt;
  bool check_details = false;  // details are compared only when set here
};

// Runs `call` one minute later and checks that it wrote exactly one event as expected.
template <class F>
void step(Fixture& fx, OrderId id, const Expect& x, F&& call, std::source_location loc = std::source_location::current()) {
  INFO("step at line ", loc.line(), ": ", wo::name_of(x.action));
  fx.advance(1min);
  const auto before = fx.events(id);
  const Outcome out = capture(call);
  REQUIRE_MESSAGE(!out.threw, out.message);
  const auto after = fx.events(id);
  REQUIRE(after.size() == before.size() + 1);
  const wo::OrderEvent& e = after.back();
  if (!before.empty()) CHECK(e.id > before.back().id);
  CHECK(e.order_id == id);
  CHECK(e.org_id == fx.a.org);
  CHECK(e.action == x.action);
  CHECK(e.actor_kind == x.kind);
  CHECK(e.actor_id == x.actor_id);
  CHECK(e.at == fx.now);
  CHECK(e.from_status == x.from);
  CHECK(e.to_status == x.to);
  if (x.staff) CHECK(e.staff_id == x.staff);
  if (x.amount) CHECK(e.amount == x.amount);
  if (x.check_details) CHECK(e.details == x.details);
  // The event agrees with the order.
  if (x.to) CHECK(fx.status(id) == *x.to);
}

}  // namespace

TEST_CASE("history: one event per transition and message, with who, when, from, to and details") {
  Fixture fx;
  const OrgIds& o = fx.a;
  using S = Status;
  const auto staff = ActorKind::staff;
  const auto contact = ActorKind::contact;

  fx.advance(1min);
  const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed, o.dep_spec));
  {
    const auto ev = fx.events(id);
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].action == Action::submit);
    CHECK(ev[0].actor_kind == contact);
    CHECK(ev[0].actor_id == o.c1.value);
    CHECK(ev[0].at == fx.now);
    CHECK_FALSE(ev[0].from_status.has_value());
    CHECK(ev[0].to_status == std::optional{S::awaiting_prepayment});
  }
  step(fx, id, {Action::message, staff, o.dispatcher.value, S::awaiting_prepayment, S::awaiting_prepayment, {}, {},
                std::string("Please pay the deposit (请支付订金)"), true},
       [&] { fx.engine.message(o.as_dispatcher(), id, "Please pay the deposit (请支付订金)"); });
  step(fx, id, {Action::pay_prepayment, contact, o.c1.value, S::awaiting_prepayment, S::pending_dispatch, {}, story_deposit},
       [&] { fx.engine.pay_prepayment(o.as_c1(), id, {wo::Channel::wechat, Money{story_deposit}, std::string("wx-1")}); });
  step(fx, id, {Action::assign, staff, o.dispatcher.value, S::pending_dispatch, S::pending_accept, o.tech_a},
       [&] { fx.engine.assign(o.as_dispatcher(), id, o.tech_a); });
  step(fx, id, {Action::reject, staff, o.tech_a.value, S::pending_accept, S::pending_dispatch, o.tech_a, {},
                std::string("On another site (在其他小区)"), true},
       [&] { fx.engine.reject(o.as_tech_a(), id, "On another site (在其他小区)"); });
  step(fx, id, {Action::assign, staff, o.admin.value, S::pending_dispatch, S::pending_accept, o.tech_b},
       [&] { fx.engine.assign(o.as_admin(), id, o.tech_b); });
  step(fx, id, {Action::transfer, staff, o.tech_b.value, S::pending_accept, S::pending_accept, o.tech_a, {},
                std::string("Swap shifts"), true},
       [&] { fx.engine.transfer(o.as_tech_b(), id, o.tech_a, "Swap shifts"); });
  step(fx, id, {Action::accept, staff, o.tech_a.value, S::pending_accept, S::in_progress},
       [&] { fx.engine.accept(o.as_tech_a(), id); });
  step(fx, id, {Action::message, staff, o.tech_a.value, S::in_progress, S::in_progress, {}, {},
                std::string("On my way"), true},
       [&] { fx.engine.message(o.as_tech_a(), id, "On my way"); });
  step(fx, id, {Action::message, contact, o.c1.value, S::in_progress, S::in_progress, {}, {},
                std::string("Door code 1502#"), true},
       [&] { fx.engine.message(o.as_c1(), id, "Door code 1502#"); });
  std::int64_t labor = 0, pipe = 0;
  step(fx, id, {Action::add_line, staff, o.tech_a.value, S::in_progress, S::in_progress, {}, 12000},
       [&] { labor = fx.engine.add_line(o.as_tech_a(), id, {wo::LineKind::labor, o.plumbing_labor.value, Qty{1500}}); });
  step(fx, id, {Action::add_line, staff, o.tech_a.value, S::in_progress, S::in_progress, {}, 1250},
       [&] { pipe = fx.engine.add_line(o.as_tech_a(), id, {wo::LineKind::material, o.pipe.value, Qty{1000}}); });
  (void)labor;
  step(fx, id, {Action::remove_line, staff, o.tech_a.value, S::in_progress, S::in_progress, {}, 1250},
       [&] { fx.engine.remove_line(o.as_tech_a(), id, pipe); });
  // The line events carry a summary.
  {
    const auto ev = fx.events(id);
    CHECK(ev[ev.size() - 2].details.has_value());
    CHECK(ev.back().details.has_value());
  }
  const std::int64_t total = story_spec_price + 12000;
  step(fx, id, {Action::finish, staff, o.dispatcher.value, S::in_progress, S::awaiting_payment, {}, total},
       [&] { fx.engine.finish(o.as_dispatcher(), id); });
  step(fx, id, {Action::pay, contact, o.c1.value, S::awaiting_payment, S::awaiting_payment, {}, 5000},
       [&] { fx.engine.pay(o.as_c1(), id, {wo::Channel::alipay, Money{5000}, std::nullopt}); });
  step(fx, id, {Action::pay, staff, o.dispatcher.value, S::awaiting_payment, S::awaiting_rating, {},
                total - story_deposit - 5000},
       [&] { fx.engine.pay(o.as_dispatcher(), id, {wo::Channel::cash, Money{total - story_deposit - 5000}, std::nullopt}); });
  step(fx, id, {Action::rate, contact, o.c1.value, S::awaiting_rating, S::completed, {}, 2,
                std::string("Slow (太慢)"), true},
       [&] { fx.engine.rate(o.as_c1(), id, 2, std::string("Slow (太慢)")); });
  step(fx, id, {Action::reopen, contact, o.c1.value, S::completed, S::pending_dispatch, {}, {},
                std::string("Leaks again"), true},
       [&] { fx.engine.reopen(o.as_c1(), id, "Leaks again"); });
  step(fx, id, {Action::cancel, staff, o.admin.value, S::pending_dispatch, S::cancelled, {}, {},
                std::string("Tenant moved out"), true},
       [&] { fx.engine.cancel(o.as_admin(), id, "Tenant moved out"); });
  step(fx, id, {Action::refund, staff, o.dispatcher.value, S::cancelled, S::cancelled, {}, 3000},
       [&] { fx.engine.refund(o.as_dispatcher(), id, {wo::Channel::wechat, Money{3000}, std::string("rf-1")}); });
  step(fx, id, {Action::message, contact, o.c1.value, S::cancelled, S::cancelled, {}, {}, std::string("Thanks"), true},
       [&] { fx.engine.message(o.as_c1(), id, "Thanks"); });

  // Refusals and no-op retries write no event.
  const std::size_t n = fx.events(id).size();
  CHECK(n == 21);
  fx.expect_error(Code::invalid_state, [&] { fx.engine.accept(o.as_tech_a(), id); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.message(o.as_c1(), id, ""); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.message(o.as_c1(), id, std::string(2001, 'x')); });
  CHECK(fx.expect_ok([&] { fx.engine.refund(o.as_dispatcher(), id, {wo::Channel::wechat, Money{3000}, std::string("rf-1")}); }));
  CHECK(fx.events(id).size() == n);
  CHECK(fx.expect_ok([&] { fx.engine.message(o.as_c1(), id, std::string(2000, 'x')); }));
  CHECK(fx.events(id).size() == n + 1);

  // The timeline as other readers see it is the same list.
  const auto all = fx.events(id);
  const auto as_reporter = fx.engine.timeline(o.as_c1(), id, 0, wo::max_page_size);
  REQUIRE(as_reporter.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(wo::to_row(as_reporter[i]) == wo::to_row(all[i]));
}

TEST_CASE("history: timer events and the submit event of staff") {
  Fixture fx;
  const OrgIds& o = fx.a;
  wo::OrderDraft d = Fixture::draft(o.after);
  d.tenant_id = o.tenant_p;
  d.reporter_phone = "13800000001";
  fx.advance(1min);
  const OrderId id = fx.engine.submit(o.as_dispatcher(), d);
  auto ev = fx.events(id);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].actor_kind == ActorKind::staff);
  CHECK(ev[0].actor_id == o.dispatcher.value);
  CHECK(ev[0].to_status == std::optional{Status::pending_dispatch});
  fx.advance(1min);
  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  fx.advance(1h);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  ev = fx.events(id);
  REQUIRE(ev.size() == 3);
  CHECK(ev[2].action == Action::accept_timeout);
  CHECK(ev[2].actor_kind == ActorKind::system);
  CHECK(ev[2].at == fx.now);
  CHECK(ev[2].from_status == std::optional{Status::pending_accept});
  CHECK(ev[2].to_status == std::optional{Status::pending_dispatch});
}

TEST_CASE("history: timeline paging with after and limit") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::completed);
  const OrderId other = fx.drive(o, Status::in_progress);  // interleaves nothing, but exists
  for (int i = 0; i < 5; ++i) fx.engine.message(o.as_c1(), id, "note " + std::to_string(i));
  const auto all = fx.events(id);
  REQUIRE(all.size() == 8 + 5);
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i].id > all[i - 1].id);
  for (const auto& e : all) CHECK(e.order_id == id);

  for (int limit : {1, 3, 5, 13, 200}) {
    INFO("limit ", limit);
    std::vector<wo::OrderEvent> paged;
    std::int64_t after = 0;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = fx.engine.timeline(o.as_admin(), id, after, limit);
      CHECK(page.size() <= static_cast<std::size_t>(limit));
      paged.insert(paged.end(), page.begin(), page.end());
      if (page.size() < static_cast<std::size_t>(limit)) break;
      after = page.back().id;
    }
    REQUIRE(paged.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(paged[i].id == all[i].id);
  }
  // After the last event: empty. After an event in the middle: the rest.
  CHECK(fx.engine.timeline(o.as_admin(), id, all.back().id, 10).empty());
  const auto rest = fx.engine.timeline(o.as_admin(), id, all[4].id, 200);
  REQUIRE(rest.size() == all.size() - 5);
  CHECK(rest.front().id == all[5].id);
  // Another order's events never show.
  for (const auto& e : fx.engine.timeline(o.as_admin(), other, 0, 200)) CHECK(e.order_id == other);
  // Limits out of range.
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.timeline(o.as_admin(), id, 0, 0); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.timeline(o.as_admin(), id, 0, 201); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.timeline(o.as_admin(), id, 0, -1); });
}

TEST_CASE("history: amounts in an event's details are written with the org's currency decimals") {
  // 1.5 hours of labor at 8000 an hour: 12000 minor units, whatever the currency.
  const std::pair<const char*, const char*> cases[] = {{"CNY", "120.00"}, {"JPY", "12000"}, {"BHD", "12.000"}};
  for (const auto& [currency, amount] : cases) {
    CAPTURE(currency);
    wo::Engine engine(test_support::fresh_store("history_currency"));
    const auto w = test_support::PaidWorld::create(engine, 1'000'000, currency);
    OrderId order{0};
    for (int s = 0; s <= static_cast<int>(test_support::PaidStep::add_labor); ++s)
      order = test_support::make_paid_step(engine, w, "k", static_cast<test_support::PaidStep>(s), order);
    const auto events = engine.timeline(w.admin, order, 0, 100);
    REQUIRE(!events.empty());
    REQUIRE(events.back().action == Action::add_line);
    REQUIRE(events.back().details.has_value());
    const std::string& details = *events.back().details;
    CHECK_MESSAGE(details.ends_with(std::string(": Labor × 1.500 = ") + amount), details);
  }
}
