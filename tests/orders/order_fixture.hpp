// SPDX-License-Identifier: MIT
// Fixture for the work-order tests: an in-memory engine whose clock the test moves by hand,
// two orgs built the same way (staff of every role, eligible and ineligible technicians,
// tenants with contacts, subtypes in every charge mode, specs, service items, labor rates for
// two departments, materials with stock, channels), helpers that drive an order of the
// "story" subtype to any status, and a whole-database snapshot so a refused call can be
// checked to have changed nothing.
#pragma once
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/lifecycle.hpp"
#include "support/expect.hpp"
#include "support/fields.hpp"
#include "support/org.hpp"
#include "support/outcome.hpp"
#include "support/snapshot.hpp"
#include "support/test_db.hpp"
#include "support/string_makers.hpp"
#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/order.hpp"
#include "workorder/store.hpp"

namespace orders_test {

using namespace std::chrono_literals;
using wo::Actor;
using wo::Code;
using wo::Money;
using wo::OrderId;
using wo::Qty;
using wo::Status;

// 2026-11-27T01:00:00Z = 09:00 in Asia/Shanghai.
inline constexpr std::int64_t start_ms = 1'795'741'200'000;

inline constexpr Status all_statuses[] = {Status::awaiting_prepayment, Status::pending_dispatch, Status::pending_accept,
                                          Status::in_progress,         Status::awaiting_payment, Status::awaiting_rating,
                                          Status::completed,           Status::cancelled};

using test_support::capture;
using test_support::diff;
using test_support::f;
using test_support::Outcome;
using test_support::Snapshot;

// ---------------------------------------------------------------------------------------------
// The records of one org.
struct OrgIds {
  wo::OrgId org;
  // staff
  wo::StaffId admin;        // admin only (no department)
  wo::StaffId dispatcher;   // dispatcher, maintenance + desk
  wo::StaffId lead;         // dispatcher + technician, maintenance + plumber: eligible and sees everything
  wo::StaffId tech_a;       // technician, maintenance + plumber: eligible (the story's assignee)
  wo::StaffId tech_b;       // technician, maintenance + plumber: eligible
  wo::StaffId electrician;  // technician, maintenance + electrician: not eligible for plumbing
  wo::StaffId tech_ext;     // technician, external + plumber: not eligible, other labor rate
  // organisation
  wo::DepartmentId maintenance, external;
  wo::PositionId plumber, electrician_pos, desk;
  // tenants
  wo::TenantId tenant_p, tenant_q;
  wo::ContactId c1;  // reporter of the story, tenant_p, "138 0000 0001"
  wo::ContactId c2;  // tenant_p, "13800000002"
  wo::ContactId q1;  // tenant_q, "+86 21 5555-0100"
  // catalog: every subtype belongs to the plumbing type (maintenance + plumber)
  wo::OrderTypeId plumbing, electric;
  wo::SubtypeId free;           // free, consumables
  wo::SubtypeId after;          // after_completion, consumables
  wo::SubtypeId after_plain;    // after_completion, no consumables
  wo::SubtypeId deposit_fixed;  // prepay_deposit 20.00, consumables (the story subtype)
  wo::SubtypeId deposit_bps;    // prepay_deposit 1250 bp
  wo::SubtypeId full;           // prepay_full
  wo::SubtypeId inactive_sub;   // after_completion, deactivated
  wo::SubtypeId wiring;         // electric type, after_completion
  wo::ServiceSpecId after_spec;                                            // 50.00
  wo::ServiceSpecId dep_spec, dep_spec_exact;                              // 50.00, 20.00
  wo::ServiceSpecId bps_3333, bps_3332, bps_3331, bps_4, bps_2000, bps_5;  // prices as named
  wo::ServiceSpecId full_spec;                                             // 150.00
  wo::ServiceItemId callout;      // after: 20.00
  wo::ServiceItemId dep_callout;  // deposit_fixed: 20.00
  wo::ServiceItemId free_item;    // free: 10.00
  wo::ServiceItemId huge_item;    // after: 4e18 fen (overflow cases)
  wo::LaborItemId plumbing_labor;  // default 60.00/h
  wo::LaborRateId maint_rate;      // maintenance 80.00/h
  wo::LaborRateId ext_rate;        // external 120.00/h
  wo::MaterialId pipe;    // 12.50 / m, stock 10 m
  wo::MaterialId faucet;  // 45.00 / pcs, stock 2
  wo::MaterialId tape;    // 3.00 / roll, stock 0
  wo::MaterialId gold;    // 4e15 fen / g, stock 3000 g

