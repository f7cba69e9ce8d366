// SPDX-License-Identifier: MIT
// Organisations, rates, work-order settings and payment channels.
#include "workorder/engine.hpp"

#include "domain/business_hours.hpp"
#include "domain/fail.hpp"
#include "domain/rates.hpp"
#include "domain/text.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/row_mapping.hpp"
#include "engine/service_levels.hpp"
#include "workorder/phone.hpp"

namespace wo {
namespace {

void check_org(Org& org) {
  check_text("name", org.name, short_text_max, true);
  find_time_zone("time_zone", org.time_zone);
  if (!currency_minor_units(org.currency))
    fail(Code::invalid_argument, "currency '{}' is not a supported ISO 4217 code", org.currency);
}

}  // namespace

Engine::Engine(std::unique_ptr<Store> store, Clock clock) : impl_(std::make_unique<Impl>()) {
  impl_->store = std::move(store);
  impl_->clock = std::move(clock);
}

Engine::~Engine() = default;

void Engine::set_clock(Clock clock) {
  std::lock_guard lock(impl_->clock_mutex);
  impl_->clock = clock ? std::move(clock) : system_clock();
}

Timestamp Engine::now() const { return impl_->now(); }

int Engine::schema_version() { return impl_->store->schema_version(); }

NewOrg Engine::create_org(const Actor& actor, const Patch<Org>& org_fields, const Patch<Staff>& admin_fields) {
  NewOrg created;
  impl_->store->write([&](Transaction& tx) {
    if (actor.kind != Actor::Kind::system) fail(Code::forbidden, "only the system actor creates orgs");
    for (auto name : {"name", "time_zone"})
      if (!org_fields.has(name)) fail(Code::invalid_argument, "{} is required", name);
    if (org_fields.has("id") || org_fields.has("created_at"))
      fail(Code::invalid_argument, "id and created_at are set by the engine");
    Org org{};
    org_fields.apply_to(org);
    check_org(org);
    org.created_at = impl_->now();
    created.org.value = insert_record(tx, "org", org);

    OrderSettings settings{};
    settings.id = created.org;
    tx.insert("order_settings", columns<OrderSettings>(), to_row(settings));
    static const std::vector<std::string_view> channel_cols{"org_id", "channel", "enabled"};
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(std::size(EnumRange<Channel>::names)); ++c)
      tx.insert("payment_channel", channel_cols, Row{Value{created.org.value}, Value{c}, Value{std::int64_t{0}}});

    for (auto name : {"name", "phone"})
      if (!admin_fields.has(name)) fail(Code::invalid_argument, "admin {} is required", name);
    for (auto name : {"id", "org_id", "active"})
      if (admin_fields.has(name)) fail(Code::invalid_argument, "admin {} is set by the engine and cannot be given", name);
    if (admin_fields.has("department_id") || admin_fields.has("position_id"))
      fail(Code::invalid_argument, "the first admin gets department and position later: the org has none yet");
    Staff admin{};
    admin_fields.apply_to(admin);
    admin.org_id = created.org;
    admin.active = true;
    if (admin.roles < 0 || (admin.roles & ~all_roles) != 0)
      fail(Code::invalid_argument, "admin roles {} is not a combination of 1, 2 and 4", admin.roles);
    admin.roles |= role_admin;
    check_text("admin name", admin.name, short_text_max, true);
    admin.phone = normalize_phone("admin phone", admin.phone);
    created.admin.value = insert_record(tx, "staff", admin);
  });
  return created;
}

void Engine::update_org(const Actor& actor, OrgId id, const Patch<Org>& patch) {
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    if (who.org != id || who.is_system()) fail(Code::not_found, "org {} not found", id.value);
    require_role(who, role_admin, "update the org");
    for (auto name : {"id", "created_at", "currency"})
      if (patch.has(name)) fail(Code::invalid_argument, "{} cannot be changed", name);
    tx.lock("org", id.value);
    auto row = tx.find("org", columns<Org>(), id.value);
    if (!row) fail(Code::not_found, "org {} not found", id.value);
    Org org = from_row<Org>(*row);
    const std::string zone_before = org.time_zone;
    patch.apply_to(org);
    check_org(org);
    static const std::vector<std::string_view> cols{"name", "time_zone"};
    tx.update("org", id.value, cols, Row{Value{org.name}, Value{org.time_zone}});
    // Business hours are wall-clock hours of the zone: running clocks count in the new one.
    if (org.time_zone != zone_before) recount_running_clocks(tx, id, impl_->now(), load_calendar(tx, id));
  });
}

Org Engine::get_org(const Actor& actor, OrgId id) {
  Org org;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    auto row = tx.find("org", columns<Org>(), id.value);
    if (!row || (!who.is_system() && who.org != id)) fail(Code::not_found, "org {} not found", id.value);
    org = from_row<Org>(*row);
  });
  return org;
}

