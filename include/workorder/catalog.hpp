// SPDX-License-Identifier: MIT
// The organisation and its settings catalog (docs/rules.md §1–2): plain value types, each with its
// field list in reflect(). Validation lives in the engine; storage maps fields to columns.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "workorder/fields.hpp"
#include "workorder/ids.hpp"
#include "workorder/money.hpp"
#include "workorder/time.hpp"

namespace wo {

// Role bits of a staff member (a staff member may have several).
enum Role : std::int32_t { role_admin = 1, role_dispatcher = 2, role_technician = 4 };
constexpr std::int32_t all_roles = role_admin | role_dispatcher | role_technician;

enum class TenantKind : std::int32_t { person = 0, company = 1 };
enum class ChargeMode : std::int32_t { free = 0, after_completion = 1, prepay_deposit = 2, prepay_full = 3 };
enum class Channel : std::int32_t { wechat = 0, alipay = 1, corporate = 2, cash = 3, bank_transfer = 4, other = 5 };
enum class MovementKind : std::int32_t { requisition = 0, adjustment = 1, reserve = 2, release = 3, consume = 4 };
// How an order type's orders find an assignee when they reach pending_dispatch (rules §4).
enum class DispatchStrategy : std::int32_t { manual = 0, round_robin = 1, least_loaded = 2 };

template <> struct EnumRange<TenantKind> {
  static constexpr const char* names[] = {"person", "company"};
};
template <> struct EnumRange<ChargeMode> {
  static constexpr const char* names[] = {"free", "after_completion", "prepay_deposit", "prepay_full"};
};
template <> struct EnumRange<Channel> {
  static constexpr const char* names[] = {"wechat", "alipay", "corporate", "cash", "bank_transfer", "other"};
};
template <> struct EnumRange<MovementKind> {
  static constexpr const char* names[] = {"requisition", "adjustment", "reserve", "release", "consume"};
};
template <> struct EnumRange<DispatchStrategy> {
  static constexpr const char* names[] = {"manual", "round_robin", "least_loaded"};
};

struct Org {
  static constexpr const char* kind = "org";
  OrgId id;
  std::string name;
  std::string time_zone;
  std::string currency = "CNY";
  Timestamp created_at{};
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Org>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("name", s.name, required);
  f("time_zone", s.time_zone, required);
  f("currency", s.currency, fixed);
  f("created_at", s.created_at, internal);
}

struct Department {
  static constexpr const char* kind = "department";
  DepartmentId id;
  OrgId org_id;
  std::string name;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Department>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("name", s.name, required);
  f("active", s.active, internal | filter);
}

struct Position {
  static constexpr const char* kind = "position";
  PositionId id;
  OrgId org_id;
  std::string name;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Position>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("name", s.name, required);
  f("active", s.active, internal | filter);
}

struct Staff {
  static constexpr const char* kind = "staff";
  StaffId id;
  OrgId org_id;
  std::string name;
  std::string phone;
  std::optional<DepartmentId> department_id;
  std::optional<PositionId> position_id;
  std::int32_t roles = 0;  // Role bits
  bool active = true;
  std::optional<Timestamp> last_assigned_at;  // handed an order last: ties of least_loaded
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Staff>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("name", s.name, required);
  f("phone", s.phone, required | filter);
  f("department_id", s.department_id, filter);
  f("position_id", s.position_id, filter);
  f("roles", s.roles, required);
  f("active", s.active, internal | filter);
  f("last_assigned_at", s.last_assigned_at, internal);
}

struct Tenant {
  static constexpr const char* kind = "tenant";
  TenantId id;
  OrgId org_id;
  std::string name;
  TenantKind tenant_kind = TenantKind::person;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Tenant>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("name", s.name, required);
  f("tenant_kind", s.tenant_kind, filter);
  f("active", s.active, internal | filter);
}

struct Contact {
  static constexpr const char* kind = "contact";
  ContactId id;
  OrgId org_id;
  TenantId tenant_id;
  std::string name;
  std::string phone;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Contact>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("tenant_id", s.tenant_id, required | fixed | filter);
  f("name", s.name, required);
  f("phone", s.phone, required | filter);
  f("active", s.active, internal | filter);
}

struct OrderType {
  static constexpr const char* kind = "order_type";
  OrderTypeId id;
  OrgId org_id;
  std::string name;
  DepartmentId department_id;
  PositionId position_id;
  bool active = true;
  DispatchStrategy dispatch_strategy = DispatchStrategy::manual;
  std::optional<StaffId> last_dispatched_id;  // round_robin: whom the type assigned last
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, OrderType>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("name", s.name, required);
  f("department_id", s.department_id, required | filter);
  f("position_id", s.position_id, required | filter);
  f("active", s.active, internal | filter);
  f("dispatch_strategy", s.dispatch_strategy, plain);
  f("last_dispatched_id", s.last_dispatched_id, internal);
}

// Deposit rule (prepay_deposit only): exactly one of deposit_fixed and deposit_bps.
struct Subtype {
  static constexpr const char* kind = "subtype";
  SubtypeId id;
  OrgId org_id;
  OrderTypeId order_type_id;
  std::string name;
  ChargeMode charge_mode = ChargeMode::free;
  std::optional<Money> deposit_fixed;
  std::optional<std::int64_t> deposit_bps;
  bool consumables_enabled = false;
  bool active = true;
  // Service-level targets in business minutes (rules §11): submission to the start of work,
  // and submission to finish. Unset: no clock.
  std::optional<std::int32_t> response_target_min;
  std::optional<std::int32_t> resolution_target_min;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Subtype>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("order_type_id", s.order_type_id, required | fixed | filter);
  f("name", s.name, required);
  f("charge_mode", s.charge_mode, required | filter);
  f("deposit_fixed", s.deposit_fixed, plain);
  f("deposit_bps", s.deposit_bps, plain);
  f("consumables_enabled", s.consumables_enabled, plain);
  f("active", s.active, internal | filter);
  f("response_target_min", s.response_target_min, plain);
  f("resolution_target_min", s.resolution_target_min, plain);
}

struct ServiceSpec {
  static constexpr const char* kind = "service_spec";
  ServiceSpecId id;
  OrgId org_id;
  SubtypeId subtype_id;
  std::string name;
  Money price;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, ServiceSpec>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("subtype_id", s.subtype_id, required | fixed | filter);
  f("name", s.name, required);
  f("price", s.price, required);
  f("active", s.active, internal | filter);
}

struct ServiceItem {
  static constexpr const char* kind = "service_item";
  ServiceItemId id;
  OrgId org_id;
  SubtypeId subtype_id;
  std::string name;
  Money price;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, ServiceItem>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("subtype_id", s.subtype_id, required | fixed | filter);
  f("name", s.name, required);
  f("price", s.price, required);
  f("active", s.active, internal | filter);
}

// Priced per hour; the rate for a performing staff member comes from LaborRate rules.
struct LaborItem {
  static constexpr const char* kind = "labor_item";
  LaborItemId id;
  OrgId org_id;
  std::string name;
  std::optional<Money> default_rate;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, LaborItem>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("name", s.name, required);
  f("default_rate", s.default_rate, plain);
  f("active", s.active, internal | filter);
}

// Hourly rate of a labor item for a department, optionally narrowed to one position.
struct LaborRate {
  static constexpr const char* kind = "labor_rate";
  LaborRateId id;
  OrgId org_id;
  LaborItemId labor_item_id;
  DepartmentId department_id;
  std::optional<PositionId> position_id;
  Money rate;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, LaborRate>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("labor_item_id", s.labor_item_id, required | fixed | filter);
  f("department_id", s.department_id, required | fixed | filter);
  f("position_id", s.position_id, fixed | filter);
  f("rate", s.rate, required);
  f("active", s.active, internal | filter);
}

// Stock is in thousandths of `unit` and changes only through StockMovement rows.
struct Material {
  static constexpr const char* kind = "material";
  MaterialId id;
  OrgId org_id;
  std::string sku;
  std::string name;
  std::string unit;
  Money unit_price;
  Qty stock;
  bool active = true;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Material>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("sku", s.sku, required | fixed | filter);
  f("name", s.name, required);
  f("unit", s.unit, required);
  f("unit_price", s.unit_price, required);
  f("stock", s.stock, internal);
  f("active", s.active, internal | filter);
}

// A recorded stock change. Hosts create requisitions (+) and adjustments (±); reserve,
// release and consume are written by the order engine.
struct StockMovement {
  static constexpr const char* kind = "stock_movement";
  StockMovementId id;
  OrgId org_id;
  MaterialId material_id;
  MovementKind movement_kind = MovementKind::requisition;
  Qty qty;
  std::optional<OrderId> order_id;
  std::optional<std::string> note;
  std::optional<StaffId> staff_id;
  Timestamp created_at{};
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, StockMovement>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("material_id", s.material_id, required | fixed | filter);
  f("movement_kind", s.movement_kind, required | fixed | filter);
  f("qty", s.qty, required | fixed);
  f("order_id", s.order_id, internal | filter);
  f("note", s.note, fixed);
  f("staff_id", s.staff_id, internal);
  f("created_at", s.created_at, internal);
}

// 工单设置: one row per org; id is the org's id. 0 disables a timer / the grab limit.
struct OrderSettings {
  static constexpr const char* kind = "order_settings";
  OrgId id;
  bool grab_enabled = true;
  std::int32_t grab_limit = 0;
  std::int32_t prepay_timeout_min = 30;
  std::int32_t accept_timeout_min = 60;
  std::int32_t rating_timeout_days = 7;
  std::int32_t auto_rating_score = 5;
  std::int32_t reopen_window_days = 7;
  // The org's business hours for service levels (rules §11); "" is around the clock.
  std::string business_hours;
  std::string business_exceptions;
  std::int32_t sla_warning_percent = 80;  // share of a target that warns; 0 = no warnings
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, OrderSettings>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("grab_enabled", s.grab_enabled, plain);
  f("grab_limit", s.grab_limit, plain);
  f("prepay_timeout_min", s.prepay_timeout_min, plain);
  f("accept_timeout_min", s.accept_timeout_min, plain);
  f("rating_timeout_days", s.rating_timeout_days, plain);
  f("auto_rating_score", s.auto_rating_score, plain);
  f("reopen_window_days", s.reopen_window_days, plain);
  f("business_hours", s.business_hours, plain);
  f("business_exceptions", s.business_exceptions, plain);
  f("sla_warning_percent", s.sla_warning_percent, plain);
}

// 支付设置: whether the org accepts a channel. Every org has one row per channel.
struct PaymentChannel {
  static constexpr const char* kind = "payment_channel";
  PaymentChannelId id;
  OrgId org_id;
  Channel channel = Channel::wechat;
  bool enabled = false;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, PaymentChannel>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("channel", s.channel, internal | filter);
  f("enabled", s.enabled, internal | filter);
}

}  // namespace wo
