// SPDX-License-Identifier: MIT
// Service levels through the engine (docs/rules.md §11): targets per subtype frozen on the
// order, the org's business hours and exceptions, the clocks shown live on every read (paused
// while the tenant is awaited, restarted by a reopen), the warning and breach alerts of tick
// (once each, to the dispatchers and the assignee, once across concurrent ticks), the running
// clocks counted again when the hours change, the list filters and the dashboard's attainment.
// The clock arithmetic itself is checked against a minute-by-minute count in
// tests/unit/service_level_test.cpp; here the numbers are worked out by hand.
#include <atomic>
#include <thread>

#include "order_fixture.hpp"

namespace orders_test {
namespace {

using wo::Action;
using wo::ServiceState;
using wo::Timestamp;

// Fridays and Mondays in Asia/Shanghai (UTC+8, the fixture's zone).
constexpr std::int64_t monday_10_00 = 1'796'004'000'000;  // 2026-11-30 10:00 local
constexpr std::int64_t friday_17_30 = 1'796'376'600'000;  // 2026-12-04 17:30 local

Timestamp local(std::int64_t base_ms, std::chrono::milliseconds offset) { return wo::from_unix_ms(base_ms) + offset; }

void office_hours(Fixture& fx, const OrgIds& o, const std::string& exceptions = "") {
  fx.settings(o, [&](auto& p) {
    p.set(&wo::OrderSettings::business_hours, std::string("mon-fri 09:00-18:00"));
    p.set(&wo::OrderSettings::business_exceptions, exceptions);
  });
}

void set_targets(Fixture& fx, const OrgIds& o, wo::SubtypeId subtype, std::optional<std::int32_t> response,
                 std::optional<std::int32_t> resolution) {
  wo::Patch<wo::Subtype> p;
  p.set(&wo::Subtype::response_target_min, response).set(&wo::Subtype::resolution_target_min, resolution);
  fx.engine.update<wo::Subtype>(o.as_admin(), subtype, p);
}

OrderId submit_free(Fixture& fx, const OrgIds& o) { return fx.engine.submit(o.as_c1(), Fixture::draft(o.free)); }

// In office hours, with a 60-minute response target: an order submitted at `at_ms`.
OrderId office_order(Fixture& fx, const OrgIds& o, std::int64_t at_ms) {
  office_hours(fx, o);
  set_targets(fx, o, o.free, 60, std::nullopt);
  fx.set_now(at_ms);
  return submit_free(fx, o);
}

std::vector<wo::OrderEvent> alerts(Fixture& fx, OrderId id) {
  std::vector<wo::OrderEvent> out;
  for (const auto& e : fx.events(id))
    if (e.action == Action::sla_warning || e.action == Action::sla_breach) out.push_back(e);
  return out;
}

std::vector<OrderId> ids_of(const std::vector<wo::Order>& orders) {
  std::vector<OrderId> ids;
  for (const auto& o : orders) ids.push_back(o.id);
  return ids;
}

std::vector<OrderId> listed(Fixture& fx, const OrgIds& o, const wo::OrderQuery& q) {
  return ids_of(fx.engine.list_orders(o.as_dispatcher(), wo::OrderView::all, q, "", wo::max_page_size).items);
}

TEST_CASE("service levels: bad hours, shares and targets are refused by field, and change nothing") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const auto settings = [&](auto member, auto value) {
    return [&fx, &o, member, value] { fx.settings(o, [&](auto& p) { p.set(member, value); }); };
  };
  fx.expect_error(Code::invalid_argument, {"business_hours", "9-5"},
                  settings(&wo::OrderSettings::business_hours, std::string("mon-fri 9-5")));
  fx.expect_error(Code::invalid_argument, {"business_exceptions", "2026-02-30"},
                  settings(&wo::OrderSettings::business_exceptions, std::string("2026-02-30 closed")));
  fx.expect_error(Code::invalid_argument, {"sla_warning_percent", "100"},
                  settings(&wo::OrderSettings::sla_warning_percent, std::int32_t{100}));
  for (std::int32_t bad : {0, -5, 527041}) {
    CAPTURE(bad);
    fx.expect_error(Code::invalid_argument, {"response_target_min", std::to_string(bad)},
                    [&] { set_targets(fx, o, o.free, bad, std::nullopt); });
    fx.expect_error(Code::invalid_argument, {"resolution_target_min", std::to_string(bad)},
                    [&] { set_targets(fx, o, o.free, std::nullopt, bad); });
  }
  // Hours are written back canonically; the most a target may be is a year of minutes.
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::business_hours, std::string("fri 13:00-18:00,09:00-12:00; mon-thu 09:00-12:00,13:00-18:00")); });
  CHECK(fx.engine.get_settings(o.as_admin()).business_hours == "mon-fri 09:00-12:00,13:00-18:00");
  fx.expect_ok([&] { set_targets(fx, o, o.free, 527040, 1); });
}