std::vector<Org> Engine::list_orgs(const Actor& actor, OrgId after, int limit) {
  if (actor.kind != Actor::Kind::system) fail(Code::forbidden, "only the system actor lists orgs");
  if (limit < 1 || limit > max_page_size)
    fail(Code::invalid_argument, "limit {} must be between 1 and {}", limit, max_page_size);
  std::vector<Org> orgs;
  impl_->store->read([&](Transaction& tx) {
    for (auto& row : tx.select("org", columns<Org>(), {}, after.value, limit)) orgs.push_back(from_row<Org>(row));
  });
  return orgs;
}

Money Engine::resolve_labor_rate(const Actor& actor, LaborItemId item_id, StaffId staff_id) {
  std::optional<Money> rate;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    if (!who.is_staff()) fail(Code::forbidden, "only staff resolve labor rates");
    auto item_row = tx.find("labor_item", columns<LaborItem>(), item_id.value);
    if (!item_row || from_row<LaborItem>(*item_row).org_id != who.org)
      fail(Code::not_found, "labor_item {} not found", item_id.value);
    const LaborItem item = from_row<LaborItem>(*item_row);
    auto staff_row = tx.find("staff", columns<Staff>(), staff_id.value);
    if (!staff_row || from_row<Staff>(*staff_row).org_id != who.org)
      fail(Code::not_found, "staff {} not found", staff_id.value);
    const Staff staff = from_row<Staff>(*staff_row);
    rate = pick_labor_rate(active_rates(tx, item.id), item, staff.department_id, staff.position_id);
    if (!rate)
      fail(Code::not_found, "labor_item {} '{}' has no rate for staff {} (no department, position or default rate)",
           item.id.value, item.name, staff.id.value);
  });
  return *rate;
}

OrderSettings Engine::get_settings(const Actor& actor) {
  OrderSettings settings;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, "read work-order settings");
    settings = from_row<OrderSettings>(*tx.find("order_settings", columns<OrderSettings>(), who.org.value));
  });
  return settings;
}

void Engine::update_settings(const Actor& actor, const Patch<OrderSettings>& patch) {
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_role(who, role_admin, "change work-order settings");
    if (patch.has("id")) fail(Code::invalid_argument, "id cannot be changed");
    tx.lock("order_settings", who.org.value);
    const OrderSettings before = from_row<OrderSettings>(*tx.find("order_settings", columns<OrderSettings>(), who.org.value));
    OrderSettings s = before;
    patch.apply_to(s);
    reflect(s, [](std::string_view name, const auto& v, unsigned) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::int32_t>)
        if (v < 0) fail(Code::invalid_argument, "{} must not be negative, got {}", name, v);
    });
    if (s.auto_rating_score < 1 || s.auto_rating_score > 5)
      fail(Code::invalid_argument, "auto_rating_score {} must be between 1 and 5", s.auto_rating_score);
    if (s.sla_warning_percent > 99)
      fail(Code::invalid_argument, "sla_warning_percent {} must be between 0 (no warnings) and 99", s.sla_warning_percent);
    parse_business_hours(s.business_hours, s.business_exceptions);  // checks, and writes them canonically
    tx.update("order_settings", who.org.value, columns_without_id<OrderSettings>(), values_without_id(s));
    // Running clocks count in the new hours from their start (their history has every pause),
    // and their next alert follows the new share.
    if (s.business_hours != before.business_hours || s.business_exceptions != before.business_exceptions ||
        s.sla_warning_percent != before.sla_warning_percent)
      recount_running_clocks(tx, who.org, impl_->now(), load_calendar(tx, who.org));
  });
}

void Engine::set_channel_enabled(const Actor& actor, Channel channel, bool enabled) {
  if (static_cast<int>(channel) < 0 || static_cast<std::size_t>(channel) >= std::size(EnumRange<Channel>::names))
    fail(Code::invalid_argument, "channel {} is unknown", static_cast<int>(channel));
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_role(who, role_admin, "change payment channels");
    static const std::vector<std::string_view> id_col{"id"};
    const Condition where[] = {{"org_id", Value{who.org.value}}, {"channel", Value{std::int64_t(channel)}}};
    auto rows = tx.select("payment_channel", id_col, where, 0, 1);
    static const std::vector<std::string_view> cols{"enabled"};
    tx.update("payment_channel", std::get<std::int64_t>(rows.at(0)[0]), cols, Row{Value{std::int64_t{enabled}}});
  });
}

std::vector<PaymentChannel> Engine::list_channels(const Actor& actor) {
  std::vector<PaymentChannel> channels;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, "list payment channels");
    const Condition where[] = {{"org_id", Value{who.org.value}}};
    for (auto& row : tx.select("payment_channel", columns<PaymentChannel>(), where, 0, max_page_size))
      channels.push_back(from_row<PaymentChannel>(row));
  });
  return channels;
}

}  // namespace wo
