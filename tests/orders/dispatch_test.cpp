// SPDX-License-Identifier: MIT
// Automatic dispatch (docs/rules.md §4, issue 13): an order type dispatched round_robin or
// least_loaded is assigned by the system, in the same transaction, whenever one of its orders
// reaches pending_dispatch (submit, prepayment, reject, accept timeout, reopen), among the
// type's eligible, active technicians under the grab limit who did not turn it down; with no
// one left the order stays in the pool and the dispatchers are told. A preview says whom the
// strategy would pick and changes nothing. Engines on one database dispatching at once never
// exceed the grab limit nor assign one order twice.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "order_fixture.hpp"

namespace orders_test {
namespace {

using wo::Action;
using wo::DispatchStrategy;
using wo::StaffId;

void set_strategy(Fixture& fx, const OrgIds& o, DispatchStrategy strategy) {
  wo::Patch<wo::OrderType> p;
  p.set(&wo::OrderType::dispatch_strategy, strategy);
  fx.engine.update<wo::OrderType>(o.as_admin(), o.plumbing, p);
}

OrderId submit_free(Fixture& fx, const OrgIds& o) { return fx.engine.submit(o.as_c1(), Fixture::draft(o.free)); }

const wo::OrderEvent& last_event(const std::vector<wo::OrderEvent>& events) { return events.back(); }

// The plumbing type's eligible technicians, in id order (as the fixture makes them).
std::vector<StaffId> eligible(const OrgIds& o) { return {o.lead, o.tech_a, o.tech_b}; }

TEST_CASE("dispatch: manual (the default) leaves orders in the pool") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = submit_free(fx, o);
  CHECK(fx.status(id) == Status::pending_dispatch);
  CHECK(last_event(fx.events(id)).action == Action::submit);
  CHECK(fx.engine.preview_dispatch(o.as_dispatcher(), id) == std::nullopt);
}

TEST_CASE("dispatch: least_loaded picks the fewest held, then the longest idle, then the lowest id") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_strategy(fx, o, DispatchStrategy::least_loaded);
  // Nobody holds anything and nobody was ever handed an order: the lowest id first.
  std::vector<StaffId> picked;
  for (int i = 0; i < 3; ++i) {
    fx.advance(1min);
    const OrderId id = submit_free(fx, o);
    const wo::Order ord = fx.order(id);
    CHECK(ord.status == Status::pending_accept);
    REQUIRE(ord.assignee_id);
    picked.push_back(*ord.assignee_id);
    const auto events = fx.events(id);
    const wo::OrderEvent& e = last_event(events);
    CHECK(e.action == Action::auto_assign);
    CHECK(e.actor_kind == wo::ActorKind::system);
    CHECK(e.staff_id == ord.assignee_id);
    CHECK(e.details == std::optional<std::string>("least_loaded"));
    CHECK(e.concerns == wo::Audience::staff);
    CHECK(e.concerns_id == std::optional<std::int64_t>(ord.assignee_id->value));
  }
  CHECK(picked == eligible(o));
  // Each holds one: the one idle longest (handed an order first) is next.
  fx.advance(1min);
  const OrderId fourth = submit_free(fx, o);
  CHECK(fx.order(fourth).assignee_id == std::optional{o.lead});
  // lead holds 2, tech_a and tech_b 1 each; tech_a was handed one before tech_b.
  fx.advance(1min);
  CHECK(fx.order(submit_free(fx, o)).assignee_id == std::optional{o.tech_a});
  // Fewest held beats idle longest: tech_b holds 1, the others 2.
  fx.advance(1min);
  CHECK(fx.order(submit_free(fx, o)).assignee_id == std::optional{o.tech_b});
}

