// SPDX-License-Identifier: MIT
// Money (docs/rules.md §6): prepayments by charge mode, the bill, charge lines (labor rates frozen,
// materials reserving stock), payments, idempotent provider transactions, refunds, overflow.
#include <doctest/doctest.h>

#include "orders/order_fixture.hpp"

using namespace orders_test;
using wo::Channel;
using wo::LineKind;

namespace {

std::int64_t count_kind(const std::vector<wo::StockMovement>& ms, wo::MovementKind k) {
  std::int64_t n = 0;
  for (const auto& m : ms)
    if (m.movement_kind == k) ++n;
  return n;
}

std::int64_t sum_kind(const std::vector<wo::StockMovement>& ms, wo::MovementKind k, wo::MaterialId material) {
  std::int64_t n = 0;
  for (const auto& m : ms)
    if (m.movement_kind == k && m.material_id == material) n += m.qty.milli;
  return n;
}

}  // namespace

TEST_CASE("prepayment due at submit, by charge mode") {
  Fixture fx;
  const OrgIds& o = fx.a;
  auto due_of = [&](wo::SubtypeId s, std::optional<wo::ServiceSpecId> spec) {
    const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(s, spec));
    fx.check_bill_invariants(id);
    return fx.order(id);
  };
  SUBCASE("fixed deposit") {
    const wo::Order ord = due_of(o.deposit_fixed, o.dep_spec);
    CHECK(ord.prepay_due == Money{story_deposit});
    CHECK(ord.spec_price == Money{story_spec_price});
    CHECK(ord.status == Status::awaiting_prepayment);
    // deposit equal to the spec price
    CHECK(due_of(o.deposit_fixed, o.dep_spec_exact).prepay_due == Money{story_deposit});
  }
  SUBCASE("basis points, rounded half up") {
    CHECK(due_of(o.deposit_bps, o.bps_3333).prepay_due == Money{417});  // 416.625
    CHECK(due_of(o.deposit_bps, o.bps_3332).prepay_due == Money{417});  // 416.5 exactly: half up
    CHECK(due_of(o.deposit_bps, o.bps_3331).prepay_due == Money{416});  // 416.375
    CHECK(due_of(o.deposit_bps, o.bps_4).prepay_due == Money{1});       // 0.5: half up
    CHECK(due_of(o.deposit_bps, o.bps_2000).prepay_due == Money{250});  // exact
    CHECK(due_of(o.deposit_bps, o.bps_5).prepay_due == Money{1});       // 0.625
  }
  SUBCASE("basis-point deposit that rounds to 0 is no prepayment") {
    // 1250 bp of 0.03 = 0.375 fen -> 0: nothing to prepay, straight to dispatch.
    const auto tiny = fx.add<wo::ServiceSpec>(o, f(&wo::ServiceSpec::subtype_id, o.deposit_bps),
                                              f(&wo::ServiceSpec::name, "Heater 0.03"),
                                              f(&wo::ServiceSpec::price, Money{3}));
    const wo::Order ord = due_of(o.deposit_bps, tiny);
    CHECK(ord.prepay_due == Money{0});
    CHECK(ord.status == Status::pending_dispatch);
  }
  SUBCASE("prepay_full = the spec price") {
    const wo::Order ord = due_of(o.full, o.full_spec);
    CHECK(ord.prepay_due == Money{15000});
    CHECK(ord.status == Status::awaiting_prepayment);
  }
  SUBCASE("after_completion and free prepay nothing") {
    CHECK(due_of(o.after, o.after_spec).prepay_due == Money{0});
    CHECK(due_of(o.after, std::nullopt).prepay_due == Money{0});
    const wo::Order fr = due_of(o.free, std::nullopt);
    CHECK(fr.prepay_due == Money{0});
    CHECK(fr.status == Status::pending_dispatch);
  }
  SUBCASE("enterprise payer prepays nothing and owes nothing") {
    wo::OrderDraft d = Fixture::draft(o.full, o.full_spec);
    d.tenant_id = o.tenant_p;
    d.reporter_phone = "13800000001";
    d.payer = wo::Payer::enterprise;
    const OrderId id = fx.engine.submit(o.as_dispatcher(), d);
    const wo::Order ord = fx.order(id);
    CHECK(ord.prepay_due == Money{0});
    CHECK(ord.status == Status::pending_dispatch);
    CHECK(ord.reporter_contact_id == std::optional{o.c1});
    fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
    fx.engine.accept(o.as_tech_a(), id);
    fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{1000}});
    const wo::Bill bl = fx.bill(id);
    CHECK(bl.total == Money{15000 + 8000});
    CHECK(bl.owed == Money{0});
    CHECK(bl.balance == Money{0});
    fx.engine.finish(o.as_tech_a(), id);
    // nothing owed, reported by a tenant contact -> awaiting_rating
    CHECK(fx.status(id) == Status::awaiting_rating);
    fx.check_bill_invariants(id);
  }
}

