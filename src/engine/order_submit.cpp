// SPDX-License-Identifier: MIT
// Submission (docs/rules.md §3): who reports for whom, what it costs up front, the order number.
#include <date/tz.h>

#include "domain/billing.hpp"
#include "domain/fail.hpp"
#include "domain/text.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/dispatch.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"
#include "engine/service_levels.hpp"
#include "engine/slot_booking.hpp"
#include "workorder/phone.hpp"

namespace wo {
namespace {

void check_draft(const OrderDraft& d) {
  check_text("description", d.description, long_text_max, true);
  check_text("address", d.address, short_text_max, true);
  if (d.unit_ref) check_text("unit_ref", *d.unit_ref, short_text_max, false);
  if (d.client_token) check_text("client_token", *d.client_token, short_text_max, true);
  if (static_cast<std::size_t>(d.source_channel) >= std::size(EnumRange<SourceChannel>::names))
    fail(Code::invalid_argument, "source_channel has unknown value {}", static_cast<int>(d.source_channel));
  if (static_cast<std::size_t>(d.payer) >= std::size(EnumRange<Payer>::names))
    fail(Code::invalid_argument, "payer has unknown value {}", static_cast<int>(d.payer));
  if (d.attachments.size() > static_cast<std::size_t>(max_attachments))
    fail(Code::invalid_argument, "attachments has {} entries, at most {} allowed", d.attachments.size(), max_attachments);
  for (const auto& a : d.attachments) check_text("attachment", a, long_text_max, true);
}

// The contact of `tenant` with this phone (normalised), or invalid_argument.
ContactId contact_by_phone(Transaction& tx, TenantId tenant, const std::string& raw_phone) {
  const std::string phone = normalize_phone("reporter_phone", raw_phone);
  static const std::vector<std::string_view> id_col{"id"};
  const Condition where[] = {{"tenant_id", Value{tenant.value}}, {"phone", Value{phone}}, {"active", Value{std::int64_t{1}}}};
  auto rows = tx.select("contact", id_col, where, 0, 1);
  if (rows.empty())
    fail(Code::invalid_argument, "reporter_phone '{}' is not a contact of tenant {}", raw_phone, tenant.value);
  return ContactId{std::get<std::int64_t>(rows[0][0])};
}

// Fills tenant, reporter and payer from who is submitting (rules §3).
void set_reporter(Transaction& tx, const Who& who, const OrderDraft& d, Order& o) {
  if (who.is_contact()) {
    if (d.tenant_id && *d.tenant_id != who.tenant)
      fail(Code::invalid_argument, "tenant_id {} is not the tenant of contact {}", d.tenant_id->value, who.id);
    if (d.payer != Payer::tenant) fail(Code::forbidden, "only staff may choose payer enterprise");
    if (!load_in_org<Tenant>(tx, who.org, who.tenant.value, "tenant_id").active)
      fail(Code::invalid_argument, "tenant_id {} is inactive and takes no new orders", who.tenant.value);
    o.tenant_id = who.tenant;
    o.reporter_contact_id = d.reporter_phone ? contact_by_phone(tx, who.tenant, *d.reporter_phone) : ContactId{who.id};
    o.payer = Payer::tenant;
    return;
  }
  if (d.tenant_id) {
    const Tenant t = load_in_org<Tenant>(tx, who.org, d.tenant_id->value, "tenant_id");
    if (!t.active) fail(Code::invalid_argument, "tenant_id {} is inactive", t.id.value);
    if (!d.reporter_phone) fail(Code::invalid_argument, "reporter_phone is required when reporting for tenant {}", t.id.value);
    o.tenant_id = t.id;
    o.reporter_contact_id = contact_by_phone(tx, t.id, *d.reporter_phone);
    o.payer = d.payer;
    return;
  }
  if (d.reporter_phone) fail(Code::invalid_argument, "reporter_phone needs tenant_id (an order for the org has a staff reporter)");
  o.reporter_staff_id = StaffId{who.id};
  o.payer = Payer::enterprise;  // nobody else could pay for the org's own repair
}

// YYYYMMDD of `at` in the org's zone: the day of an order number.
std::string local_day(const date::time_zone& zone, Timestamp at) {
  return date::format("%Y%m%d", date::floor<date::days>(date::make_zoned(&zone, at).get_local_time()));
}

// The order an earlier submit of the actor made with this client token; conflict if another
// actor used it.
std::optional<OrderId> find_by_token(Transaction& tx, const Who& who, const std::string& token) {
  static const std::vector<std::string_view> cols{"id", "created_by_kind", "created_by_id"};
  const Condition where[] = {{"org_id", Value{who.org.value}}, {"client_token", Value{token}}};
  auto rows = tx.select("work_order", cols, where, 0, 1);
  if (rows.empty()) return std::nullopt;
  if (std::get<std::int64_t>(rows[0][1]) != static_cast<std::int64_t>(who.kind) ||
      std::get<std::int64_t>(rows[0][2]) != who.id)
    fail(Code::conflict, "client_token '{}' was used by another actor", token);
  return OrderId{std::get<std::int64_t>(rows[0][0])};
}

void submit_once(Engine::Impl& impl, const Actor& actor, const OrderDraft& draft, OrderId& id) {
  impl.store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, "submit an order");
    tx.prefetch("subtype", columns<Subtype>(), draft.subtype_id.value);  // with the token lookup
    if (draft.client_token) {
      if (auto first = find_by_token(tx, who, *draft.client_token)) {
        id = *first;
        return;  // a repeated submit: the first order, nothing changes
      }
    }
    permit(Action::submit, std::nullopt, who.is_contact() ? party_any_contact : party_any_staff);
    check_draft(draft);