TEST_CASE("dispatch: round_robin takes the next in turn, wraps round, skips who no longer qualifies") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_strategy(fx, o, DispatchStrategy::round_robin);
  std::vector<StaffId> picked;
  for (int i = 0; i < 4; ++i) picked.push_back(*fx.order(submit_free(fx, o)).assignee_id);
  CHECK(picked == std::vector<StaffId>{o.lead, o.tech_a, o.tech_b, o.lead});
  CHECK(fx.engine.get<wo::OrderType>(o.as_admin(), o.plumbing).last_dispatched_id == std::optional{o.lead});
  // tech_a deactivated: skipped.
  fx.engine.set_active<wo::Staff>(o.as_admin(), o.tech_a, false);
  CHECK(fx.order(submit_free(fx, o)).assignee_id == std::optional{o.tech_b});
  CHECK(fx.order(submit_free(fx, o)).assignee_id == std::optional{o.lead});
}

TEST_CASE("dispatch: the grab limit, and no one left: the order waits and the dispatchers are told") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_strategy(fx, o, DispatchStrategy::least_loaded);
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::grab_limit, std::int32_t{1}); });
  std::set<std::int64_t> holders;
  for (int i = 0; i < 3; ++i) holders.insert(fx.order(submit_free(fx, o)).assignee_id->value);
  CHECK(holders.size() == 3);
  const OrderId waiting = submit_free(fx, o);
  CHECK(fx.status(waiting) == Status::pending_dispatch);
  CHECK(!fx.order(waiting).assignee_id);
  const wo::OrderEvent e = last_event(fx.events(waiting));
  CHECK(e.action == Action::dispatch_unmatched);
  CHECK(e.actor_kind == wo::ActorKind::system);
  CHECK(e.concerns == wo::Audience::dispatchers);
  CHECK(e.details == std::optional<std::string>("least_loaded"));
  CHECK(fx.engine.preview_dispatch(o.as_dispatcher(), waiting) == std::nullopt);
  // A dispatcher may still assign by hand, forcing past the limit.
  CHECK(fx.expect_ok([&] { fx.engine.assign(o.as_dispatcher(), waiting, o.tech_a, true); }));
}

TEST_CASE("dispatch: whoever turned an order down is not picked for it again") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_strategy(fx, o, DispatchStrategy::least_loaded);
  const OrderId id = submit_free(fx, o);
  CHECK(fx.order(id).assignee_id == std::optional{o.lead});
  // lead rejects: in the same call the order goes to the next (tech_a), never back to lead.
  fx.engine.reject(o.as_lead(), id, "busy");
  CHECK(fx.status(id) == Status::pending_accept);
  CHECK(fx.order(id).assignee_id == std::optional{o.tech_a});
  const auto events = fx.events(id);
  CHECK(events[events.size() - 2].action == Action::reject);
  CHECK(last_event(events).action == Action::auto_assign);
  // tech_a lets it time out: tech_b next.
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{30}); });
  fx.advance(31min);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  CHECK(fx.order(id).assignee_id == std::optional{o.tech_b});
  CHECK(last_event(fx.events(id)).action == Action::auto_assign);
  // tech_b rejects too: everyone turned it down, it stays in the pool.
  fx.engine.reject(o.as_tech_b(), id, "no parts");
  CHECK(fx.status(id) == Status::pending_dispatch);
  CHECK(last_event(fx.events(id)).action == Action::dispatch_unmatched);
}

TEST_CASE("dispatch: after the prepayment and after a reopen") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId paid = fx.drive(o, Status::awaiting_prepayment);
  const OrderId reopened = fx.drive(o, Status::awaiting_rating);  // tech_a did the work
  set_strategy(fx, o, DispatchStrategy::round_robin);
  fx.advance(1min);
  fx.engine.pay_prepayment(o.as_c1(), paid, {wo::Channel::wechat, Money{story_deposit}, std::nullopt});
  CHECK(fx.status(paid) == Status::pending_accept);
  CHECK(fx.order(paid).assignee_id == std::optional{o.lead});
  const auto paid_events = fx.events(paid);
  CHECK(paid_events[paid_events.size() - 2].action == Action::pay_prepayment);
  CHECK(last_event(paid_events).action == Action::auto_assign);
  fx.engine.reopen(o.as_c1(), reopened, "still leaking");
  CHECK(fx.status(reopened) == Status::pending_accept);
  CHECK(fx.order(reopened).assignee_id == std::optional{o.tech_a});
  CHECK(last_event(fx.events(reopened)).action == Action::auto_assign);
}