TEST_CASE("prepayment: amount must match, channel must be enabled") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::awaiting_prepayment);
  fx.expect_error(Code::payment_mismatch,
                  [&] { fx.engine.pay_prepayment(o.as_c1(), id, {Channel::wechat, Money{story_deposit - 1}, std::nullopt}); });
  fx.expect_error(Code::payment_mismatch,
                  [&] { fx.engine.pay_prepayment(o.as_c1(), id, {Channel::wechat, Money{story_deposit + 1}, std::nullopt}); });
  fx.expect_error(Code::channel_disabled,
                  [&] { fx.engine.pay_prepayment(o.as_c1(), id, {Channel::corporate, Money{story_deposit}, std::nullopt}); });
  fx.expect_error(Code::invalid_argument,
                  [&] { fx.engine.pay_prepayment(o.as_c1(), id, {Channel::wechat, Money{0}, std::nullopt}); });
  fx.expect_error(Code::invalid_argument,
                  [&] { fx.engine.pay_prepayment(o.as_c1(), id, {Channel::wechat, Money{-2000}, std::nullopt}); });
  fx.expect_error(Code::invalid_argument, [&] {
    fx.engine.pay_prepayment(o.as_c1(), id, {static_cast<Channel>(17), Money{story_deposit}, std::nullopt});
  });
  // Disabling a channel later refuses it.
  fx.engine.set_channel_enabled(o.as_admin(), Channel::wechat, false);
  fx.expect_error(Code::channel_disabled,
                  [&] { fx.engine.pay_prepayment(o.as_c1(), id, {Channel::wechat, Money{story_deposit}, std::nullopt}); });
  // The dispatcher records an offline cash payment.
  CHECK(fx.expect_ok(
      [&] { fx.engine.pay_prepayment(o.as_dispatcher(), id, {Channel::cash, Money{story_deposit}, std::string("cash-1")}); }));
  const wo::Order ord = fx.order(id);
  CHECK(ord.status == Status::pending_dispatch);
  CHECK(ord.paid == Money{story_deposit});
  CHECK(ord.prepaid_at == std::optional{fx.now});
  const auto ps = fx.payments(id);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].payment_kind == wo::PaymentKind::prepayment);
  CHECK(ps[0].channel == Channel::cash);
  CHECK(ps[0].recorded_by_kind == wo::ActorKind::staff);
  CHECK(ps[0].recorded_by_id == o.dispatcher.value);
  CHECK(ps[0].provider_txn_id == std::optional<std::string>("cash-1"));
  fx.check_bill_invariants(id);
}