TEST_CASE("service levels: an order takes its subtype's targets and shows its clocks live") {
  Fixture fx;
  const OrgIds& o = fx.a;
  office_hours(fx, o);
  set_targets(fx, o, o.free, 60, 480);
  fx.set_now(monday_10_00);
  const OrderId id = submit_free(fx, o);
  wo::Order ord = fx.order(id);
  CHECK(ord.response_target_min == std::optional<std::int32_t>(60));
  CHECK(ord.resolution_target_min == std::optional<std::int32_t>(480));
  CHECK(ord.response_due == local(monday_10_00, 1h));        // 11:00
  CHECK(ord.resolution_due == local(monday_10_00, 8h));      // 18:00: eight business hours
  CHECK(ord.response_state == ServiceState::open);
  CHECK(ord.response_used_ms == 0);

  // Read live: 30 minutes later, 30 business minutes used, nothing written.
  fx.advance(30min);
  const Snapshot before = fx.snapshot();
  ord = fx.order(id);
  CHECK(ord.response_used_ms == 30 * 60'000);
  CHECK(ord.resolution_used_ms == 30 * 60'000);
  CHECK(diff(before, fx.snapshot()).empty());

  // The promise stays: a changed target applies to new orders only.
  set_targets(fx, o, o.free, 10, std::nullopt);
  CHECK(fx.order(id).response_target_min == std::optional<std::int32_t>(60));
  CHECK(fx.order(submit_free(fx, o)).response_target_min == std::optional<std::int32_t>(10));

  // Past due and still running: breached as of the read; then an accept stops it late.
  fx.advance(40min);  // 11:10
  CHECK(fx.order(id).response_state == ServiceState::breached);
  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  fx.engine.accept(o.as_tech_a(), id);
  fx.advance(3h);
  ord = fx.order(id);
  CHECK(ord.response_state == ServiceState::breached);
  CHECK(ord.response_used_ms == 70 * 60'000);  // stopped at the accept
  CHECK(ord.resolution_state == ServiceState::open);
  CHECK(ord.resolution_used_ms == (70 + 180) * 60'000);
  // Finished in time: met, and its used time stays.
  fx.engine.finish(o.as_tech_a(), id);
  fx.advance(24h);
  ord = fx.order(id);
  CHECK(ord.resolution_state == ServiceState::met);
  CHECK(ord.resolution_used_ms == 250 * 60'000);

  // Without targets nothing is counted.
  set_targets(fx, o, o.after, std::nullopt, std::nullopt);
  const wo::Order plain = fx.order(fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec)));
  CHECK(plain.response_state == ServiceState::none);
  CHECK(!plain.response_due);
  CHECK(!plain.sla_alert_at);
}

TEST_CASE("service levels: the clocks count business hours only, skip holidays, and recount when the hours change") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = office_order(fx, o, friday_17_30);
  // 30 minutes on Friday, 30 on Monday.
  CHECK(fx.order(id).response_due == local(friday_17_30, 64h));  // Monday 09:30
  // Over the weekend no business time passes.
  fx.advance(48h);  // Sunday 17:30
  CHECK(fx.order(id).response_used_ms == 30 * 60'000);
  // Monday is declared a holiday: the running clock is counted again, due Tuesday 09:30.
  office_hours(fx, o, "2026-12-07 closed");
  wo::Order ord = fx.order(id);
  CHECK(ord.response_due == local(friday_17_30, 88h));
  CHECK(ord.response_used_ms == 30 * 60'000);
  // Around the clock again: 30 minutes used on Friday plus the whole weekend so far → late.
  fx.settings(o, [](auto& p) {
    p.set(&wo::OrderSettings::business_hours, std::string(""));
    p.set(&wo::OrderSettings::business_exceptions, std::string(""));
  });
  ord = fx.order(id);
  CHECK(ord.response_due == local(friday_17_30, 1h));
  CHECK(ord.response_state == ServiceState::breached);
  CHECK(ord.response_used_ms == 48 * 3'600'000);
}

TEST_CASE("service levels: both clocks stand still while the tenant is awaited") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.deposit_fixed, 60, 600);  // around the clock (no hours set)
  fx.set_now(monday_10_00);
  const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed, o.dep_spec));
  wo::Order ord = fx.order(id);
  CHECK(ord.status == Status::awaiting_prepayment);
  CHECK(ord.response_state == ServiceState::open);
  CHECK(!ord.response_due);  // paused from the start: not yet known
  fx.advance(5h);
  CHECK(fx.order(id).response_used_ms == 0);
  fx.engine.pay_prepayment(o.as_c1(), id, {wo::Channel::wechat, Money{story_deposit}, std::nullopt});
  ord = fx.order(id);
  CHECK(ord.response_due == local(monday_10_00, 6h));
  CHECK(ord.resolution_due == local(monday_10_00, 15h));
  fx.advance(10min);
  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  fx.engine.accept(o.as_tech_a(), id);
  fx.advance(20min);
  fx.engine.add_line(o.as_tech_a(), id, {wo::LineKind::service_item, o.dep_callout.value, Qty{1000}});
  fx.engine.finish(o.as_tech_a(), id);  // a balance is due: awaiting_payment
  ord = fx.order(id);
  CHECK(ord.status == Status::awaiting_payment);
  CHECK(ord.response_state == ServiceState::met);
  CHECK(ord.response_used_ms == 10 * 60'000);
  CHECK(ord.resolution_state == ServiceState::met);
  CHECK(ord.resolution_used_ms == 30 * 60'000);
}

TEST_CASE("service levels: tick warns at the share and reports the breach, once each, to dispatchers and assignee") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, std::nullopt);
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{0}); });
  fx.set_now(monday_10_00);
  const OrderId id = submit_free(fx, o);
  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  CHECK(fx.order(id).sla_alert_at == local(monday_10_00, 48min));  // 80 % of 60 minutes

  fx.advance(47min);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 0);
  CHECK(alerts(fx, id).empty());
  fx.advance(1min);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  auto sent = alerts(fx, id);
  REQUIRE(sent.size() == 2);
  for (const auto& e : sent) {
    CHECK(e.action == Action::sla_warning);
    CHECK(e.actor_kind == wo::ActorKind::system);
    CHECK(e.details == std::optional<std::string>("response"));
    CHECK(e.amount == std::optional<std::int64_t>(60));
    CHECK(e.from_status == std::optional{Status::pending_accept});
    CHECK(e.to_status == std::optional{Status::pending_accept});
  }
  CHECK(sent[0].concerns == wo::Audience::dispatchers);
  CHECK(sent[1].concerns == wo::Audience::staff);
  CHECK(sent[1].concerns_id == std::optional<std::int64_t>(o.tech_a.value));
  // The technician's own feed has it.
  bool in_feed = false;
  for (const auto& e : fx.engine.events_after(o.as_tech_a(), 0, wo::max_page_size))
    in_feed = in_feed || e.action == Action::sla_warning;
  CHECK(in_feed);
  CHECK(fx.order(id).response_alerts == 1);

  // Ticking again sends nothing; the breach comes once the target is passed.
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 0);
  fx.advance(12min);  // exactly the due instant: not yet late
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 0);
  fx.advance(1min);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  sent = alerts(fx, id);
  REQUIRE(sent.size() == 4);
  CHECK(sent[2].action == Action::sla_breach);
  CHECK(sent[2].concerns == wo::Audience::dispatchers);
  CHECK(sent[3].action == Action::sla_breach);
  CHECK(sent[3].concerns_id == std::optional<std::int64_t>(o.tech_a.value));
  const wo::Order ord = fx.order(id);
  CHECK(ord.response_alerts == 2);
  CHECK(!ord.sla_alert_at);
  for (int i = 0; i < 3; ++i) {
    fx.advance(1h);
    CHECK(fx.engine.tick(Actor::system(), fx.now) == 0);
  }
  CHECK(alerts(fx, id).size() == 4);
}