TEST_CASE("dispatch: the preview names the pick and changes nothing; for dispatchers and admins") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = submit_free(fx, o);  // manual: waits in the pool
  set_strategy(fx, o, DispatchStrategy::least_loaded);
  const Snapshot before = fx.snapshot();
  CHECK(fx.engine.preview_dispatch(o.as_dispatcher(), id) == std::optional{o.lead});
  CHECK(fx.engine.preview_dispatch(o.as_admin(), id) == std::optional{o.lead});
  fx.expect_error(Code::forbidden, [&] { (void)fx.engine.preview_dispatch(o.as_tech_a(), id); });
  fx.expect_error(Code::not_found, [&] { (void)fx.engine.preview_dispatch(o.as_c2(), id); });
  fx.expect_error(Code::not_found, [&] { (void)fx.engine.preview_dispatch(fx.b.as_dispatcher(), id); });
  CHECK(diff(before, fx.snapshot()).empty());
  fx.engine.assign(o.as_dispatcher(), id, o.tech_b);
  fx.expect_error(Code::invalid_state, [&] { (void)fx.engine.preview_dispatch(o.as_dispatcher(), id); });
}

TEST_CASE("dispatch: engines on one database dispatching at once keep the grab limit, one assignment each") {
  const test_support::TestDb db("wo_dispatch_race");
  Fixture fx(db.path);
  const OrgIds& o = fx.a;
  // lead holds 12 orders (forced past the limit); engines on 4 threads reject them at once,
  // and each rejection dispatches its order to tech_a or tech_b, who may hold 2 each.
  constexpr int writers = 4, per_writer = 3;
  std::vector<OrderId> orders;
  for (int i = 0; i < writers * per_writer; ++i) {
    orders.push_back(submit_free(fx, o));
    fx.engine.assign(o.as_dispatcher(), orders.back(), o.lead, true);
  }
  set_strategy(fx, o, DispatchStrategy::least_loaded);
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::grab_limit, std::int32_t{2}); });
  std::atomic<int> ready{0};
  std::vector<std::string> errors(writers);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      wo::Engine engine(wo::open_store(db.path), [&] { return fx.now; });
      ++ready;
      while (ready.load() < writers) std::this_thread::yield();
      for (int i = 0; i < per_writer; ++i) {
        try {
          engine.reject(o.as_lead(), orders[static_cast<std::size_t>(w * per_writer + i)], "too many");
        } catch (const std::exception& e) {
          errors[static_cast<std::size_t>(w)] += e.what();
        }
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e.empty());
  std::map<std::int64_t, int> held;
  int assigned = 0;
  for (OrderId id : orders) {
    const wo::Order ord = fx.order(id);
    int auto_assigns = 0;
    for (const auto& e : fx.events(id)) auto_assigns += e.action == Action::auto_assign;
    if (ord.status == Status::pending_accept) {
      ++assigned;
      ++held[ord.assignee_id->value];
      CHECK(auto_assigns == 1);
      CHECK(ord.assignee_id != std::optional{o.lead});
    } else {
      CHECK(ord.status == Status::pending_dispatch);
      CHECK(auto_assigns == 0);
    }
  }
  for (const auto& [staff, n] : held) {
    CAPTURE(staff);
    CHECK(n <= 2);
  }
  CHECK(assigned == 4);  // tech_a and tech_b filled to the limit, no more
}

}  // namespace
}  // namespace orders_test
