// SPDX-License-Identifier: MIT
// The paid life cycle the fault harnesses drive (tests/faults): one order from submission to
// its rating through every kind of write a host makes — a deposit, an assignment, labor and
// material lines (stock reserved, released by a removal, consumed at finish), the balance and
// the rating. Each step is one call, so a harness can note every call that returned OK and
// look for it after a crash or a fault.
//
// PaidWorld::create sets up an org for it; walk_paid_order walks one order, make_paid_step
// makes one of its calls. Every write is
// retry-safe: the submission carries a client token and each payment a provider id derived
// from the order's key, so a step repeated after an unknown outcome changes nothing twice.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "workorder/engine.hpp"

namespace test_support {

struct PaidWorld {
  wo::Actor admin = wo::Actor::system();
  wo::Actor contact = wo::Actor::system();
  wo::StaffId technician;
  wo::SubtypeId subtype;
  wo::ServiceSpecId spec;
  wo::LaborItemId labor;
  wo::MaterialId material;

  // An org in Shanghai billing in `currency` with a deposit-first subtype (3000 on a 5000
  // spec, in minor units), a technician, an hourly labor rate of 8000, a material with
  // `stock` thousandths in store and WeChat enabled.
  static PaidWorld create(wo::Engine& engine, std::int64_t stock = 1'000'000'000, const std::string& currency = "CNY") {
    using namespace wo;
    PaidWorld w;
    const NewOrg org = engine.create_org(
        Actor::system(), Patch<Org>().set(&Org::name, "Faults").set(&Org::time_zone, "Asia/Shanghai").set(&Org::currency, currency),
        Patch<Staff>().set(&Staff::name, "Ada").set(&Staff::phone, "13800000000"));
    w.admin = Actor::staff(org.admin);
    const auto department = engine.create(w.admin, Patch<Department>().set(&Department::name, "Maintenance"));
    const auto position = engine.create(w.admin, Patch<Position>().set(&Position::name, "Plumber"));
    const auto type = engine.create(w.admin, Patch<OrderType>()
                                                 .set(&OrderType::name, "Household")
                                                 .set(&OrderType::department_id, department)
                                                 .set(&OrderType::position_id, position));
    w.subtype = engine.create(w.admin, Patch<Subtype>()
                                           .set(&Subtype::order_type_id, type)
                                           .set(&Subtype::name, "Leak")
                                           .set(&Subtype::charge_mode, ChargeMode::prepay_deposit)
                                           .set(&Subtype::deposit_fixed, Money{3000})
                                           .set(&Subtype::consumables_enabled, true));
    w.spec = engine.create(w.admin, Patch<ServiceSpec>()
                                        .set(&ServiceSpec::subtype_id, w.subtype)
                                        .set(&ServiceSpec::name, "Fix a leak")
                                        .set(&ServiceSpec::price, Money{5000}));
    w.technician = engine.create(w.admin, Patch<Staff>()
                                              .set(&Staff::name, "Li")
                                              .set(&Staff::phone, "13900000002")
                                              .set(&Staff::department_id, department)
                                              .set(&Staff::position_id, position)
                                              .set(&Staff::roles, role_technician));
    w.labor = engine.create(w.admin, Patch<LaborItem>().set(&LaborItem::name, "Labor"));
    engine.create(w.admin, Patch<LaborRate>()
                               .set(&LaborRate::labor_item_id, w.labor)
                               .set(&LaborRate::department_id, department)
                               .set(&LaborRate::rate, Money{8000}));
    w.material = engine.create(w.admin, Patch<Material>()
                                            .set(&Material::sku, "PIPE-1")
                                            .set(&Material::name, "Pipe")
                                            .set(&Material::unit, "m")
                                            .set(&Material::unit_price, Money{1250}));
    engine.create(w.admin, Patch<StockMovement>()
                               .set(&StockMovement::material_id, w.material)
                               .set(&StockMovement::movement_kind, MovementKind::requisition)
                               .set(&StockMovement::qty, Qty{stock}));
    engine.set_channel_enabled(w.admin, Channel::wechat, true);
    const auto tenant = engine.create(w.admin, Patch<Tenant>().set(&Tenant::name, "Zhang").set(
                                                   &Tenant::tenant_kind, TenantKind::person));
    w.contact = Actor::contact(engine.create(w.admin, Patch<Contact>()
                                                          .set(&Contact::tenant_id, tenant)
                                                          .set(&Contact::name, "Zhang")
                                                          .set(&Contact::phone, "13700000001")));
    return w;
  }
};

// The steps of walk_paid_order, in order; each is one call.
enum class PaidStep { submit, pay_deposit, assign, accept, add_labor, add_material, add_spare, remove_spare, finish, pay, rate };
inline constexpr int paid_steps = 11;

// Makes one call, `step`, on the order whose client token is `key` (`order` is ignored by
// the submission, which returns it); returns the order. Each step expects the one before it
// done, and a step that failed having changed nothing can simply be made again.
inline wo::OrderId make_paid_step(wo::Engine& engine, const PaidWorld& w, const std::string& key, PaidStep step,
                                  wo::OrderId order) {
  using namespace wo;
  const Actor tech = Actor::staff(w.technician);
  switch (step) {
    case PaidStep::submit: {
      OrderDraft draft;
      draft.subtype_id = w.subtype;
      draft.spec_id = w.spec;
      draft.description = "Leak under the sink";
      draft.address = "Building 3, Room 1502";
      draft.source_channel = SourceChannel::mini_program;
      draft.client_token = key;
      return engine.submit(w.contact, draft);
    }
    case PaidStep::pay_deposit:
      engine.pay_prepayment(w.contact, order,
                            {.channel = Channel::wechat, .amount = Money{3000}, .provider_txn_id = key + "-d"});
      break;
    case PaidStep::assign: engine.assign(w.admin, order, w.technician); break;
    case PaidStep::accept: engine.accept(tech, order); break;
    case PaidStep::add_labor:
      engine.add_line(tech, order, {.line_kind = LineKind::labor, .item_id = w.labor.value, .qty = Qty{1500}});
      break;
    case PaidStep::add_material:
      engine.add_line(tech, order, {.line_kind = LineKind::material, .item_id = w.material.value, .qty = Qty{2000}});
      break;
    case PaidStep::add_spare:
      engine.add_line(tech, order, {.line_kind = LineKind::material, .item_id = w.material.value, .qty = Qty{500}});
      break;
    case PaidStep::remove_spare:
      for (const ChargeLine& line : engine.lines(tech, order))
        if (line.qty.milli == 500 && !line.removed) engine.remove_line(tech, order, line.id);
      break;
    case PaidStep::finish: engine.finish(tech, order); break;
    case PaidStep::pay:
      engine.pay(w.contact, order,
                 {.channel = Channel::wechat, .amount = engine.get_bill(w.contact, order).balance,
                  .provider_txn_id = key + "-p"});
      break;
    case PaidStep::rate: engine.rate(w.contact, order, 5, "fine"); break;
  }
  return order;
}

// Walks the order whose client token is `key` through the paid life cycle; `done(step,
// order)` follows every call that returned OK. A call that throws ends the walk.
inline void walk_paid_order(wo::Engine& engine, const PaidWorld& w, const std::string& key,
                            const std::function<void(PaidStep, wo::OrderId)>& done) {
  wo::OrderId order{0};
  for (int s = 0; s < paid_steps; ++s) {
    const auto step = static_cast<PaidStep>(s);
    order = make_paid_step(engine, w, key, step, order);
    done(step, order);
  }
}

// The event each step leaves in the order's history (docs/lifecycle.md), for finding a call
// that returned OK: its action as stored.
inline wo::Action action_of(PaidStep step) {
  using wo::Action;
  switch (step) {
    case PaidStep::submit: return Action::submit;
    case PaidStep::pay_deposit: return Action::pay_prepayment;
    case PaidStep::assign: return Action::assign;
    case PaidStep::accept: return Action::accept;
    case PaidStep::add_labor:
    case PaidStep::add_material:
    case PaidStep::add_spare: return Action::add_line;
    case PaidStep::remove_spare: return Action::remove_line;
    case PaidStep::finish: return Action::finish;
    case PaidStep::pay: return Action::pay;
    case PaidStep::rate: return Action::rate;
  }
  return Action::submit;
}

}  // namespace test_support