  Actor as_admin() const { return Actor::staff(admin); }
  Actor as_dispatcher() const { return Actor::staff(dispatcher); }
  Actor as_lead() const { return Actor::staff(lead); }
  Actor as_tech_a() const { return Actor::staff(tech_a); }
  Actor as_tech_b() const { return Actor::staff(tech_b); }
  Actor as_electrician() const { return Actor::staff(electrician); }
  Actor as_tech_ext() const { return Actor::staff(tech_ext); }
  Actor as_c1() const { return Actor::contact(c1); }
  Actor as_c2() const { return Actor::contact(c2); }
  Actor as_q1() const { return Actor::contact(q1); }
};

inline constexpr std::int64_t story_deposit = 2000;
inline constexpr std::int64_t story_spec_price = 5000;
inline constexpr std::int64_t callout_price = 2000;
inline constexpr std::int64_t pipe_stock = 10'000;
inline constexpr std::int64_t faucet_stock = 2'000;
inline constexpr std::int64_t huge_price = 4'000'000'000'000'000'000;
inline constexpr std::int64_t gold_price = 4'000'000'000'000'000;
inline constexpr std::int64_t gold_stock = 3'000'000;

// ---------------------------------------------------------------------------------------------
// expect_error(code, call) and expect_ok(call) come from test_support::Expectations.
class Fixture : public test_support::Expectations<Fixture> {
 public:
  wo::Timestamp now = wo::from_unix_ms(start_ms);
  wo::Store* store = nullptr;  // the engine's own, for snapshots
  wo::Engine engine;
  OrgIds a;  // "Acme"
  OrgIds b;  // "Beta": built the same way, another org

