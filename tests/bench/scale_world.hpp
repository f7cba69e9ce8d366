// SPDX-License-Identifier: MIT
// The org of `wo_bench scale` and its template orders, both made through wo::Engine only.
//
// build_world: one org in Asia/Shanghai with departments and positions, ~50 staff (an admin,
// dispatchers, front-desk clerks who report orders, technicians eligible for one order type
// each), 4 order types with 2 subtypes each in different charge modes, specs, service items,
// labor items and rates, materials with a large opening stock, enabled channels, and
// `tenant_count` tenants with one contact each.
//
// drive_templates: real orders driven through the engine's life cycle on a clock the caller
// owns, one per (subtype, story) where the story applies: rated or auto-rated completions,
// grabs, rejections, transfers, reopenings, messages, partial payments, refunds, the three
// timers, staff reporting for a tenant or for the org, and every open status. The seeder
// (scale_seed.hpp) copies these orders' rows.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "workorder/engine.hpp"

namespace wo_bench::scale {

// Every engine of the benchmark reads this fixed "now": 2026-11-27 09:00 in Shanghai.
constexpr std::int64_t now_ms = 1'795'741'200'000;
inline constexpr const char* time_zone = "Asia/Shanghai";

struct SubtypeInfo {
  wo::SubtypeId id;
  wo::ChargeMode mode = wo::ChargeMode::free;
  bool consumables = false;
  std::vector<wo::ServiceSpecId> specs;
  std::vector<wo::ServiceItemId> items;
  int weight = 1;  // share of its type's orders
};

struct TypeInfo {
  wo::OrderTypeId id;
  std::vector<wo::StaffId> technicians;  // the staff eligible for this type
  std::vector<SubtypeInfo> subtypes;
  wo::LaborItemId labor;
  std::vector<wo::MaterialId> materials;
  int weight = 1;  // share of all orders
};

struct TenantInfo {
  wo::TenantId tenant;
  wo::ContactId contact;
};

struct World {
  wo::OrgId org;
  wo::StaffId admin;
  std::vector<wo::StaffId> dispatchers;
  std::vector<wo::StaffId> clerks;  // front desk: report orders for tenants and for the org
  std::vector<TypeInfo> types;
  std::vector<TenantInfo> tenants;  // tenants[i]'s address is address_of(i)

  // Staff who stand in for each other when an order is copied: each type's technicians, the
  // dispatchers, the clerks. The admin is in none.
  std::vector<std::vector<wo::StaffId>> staff_pools() const;
};

// The home address and unit reference of the i-th tenant, as a reporter would type them.
std::string address_of(std::size_t tenant_index);
std::string unit_of(std::size_t tenant_index);

World build_world(wo::Engine& engine, int tenant_count, std::int64_t opening_stock_units);

struct TemplateOrder {
  wo::OrderId id;
  std::string story;
  double weight = 0;  // relative frequency among the templates a copy may use
};

// Drives the template orders on `engine`, whose clock reads `clock_ms`, starting from the
// clock's current value. `world` must be what build_world made on this database. Throws if
// an order does not end in its story's status. Stories that need the timers run first, so
// that no later tick touches an order left open on purpose.
std::vector<TemplateOrder> drive_templates(wo::Engine& engine, std::int64_t& clock_ms, const World& world);

}  // namespace wo_bench::scale