TEST_CASE("the full paid story: labor at two department rates, materials, a service item, partial payments") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.in_progress_after(o, o.tech_a);  // spec 50.00, tech_a in maintenance (80.00/h)
  fx.check_bill_invariants(id);

  // Labor 1.5 h at the maintenance rate.
  const auto labor1 = fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{1500}});
  // Materials: 2.5 m of pipe at 12.50, 1 faucet at 45.00.
  const auto pipe_line = fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{2500}});
  const auto faucet_line = fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.faucet.value, Qty{1000}});
  // Service item: one call-out fee.
  const auto callout_line = fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.callout.value, Qty{1000}});
  (void)callout_line;
  fx.check_bill_invariants(id);
  CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock - 2500});
  CHECK(fx.material(o, o.faucet).stock == Qty{faucet_stock - 1000});

  auto line = [&](std::int64_t line_id) {
    for (const auto& l : fx.lines(id))
      if (l.id == line_id) return l;
    FAIL("line not found");
    return wo::ChargeLine{};
  };
  CHECK(line(labor1).unit_price == Money{8000});
  CHECK(line(labor1).amount == Money{12000});
  CHECK(line(labor1).staff_id == std::optional{o.tech_a});
  CHECK(line(labor1).line_kind == LineKind::labor);
  CHECK(line(labor1).name == "Plumbing labor");
  CHECK(line(pipe_line).unit_price == Money{1250});
  CHECK(line(pipe_line).amount == Money{3125});
  CHECK(line(faucet_line).amount == Money{4500});
  CHECK(line(callout_line).amount == Money{callout_price});

  // The rate rule changes: the existing line keeps its frozen rate.
  {
    wo::Patch<wo::LaborRate> p;
    p.set(&wo::LaborRate::rate, Money{9000});
    fx.engine.update<wo::LaborRate>(o.as_admin(), o.maint_rate, p);
  }
  CHECK(line(labor1).unit_price == Money{8000});
  CHECK(line(labor1).amount == Money{12000});
  // A line added now is priced at the new rate.
  const auto labor2 = fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{500}});
  CHECK(line(labor2).unit_price == Money{9000});
  CHECK(line(labor2).amount == Money{4500});
  // Renaming the material does not change the frozen name or price either.
  {
    wo::Patch<wo::Material> p;
    p.set(&wo::Material::unit_price, Money{9999}).set(&wo::Material::name, std::string("Renamed pipe"));
    fx.engine.update<wo::Material>(o.as_admin(), o.pipe, p);
  }
  CHECK(line(pipe_line).unit_price == Money{1250});
  CHECK(line(pipe_line).name == "PPR pipe 20mm");

  // Transfer (forced: another department) to the external plumber: lines stay; new labor is
  // priced at the external rate, for the external plumber.
  fx.engine.transfer(o.as_dispatcher(), id, o.tech_ext, "Needs the contractor", true);
  CHECK(fx.status(id) == Status::pending_accept);
  CHECK(fx.lines(id).size() == 5);
  fx.engine.accept(o.as_tech_ext(), id);
  const auto labor3 = fx.engine.add_line(o.as_tech_ext(), id, {LineKind::labor, o.plumbing_labor.value, Qty{1000}});
  CHECK(line(labor3).unit_price == Money{12000});
  CHECK(line(labor3).staff_id == std::optional{o.tech_ext});
  CHECK(line(labor1).unit_price == Money{8000});  // still frozen
  fx.check_bill_invariants(id);

  // Remove the faucet: stock released with a release movement, line marked removed.
  fx.engine.remove_line(o.as_tech_ext(), id, faucet_line);
  CHECK(fx.material(o, o.faucet).stock == Qty{faucet_stock});
  CHECK(line(faucet_line).removed);
  {
    const auto ms = fx.movements(o, id);
    CHECK(sum_kind(ms, wo::MovementKind::reserve, o.faucet) == -1000);
    CHECK(sum_kind(ms, wo::MovementKind::release, o.faucet) == 1000);
    CHECK(sum_kind(ms, wo::MovementKind::reserve, o.pipe) == -2500);
  }
  // A removed line cannot be removed twice; a line of another order is not found.
  fx.expect_error(Code::not_found, [&] { fx.engine.remove_line(o.as_tech_ext(), id, faucet_line); });
  fx.expect_error(Code::not_found, [&] { fx.engine.remove_line(o.as_tech_ext(), id, 999999); });
  fx.check_bill_invariants(id);

  const std::int64_t expected_total = story_spec_price + 12000 + 3125 + callout_price + 4500 + 12000;
  CHECK(fx.bill(id).total == Money{expected_total});

  // Finish: consume movements for the active material lines; stock does not move again.
  fx.advance(10min);
  fx.engine.finish(o.as_tech_ext(), id);
  CHECK(fx.status(id) == Status::awaiting_payment);
  CHECK(fx.order(id).finished_at == std::optional{fx.now});
  CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock - 2500});
  {
    const auto ms = fx.movements(o, id);
    CHECK(count_kind(ms, wo::MovementKind::consume) == 1);
    CHECK(sum_kind(ms, wo::MovementKind::consume, o.pipe) == 2500);
    CHECK(sum_kind(ms, wo::MovementKind::consume, o.faucet) == 0);
  }
  // The bill is fixed: no more lines.
  fx.expect_error(Code::invalid_state,
                  [&] { fx.engine.add_line(o.as_tech_ext(), id, {LineKind::service_item, o.callout.value, Qty{1000}}); });
  CHECK(fx.bill(id).balance == Money{expected_total});
  CHECK(fx.bill(id).owed == Money{expected_total});
  fx.check_bill_invariants(id);

  // Partial payments accumulate.
  fx.engine.pay(o.as_c1(), id, {Channel::wechat, Money{10000}, std::string("wx-1")});
  CHECK(fx.status(id) == Status::awaiting_payment);
  CHECK(fx.order(id).paid == Money{10000});
  CHECK(fx.bill(id).balance == Money{expected_total - 10000});
  fx.check_bill_invariants(id);

  // The same provider transaction with the same amount: a no-op success.
  const std::size_t events = fx.events(id).size();
  {
    const Snapshot before = fx.snapshot();
    CHECK(fx.expect_ok([&] { fx.engine.pay(o.as_c1(), id, {Channel::wechat, Money{10000}, std::string("wx-1")}); }));
    CHECK(diff(before, fx.snapshot()) == "");
  }
  CHECK(fx.payments(id).size() == 1);
  CHECK(fx.order(id).paid == Money{10000});
  CHECK(fx.events(id).size() == events);
  // With another amount: a conflict.
  fx.expect_error(Code::conflict, [&] { fx.engine.pay(o.as_c1(), id, {Channel::wechat, Money{9999}, std::string("wx-1")}); });
  // Overpaying the balance: payment_mismatch.
  const Money balance = fx.bill(id).balance;
  fx.expect_error(Code::payment_mismatch,
                  [&] { fx.engine.pay(o.as_c1(), id, {Channel::alipay, Money{balance.minor + 1}, std::nullopt}); });
  // A disabled channel.
  fx.expect_error(Code::channel_disabled, [&] { fx.engine.pay(o.as_c1(), id, {Channel::corporate, balance, std::nullopt}); });
  fx.expect_error(Code::channel_disabled,
                  [&] { fx.engine.pay(o.as_c1(), id, {Channel::bank_transfer, Money{1}, std::nullopt}); });

  // Another partial payment by the dispatcher (offline, cash), then the rest.
  fx.engine.pay(o.as_dispatcher(), id, {Channel::cash, Money{1000}, std::nullopt});
  CHECK(fx.order(id).paid == Money{11000});
  CHECK(fx.status(id) == Status::awaiting_payment);
  fx.advance(5min);
  fx.engine.pay(o.as_c1(), id, {Channel::alipay, fx.bill(id).balance, std::string("ali-9")});
  CHECK(fx.status(id) == Status::awaiting_rating);
  const wo::Order paid = fx.order(id);
  CHECK(paid.paid == Money{expected_total});
  CHECK(paid.settled_at == std::optional{fx.now});
  CHECK(fx.bill(id).balance == Money{0});
  CHECK(fx.bill(id).refund_due == Money{0});
  CHECK(fx.payments(id).size() == 3);
  fx.check_bill_invariants(id);

  // A retry of the final payment after the order moved on is still a no-op success.
  CHECK(fx.expect_ok([&] { fx.engine.pay(o.as_c1(), id, {Channel::alipay, Money{expected_total - 11000}, std::string("ali-9")}); }));
  CHECK(fx.payments(id).size() == 3);
  CHECK(fx.status(id) == Status::awaiting_rating);
  // But a new payment now is a state error.
  fx.expect_error(Code::invalid_state, [&] { fx.engine.pay(o.as_c1(), id, {Channel::alipay, Money{1}, std::nullopt}); });

  fx.engine.rate(o.as_c1(), id, 5, std::string("师傅很专业"));
  CHECK(fx.status(id) == Status::completed);
  fx.check_bill_invariants(id);
}

