// SPDX-License-Identifier: MIT
// The event feed and whom each event concerns (docs/rules.md §8), and the order detail: the feed is
// every event after an id in pages, scoped to the reader; each event names the party a host
// should notify.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>

#include "orders/order_fixture.hpp"
#include "workorder/views.hpp"

using namespace orders_test;
using wo::Action;
using wo::Audience;

namespace {

struct Concern {
  Action action;
  Audience audience;
  std::optional<std::int64_t> id;
  bool operator==(const Concern&) const = default;
};

std::vector<Concern> concerns(Fixture& fx, OrderId id) {
  std::vector<Concern> out;
  for (const auto& e : fx.events(id)) out.push_back({e.action, e.concerns, e.concerns_id});
  return out;
}

std::vector<wo::OrderEvent> feed(Fixture& fx, const Actor& actor, int limit = 3) {
  std::vector<wo::OrderEvent> all;
  for (std::int64_t after = 0;;) {
    auto page = fx.engine.events_after(actor, after, limit);
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < static_cast<std::size_t>(limit)) return all;
    after = page.back().id;
  }
}

}  // namespace

namespace doctest {
template <>
struct StringMaker<Concern> {
  static String convert(const Concern& c) {
    return String(fmt::format("{}→{}{}", wo::name_of(c.action), wo::name_of(c.audience),
                              c.id ? " " + std::to_string(*c.id) : std::string()).c_str());
  }
};
}  // namespace doctest

TEST_CASE("each event names whom it concerns: assignee, reporter or dispatchers") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const auto c1 = [&](Action a) { return Concern{a, Audience::contact, o.c1.value}; };
  const auto tech = [&](Action a) { return Concern{a, Audience::staff, o.tech_a.value}; };
  const auto desk = [&](Action a) { return Concern{a, Audience::dispatchers, std::nullopt}; };
  const auto nobody = [&](Action a) { return Concern{a, Audience::nobody, std::nullopt}; };

  SUBCASE("the paid story") {
    const OrderId id = fx.drive(o, Status::completed);
    fx.engine.message(o.as_c1(), id, "Thanks");
    fx.engine.message(o.as_dispatcher(), id, "You are welcome");
    CHECK(concerns(fx, id) == std::vector<Concern>{c1(Action::submit), desk(Action::pay_prepayment),
                                                   tech(Action::assign), c1(Action::accept), nobody(Action::add_line),
                                                   c1(Action::finish), nobody(Action::pay), tech(Action::rate),
                                                   tech(Action::message), c1(Action::message)});
  }
  SUBCASE("reject, transfer, reopen, cancels and messages without an assignee") {
    const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
    fx.engine.message(o.as_c1(), id, "When?");
    fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
    fx.engine.reject(o.as_tech_a(), id, "busy");
    fx.engine.grab(o.as_tech_b(), id);
    fx.engine.transfer(o.as_tech_b(), id, o.tech_a, "my shift ends");
    CHECK(concerns(fx, id) == std::vector<Concern>{desk(Action::submit), desk(Action::message), tech(Action::assign),
                                                   desk(Action::reject), c1(Action::grab), tech(Action::transfer)});
    fx.engine.cancel(o.as_c1(), id, "fixed it myself");  // by the reporter: tell the assignee
    CHECK(concerns(fx, id).back() == tech(Action::cancel));

    const OrderId other = fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
    fx.engine.cancel(o.as_dispatcher(), other, "duplicate");  // by the office: tell the reporter
    CHECK(concerns(fx, other).back() == c1(Action::cancel));

    const OrderId rated = fx.drive(o, Status::awaiting_rating);
    fx.engine.reopen(o.as_c1(), rated, "still dripping");
    CHECK(concerns(fx, rated).back() == desk(Action::reopen));
  }
  SUBCASE("timers") {
    fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::accept_timeout_min, 10); });
    const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
    fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
    fx.advance(11min);
    CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
    CHECK(concerns(fx, id).back() == desk(Action::accept_timeout));
  }
}