TEST_CASE("service levels: a clock found late gets only the breach; one stopped late before a tick still gets it") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, std::nullopt);
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::sla_warning_percent, std::int32_t{50}); });
  fx.set_now(monday_10_00);
  const OrderId in_pool = submit_free(fx, o);
  const OrderId stopped_late = submit_free(fx, o);
  const OrderId stopped_in_time = submit_free(fx, o);
  fx.advance(30min);
  fx.engine.grab(o.as_tech_b(), stopped_in_time);
  fx.advance(40min);
  fx.engine.grab(o.as_tech_a(), stopped_late);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 2);
  // The one in the pool has no assignee: the dispatchers alone hear of it.
  const auto pool_alerts = alerts(fx, in_pool);
  REQUIRE(pool_alerts.size() == 1);
  CHECK(pool_alerts[0].action == Action::sla_breach);
  CHECK(pool_alerts[0].concerns == wo::Audience::dispatchers);
  const auto late = alerts(fx, stopped_late);
  REQUIRE(late.size() == 2);
  CHECK(late[0].action == Action::sla_breach);
  CHECK(fx.order(stopped_late).response_state == ServiceState::breached);
  CHECK(alerts(fx, stopped_in_time).empty());  // grabbed at 50 %, before any tick: met, no warning owed
  CHECK(fx.order(stopped_in_time).response_state == ServiceState::met);
}