TEST_CASE("a provider transaction id belongs to one payment") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId first = fx.drive(o, Status::awaiting_prepayment);
  const OrderId second = fx.drive(o, Status::awaiting_prepayment);
  fx.engine.pay_prepayment(o.as_c1(), first, {Channel::wechat, Money{story_deposit}, std::string("wx-77")});
  // Same id and amount on another order: conflict, not a silent no-op. The message names
  // neither that order nor its amount: the caller may not see it (docs/rules.md §7).
  const Outcome reused = fx.expect_error(
      Code::conflict,
      [&] { fx.engine.pay_prepayment(o.as_c1(), second, {Channel::wechat, Money{story_deposit}, std::string("wx-77")}); });
  CHECK(reused.message.find("another order") != std::string::npos);
  CHECK(reused.message.find("order " + std::to_string(first.value)) == std::string::npos);
  CHECK(reused.message.find(std::to_string(story_deposit)) == std::string::npos);
  CHECK(fx.status(second) == Status::awaiting_prepayment);
  // Retrying the first is a no-op success.
  CHECK(fx.expect_ok(
      [&] { fx.engine.pay_prepayment(o.as_c1(), first, {Channel::wechat, Money{story_deposit}, std::string("wx-77")}); }));
  CHECK(fx.payments(first).size() == 1);
  // Another org may have the same provider id.
  const OrderId other = fx.drive(fx.b, Status::awaiting_prepayment);
  CHECK(fx.expect_ok(
      [&] { fx.engine.pay_prepayment(fx.b.as_c1(), other, {Channel::wechat, Money{story_deposit}, std::string("wx-77")}); }));
}

