// SPDX-License-Identifier: MIT
// Shared fixture for the catalog tests: an in-memory engine holding two realistic orgs
// (departments, positions, staff of every role, tenants with contacts, order types, subtypes in
// every charge mode, specs, service items, labor items with rates, materials with stock), and a
// snapshot of the whole database so a test can assert that a refused call changed nothing.
//
// The snapshot reads every table of the schema through the Store (not through Engine::list), so
// it sees every row of every org regardless of who may see what, and compares them column by
// column as the Values that wo::to_row / the store produce.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/expect.hpp"
#include "support/org.hpp"
#include "support/outcome.hpp"
#include "support/snapshot.hpp"
#include "support/test_db.hpp"
#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/store.hpp"

namespace catalog_test {

// "invalid_argument(2)": how tests print codes (doctest would print the bare number).
inline std::string code_name(wo::Code c) {
  static constexpr const char* names[] = {"ok",          "not_found",        "invalid_argument", "invalid_state",
                                          "forbidden",   "conflict",         "slot_full",        "slot_unavailable",
                                          "grab_limit",  "out_of_stock",     "payment_mismatch", "channel_disabled",
                                          "busy",        "storage",          "schema_too_new",   "overflow",
                                          "internal"};
  const auto i = static_cast<std::size_t>(c);
  return std::string(i < std::size(names) ? names[i] : "unknown") + "(" + std::to_string(static_cast<int>(c)) + ")";
}

// The fixed "now" of every fixture engine (2024-06-01T00:00:00Z).
inline constexpr std::int64_t fixture_now_ms = 1'717'200'000'000;

using test_support::capture;
using test_support::diff;
using test_support::Outcome;
using test_support::Snapshot;

// Only the rows that belong to one org: those whose org_id is the org's id (in org and
// order_settings, which have no org_id, those whose own id is).
inline Snapshot only_org(const Snapshot& snap, wo::OrgId org) {
  Snapshot out;
  for (const auto& t : snap) {
    const auto named = std::find(t.columns.begin(), t.columns.end(), "org_id");
    const std::size_t column =
        named == t.columns.end() ? 0 : static_cast<std::size_t>(named - t.columns.begin());
    test_support::TableRows f{t.table, t.columns, {}};
    for (const auto& r : t.rows)
      if (r.at(column) == wo::Value{org.value}) f.rows.push_back(r);
    out.push_back(std::move(f));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The records of one org built by the fixture.
struct OrgRecords {
  wo::OrgId org;
  // staff
  wo::StaffId admin;                // the org's only admin
  wo::StaffId dispatcher;           // dispatcher desk
  wo::StaffId technician;           // maintenance + plumber
  wo::StaffId technician_external;  // external contractor + plumber
  wo::StaffId electrician;          // maintenance + electrician
  wo::StaffId inactive_staff;       // a deactivated dispatcher+technician
  // organisation
  wo::DepartmentId maintenance, external;
  wo::PositionId plumber, electrician_pos, desk;
  // tenants
  wo::TenantId person, company;
  wo::ContactId person_contact, person_contact2, company_contact, inactive_contact;
  // order catalog
  wo::OrderTypeId public_repair, home_repair;
  wo::SubtypeId free, after_completion, deposit_fixed, deposit_bps, prepay_full;
  wo::ServiceSpecId after_spec, deposit_fixed_spec, deposit_fixed_spec2, deposit_bps_spec, full_spec, full_spec2;
  wo::ServiceItemId callout, night_fee;
  wo::LaborItemId plumbing_labor, electrical_labor;
  wo::LaborRateId plumbing_dept_rate, plumbing_dept_pos_rate, plumbing_external_rate;
  wo::MaterialId pipe, tape;
  wo::StockMovementId pipe_requisition;

  wo::Actor as_admin() const { return wo::Actor::staff(admin); }
  wo::Actor as_dispatcher() const { return wo::Actor::staff(dispatcher); }
  wo::Actor as_technician() const { return wo::Actor::staff(technician); }
  wo::Actor as_inactive_staff() const { return wo::Actor::staff(inactive_staff); }
  wo::Actor as_contact() const { return wo::Actor::contact(person_contact); }
  wo::Actor as_inactive_contact() const { return wo::Actor::contact(inactive_contact); }
};

// Fixed amounts used by the fixture (minor units).
inline constexpr std::int64_t fixed_deposit = 2000;      // deposit_fixed subtype
inline constexpr std::int64_t pipe_stock = 10'000;        // 10 m of pipe, in thousandths

// ---------------------------------------------------------------------------------------------
// expect_error(code, needles, call) and expect_ok(call) come from test_support::Expectations.
class Fixture : public test_support::Expectations<Fixture> {
 public:
  wo::Store* store = nullptr;  // the engine's own, for snapshots
  wo::Engine engine{test_support::keep(store, test_support::fresh_store("catalog")),
                    [] { return wo::from_unix_ms(fixture_now_ms); }};
  OrgRecords a;  // "Acme"
  OrgRecords b;  // "Beta", built the same way: same names, same phones, other org

  Fixture() {
    a = build_org("Acme");
    b = build_org("Beta");
  }

  // --- unique values ---
  std::string unique(std::string_view prefix) { return std::string(prefix) + " " + std::to_string(++counter_); }
  long next_number() { return ++counter_; }
  std::string next_phone() {
    std::string n = std::to_string(++counter_);
    return "137" + std::string(8 - std::min<std::size_t>(8, n.size()), '0') + n;
  }

  // --- snapshot: every table of the catalog ---
  Snapshot snapshot() {
    using test_support::table_of;
    return test_support::take_snapshot(
        *store,
        {table_of<wo::Org>(), table_of<wo::OrderSettings>(), table_of<wo::PaymentChannel>(),
         table_of<wo::Department>(), table_of<wo::Position>(), table_of<wo::Staff>(), table_of<wo::Tenant>(),
         table_of<wo::Contact>(), table_of<wo::OrderType>(), table_of<wo::Subtype>(), table_of<wo::ServiceSpec>(),
         table_of<wo::ServiceItem>(), table_of<wo::LaborItem>(), table_of<wo::LaborRate>(), table_of<wo::Material>(),
         table_of<wo::StockMovement>()});
  }
  std::string diff_since(const Snapshot& before) { return diff(before, snapshot()); }

  // --- record builders (each one call as the org's admin) ---
  wo::DepartmentId add_department(const OrgRecords& o, const std::string& name) {
    wo::Patch<wo::Department> p;
    p.set(&wo::Department::name, name);
    return engine.create<wo::Department>(o.as_admin(), p);
  }
  wo::PositionId add_position(const OrgRecords& o, const std::string& name) {
    wo::Patch<wo::Position> p;
    p.set(&wo::Position::name, name);
    return engine.create<wo::Position>(o.as_admin(), p);
  }
  wo::StaffId add_staff(const OrgRecords& o, const std::string& name, const std::string& phone, std::int32_t roles,
                        std::optional<wo::DepartmentId> dept = std::nullopt,
                        std::optional<wo::PositionId> pos = std::nullopt) {
    wo::Patch<wo::Staff> p;
    p.set(&wo::Staff::name, name).set(&wo::Staff::phone, phone).set(&wo::Staff::roles, roles);
    if (dept) p.set(&wo::Staff::department_id, *dept);
    if (pos) p.set(&wo::Staff::position_id, *pos);
    return engine.create<wo::Staff>(o.as_admin(), p);
  }
  wo::TenantId add_tenant(const OrgRecords& o, const std::string& name, wo::TenantKind kind) {
    wo::Patch<wo::Tenant> p;
    p.set(&wo::Tenant::name, name).set(&wo::Tenant::tenant_kind, kind);
    return engine.create<wo::Tenant>(o.as_admin(), p);
  }
  wo::ContactId add_contact(const OrgRecords& o, wo::TenantId tenant, const std::string& name,
                            const std::string& phone) {
    wo::Patch<wo::Contact> p;
    p.set(&wo::Contact::tenant_id, tenant).set(&wo::Contact::name, name).set(&wo::Contact::phone, phone);
    return engine.create<wo::Contact>(o.as_admin(), p);
  }
  wo::OrderTypeId add_order_type(const OrgRecords& o, const std::string& name, wo::DepartmentId dept,
                                 wo::PositionId pos) {
    wo::Patch<wo::OrderType> p;
    p.set(&wo::OrderType::name, name).set(&wo::OrderType::department_id, dept).set(&wo::OrderType::position_id, pos);
    return engine.create<wo::OrderType>(o.as_admin(), p);
  }
  wo::SubtypeId add_subtype(const OrgRecords& o, wo::OrderTypeId type, const std::string& name, wo::ChargeMode mode,
                            std::optional<std::int64_t> deposit_fixed = std::nullopt,
                            std::optional<std::int64_t> deposit_bps = std::nullopt, bool consumables = false) {
    wo::Patch<wo::Subtype> p;
    p.set(&wo::Subtype::order_type_id, type).set(&wo::Subtype::name, name).set(&wo::Subtype::charge_mode, mode);
    if (deposit_fixed) p.set(&wo::Subtype::deposit_fixed, wo::Money{*deposit_fixed});
    if (deposit_bps) p.set(&wo::Subtype::deposit_bps, *deposit_bps);
    if (consumables) p.set(&wo::Subtype::consumables_enabled, true);
    return engine.create<wo::Subtype>(o.as_admin(), p);
  }
  wo::ServiceSpecId add_spec(const OrgRecords& o, wo::SubtypeId subtype, const std::string& name,
                             std::int64_t price) {
    wo::Patch<wo::ServiceSpec> p;
    p.set(&wo::ServiceSpec::subtype_id, subtype).set(&wo::ServiceSpec::name, name)
        .set(&wo::ServiceSpec::price, wo::Money{price});
    return engine.create<wo::ServiceSpec>(o.as_admin(), p);
  }
  wo::ServiceItemId add_item(const OrgRecords& o, wo::SubtypeId subtype, const std::string& name,
                             std::int64_t price) {
    wo::Patch<wo::ServiceItem> p;
    p.set(&wo::ServiceItem::subtype_id, subtype).set(&wo::ServiceItem::name, name)
        .set(&wo::ServiceItem::price, wo::Money{price});
    return engine.create<wo::ServiceItem>(o.as_admin(), p);
  }
  wo::LaborItemId add_labor_item(const OrgRecords& o, const std::string& name,
                                 std::optional<std::int64_t> default_rate) {
    wo::Patch<wo::LaborItem> p;
    p.set(&wo::LaborItem::name, name);
    if (default_rate) p.set(&wo::LaborItem::default_rate, wo::Money{*default_rate});
    return engine.create<wo::LaborItem>(o.as_admin(), p);
  }
  wo::LaborRateId add_rate(const OrgRecords& o, wo::LaborItemId item, wo::DepartmentId dept,
                           std::optional<wo::PositionId> pos, std::int64_t rate) {
    wo::Patch<wo::LaborRate> p;
    p.set(&wo::LaborRate::labor_item_id, item).set(&wo::LaborRate::department_id, dept)
        .set(&wo::LaborRate::rate, wo::Money{rate});
    if (pos) p.set(&wo::LaborRate::position_id, *pos);
    return engine.create<wo::LaborRate>(o.as_admin(), p);
  }
  wo::MaterialId add_material(const OrgRecords& o, const std::string& sku, const std::string& name,
                              const std::string& unit, std::int64_t unit_price) {
    wo::Patch<wo::Material> p;
    p.set(&wo::Material::sku, sku).set(&wo::Material::name, name).set(&wo::Material::unit, unit)
        .set(&wo::Material::unit_price, wo::Money{unit_price});
    return engine.create<wo::Material>(o.as_admin(), p);
  }
  wo::StockMovementId add_movement(const OrgRecords& o, wo::MaterialId material, wo::MovementKind kind,
                                   std::int64_t qty) {
    wo::Patch<wo::StockMovement> p;
    p.set(&wo::StockMovement::material_id, material).set(&wo::StockMovement::movement_kind, kind)
        .set(&wo::StockMovement::qty, wo::Qty{qty});
    return engine.create<wo::StockMovement>(o.as_admin(), p);
  }

  // A complete, valid create patch for T in org `o`, with fresh unique names, phones and keys.
  // (For LaborRate it first creates a fresh labor item, so build patches before snapshotting.)
  template <class T>
  wo::Patch<T> valid_patch(const OrgRecords& o) {
    wo::Patch<T> p;
    if constexpr (std::is_same_v<T, wo::Department>) {
      p.set(&wo::Department::name, unique("Department"));
    } else if constexpr (std::is_same_v<T, wo::Position>) {
      p.set(&wo::Position::name, unique("Position"));
    } else if constexpr (std::is_same_v<T, wo::Staff>) {
      p.set(&wo::Staff::name, unique("Technician")).set(&wo::Staff::phone, next_phone())
          .set(&wo::Staff::roles, std::int32_t{wo::role_technician}).set(&wo::Staff::department_id, o.maintenance)
          .set(&wo::Staff::position_id, o.plumber);
    } else if constexpr (std::is_same_v<T, wo::Tenant>) {
      p.set(&wo::Tenant::name, unique("Tenant")).set(&wo::Tenant::tenant_kind, wo::TenantKind::company);
    } else if constexpr (std::is_same_v<T, wo::Contact>) {
      p.set(&wo::Contact::tenant_id, o.person).set(&wo::Contact::name, unique("Contact"))
          .set(&wo::Contact::phone, next_phone());
    } else if constexpr (std::is_same_v<T, wo::OrderType>) {
      p.set(&wo::OrderType::name, unique("Order type")).set(&wo::OrderType::department_id, o.maintenance)
          .set(&wo::OrderType::position_id, o.plumber);
    } else if constexpr (std::is_same_v<T, wo::Subtype>) {
      p.set(&wo::Subtype::order_type_id, o.public_repair).set(&wo::Subtype::name, unique("Subtype"))
          .set(&wo::Subtype::charge_mode, wo::ChargeMode::after_completion);
    } else if constexpr (std::is_same_v<T, wo::ServiceSpec>) {
      p.set(&wo::ServiceSpec::subtype_id, o.after_completion).set(&wo::ServiceSpec::name, unique("Spec"))
          .set(&wo::ServiceSpec::price, wo::Money{3000});
    } else if constexpr (std::is_same_v<T, wo::ServiceItem>) {
      p.set(&wo::ServiceItem::subtype_id, o.after_completion).set(&wo::ServiceItem::name, unique("Item"))
          .set(&wo::ServiceItem::price, wo::Money{1000});
    } else if constexpr (std::is_same_v<T, wo::LaborItem>) {
      p.set(&wo::LaborItem::name, unique("Labor")).set(&wo::LaborItem::default_rate, wo::Money{5000});
    } else if constexpr (std::is_same_v<T, wo::LaborRate>) {
      const wo::LaborItemId item = add_labor_item(o, unique("Rated labor"), std::nullopt);
      p.set(&wo::LaborRate::labor_item_id, item).set(&wo::LaborRate::department_id, o.maintenance)
          .set(&wo::LaborRate::position_id, o.plumber).set(&wo::LaborRate::rate, wo::Money{6500});
    } else if constexpr (std::is_same_v<T, wo::Material>) {
      p.set(&wo::Material::sku, unique("SKU")).set(&wo::Material::name, unique("Material"))
          .set(&wo::Material::unit, std::string("pcs")).set(&wo::Material::unit_price, wo::Money{250});
    } else if constexpr (std::is_same_v<T, wo::StockMovement>) {
      p.set(&wo::StockMovement::material_id, o.pipe).set(&wo::StockMovement::movement_kind,
                                                         wo::MovementKind::requisition)
          .set(&wo::StockMovement::qty, wo::Qty{1000});
    } else {
      static_assert(sizeof(T) == 0, "no valid_patch for this record type");
    }
    return p;
  }

  // A new org with only its first admin (for tests that need an org of their own).
  wo::NewOrg new_org(const std::string& name, const std::string& admin_phone = "13900000000") {
    return test_support::create_org(engine, name, "Asia/Shanghai", "Admin " + name, admin_phone);
  }

 private:
  OrgRecords build_org(const std::string& org_name) {
    OrgRecords o;
    {
      const wo::NewOrg created =
          test_support::create_org(engine, org_name, "Asia/Shanghai", "王管理", "139 0000 0001");
      o.org = created.org;
      o.admin = created.admin;
    }
    o.maintenance = add_department(o, "Maintenance");
    o.external = add_department(o, "External contractor");
    o.plumber = add_position(o, "Plumber");
    o.electrician_pos = add_position(o, "Electrician");
    o.desk = add_position(o, "Dispatcher desk");
    {  // the admin sits in maintenance at the desk
      wo::Patch<wo::Staff> p;
      p.set(&wo::Staff::department_id, o.maintenance).set(&wo::Staff::position_id, o.desk);
      engine.update<wo::Staff>(o.as_admin(), o.admin, p);
    }
    o.dispatcher = add_staff(o, "李调度", "139-0000-0002", wo::role_dispatcher, o.maintenance, o.desk);
    o.technician = add_staff(o, "张师傅", "13900000003", wo::role_technician, o.maintenance, o.plumber);
    o.technician_external = add_staff(o, "External Plumber", "13900000004", wo::role_technician, o.external,
                                      o.plumber);
    o.electrician = add_staff(o, "赵电工", "13900000005", wo::role_technician, o.maintenance, o.electrician_pos);
    o.inactive_staff = add_staff(o, "Former Dispatcher", "13900000006", wo::role_dispatcher | wo::role_technician,
                                 o.maintenance, o.desk);
    engine.set_active<wo::Staff>(o.as_admin(), o.inactive_staff, false);

    o.person = add_tenant(o, "张三", wo::TenantKind::person);
    o.company = add_tenant(o, "Shanghai Trading Co.", wo::TenantKind::company);
    o.person_contact = add_contact(o, o.person, "张三", "138 0000 0001");
    o.person_contact2 = add_contact(o, o.person, "张三的妻子", "13800000002");
    o.company_contact = add_contact(o, o.company, "Office manager", "+86 21 5555-0100");
    o.inactive_contact = add_contact(o, o.person, "Former roommate", "13800000003");
    engine.set_active<wo::Contact>(o.as_admin(), o.inactive_contact, false);

    o.public_repair = add_order_type(o, "Public repair", o.maintenance, o.plumber);
    o.home_repair = add_order_type(o, "In-home repair", o.maintenance, o.electrician_pos);
    o.free = add_subtype(o, o.public_repair, "Elevator", wo::ChargeMode::free);
    o.after_completion = add_subtype(o, o.home_repair, "Plumbing", wo::ChargeMode::after_completion,
                                     std::nullopt, std::nullopt, true);
    o.deposit_fixed = add_subtype(o, o.home_repair, "Door lock", wo::ChargeMode::prepay_deposit, fixed_deposit);
    o.deposit_bps = add_subtype(o, o.home_repair, "Water heater", wo::ChargeMode::prepay_deposit, std::nullopt,
                                3000);
    o.prepay_full = add_subtype(o, o.home_repair, "Deep cleaning", wo::ChargeMode::prepay_full);

    o.after_spec = add_spec(o, o.after_completion, "Replace faucet", 5000);
    o.deposit_fixed_spec = add_spec(o, o.deposit_fixed, "Replace lock", 12000);
    o.deposit_fixed_spec2 = add_spec(o, o.deposit_fixed, "Repair lock", 5000);
    o.deposit_bps_spec = add_spec(o, o.deposit_bps, "Install water heater", 20000);
    o.full_spec = add_spec(o, o.prepay_full, "Standard clean", 15000);
    o.full_spec2 = add_spec(o, o.prepay_full, "Deluxe clean", 30000);
    o.callout = add_item(o, o.after_completion, "Call-out fee", 2000);
    o.night_fee = add_item(o, o.after_completion, "Night surcharge", 5000);

    o.plumbing_labor = add_labor_item(o, "Plumbing labor", 8000);
    o.electrical_labor = add_labor_item(o, "Electrical labor", std::nullopt);
    o.plumbing_dept_rate = add_rate(o, o.plumbing_labor, o.maintenance, std::nullopt, 6000);
    o.plumbing_dept_pos_rate = add_rate(o, o.plumbing_labor, o.maintenance, o.plumber, 7000);
    o.plumbing_external_rate = add_rate(o, o.plumbing_labor, o.external, std::nullopt, 12000);

    o.pipe = add_material(o, "PIPE-20", "PVC pipe 20 mm", "m", 1500);
    o.tape = add_material(o, "TAPE", "生料带", "卷", 300);
    o.pipe_requisition = add_movement(o, o.pipe, wo::MovementKind::requisition, pipe_stock);

    engine.set_channel_enabled(o.as_admin(), wo::Channel::wechat, true);
    engine.set_channel_enabled(o.as_admin(), wo::Channel::cash, true);
    return o;
  }

  long counter_ = 0;
};

}  // namespace catalog_test