TEST_CASE("the feed pages every event once, scoped to the reader") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId story = fx.drive(o, Status::completed);
  const OrderId other = fx.engine.submit(o.as_c2(), Fixture::draft(o.after, o.after_spec));
  fx.engine.assign(o.as_dispatcher(), other, o.tech_b);
  fx.drive(fx.b, Status::in_progress);

  const auto all_a = feed(fx, o.as_admin());
  const auto all_system = feed(fx, Actor::system(), 200);
  CHECK(all_system.size() == fx.events(story).size() + fx.events(other).size() + 5);  // 5 events of org b
  std::int64_t previous = 0;
  for (const auto& e : all_a) {
    CHECK(e.org_id == o.org);
    CHECK(e.id > previous);
    previous = e.id;
  }
  CHECK(all_a.size() == fx.events(story).size() + fx.events(other).size());
  CHECK(feed(fx, o.as_dispatcher()).size() == all_a.size());

  // A contact and a technician read only what concerns them.
  for (const auto& [actor, audience] : {std::pair{o.as_c1(), Audience::contact}, std::pair{o.as_tech_b(), Audience::staff}}) {
    const auto mine = feed(fx, actor, 1);
    std::vector<std::int64_t> expected, got;
    for (const auto& e : all_a)
      if (e.concerns == audience && e.concerns_id == actor.id) expected.push_back(e.id);
    for (const auto& e : mine) got.push_back(e.id);
    CHECK(!expected.empty());
    CHECK(got == expected);
  }
  // Paging from the middle.
  const auto tail = fx.engine.events_after(o.as_admin(), all_a[2].id, 200);
  REQUIRE(tail.size() == all_a.size() - 3);
  CHECK(tail.front().id == all_a[3].id);

  fx.expect_error(Code::invalid_argument, [&] { fx.engine.events_after(o.as_admin(), 0, 0); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.events_after(o.as_admin(), 0, 201); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.events_after(o.as_admin(), -1, 10); });
  fx.expect_error(Code::not_found, [&] { fx.engine.events_after(Actor::contact(wo::ContactId{424242}), 0, 10); });
}

TEST_CASE("the order detail holds everything of the order, as its reader may see it") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::completed);
  fx.engine.message(o.as_c1(), id, "Thanks (谢谢)");
  const auto d = fx.engine.order_detail(o.as_c1(), id);
  CHECK(d.order.number == fx.order(id).number);
  CHECK(d.bill.total == fx.bill(id).total);
  CHECK(d.bill.balance == Money{0});
  CHECK(d.lines.size() == fx.lines(id).size());
  CHECK(d.payments.size() == 2);  // the deposit and the final payment
  REQUIRE(d.messages.size() == 1);
  CHECK(d.messages[0].details == "Thanks (谢谢)");
  CHECK(d.history.size() == fx.events(id).size());
  CHECK(d.history.back().action == Action::message);
  fx.expect_error(Code::not_found, [&] { fx.engine.order_detail(o.as_c2(), id); });
  fx.expect_error(Code::not_found, [&] { fx.engine.order_detail(fx.b.as_admin(), id); });
}

// Event ids are handed out at insert and become visible at commit. On PostgreSQL two writers
// can commit out of order; a reader must then wait for the earlier one rather than hand out
// the later id first, or a host's cursor would step over the earlier event for ever.
TEST_CASE("feed: an event whose transaction commits after a later one is never skipped") {
  const test_support::TestDb db("wo_feed_horizon");
  Fixture fx(db.path);
  const OrgIds& o = fx.a;
  const OrderId order = fx.drive(o, Status::pending_dispatch);
  const std::int64_t before = feed(fx, Actor::system(), 200).back().id;
  if (!test_support::on_postgres()) {
    // One writer at a time hands out ids in commit order: nothing is ever held back.
    CHECK(fx.store->settled_id("event") == std::numeric_limits<std::int64_t>::max());
    return;
  }
  static const std::vector<std::string_view> cols{"org_id", "order_id", "action", "actor_kind", "actor_id", "at"};
  const wo::Row row{wo::Value{o.org.value}, wo::Value{order.value},
                    wo::Value{std::int64_t{static_cast<int>(Action::message)}}, wo::Value{std::int64_t{0}},
                    wo::Value{std::int64_t{0}}, wo::Value{start_ms}};
  auto slow = db.open(), fast = db.open();
  std::atomic<std::int64_t> slow_id{0};
  std::atomic<bool> release{false}, read_done{false};
  std::thread writer([&] {
    slow->write([&](wo::Transaction& tx) {
      slow_id = tx.insert("event", cols, row);
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    });
  });
  while (slow_id == 0) std::this_thread::sleep_for(std::chrono::milliseconds{1});
  std::int64_t fast_id = 0;
  fast->write([&](wo::Transaction& tx) { fast_id = tx.insert("event", cols, row); });
  REQUIRE(fast_id > slow_id);  // the later id is committed, the earlier one is still in flight

  std::vector<wo::OrderEvent> seen;
  std::thread reader([&] {
    seen = fx.engine.events_after(Actor::system(), before, 200);
    read_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  CHECK_FALSE(read_done);  // waiting for the writer in flight, not answering without its event
  release = true;
  writer.join();
  reader.join();
  std::vector<std::int64_t> ids;
  for (const auto& e : seen) ids.push_back(e.id);
  CHECK(ids == std::vector<std::int64_t>{slow_id, fast_id});
}