TEST_CASE("stock: out of stock needs a requisition; nothing changes") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.in_progress_after(o, o.tech_a);
  const Outcome empty = fx.expect_error(
      Code::out_of_stock, [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.tape.value, Qty{1000}}); });
  CHECK(empty.message.find("requisition") != std::string::npos);
  const Outcome short_of = fx.expect_error(
      Code::out_of_stock,
      [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{pipe_stock + 1}}); });
  CHECK(short_of.message.find("requisition") != std::string::npos);
  CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock});
  CHECK(fx.lines(id).empty());
  // Exactly the whole stock is fine; then nothing is left.
  CHECK(fx.expect_ok([&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{pipe_stock}}); }));
  CHECK(fx.material(o, o.pipe).stock == Qty{0});
  fx.expect_error(Code::out_of_stock,
                  [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{1}}); });
  // After a requisition the material can be used again.
  fx.add<wo::StockMovement>(o, f(&wo::StockMovement::material_id, o.tape),
                            f(&wo::StockMovement::movement_kind, wo::MovementKind::requisition),
                            f(&wo::StockMovement::qty, Qty{5000}));
  CHECK(fx.expect_ok([&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.tape.value, Qty{2000}}); }));
  CHECK(fx.material(o, o.tape).stock == Qty{3000});
}

TEST_CASE("charge line rules") {
  Fixture fx;
  const OrgIds& o = fx.a;
  SUBCASE("labor and material need consumables_enabled; service items do not") {
    const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.after_plain));
    fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
    fx.engine.accept(o.as_tech_a(), id);
    fx.expect_error(Code::invalid_state,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{1000}}); });
    fx.expect_error(Code::invalid_state,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{1000}}); });
    // a service item of another subtype is refused
    fx.expect_error(Code::invalid_argument,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.callout.value, Qty{1000}}); });
  }
  SUBCASE("input checks") {
    const OrderId id = fx.in_progress_after(o, o.tech_a);
    fx.expect_error(Code::invalid_argument,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{0}}); });
    fx.expect_error(Code::invalid_argument,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{-1000}}); });
    fx.expect_error(Code::invalid_argument,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {static_cast<LineKind>(9), o.pipe.value, Qty{1000}}); });
    fx.expect_error(Code::not_found,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, fx.b.pipe.value, Qty{1000}}); });
    fx.expect_error(Code::not_found,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, fx.b.plumbing_labor.value, Qty{1000}}); });
    fx.expect_error(Code::not_found,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, 987654, Qty{1000}}); });
    CHECK(fx.material(fx.b, fx.b.pipe).stock == Qty{pipe_stock});
  }
  SUBCASE("line amounts round half up") {
    const OrderId id = fx.in_progress_after(o, o.tech_a);
    // 12.50 x 0.001 m = 1.25 fen -> 1; 12.50 x 0.002 = 2.5 -> 3; 80.00 x 0.333 h = 2664.
    const auto l1 = fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{1}});
    const auto l2 = fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{2}});
    const auto l3 = fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{333}});
    std::map<std::int64_t, Money> amounts;
    for (const auto& l : fx.lines(id)) amounts[l.id] = l.amount;
    CHECK(amounts[l1] == Money{1});
    CHECK(amounts[l2] == Money{3});
    CHECK(amounts[l3] == Money{2664});
    fx.check_bill_invariants(id);
  }
  SUBCASE("no labor rate at all is a clear error") {
    const auto unrated = fx.add<wo::LaborItem>(o, f(&wo::LaborItem::name, "Welding"));
    const OrderId id = fx.in_progress_after(o, o.tech_a);
    fx.expect_error(Code::not_found, [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, unrated.value, Qty{1000}}); });
  }
  SUBCASE("the item's default rate applies when no department rule matches") {
    // A technician of a department without a rule (force-assigned: not eligible) is billed at
    // the labor item's default rate.
    const auto dept = fx.add<wo::Department>(o, f(&wo::Department::name, "Night shift"));
    const auto night = fx.add<wo::Staff>(o, f(&wo::Staff::name, "Night plumber"), f(&wo::Staff::phone, "13911112222"),
                                         f(&wo::Staff::roles, std::int32_t{wo::role_technician}),
                                         f(&wo::Staff::department_id, std::optional{dept}),
                                         f(&wo::Staff::position_id, std::optional{o.plumber}));
    const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.after));
    fx.engine.assign(o.as_dispatcher(), id, night, true);
    fx.engine.accept(Actor::staff(night), id);
    const auto l = fx.engine.add_line(Actor::staff(night), id, {LineKind::labor, o.plumbing_labor.value, Qty{1000}});
    CHECK(fx.lines(id).at(0).id == l);
    CHECK(fx.lines(id).at(0).unit_price == Money{6000});
  }
}