TEST_CASE("service levels: a target used up at closing time is late once the due instant has passed") {
  Fixture fx;
  const OrgIds& o = fx.a;
  // Monday 17:00: the hour up to closing uses the target.
  const OrderId id = office_order(fx, o, monday_10_00 + 7 * 3'600'000);
  const OrderId in_time = submit_free(fx, o);
  fx.advance(60min);  // 18:00, the due instant: in time
  CHECK(fx.order(id).response_due == fx.now);
  CHECK(fx.order(id).response_state == ServiceState::open);
  fx.engine.grab(o.as_tech_b(), in_time);
  CHECK(fx.order(in_time).response_state == ServiceState::met);
  fx.advance(30min);  // 18:30: no business time since, but past the due instant
  wo::Order ord = fx.order(id);
  CHECK(ord.response_used_ms == 60 * 60'000);
  CHECK(ord.response_state == ServiceState::breached);
  wo::OrderQuery breached;
  breached.breached = true;
  CHECK(listed(fx, o, breached) == std::vector<OrderId>{id});
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  const auto sent = alerts(fx, id);
  REQUIRE(sent.size() == 1);  // the warning is moot once the target is used up
  CHECK(sent[0].action == Action::sla_breach);
  fx.engine.grab(o.as_tech_a(), id);
  CHECK(fx.order(id).response_state == ServiceState::breached);
}

TEST_CASE("service levels: changing the org's zone counts running clocks in the new one") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = office_order(fx, o, monday_10_00);  // 02:00 in London, outside its hours
  fx.advance(10min);
  wo::Patch<wo::Org> zone;
  zone.set(&wo::Org::time_zone, std::string("Europe/London"));
  fx.engine.update_org(o.as_admin(), o.org, zone);
  const wo::Order ord = fx.order(id);
  CHECK(ord.response_used_ms == 0);  // 02:00–02:10 in London: outside the hours
  CHECK(ord.response_due == local(monday_10_00, 8h));  // 10:00 London: 60 minutes from 09:00
}

TEST_CASE("service levels: a week closed every day stays closed, not around the clock") {
  Fixture fx;
  const OrgIds& o = fx.a;
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::business_hours, std::string("sat closed")); });
  CHECK(fx.engine.get_settings(o.as_admin()).business_hours == "mon-sun closed");
  set_targets(fx, o, o.free, 60, std::nullopt);
  fx.set_now(monday_10_00);
  const OrderId id = submit_free(fx, o);
  fx.advance(48h);
  const wo::Order ord = fx.order(id);
  CHECK(ord.response_used_ms == 0);
  CHECK(!ord.response_due);  // the hours never open: nothing is due
  CHECK(ord.response_state == ServiceState::open);
  CHECK(!ord.sla_alert_at);
}

