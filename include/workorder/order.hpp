// SPDX-License-Identifier: MIT
// The work order and what hangs off it (docs/rules.md §3, §4, §6): statuses, actions, charge lines,
// payments and history events, each a value type with its field list in reflect().
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workorder/catalog.hpp"
#include "workorder/fields.hpp"

namespace wo {

enum class Status : std::int32_t {
  awaiting_prepayment = 0,
  pending_dispatch = 1,
  pending_accept = 2,
  in_progress = 3,
  awaiting_payment = 4,
  awaiting_rating = 5,
  completed = 6,
  cancelled = 7,
};

enum class Action : std::int32_t {
  submit = 0,
  pay_prepayment = 1,
  assign = 2,
  grab = 3,
  accept = 4,
  reject = 5,
  transfer = 6,
  add_line = 7,
  remove_line = 8,
  finish = 9,
  pay = 10,
  refund = 11,
  rate = 12,
  reopen = 13,
  cancel = 14,
  message = 15,
  prepayment_timeout = 16,
  accept_timeout = 17,
  rating_timeout = 18,
  reschedule = 19,
  auto_assign = 20,         // the system assigned it by the order type's dispatch strategy
  dispatch_unmatched = 21,  // the strategy found no one: the order waits in the pool
  sla_warning = 22,         // a service-level clock used its warning share (details: which clock)
  sla_breach = 23,          // a service-level clock passed its target (details: which clock)
};

enum class SourceChannel : std::int32_t { tenant_app = 0, mini_program = 1, h5 = 2, staff_mobile = 3, staff_pc = 4, api = 5 };
enum class Payer : std::int32_t { tenant = 0, enterprise = 1 };
enum class ActorKind : std::int32_t { system = 0, staff = 1, contact = 2 };
enum class LineKind : std::int32_t { labor = 0, material = 1, service_item = 2 };
enum class PaymentKind : std::int32_t { prepayment = 0, payment = 1, refund = 2 };
// Where a service-level clock stands (rules §11): no target (or cancelled in time), running
// or paused within its target, stopped within it, or late (stopped late or running past it).
enum class ServiceState : std::int32_t { none = 0, open = 1, met = 2, breached = 3 };
// Whom an event concerns, so a host can route notifications (rules §8 event feed).
enum class Audience : std::int32_t { nobody = 0, staff = 1, contact = 2, dispatchers = 3 };

template <> struct EnumRange<Status> {
  static constexpr const char* names[] = {"awaiting_prepayment", "pending_dispatch", "pending_accept", "in_progress",
                                          "awaiting_payment",    "awaiting_rating",  "completed",      "cancelled"};
};
template <> struct EnumRange<Action> {
  static constexpr const char* names[] = {"submit", "pay_prepayment", "assign", "grab", "accept", "reject", "transfer",
                                          "add_line", "remove_line", "finish", "pay", "refund", "rate", "reopen",
                                          "cancel", "message", "prepayment_timeout", "accept_timeout", "rating_timeout",
                                          "reschedule", "auto_assign", "dispatch_unmatched", "sla_warning", "sla_breach"};
};
template <> struct EnumRange<SourceChannel> {
  static constexpr const char* names[] = {"tenant_app", "mini_program", "h5", "staff_mobile", "staff_pc", "api"};
};
template <> struct EnumRange<Payer> {
  static constexpr const char* names[] = {"tenant", "enterprise"};
};
template <> struct EnumRange<ActorKind> {
  static constexpr const char* names[] = {"system", "staff", "contact"};
};
template <> struct EnumRange<LineKind> {
  static constexpr const char* names[] = {"labor", "material", "service_item"};
};
template <> struct EnumRange<PaymentKind> {
  static constexpr const char* names[] = {"prepayment", "payment", "refund"};
};
template <> struct EnumRange<ServiceState> {
  static constexpr const char* names[] = {"none", "open", "met", "breached"};
};
template <> struct EnumRange<Audience> {
  static constexpr const char* names[] = {"nobody", "staff", "contact", "dispatchers"};
};

template <class E>
constexpr const char* name_of(E e) {
  return EnumRange<E>::names[static_cast<int>(e)];
}

constexpr int max_attachments = 9;

// What a reporter gives at submit. Staff name tenant_id + reporter_phone to report for a
// tenant, or neither to report for the org itself; a contact reports for their own tenant.
struct OrderDraft {
  static constexpr const char* kind = "order_draft";
  SubtypeId subtype_id;
  std::optional<ServiceSpecId> spec_id;
  std::string description;
  std::string address;
  std::optional<std::string> unit_ref;
  std::optional<TenantId> tenant_id;
  std::optional<std::string> reporter_phone;
  SourceChannel source_channel = SourceChannel::api;
  Payer payer = Payer::tenant;
  std::optional<std::string> client_token;
  std::optional<Timestamp> slot_start;  // required when the subtype has a slot schedule
  std::vector<std::string> attachments;  // not a reflected field: set through the list
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, OrderDraft>
void reflect(S& s, F&& f) {
  f("subtype_id", s.subtype_id, required);
  f("spec_id", s.spec_id, plain);
  f("description", s.description, required | long_text);
  f("address", s.address, required);
  f("unit_ref", s.unit_ref, plain);
  f("tenant_id", s.tenant_id, plain);
  f("reporter_phone", s.reporter_phone, plain);
  f("source_channel", s.source_channel, required);
  f("payer", s.payer, plain);
  f("client_token", s.client_token, plain);
  f("slot_start", s.slot_start, plain);
}

// A payment or refund as the host records it (the library never talks to a provider).
struct PaymentDraft {
  static constexpr const char* kind = "payment_draft";
  Channel channel = Channel::wechat;
  Money amount;
  std::optional<std::string> provider_txn_id;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, PaymentDraft>
void reflect(S& s, F&& f) {
  f("channel", s.channel, required);
  f("amount", s.amount, required);
  f("provider_txn_id", s.provider_txn_id, plain);
}

// A charge line to add: item_id names a labor item, material or service item by line_kind.
struct LineDraft {
  static constexpr const char* kind = "line_draft";
  LineKind line_kind = LineKind::labor;
  std::int64_t item_id = 0;
  Qty qty;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, LineDraft>
void reflect(S& s, F&& f) {
  f("line_kind", s.line_kind, required);
  f("item_id", s.item_id, required);
  f("qty", s.qty, required);
}

struct Order {
  static constexpr const char* kind = "order";
  OrderId id;
  OrgId org_id;
  std::string number;
  OrderTypeId order_type_id;
  SubtypeId subtype_id;
  std::optional<ServiceSpecId> spec_id;
  ChargeMode charge_mode = ChargeMode::free;  // frozen at submit
  std::string description;
  std::string address;
  std::optional<std::string> unit_ref;
  std::optional<TenantId> tenant_id;
  std::optional<ContactId> reporter_contact_id;
  std::optional<StaffId> reporter_staff_id;
  SourceChannel source_channel = SourceChannel::api;
  ActorKind created_by_kind = ActorKind::system;
  std::int64_t created_by_id = 0;
  Payer payer = Payer::tenant;
  std::optional<std::string> client_token;
  std::optional<Timestamp> slot_start;  // the booked appointment slot
  std::optional<StaffId> assignee_id;
  Status status = Status::pending_dispatch;
  Timestamp status_since{};
  Money spec_price;   // frozen at submit; 0 without a spec
  Money lines_total;  // Σ active charge lines
  Money prepay_due;   // frozen at submit
  Money paid;         // Σ prepayments and payments
  Money refunded;     // Σ refunds
  std::optional<std::int32_t> rating;
  std::optional<std::string> rating_comment;
  std::int32_t reopen_count = 0;
  Timestamp created_at{};
  std::optional<Timestamp> prepaid_at;
  std::optional<Timestamp> assigned_at;
  std::optional<Timestamp> accepted_at;
  std::optional<Timestamp> finished_at;
  std::optional<Timestamp> settled_at;
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> cancelled_at;
  // The two service-level clocks (rules §11): the target frozen from the subtype, the due
  // instant (unknown while paused before it), where the clock stands and the business time
  // it used (both as of the read), and which alerts were sent (0 none, 1 warning, 2 breach).
  std::optional<std::int32_t> response_target_min;
  std::optional<Timestamp> response_due;
  ServiceState response_state = ServiceState::none;
  std::int64_t response_used_ms = 0;
  std::int32_t response_alerts = 0;
  std::optional<std::int32_t> resolution_target_min;
  std::optional<Timestamp> resolution_due;
  ServiceState resolution_state = ServiceState::none;
  std::int64_t resolution_used_ms = 0;
  std::int32_t resolution_alerts = 0;
  std::optional<Timestamp> sla_as_of;     // when the stored used times were last brought up to date
  std::optional<Timestamp> sla_alert_at;  // when tick next has an alert to send
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Order>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("number", s.number, internal);
  f("order_type_id", s.order_type_id, internal | filter);
  f("subtype_id", s.subtype_id, internal | filter);
  f("spec_id", s.spec_id, internal);
  f("charge_mode", s.charge_mode, internal);
  f("description", s.description, internal | long_text);
  f("address", s.address, internal);
  f("unit_ref", s.unit_ref, internal);
  f("tenant_id", s.tenant_id, internal | filter);
  f("reporter_contact_id", s.reporter_contact_id, internal | filter);
  f("reporter_staff_id", s.reporter_staff_id, internal | filter);
  f("source_channel", s.source_channel, internal);
  f("created_by_kind", s.created_by_kind, internal);
  f("created_by_id", s.created_by_id, internal);
  f("payer", s.payer, internal);
  f("client_token", s.client_token, internal);
  f("slot_start", s.slot_start, internal);
  f("assignee_id", s.assignee_id, internal | filter);
  f("status", s.status, internal | filter);
  f("status_since", s.status_since, internal);
  f("spec_price", s.spec_price, internal);
  f("lines_total", s.lines_total, internal);
  f("prepay_due", s.prepay_due, internal);
  f("paid", s.paid, internal);
  f("refunded", s.refunded, internal);
  f("rating", s.rating, internal);
  f("rating_comment", s.rating_comment, internal);
  f("reopen_count", s.reopen_count, internal);
  f("created_at", s.created_at, internal);
  f("prepaid_at", s.prepaid_at, internal);
  f("assigned_at", s.assigned_at, internal);
  f("accepted_at", s.accepted_at, internal);
  f("finished_at", s.finished_at, internal);
  f("settled_at", s.settled_at, internal);
  f("completed_at", s.completed_at, internal);
  f("cancelled_at", s.cancelled_at, internal);
  f("response_target_min", s.response_target_min, internal);
  f("response_due", s.response_due, internal);
  f("response_state", s.response_state, internal);
  f("response_used_ms", s.response_used_ms, internal);
  f("response_alerts", s.response_alerts, internal);
  f("resolution_target_min", s.resolution_target_min, internal);
  f("resolution_due", s.resolution_due, internal);
  f("resolution_state", s.resolution_state, internal);
  f("resolution_used_ms", s.resolution_used_ms, internal);
  f("resolution_alerts", s.resolution_alerts, internal);
  f("sla_as_of", s.sla_as_of, internal);
  f("sla_alert_at", s.sla_alert_at, internal);
}

// The bill of an order (rules §6), derived from the order's frozen amounts.
struct Bill {
  Money total;       // spec price + Σ lines
  Money owed;        // what the tenant owes: total, or 0 (free, enterprise payer, cancelled)
  Money balance;     // owed − paid + refunded
  Money refund_due;  // −balance once the bill is fixed (finished or cancelled), else 0
};

struct ChargeLine {
  static constexpr const char* kind = "charge_line";
  std::int64_t id = 0;
  OrgId org_id;
  OrderId order_id;
  LineKind line_kind = LineKind::labor;
  std::int64_t item_id = 0;
  std::optional<StaffId> staff_id;  // the performing staff member (labor)
  std::string name;                 // frozen item name
  Money unit_price;                 // frozen
  Qty qty;
  Money amount;
  bool removed = false;
  bool consumed = false;  // material used up at finish; a reopened order keeps it consumed
  Timestamp created_at{};
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, ChargeLine>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("order_id", s.order_id, internal | filter);
  f("line_kind", s.line_kind, internal);
  f("item_id", s.item_id, internal);
  f("staff_id", s.staff_id, internal);
  f("name", s.name, internal);
  f("unit_price", s.unit_price, internal);
  f("qty", s.qty, internal);
  f("amount", s.amount, internal);
  f("removed", s.removed, internal);
  f("consumed", s.consumed, internal);
  f("created_at", s.created_at, internal);
}

struct Payment {
  static constexpr const char* kind = "payment";
  std::int64_t id = 0;
  OrgId org_id;
  OrderId order_id;
  PaymentKind payment_kind = PaymentKind::payment;
  Channel channel = Channel::wechat;
  Money amount;
  std::optional<std::string> provider_txn_id;
  ActorKind recorded_by_kind = ActorKind::system;
  std::int64_t recorded_by_id = 0;
  Timestamp created_at{};
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Payment>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("order_id", s.order_id, internal | filter);
  f("payment_kind", s.payment_kind, internal);
  f("channel", s.channel, internal);
  f("amount", s.amount, internal);
  f("provider_txn_id", s.provider_txn_id, internal);
  f("recorded_by_kind", s.recorded_by_kind, internal);
  f("recorded_by_id", s.recorded_by_id, internal);
  f("created_at", s.created_at, internal);
}

// One history event: every transition and message writes one. Ids increase, so a host can
// read "events after id" as a feed.
struct OrderEvent {
  static constexpr const char* kind = "event";
  std::int64_t id = 0;
  OrgId org_id;
  OrderId order_id;
  Action action = Action::submit;
  ActorKind actor_kind = ActorKind::system;
  std::int64_t actor_id = 0;
  Timestamp at{};
  std::optional<Status> from_status;
  std::optional<Status> to_status;
  std::optional<StaffId> staff_id;      // the staff member assigned / transferred to
  std::optional<std::int64_t> amount;   // money of a payment or refund, score of a rating
  std::optional<std::string> details;   // reason, message text, line summary
  Audience concerns = Audience::nobody;  // see src/domain/concerns.cpp
  std::optional<std::int64_t> concerns_id;  // the staff member or contact concerned
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, OrderEvent>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("org_id", s.org_id, internal);
  f("order_id", s.order_id, internal | filter);
  f("action", s.action, internal);
  f("actor_kind", s.actor_kind, internal);
  f("actor_id", s.actor_id, internal);
  f("at", s.at, internal);
  f("from_status", s.from_status, internal);
  f("to_status", s.to_status, internal);
  f("staff_id", s.staff_id, internal);
  f("amount", s.amount, internal);
  f("details", s.details, internal | long_text);
  f("concerns", s.concerns, internal);
  f("concerns_id", s.concerns_id, internal);
}

}  // namespace wo