TEST_CASE("free orders: lines are the org's cost, the tenant owes nothing") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.free));
  fx.engine.grab(o.as_tech_a(), id);
  fx.engine.add_line(o.as_tech_a(), id, {LineKind::labor, o.plumbing_labor.value, Qty{2000}});
  fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.free_item.value, Qty{1000}});
  const wo::Bill bl = fx.bill(id);
  CHECK(bl.total == Money{16000 + 1000});
  CHECK(bl.owed == Money{0});
  CHECK(bl.balance == Money{0});
  fx.engine.finish(o.as_tech_a(), id);
  CHECK(fx.status(id) == Status::awaiting_rating);
  fx.check_bill_invariants(id);
}

TEST_CASE("cancel releases reserved stock and turns money paid into a refund due") {
  Fixture fx;
  const OrgIds& o = fx.a;
  SUBCASE("in progress, cancelled by the admin") {
    const OrderId id = fx.drive(o, Status::in_progress);  // deposit 20.00 paid
    fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{3000}});
    fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.faucet.value, Qty{1000}});
    const auto removed = fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.faucet.value, Qty{1000}});
    fx.engine.remove_line(o.as_tech_a(), id, removed);
    CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock - 3000});
    CHECK(fx.material(o, o.faucet).stock == Qty{faucet_stock - 1000});
    // another order's reservation must not be released by this cancel
    const OrderId other = fx.in_progress_after(o, o.tech_b);
    fx.engine.add_line(o.as_tech_b(), other, {LineKind::material, o.pipe.value, Qty{1000}});

    fx.engine.cancel(o.as_admin(), id, "Tenant moved out");
    CHECK(fx.status(id) == Status::cancelled);
    CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock - 1000});
    CHECK(fx.material(o, o.faucet).stock == Qty{faucet_stock});
    const auto ms = fx.movements(o, id);
    CHECK(sum_kind(ms, wo::MovementKind::release, o.pipe) == 3000);
    CHECK(sum_kind(ms, wo::MovementKind::release, o.faucet) == 2000);  // once at remove, once at cancel
    CHECK(count_kind(ms, wo::MovementKind::consume) == 0);
    CHECK(count_kind(fx.movements(o, other), wo::MovementKind::release) == 0);

    const wo::Bill bl = fx.bill(id);
    CHECK(bl.owed == Money{0});
    CHECK(bl.balance == Money{-story_deposit});
    CHECK(bl.refund_due == Money{story_deposit});
    fx.check_bill_invariants(id);

    fx.expect_error(Code::payment_mismatch,
                    [&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{story_deposit + 1}, std::nullopt}); });
    fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{500}, std::string("rf-1")});
    CHECK(fx.bill(id).refund_due == Money{story_deposit - 500});
    // retry: no-op; same refund id with another amount: conflict
    CHECK(fx.expect_ok([&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{500}, std::string("rf-1")}); }));
    fx.expect_error(Code::conflict,
                    [&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{600}, std::string("rf-1")}); });
    fx.engine.refund(o.as_admin(), id, {Channel::cash, Money{story_deposit - 500}, std::nullopt});
    CHECK(fx.bill(id).refund_due == Money{0});
    CHECK(fx.bill(id).balance == Money{0});
    CHECK(fx.order(id).refunded == Money{story_deposit});
    fx.expect_error(Code::payment_mismatch,
                    [&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::cash, Money{1}, std::nullopt}); });
    fx.check_bill_invariants(id);
  }
  SUBCASE("before dispatch, cancelled by the reporter") {
    const OrderId id = fx.drive(o, Status::pending_dispatch);
    fx.engine.cancel(o.as_c1(), id, "Fixed it myself");
    CHECK(fx.bill(id).refund_due == Money{story_deposit});
    fx.check_bill_invariants(id);
  }
  SUBCASE("nothing paid: nothing due") {
    const OrderId id = fx.drive(o, Status::awaiting_prepayment);
    fx.engine.cancel(o.as_c1(), id, "Too expensive");
    CHECK(fx.bill(id).refund_due == Money{0});
    CHECK(fx.bill(id).balance == Money{0});
    fx.expect_error(Code::payment_mismatch,
                    [&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::cash, Money{1}, std::nullopt}); });
  }
}