    const Subtype subtype = load_in_org<Subtype>(tx, who.org, draft.subtype_id.value, "subtype_id");
    // What the rest of the submit reads by id, read in one round trip with the order type.
    if (draft.spec_id) tx.prefetch("service_spec", columns<ServiceSpec>(), draft.spec_id->value);
    prefetch_org_zone(tx, who.org);
    prefetch_schedule(tx, subtype.id);
    if (subtype.response_target_min || subtype.resolution_target_min)
      tx.prefetch("order_settings", columns<OrderSettings>(), who.org.value);
    const OrderType type = load_in_org<OrderType>(tx, who.org, subtype.order_type_id.value, "order_type_id");
    if (!subtype.active || !type.active)
      fail(Code::invalid_argument, "subtype_id {} is inactive and takes no new orders", subtype.id.value);

    Order o;
    o.org_id = who.org;
    o.order_type_id = type.id;
    o.subtype_id = subtype.id;
    o.charge_mode = subtype.charge_mode;
    if (draft.spec_id) {
      const ServiceSpec spec = load_in_org<ServiceSpec>(tx, who.org, draft.spec_id->value, "spec_id");
      if (spec.subtype_id != subtype.id || !spec.active)
        fail(Code::invalid_argument, "spec_id {} is not an active spec of subtype {}", spec.id.value, subtype.id.value);
      o.spec_id = spec.id;
      o.spec_price = spec.price;
    } else if (subtype.charge_mode == ChargeMode::prepay_deposit || subtype.charge_mode == ChargeMode::prepay_full) {
      fail(Code::invalid_argument, "spec_id is required: subtype {} is {}", subtype.id.value, name_of(subtype.charge_mode));
    }
    o.description = draft.description;
    o.address = draft.address;
    o.unit_ref = draft.unit_ref;
    o.source_channel = draft.source_channel;
    o.client_token = draft.client_token;
    o.created_by_kind = static_cast<ActorKind>(who.kind);
    o.created_by_id = who.id;
    set_reporter(tx, who, draft, o);
    o.prepay_due = prepayment_due(subtype, o.spec_price, o.payer);

    const Timestamp now = impl.now();
    const date::time_zone& zone = org_zone(tx, who.org);
    const std::string day = local_day(zone, now);
    // The slot and the day's counter are the rows concurrent submits wait for, held until
    // commit: taken last, so every read above runs outside those locks.
    if (draft.slot_start) {
      book_slot(tx, who.org, zone, subtype.id, *draft.slot_start, now);
      o.slot_start = draft.slot_start;
    } else if (load_schedule(tx, subtype.id)) {
      fail(Code::invalid_argument, "slot_start is required: subtype {} takes appointments", subtype.id.value);
    }
    const std::int64_t seq = tx.next_order_sequence(who.org.value, day);
    if (seq > 999999) fail(Code::invalid_state, "the org has used all 999999 order numbers of {}", day);
    o.number = fmt::format("{}-{:06}", day, seq);
    Facts facts;
    facts.prepayment_due = o.prepay_due > Money{0};
    const Transition& row =
        decide(Action::submit, std::nullopt, who.is_contact() ? party_any_contact : party_any_staff, facts);
    o.status = *row.to;
    o.created_at = o.status_since = now;
    const auto calendar = start_order_clocks(tx, o, subtype, now);

    id.value = insert_record(tx, "work_order", o);
    o.id = id;
    static const std::vector<std::string_view> attachment_cols{"org_id", "order_id", "value"};
    for (const auto& a : draft.attachments) tx.append("order_attachment", attachment_cols, Row{Value{who.org.value}, Value{id.value}, Value{a}});

    append_event(tx, o, Action::submit, who, now, std::nullopt,
                 {.amount = o.prepay_due > Money{0} ? std::optional<std::int64_t>(o.prepay_due.minor) : std::nullopt});
    OrderStep step{tx, who, now, o, o, o.status, load_in_org<OrderType>(tx, who.org, o.order_type_id.value, "order_type_id")};
    step.calendar = calendar;
    dispatch_automatically(step);
  });
}

}  // namespace

OrderId Engine::submit(const Actor& actor, const OrderDraft& draft) {
  OrderId id;
  try {
    submit_once(*impl_, actor, draft, id);
  } catch (const Error& e) {
    // Two submits with one token at once: the unique key (org, client_token) lets one commit
    // and rolls the other back with a conflict; the loser returns the winner's order.
    if (e.code() != Code::conflict || !draft.client_token) throw;
    std::optional<OrderId> first;
    impl_->store->read([&](Transaction& tx) { first = find_by_token(tx, resolve(tx, actor), *draft.client_token); });
    if (!first) throw;
    id = *first;
  }
  return id;
}

}  // namespace wo
