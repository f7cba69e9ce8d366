// SPDX-License-Identifier: MIT
// The per-record rules of the settings catalog (docs/rules.md §1–2, §9) on top of the generic checks
// in catalog.cpp: normalisation, uniqueness keys, cross-record consistency.
#pragma once
#include <string_view>
#include <vector>

#include "engine/context.hpp"

namespace wo {

template <class T>
constexpr const char* table_of = decltype(T::id)::tag::table;

// Who may create, update and (de)activate records of T.
template <class T> constexpr std::int32_t writers = role_admin;
template <> inline constexpr std::int32_t writers<Tenant> = role_admin | role_dispatcher;
template <> inline constexpr std::int32_t writers<Contact> = role_admin | role_dispatcher;

// Records a tenant contact may read: what the tenant app needs to submit an order, plus
// their own tenant and its contacts (scoped in catalog.cpp).
template <class T> constexpr bool contact_readable = false;
template <> inline constexpr bool contact_readable<OrderType> = true;
template <> inline constexpr bool contact_readable<Subtype> = true;
template <> inline constexpr bool contact_readable<ServiceSpec> = true;
template <> inline constexpr bool contact_readable<ServiceItem> = true;
template <> inline constexpr bool contact_readable<Tenant> = true;
template <> inline constexpr bool contact_readable<Contact> = true;

// Fields whose values must be unique together within the org (empty: no key).
template <class T> std::vector<std::string_view> unique_key() { return {}; }
template <> inline std::vector<std::string_view> unique_key<Department>() { return {"name"}; }
template <> inline std::vector<std::string_view> unique_key<Position>() { return {"name"}; }
template <> inline std::vector<std::string_view> unique_key<Staff>() { return {"phone"}; }
template <> inline std::vector<std::string_view> unique_key<Contact>() { return {"tenant_id", "phone"}; }
template <> inline std::vector<std::string_view> unique_key<OrderType>() { return {"name"}; }
template <> inline std::vector<std::string_view> unique_key<Subtype>() { return {"order_type_id", "name"}; }
template <> inline std::vector<std::string_view> unique_key<LaborItem>() { return {"name"}; }
template <> inline std::vector<std::string_view> unique_key<LaborRate>() {
  return {"labor_item_id", "department_id", "position_id"};
}
template <> inline std::vector<std::string_view> unique_key<Material>() { return {"sku"}; }

// Record-specific checks after the generic ones; `before` is null on create.
template <class T> void check_rules(Transaction&, const Who&, T&, const T*) {}
void check_rules(Transaction& tx, const Who& who, Staff& s, const Staff* before);
void check_rules(Transaction& tx, const Who& who, Contact& c, const Contact* before);
void check_rules(Transaction& tx, const Who& who, Subtype& s, const Subtype* before);
void check_rules(Transaction& tx, const Who& who, ServiceSpec& s, const ServiceSpec* before);

// Checks before a record is deactivated.
template <class T> void check_deactivate(Transaction&, const T&) {}
void check_deactivate(Transaction& tx, const Staff& s);
void check_deactivate(Transaction& tx, const ServiceSpec& s);

// All active service specs of a subtype (a subtype has a handful).
std::vector<ServiceSpec> active_specs(Transaction& tx, SubtypeId subtype);

// All active rate rules of a labor item (one per department and position at most).
std::vector<LaborRate> active_rates(Transaction& tx, LaborItemId item);

// The decimals of the org's currency: how its amounts are written (domain/money_text.hpp);
// the second form for an org row already read.
int currency_exponent(Transaction& tx, OrgId org);
int currency_exponent(OrgId org, const std::string& currency);

}  // namespace wo