TEST_CASE("an overpayment at finish becomes a refund due") {
  // Paid in full, reopened, a line removed: the new total is below what was paid.
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::awaiting_rating);  // paid 50.00 + 20.00
  const Money paid = fx.order(id).paid;
  CHECK(paid == Money{story_spec_price + callout_price});
  fx.engine.reopen(o.as_c1(), id, "Still dripping");
  CHECK(fx.status(id) == Status::pending_dispatch);
  CHECK(fx.order(id).reopen_count == 1);
  CHECK(fx.lines(id).size() == 1);     // lines stay
  CHECK(fx.payments(id).size() == 2);  // payments stay
  fx.engine.assign(o.as_dispatcher(), id, o.tech_b);
  fx.engine.accept(o.as_tech_b(), id);
  // While in progress the bill is not fixed: no refund due yet even though nothing is owed.
  fx.engine.remove_line(o.as_tech_b(), id, fx.active_line(id));
  CHECK(fx.bill(id).balance == Money{-callout_price});
  CHECK(fx.bill(id).refund_due == Money{0});
  fx.expect_error(Code::invalid_state,
                  [&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{callout_price}, std::nullopt}); });
  fx.engine.finish(o.as_tech_b(), id);
  CHECK(fx.status(id) == Status::awaiting_rating);  // nothing owed -> straight to rating
  const wo::Bill bl = fx.bill(id);
  CHECK(bl.total == Money{story_spec_price});
  CHECK(bl.refund_due == Money{callout_price});
  fx.check_bill_invariants(id);
  fx.expect_error(Code::payment_mismatch,
                  [&] { fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{callout_price + 1}, std::nullopt}); });
  // Refund is for the office, not the reporter.
  fx.expect_error(Code::forbidden,
                  [&] { fx.engine.refund(o.as_c1(), id, {Channel::wechat, Money{callout_price}, std::nullopt}); });
  fx.engine.refund(o.as_dispatcher(), id, {Channel::wechat, Money{callout_price}, std::string("rf-9")});
  CHECK(fx.bill(id).refund_due == Money{0});
  CHECK(fx.bill(id).balance == Money{0});
  CHECK(fx.status(id) == Status::awaiting_rating);
  fx.check_bill_invariants(id);
  fx.engine.rate(o.as_c1(), id, 3, std::nullopt);
  CHECK(fx.status(id) == Status::completed);
}

