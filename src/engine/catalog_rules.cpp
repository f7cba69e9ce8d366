// SPDX-License-Identifier: MIT
#include "engine/catalog_rules.hpp"

#include "domain/fail.hpp"
#include "engine/row_mapping.hpp"
#include "workorder/phone.hpp"

namespace wo {
namespace {

// Active staff of the org holding the admin role, counted under the org's lock so that two
// concurrent demotions cannot both see the other admin.
std::int64_t count_active_admins(Transaction& tx, OrgId org) {
  tx.lock("org", org.value);
  std::vector<Value> admin_masks;
  for (std::int32_t roles = 0; roles <= all_roles; ++roles)
    if (roles & role_admin) admin_masks.emplace_back(std::int64_t{roles});
  const Condition where[] = {{"org_id", Value{org.value}}, {"active", Value{std::int64_t{1}}}, {"roles", admin_masks}};
  return tx.count("staff", where);
}

// A service-level target of at most a year of business minutes around the clock.
constexpr std::int32_t max_target_min = 366 * 24 * 60;

bool is_prepay(ChargeMode m) { return m == ChargeMode::prepay_deposit || m == ChargeMode::prepay_full; }

// The subtype a spec rule checks against, locked: its deposit and its specs' prices change
// only under this lock, so a rule between them holds across concurrent writers.
Subtype load_subtype(Transaction& tx, OrgId org, SubtypeId id) {
  tx.lock("subtype", id.value);
  auto row = tx.find("subtype", columns<Subtype>(), id.value);
  if (!row || from_row<Subtype>(*row).org_id != org) fail(Code::not_found, "subtype_id {} not found", id.value);
  return from_row<Subtype>(*row);
}

}  // namespace

namespace {

// Every row of T matching `where`, read in keyset pages.
template <class T>
std::vector<T> select_all(Transaction& tx, std::span<const Condition> where) {
  std::vector<T> out;
  for (std::int64_t after = 0;;) {
    auto rows = tx.select(table_of<T>, columns<T>(), where, after, max_page_size);
    for (auto& r : rows) out.push_back(from_row<T>(r));
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return out;
    after = out.back().id.value;
  }
}

}  // namespace

std::vector<ServiceSpec> active_specs(Transaction& tx, SubtypeId subtype) {
  const Condition where[] = {{"subtype_id", Value{subtype.value}}, {"active", Value{std::int64_t{1}}}};
  return select_all<ServiceSpec>(tx, where);
}

std::vector<LaborRate> active_rates(Transaction& tx, LaborItemId item) {
  const Condition where[] = {{"labor_item_id", Value{item.value}}, {"active", Value{std::int64_t{1}}}};
  return select_all<LaborRate>(tx, where);
}

void check_rules(Transaction& tx, const Who&, Staff& s, const Staff* before) {
  s.phone = normalize_phone("phone", s.phone);
  if (s.roles < 0 || (s.roles & ~all_roles) != 0)
    fail(Code::invalid_argument, "roles {} is not a combination of admin (1), dispatcher (2), technician (4)", s.roles);
  if (before && (before->roles & role_admin) && !(s.roles & role_admin) && before->active &&
      count_active_admins(tx, s.org_id) <= 1)
    fail(Code::invalid_state, "staff {} is the org's last active admin and must keep the admin role", s.id.value);
}

void check_rules(Transaction&, const Who&, Contact& c, const Contact*) { c.phone = normalize_phone("phone", c.phone); }

void check_rules(Transaction& tx, const Who&, Subtype& s, const Subtype*) {
  for (const auto& [name, target] : {std::pair{"response_target_min", s.response_target_min},
                                     std::pair{"resolution_target_min", s.resolution_target_min}})
    if (target && (*target < 1 || *target > max_target_min))
      fail(Code::invalid_argument, "{} {} must be between 1 and {} business minutes", name, *target, max_target_min);
  if (s.charge_mode != ChargeMode::prepay_deposit) {
    if (s.deposit_fixed || s.deposit_bps)
      fail(Code::invalid_argument, "a deposit rule (deposit_fixed or deposit_bps) needs charge_mode prepay_deposit, got {}",
           EnumRange<ChargeMode>::names[static_cast<int>(s.charge_mode)]);
    return;
  }
  if (s.deposit_fixed.has_value() == s.deposit_bps.has_value())
    fail(Code::invalid_argument, "charge_mode prepay_deposit needs exactly one of deposit_fixed and deposit_bps");
  if (s.deposit_bps && (*s.deposit_bps < 1 || *s.deposit_bps > 10000))
    fail(Code::invalid_argument, "deposit_bps {} must be between 1 and 10000", *s.deposit_bps);
  if (s.deposit_fixed && s.id) {
    for (const auto& spec : active_specs(tx, s.id))
      if (spec.price < *s.deposit_fixed)
        fail(Code::invalid_argument, "deposit_fixed {} is more than the price {} of service spec {} '{}'",
             s.deposit_fixed->minor, spec.price.minor, spec.id.value, spec.name);
  }
}

void check_rules(Transaction& tx, const Who&, ServiceSpec& spec, const ServiceSpec*) {
  const Subtype s = load_subtype(tx, spec.org_id, spec.subtype_id);
  if (s.deposit_fixed && spec.price < *s.deposit_fixed)
    fail(Code::invalid_argument, "price {} is less than the fixed deposit {} of subtype {}", spec.price.minor,
         s.deposit_fixed->minor, s.id.value);
}

void check_deactivate(Transaction& tx, const Staff& s) {
  if ((s.roles & role_admin) && count_active_admins(tx, s.org_id) <= 1)
    fail(Code::invalid_state, "staff {} is the org's last active admin and cannot be deactivated", s.id.value);
}

void check_deactivate(Transaction& tx, const ServiceSpec& spec) {
  const Subtype s = load_subtype(tx, spec.org_id, spec.subtype_id);
  if (is_prepay(s.charge_mode) && s.active && active_specs(tx, s.id).size() <= 1)
    fail(Code::invalid_state, "service spec {} is the last one of prepaid subtype {} and cannot be deactivated",
         spec.id.value, s.id.value);
}

int currency_exponent(Transaction& tx, OrgId org) {
  static const std::vector<std::string_view> cols{"currency"};
  const auto row = tx.find("org", cols, org.value);
  if (!row) fail(Code::internal, "org {} is missing", org.value);
  return currency_exponent(org, std::get<std::string>((*row)[0]));
}

int currency_exponent(OrgId org, const std::string& currency) {
  const auto exponent = currency_minor_units(currency);
  if (!exponent) fail(Code::internal, "org {} has unknown currency '{}'", org.value, currency);
  return *exponent;
}

}  // namespace wo