TEST_CASE("service levels: a breach not yet reported when the order is reopened is reported first") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, std::nullopt, 60);
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::sla_warning_percent, std::int32_t{0}); });
  fx.set_now(monday_10_00);
  const OrderId id = submit_free(fx, o);
  fx.engine.grab(o.as_tech_a(), id);
  fx.advance(90min);
  fx.engine.finish(o.as_tech_a(), id);  // late; no tick has run
  fx.advance(1min);
  fx.engine.reopen(o.as_c1(), id, "Dripping again");
  const auto events = fx.events(id);
  REQUIRE(events.size() >= 3);
  const auto& reopen = events[events.size() - 1];
  CHECK(reopen.action == Action::reopen);
  const auto& to_assignee = events[events.size() - 2];
  const auto& to_dispatchers = events[events.size() - 3];
  CHECK(to_dispatchers.action == Action::sla_breach);
  CHECK(to_dispatchers.details == std::optional<std::string>("resolution"));
  CHECK(to_dispatchers.actor_kind == wo::ActorKind::system);
  CHECK(to_dispatchers.from_status == std::optional{Status::awaiting_rating});
  CHECK(to_assignee.action == Action::sla_breach);
  CHECK(to_assignee.concerns_id == std::optional<std::int64_t>(o.tech_a.value));
  // The new clock owes nothing yet: ticks add no second breach.
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 0);
  CHECK(alerts(fx, id).size() == 2);
}

TEST_CASE("service levels: a reopen restarts both clocks; a cancellation in time leaves no verdict") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, 120);
  fx.set_now(monday_10_00);
  const OrderId id = submit_free(fx, o);
  fx.engine.grab(o.as_tech_a(), id);
  fx.advance(3h);
  fx.engine.finish(o.as_tech_a(), id);  // resolution late
  CHECK(fx.order(id).resolution_state == ServiceState::breached);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);  // the owed breach
  fx.advance(1h);
  fx.engine.reopen(o.as_c1(), id, "Still dripping");
  wo::Order ord = fx.order(id);
  CHECK(ord.response_state == ServiceState::open);
  CHECK(ord.resolution_state == ServiceState::open);
  CHECK(ord.resolution_alerts == 0);
  CHECK(ord.response_used_ms == 0);
  CHECK(ord.response_due == fx.now + 1h);
  fx.advance(10min);
  fx.engine.cancel(o.as_c1(), id, "Fixed it myself");
  ord = fx.order(id);
  CHECK(ord.response_state == ServiceState::none);
  CHECK(ord.resolution_state == ServiceState::none);
  CHECK(!ord.response_due);
  CHECK(!ord.sla_alert_at);
}

TEST_CASE("service levels: lists filter breached and due before an instant") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, 240);
  fx.set_now(monday_10_00);
  const OrderId first = submit_free(fx, o);  // response due 11:00, resolution 14:00
  fx.advance(30min);
  const OrderId second = submit_free(fx, o);  // due 11:30, 14:30
  fx.advance(10min);
  fx.engine.grab(o.as_tech_a(), second);  // response met
  set_targets(fx, o, o.free, std::nullopt, std::nullopt);
  const OrderId untimed = submit_free(fx, o);
  (void)untimed;

  wo::OrderQuery breached;
  breached.breached = true;
  CHECK(listed(fx, o, breached).empty());
  fx.advance(30min);  // 11:10: the first's response is running late
  CHECK(listed(fx, o, breached) == std::vector<OrderId>{first});

  wo::OrderQuery due;
  due.due_before = local(monday_10_00, 4h + 15min);  // 14:15: the first's resolution, overdue response
  CHECK(listed(fx, o, due) == std::vector<OrderId>{first});
  due.due_before = local(monday_10_00, 5h);
  CHECK(listed(fx, o, due) == (std::vector<OrderId>{second, first}));  // newest first
  due.due_before = local(monday_10_00, 1h + 5min);
  due.breached = true;  // both must hold: late, and a running clock due before 11:05
  CHECK(listed(fx, o, due) == std::vector<OrderId>{first});
  due.due_before = local(monday_10_00, 1h + 30min);
  wo::OrderQuery neither = due;
  neither.status_mask = wo::status_bit(Status::in_progress);
  CHECK(listed(fx, o, neither).empty());  // the second is in progress but not late

  // A stopped late clock stays breached.
  fx.engine.grab(o.as_tech_b(), first);
  CHECK(listed(fx, o, breached) == std::vector<OrderId>{first});
  fx.expect_error(Code::invalid_argument, {"due_before"}, [&] {
    wo::OrderQuery q;
    q.due_before = wo::from_unix_ms(-1);
    (void)listed(fx, o, q);
  });
}