TEST_CASE("overflow is an error and changes nothing") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.in_progress_after(o, o.tech_a);
  SUBCASE("unit price x quantity overflows int64") {
    // 4e18 x 3 = 1.2e19 > 9.22e18; the message names the price and the quantity.
    const Outcome product = fx.expect_error(
        Code::overflow, [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.huge_item.value, Qty{3000}}); });
    CHECK_MESSAGE(product.message.find("× qty 3000") != std::string::npos, product.message);
    fx.expect_error(Code::overflow, [&] {
      fx.engine.add_line(o.as_tech_a(), id,
                         {LineKind::service_item, o.huge_item.value, Qty{std::numeric_limits<std::int64_t>::max()}});
    });
    CHECK(fx.lines(id).empty());
  }
  SUBCASE("a material line overflows after reserving: the reservation is rolled back") {
    fx.expect_error(Code::overflow,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.gold.value, Qty{gold_stock}}); });
    CHECK(fx.material(o, o.gold).stock == Qty{gold_stock});
  }
  SUBCASE("the total overflows") {
    CHECK(fx.expect_ok([&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.huge_item.value, Qty{2000}}); }));
    // 8e18 + 8e18 does not fit; the message names the total and both operands.
    const Outcome total = fx.expect_error(
        Code::overflow, [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.huge_item.value, Qty{2000}}); });
    const std::string line_amount = std::to_string(fx.lines(id).at(0).amount.minor);
    CHECK_MESSAGE(total.message.find("lines_total " + line_amount + " + " + line_amount) != std::string::npos, total.message);
    // and 8e18 + 1.6e18 does not either
    fx.expect_error(Code::overflow,
                    [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.huge_item.value, Qty{400}}); });
    fx.check_bill_invariants(id);
  }
}

TEST_CASE("overflow: the total with a huge spec price") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const auto huge_spec = fx.add<wo::ServiceSpec>(o, f(&wo::ServiceSpec::subtype_id, o.after),
                                                 f(&wo::ServiceSpec::name, "Whole building"),
                                                 f(&wo::ServiceSpec::price, Money{std::numeric_limits<std::int64_t>::max() - 1000}));
  const OrderId id = fx.in_progress_after(o, o.tech_a, huge_spec);
  // The line itself fits; spec price + line does not.
  fx.expect_error(Code::overflow,
                  [&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::service_item, o.callout.value, Qty{1000}}); });
  CHECK(fx.expect_ok([&] { fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{800}}); }));
  CHECK(fx.bill(id).total == Money{std::numeric_limits<std::int64_t>::max() - 1000 + 1000});
  fx.check_bill_invariants(id);
}

TEST_CASE("overflow: releasing reserved stock never wraps the stock") {
  // 5 m of pipe reserved, then requisitions bring the free stock to the int64 maximum: putting
  // the reserved 5 m back cannot be represented (rules §6: overflow anywhere is an error).
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.in_progress_after(o, o.tech_a);
  const auto line = fx.engine.add_line(o.as_tech_a(), id, {LineKind::material, o.pipe.value, Qty{5000}});
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  fx.add<wo::StockMovement>(o, f(&wo::StockMovement::material_id, o.pipe),
                            f(&wo::StockMovement::movement_kind, wo::MovementKind::requisition),
                            f(&wo::StockMovement::qty, Qty{max - (pipe_stock - 5000)}));
  REQUIRE(fx.material(o, o.pipe).stock == Qty{max});
  SUBCASE("remove_line") {
    fx.expect_error(Code::overflow, [&] { fx.engine.remove_line(o.as_tech_a(), id, line); });
  }
  SUBCASE("cancel") {
    fx.expect_error(Code::overflow, [&] { fx.engine.cancel(o.as_admin(), id, "Building sold"); });
  }
  // Whatever happened, the stock is still a readable integer.
  const Outcome read = capture([&] { (void)fx.material(o, o.pipe); });
  CHECK_MESSAGE(!read.threw, read.message);
}

TEST_CASE("remove_line: only lines of this order") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId mine = fx.in_progress_after(o, o.tech_a);
  const OrderId theirs = fx.in_progress_after(o, o.tech_b);
  const auto their_line = fx.engine.add_line(o.as_tech_b(), theirs, {LineKind::material, o.pipe.value, Qty{1000}});
  fx.expect_error(Code::not_found, [&] { fx.engine.remove_line(o.as_tech_a(), mine, their_line); });
  const OrderId other_org = fx.in_progress_after(fx.b, fx.b.tech_a);
  const auto foreign = fx.engine.add_line(fx.b.as_tech_a(), other_org, {LineKind::material, fx.b.pipe.value, Qty{1000}});
  fx.expect_error(Code::not_found, [&] { fx.engine.remove_line(o.as_tech_a(), mine, foreign); });
  CHECK_FALSE(fx.lines(theirs).at(0).removed);
  CHECK(fx.material(o, o.pipe).stock == Qty{pipe_stock - 1000});
}