  Fixture() : Fixture(test_support::fresh_store("orders")) {}
  // A fixture on a database of the test's (for tests that open several engines on it).
  explicit Fixture(const std::string& location) : Fixture(wo::open_store(location)) {}
  explicit Fixture(std::unique_ptr<wo::Store> s) : engine{test_support::keep(store, std::move(s)), [this] { return now; }} {
    a = build_org("Acme");
    b = build_org("Beta");
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  // --- the clock ---
  void advance(std::chrono::milliseconds d) { now += d; }
  void set_now(std::int64_t unix_ms) { now = wo::from_unix_ms(unix_ms); }

  // --- creating records ---
  template <class T, class... Fields>
  decltype(T::id) add(const OrgIds& o, Fields&&... fields) {
    return test_support::add<T>(engine, o.as_admin(), std::forward<Fields>(fields)...);
  }

  void settings(const OrgIds& o, const std::function<void(wo::Patch<wo::OrderSettings>&)>& fill) {
    wo::Patch<wo::OrderSettings> p;
    fill(p);
    engine.update_settings(o.as_admin(), p);
  }

  // --- snapshot: every row of every table that an order operation may touch ---
  Snapshot snapshot() {
    using test_support::table_of;
    return test_support::take_snapshot(
        *store,
        {table_of<wo::OrderSettings>(), table_of<wo::PaymentChannel>(), table_of<wo::Staff>(), table_of<wo::Contact>(),
         table_of<wo::Subtype>(), table_of<wo::LaborRate>(), table_of<wo::Material>(), table_of<wo::StockMovement>(),
         table_of<wo::Order>("work_order"), table_of<wo::ChargeLine>(), table_of<wo::Payment>(),
         table_of<wo::OrderEvent>(), {"order_holder", {"id", "order_id", "staff_id"}},
         {"order_attachment", {"id", "org_id", "order_id", "value"}}});
  }

  // --- orders ---
  static wo::OrderDraft draft(wo::SubtypeId subtype, std::optional<wo::ServiceSpecId> spec = std::nullopt) {
    wo::OrderDraft d;
    d.subtype_id = subtype;
    d.spec_id = spec;
    d.description = "Kitchen faucet leaks (厨房龙头漏水)";
    d.address = "Building 3, Room 1502";
    d.source_channel = wo::SourceChannel::mini_program;
    return d;
  }

  wo::Order order(OrderId id) { return engine.get_order(Actor::system(), id); }
  Status status(OrderId id) { return order(id).status; }
  wo::Bill bill(OrderId id) { return engine.get_bill(Actor::system(), id); }
  std::vector<wo::ChargeLine> lines(OrderId id) { return engine.lines(Actor::system(), id); }
  std::vector<wo::Payment> payments(OrderId id) { return engine.payments(Actor::system(), id); }
  std::vector<wo::OrderEvent> events(OrderId id) {
    std::vector<wo::OrderEvent> all;
    for (std::int64_t after = 0;;) {
      auto page = engine.timeline(Actor::system(), id, after, wo::max_page_size);
      all.insert(all.end(), page.begin(), page.end());
      if (page.size() < static_cast<std::size_t>(wo::max_page_size)) return all;
      after = page.back().id;
    }
  }
  wo::Material material(const OrgIds& o, wo::MaterialId m) { return engine.get<wo::Material>(o.as_admin(), m); }
  std::vector<wo::StockMovement> movements(const OrgIds& o, OrderId id) {
    return engine.list<wo::StockMovement>(o.as_admin(), {{"order_id", wo::Value{id.value}}}, {}, wo::max_page_size);
  }
  std::int64_t active_line(OrderId id) {
    for (const auto& l : lines(id))
      if (!l.removed) return l.id;
    return 0;
  }

  // Checks the bill invariants of docs/rules.md §6 against the order's lines and payments.
  void check_bill_invariants(OrderId id, std::source_location loc = std::source_location::current()) {
    INFO("bill invariants checked at line ", loc.line());
    const wo::Order o = order(id);
    const wo::Bill bl = bill(id);
    std::int64_t lines_sum = 0;
    for (const auto& l : lines(id))
      if (!l.removed) lines_sum += l.amount.minor;
    std::int64_t paid = 0, refunded = 0;
    for (const auto& p : payments(id))
      (p.payment_kind == wo::PaymentKind::refund ? refunded : paid) += p.amount.minor;
    CHECK(o.lines_total.minor == lines_sum);
    CHECK(o.paid.minor == paid);
    CHECK(o.refunded.minor == refunded);
    CHECK(bl.total.minor == o.spec_price.minor + lines_sum);
    const bool tenant_pays = o.payer == wo::Payer::tenant && o.charge_mode != wo::ChargeMode::free &&
                             o.status != Status::cancelled;
    CHECK(bl.owed.minor == (tenant_pays ? bl.total.minor : 0));
    CHECK(bl.balance.minor == bl.owed.minor - paid + refunded);
    const bool fixed = o.status == Status::awaiting_payment || o.status == Status::awaiting_rating ||
                       o.status == Status::completed || o.status == Status::cancelled;
    CHECK(bl.refund_due.minor == (fixed && bl.balance.minor < 0 ? -bl.balance.minor : 0));
  }

  // The story: contact c1 reports on the deposit_fixed subtype (spec 50.00, deposit 20.00),
  // pays the deposit, the dispatcher assigns tech_a, who accepts and adds a call-out fee
  // (20.00), finishes (balance 50.00 due), the reporter pays and rates. `cancelled` is
  // reached by the reporter cancelling in pending_accept after the deposit was paid (so the
  // cancelled order keeps tech_a as assignee and has 20.00 refund due). The clock moves one
  // minute before every step.
  OrderId drive(const OrgIds& o, Status target) {
    advance(1min);
    const OrderId id = engine.submit(o.as_c1(), draft(o.deposit_fixed, o.dep_spec));
    if (target == Status::awaiting_prepayment) return id;
    advance(1min);
    engine.pay_prepayment(o.as_c1(), id, {wo::Channel::wechat, Money{story_deposit}, std::nullopt});
    if (target == Status::pending_dispatch) return id;
    advance(1min);
    engine.assign(o.as_dispatcher(), id, o.tech_a);
    if (target == Status::pending_accept) return id;
    if (target == Status::cancelled) {
      advance(1min);
      engine.cancel(o.as_c1(), id, "No longer needed (不需要了)");
      return id;
    }
    advance(1min);
    engine.accept(o.as_tech_a(), id);
    advance(1min);
    engine.add_line(o.as_tech_a(), id, {wo::LineKind::service_item, o.dep_callout.value, Qty{1000}});
    if (target == Status::in_progress) return id;
    advance(1min);
    engine.finish(o.as_tech_a(), id);
    if (target == Status::awaiting_payment) return id;
    advance(1min);
    engine.pay(o.as_c1(), id, {wo::Channel::alipay, bill(id).balance, std::nullopt});
    if (target == Status::awaiting_rating) return id;
    advance(1min);
    engine.rate(o.as_c1(), id, 5, std::string("Good"));
    return id;
  }

  // An after_completion order of contact c1 (no prepayment), accepted by `tech`.
  OrderId in_progress_after(const OrgIds& o, wo::StaffId tech, std::optional<wo::ServiceSpecId> spec = std::nullopt) {
    const OrderId id = engine.submit(o.as_c1(), draft(o.after, spec ? spec : std::optional{o.after_spec}));
    engine.assign(o.as_dispatcher(), id, tech);
    engine.accept(Actor::staff(tech), id);
    return id;
  }

  // A new org with only its first admin, in the given zone.
  wo::NewOrg new_org(const std::string& name, const std::string& zone) {
    return test_support::create_org(engine, name, zone, "Admin " + name, "13911110000");
  }

 private:
  wo::StaffId staff(const OrgIds& o, const std::string& name, const std::string& phone, std::int32_t roles,
                    wo::DepartmentId dept, wo::PositionId pos) {
    return add<wo::Staff>(o, f(&wo::Staff::name, name), f(&wo::Staff::phone, phone), f(&wo::Staff::roles, roles),
                          f(&wo::Staff::department_id, std::optional{dept}),
                          f(&wo::Staff::position_id, std::optional{pos}));
  }
  wo::ServiceSpecId spec(const OrgIds& o, wo::SubtypeId s, const std::string& name, std::int64_t price) {
    return add<wo::ServiceSpec>(o, f(&wo::ServiceSpec::subtype_id, s), f(&wo::ServiceSpec::name, name),
                                f(&wo::ServiceSpec::price, Money{price}));
  }
  wo::ServiceItemId item(const OrgIds& o, wo::SubtypeId s, const std::string& name, std::int64_t price) {
    return add<wo::ServiceItem>(o, f(&wo::ServiceItem::subtype_id, s), f(&wo::ServiceItem::name, name),
                                f(&wo::ServiceItem::price, Money{price}));
  }
  wo::SubtypeId subtype(const OrgIds& o, wo::OrderTypeId type, const std::string& name, wo::ChargeMode mode,
                        bool consumables, std::optional<Money> fixed = std::nullopt,
                        std::optional<std::int64_t> bps = std::nullopt) {
    wo::Patch<wo::Subtype> p;
    p.set(&wo::Subtype::order_type_id, type).set(&wo::Subtype::name, name).set(&wo::Subtype::charge_mode, mode)
        .set(&wo::Subtype::consumables_enabled, consumables);
    if (fixed) p.set(&wo::Subtype::deposit_fixed, fixed);
    if (bps) p.set(&wo::Subtype::deposit_bps, bps);
    return engine.create<wo::Subtype>(o.as_admin(), p);
  }
  wo::MaterialId material_with_stock(const OrgIds& o, const std::string& sku, const std::string& name,
                                     const std::string& unit, std::int64_t price, std::int64_t stock) {
    const auto m = add<wo::Material>(o, f(&wo::Material::sku, sku), f(&wo::Material::name, name),
                                     f(&wo::Material::unit, unit), f(&wo::Material::unit_price, Money{price}));
    if (stock > 0)
      add<wo::StockMovement>(o, f(&wo::StockMovement::material_id, m),
                             f(&wo::StockMovement::movement_kind, wo::MovementKind::requisition),
                             f(&wo::StockMovement::qty, Qty{stock}));
    return m;
  }

  OrgIds build_org(const std::string& name) {
    OrgIds o;
    {
      const wo::NewOrg created = test_support::create_org(engine, name, "Asia/Shanghai", "王管理", "139 0000 0001");
      o.org = created.org;
      o.admin = created.admin;
    }
    o.maintenance = add<wo::Department>(o, f(&wo::Department::name, "Maintenance"));
    o.external = add<wo::Department>(o, f(&wo::Department::name, "External contractor"));
    o.plumber = add<wo::Position>(o, f(&wo::Position::name, "Plumber"));
    o.electrician_pos = add<wo::Position>(o, f(&wo::Position::name, "Electrician"));
    o.desk = add<wo::Position>(o, f(&wo::Position::name, "Desk"));
    o.dispatcher = staff(o, "李调度", "139-0000-0002", wo::role_dispatcher, o.maintenance, o.desk);
    o.lead = staff(o, "Lead plumber", "13900000007", wo::role_dispatcher | wo::role_technician, o.maintenance, o.plumber);
    o.tech_a = staff(o, "张师傅", "13900000003", wo::role_technician, o.maintenance, o.plumber);
    o.tech_b = staff(o, "王师傅", "13900000008", wo::role_technician, o.maintenance, o.plumber);
    o.electrician = staff(o, "赵电工", "13900000005", wo::role_technician, o.maintenance, o.electrician_pos);
    o.tech_ext = staff(o, "External plumber", "13900000004", wo::role_technician, o.external, o.plumber);

    o.tenant_p = add<wo::Tenant>(o, f(&wo::Tenant::name, "张三"), f(&wo::Tenant::tenant_kind, wo::TenantKind::person));
    o.tenant_q = add<wo::Tenant>(o, f(&wo::Tenant::name, "Shanghai Trading Co."),
                                 f(&wo::Tenant::tenant_kind, wo::TenantKind::company));
    o.c1 = add<wo::Contact>(o, f(&wo::Contact::tenant_id, o.tenant_p), f(&wo::Contact::name, "张三"),
                            f(&wo::Contact::phone, "138 0000 0001"));
    o.c2 = add<wo::Contact>(o, f(&wo::Contact::tenant_id, o.tenant_p), f(&wo::Contact::name, "张三的妻子"),
                            f(&wo::Contact::phone, "13800000002"));
    o.q1 = add<wo::Contact>(o, f(&wo::Contact::tenant_id, o.tenant_q), f(&wo::Contact::name, "Office manager"),
                            f(&wo::Contact::phone, "+86 21 5555-0100"));

    o.plumbing = add<wo::OrderType>(o, f(&wo::OrderType::name, "Plumbing"), f(&wo::OrderType::department_id, o.maintenance),
                                    f(&wo::OrderType::position_id, o.plumber));
    o.electric = add<wo::OrderType>(o, f(&wo::OrderType::name, "Electrical"),
                                    f(&wo::OrderType::department_id, o.maintenance),
                                    f(&wo::OrderType::position_id, o.electrician_pos));
    using wo::ChargeMode;
    o.free = subtype(o, o.plumbing, "Public pipes", ChargeMode::free, true);
    o.after = subtype(o, o.plumbing, "Faucets", ChargeMode::after_completion, true);
    o.after_plain = subtype(o, o.plumbing, "Drains", ChargeMode::after_completion, false);
    o.deposit_fixed = subtype(o, o.plumbing, "Pipes", ChargeMode::prepay_deposit, true, Money{story_deposit});
    o.deposit_bps = subtype(o, o.plumbing, "Water heater", ChargeMode::prepay_deposit, true, std::nullopt, 1250);
    o.full = subtype(o, o.plumbing, "Deep clean", ChargeMode::prepay_full, true);
    o.inactive_sub = subtype(o, o.plumbing, "Retired", ChargeMode::after_completion, false);
    o.wiring = subtype(o, o.electric, "Wiring", ChargeMode::after_completion, true);

    o.after_spec = spec(o, o.after, "Replace faucet", story_spec_price);
    o.dep_spec = spec(o, o.deposit_fixed, "Replace pipe", story_spec_price);
    o.dep_spec_exact = spec(o, o.deposit_fixed, "Inspect pipe", story_deposit);
    o.bps_3333 = spec(o, o.deposit_bps, "Heater 33.33", 3333);
    o.bps_3332 = spec(o, o.deposit_bps, "Heater 33.32", 3332);
    o.bps_3331 = spec(o, o.deposit_bps, "Heater 33.31", 3331);
    o.bps_4 = spec(o, o.deposit_bps, "Heater 0.04", 4);
    o.bps_2000 = spec(o, o.deposit_bps, "Heater 20.00", 2000);
    o.bps_5 = spec(o, o.deposit_bps, "Heater 0.05", 5);
    o.full_spec = spec(o, o.full, "Standard clean", 15000);
    spec(o, o.inactive_sub, "Retired spec", 1000);
    engine.set_active<wo::Subtype>(o.as_admin(), o.inactive_sub, false);

    o.callout = item(o, o.after, "Call-out fee", callout_price);
    o.dep_callout = item(o, o.deposit_fixed, "Call-out fee", callout_price);
    o.free_item = item(o, o.free, "Parts fee", 1000);
    o.huge_item = item(o, o.after, "Huge", huge_price);

    o.plumbing_labor = add<wo::LaborItem>(o, f(&wo::LaborItem::name, "Plumbing labor"),
                                          f(&wo::LaborItem::default_rate, std::optional{Money{6000}}));
    o.maint_rate = add<wo::LaborRate>(o, f(&wo::LaborRate::labor_item_id, o.plumbing_labor),
                                      f(&wo::LaborRate::department_id, o.maintenance), f(&wo::LaborRate::rate, Money{8000}));
    o.ext_rate = add<wo::LaborRate>(o, f(&wo::LaborRate::labor_item_id, o.plumbing_labor),
                                    f(&wo::LaborRate::department_id, o.external), f(&wo::LaborRate::rate, Money{12000}));

    o.pipe = material_with_stock(o, "PIPE-20", "PPR pipe 20mm", "m", 1250, pipe_stock);
    o.faucet = material_with_stock(o, "FAUCET-A", "Faucet", "pcs", 4500, faucet_stock);
    o.tape = material_with_stock(o, "TAPE", "PTFE tape (生料带)", "roll", 300, 0);
    o.gold = material_with_stock(o, "GOLD", "Gold leaf", "g", gold_price, gold_stock);

    for (auto c : {wo::Channel::wechat, wo::Channel::alipay, wo::Channel::cash})
      engine.set_channel_enabled(o.as_admin(), c, true);
    return o;
  }
};

}  // namespace orders_test