TEST_CASE("service levels: the dashboard counts attainment overall, per type and per staff") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, 120);
  fx.set_now(monday_10_00);
  const OrderId met = submit_free(fx, o);
  const OrderId late = submit_free(fx, o);
  const OrderId running = submit_free(fx, o);
  const OrderId cancelled = submit_free(fx, o);
  fx.engine.grab(o.as_tech_a(), met);  // response met
  fx.engine.finish(o.as_tech_a(), met);  // resolution met
  fx.engine.cancel(o.as_c1(), cancelled, "Not needed");  // no verdicts
  fx.advance(90min);
  fx.engine.grab(o.as_tech_b(), late);  // response breached, resolution still open at 90 min
  fx.advance(10min);
  const wo::Dashboard d = fx.engine.dashboard(o.as_admin(), local(monday_10_00, -1h), local(monday_10_00, 1h));
  (void)running;  // response breached (running past due), resolution open
  CHECK(d.response.met == 1);
  CHECK(d.response.breached == 2);
  CHECK(d.response.open == 0);
  CHECK(d.resolution.met == 1);
  CHECK(d.resolution.breached == 0);
  CHECK(d.resolution.open == 2);
  REQUIRE(d.by_type.size() == 1);
  CHECK(d.by_type[0].id == o.plumbing.value);
  CHECK(d.by_type[0].response.breached == 2);
  CHECK(d.by_type[0].resolution.open == 2);
  std::map<std::int64_t, const wo::StaffFigures*> staff;
  for (const auto& s : d.staff) staff[s.staff_id.value] = &s;
  REQUIRE(staff.count(o.tech_a.value));
  CHECK(staff[o.tech_a.value]->response.met == 1);
  CHECK(staff[o.tech_a.value]->resolution.met == 1);
  REQUIRE(staff.count(o.tech_b.value));
  CHECK(staff[o.tech_b.value]->response.breached == 1);
  CHECK(staff[o.tech_b.value]->resolution.open == 1);
}

TEST_CASE("service levels: an order both expired and alerted by one tick counts once") {
  Fixture fx;
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, std::nullopt);
  fx.set_now(monday_10_00);
  const OrderId id = submit_free(fx, o);
  fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::accept_timeout_min, std::int32_t{50}); });
  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  fx.advance(50min);  // the accept timer runs out once the warning is due (at 48 minutes)
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  CHECK(fx.status(id) == Status::pending_dispatch);
  CHECK(alerts(fx, id).size() == 1);  // no assignee any more: the dispatchers only
}

TEST_CASE("service levels: engines ticking at once send each alert once") {
  const test_support::TestDb db("wo_sla_ticks");
  Fixture fx(db.path);
  const OrgIds& o = fx.a;
  set_targets(fx, o, o.free, 60, std::nullopt);
  fx.set_now(monday_10_00);
  constexpr int orders = 30, tickers = 4;
  std::vector<OrderId> ids;
  for (int i = 0; i < orders; ++i) ids.push_back(submit_free(fx, o));
  fx.advance(50min);  // every warning due
  std::atomic<int> ready{0}, alerted{0};
  std::vector<std::string> errors(tickers);
  std::vector<std::thread> threads;
  for (int t = 0; t < tickers; ++t)
    threads.emplace_back([&, t] {
      wo::Engine engine(wo::open_store(db.path), [&] { return fx.now; });
      ++ready;
      while (ready.load() < tickers) std::this_thread::yield();
      try {
        alerted += engine.tick(Actor::system(), fx.now);
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(t)] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e.empty());
  CHECK(alerted.load() == orders);
  for (OrderId id : ids) {
    const auto sent = alerts(fx, id);
    REQUIRE(sent.size() == 1);  // in the pool: the dispatchers only
    CHECK(sent[0].action == Action::sla_warning);
  }
}

}  // namespace
}  // namespace orders_test
