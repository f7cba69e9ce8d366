// SPDX-License-Identifier: MIT
// Reading many orders at once (docs/rules.md §8): lists and views with keyset cursors, the order
// detail, the dashboard, order records for export, and the event feed's audience. Every
// read is scoped by the actor's sight (rules §7).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workorder/catalog.hpp"
#include "workorder/fields.hpp"
#include "workorder/order.hpp"

namespace wo {

// Which orders a list starts from, before the query's filters narrow it.
enum class OrderView : std::int32_t {
  all = 0,              // every order the actor can see
  tenant_todo = 1,      // contacts: my orders awaiting prepayment, payment or rating (待我处理)
  submitted_by_me = 2,  // contacts and staff: orders I reported (我提交的)
  my_tasks = 3,         // staff: orders I hold (pending_accept, in_progress)
  pool = 4,             // technicians: pending_dispatch orders I could grab
};
template <> struct EnumRange<OrderView> {
  static constexpr const char* names[] = {"all", "tenant_todo", "submitted_by_me", "my_tasks", "pool"};
};

// The filters of rules §8. Unset fields do not filter; all set ones must hold.
struct OrderQuery {
  static constexpr const char* kind = "order_query";
  std::int32_t status_mask = 0;  // bit (1 << status) per wanted status; 0 = every status
  std::optional<OrderTypeId> order_type_id;
  std::optional<SubtypeId> subtype_id;
  std::optional<StaffId> assignee_id;
  std::optional<TenantId> tenant_id;
  std::optional<ContactId> reporter_contact_id;
  std::optional<StaffId> reporter_staff_id;
  std::optional<Timestamp> created_from;  // inclusive
  std::optional<Timestamp> created_to;    // exclusive
  std::optional<std::string> text;        // order number prefix, or a substring of the description
  bool breached = false;                  // a service-level clock is late (stopped late or running past due)
  std::optional<Timestamp> due_before;    // a running service-level clock is due before this instant
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, OrderQuery>
void reflect(S& s, F&& f) {
  f("status_mask", s.status_mask, plain);
  f("order_type_id", s.order_type_id, plain);
  f("subtype_id", s.subtype_id, plain);
  f("assignee_id", s.assignee_id, plain);
  f("tenant_id", s.tenant_id, plain);
  f("reporter_contact_id", s.reporter_contact_id, plain);
  f("reporter_staff_id", s.reporter_staff_id, plain);
  f("created_from", s.created_from, plain);
  f("created_to", s.created_to, plain);
  f("text", s.text, plain);
  f("breached", s.breached, plain);
  f("due_before", s.due_before, plain);
}

constexpr std::int32_t status_bit(Status s) { return std::int32_t{1} << static_cast<int>(s); }

// One page of a list. `next_cursor` continues after the last order; it is empty when the
// list has no more orders. Cursors are opaque and tied to the list's direction.
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;
};

// The cursor that continues a list after the order created at `created_at` with id `order`:
// what Page::next_cursor holds when a page ends at that order. newest_first is true for
// list_orders, false for order_records. Lets a host stop inside a page and resume later.
std::string cursor_after(Timestamp created_at, OrderId order, bool newest_first);

// Everything about one order, read in one transaction.
struct OrderDetail {
  Order order;
  Bill bill;
  std::vector<std::string> attachments;
  std::vector<ChargeLine> lines;       // including removed ones (flagged)
  std::vector<Payment> payments;       // prepayments, payments and refunds
  std::vector<OrderEvent> messages;    // the history's message events
  std::vector<OrderEvent> history;     // every event, oldest first
};

// Durations between two steps of an order, in milliseconds (docs/dashboard.md).
struct DurationStats {
  std::int64_t count = 0;
  std::int64_t mean_ms = 0;    // rounded half up
  std::int64_t median_ms = 0;  // nearest rank
  std::int64_t p90_ms = 0;     // nearest rank
};

struct CountById {
  std::int64_t id = 0;
  std::int64_t orders = 0;
};

struct DayFigures {
  std::string date;  // org-local YYYY-MM-DD
  std::int64_t created = 0;
  std::int64_t completed = 0;
};

// How many orders' service-level clocks of one kind (response or resolution) met their target,
// breached it (stopped late, or running past due at the time of reading) or still run in time.
struct Attainment {
  std::int64_t met = 0;
  std::int64_t breached = 0;
  std::int64_t open = 0;
};

// An order type's order count and attainment.
struct TypeFigures {
  std::int64_t id = 0;
  std::int64_t orders = 0;
  Attainment response, resolution;
};

struct StaffFigures {
  StaffId staff_id;
  std::int64_t finished = 0;
  std::int64_t handling_mean_ms = 0;  // accept → finish, over their finished orders
  std::int64_t rated = 0;
  std::int64_t rating_mean_x100 = 0;  // mean score × 100, rounded half up; 0 when none rated
  std::int64_t held_now = 0;
  Attainment response, resolution;  // of the orders of the range they are the assignee of
};

// The dashboard (数据看板) of orders created in [from, to). Every figure is defined in
// docs/dashboard.md.
struct Dashboard {
  Timestamp from{}, to{};
  std::int64_t orders = 0;
  std::array<std::int64_t, 8> by_status{};  // indexed by Status
  std::vector<TypeFigures> by_type;         // ascending id
  std::vector<CountById> by_subtype;        // ascending id
  std::vector<DayFigures> days;             // consecutive org-local days
  DurationStats submit_to_accept, accept_to_finish, submit_to_complete;
  std::int64_t completion_rate_bp = 0;  // basis points
  std::int64_t reopen_rate_bp = 0;
  std::int64_t rated = 0;
  std::int64_t rating_mean_x100 = 0;
  std::array<std::int64_t, 5> rating_counts{};  // scores 1..5
  Money billed, collected, refunded, org_borne;
  std::vector<StaffFigures> staff;  // ascending staff id
  Attainment response, resolution;  // over every order of the range
};

// One row of the order records (订单记录), as exported to CSV.
struct OrderRecord {
  static constexpr const char* kind = "order_record";
  OrderId id;
  std::string number;
  std::string order_type;  // names, as they are now
  std::string subtype;
  std::string content;  // the description
  Status status = Status::pending_dispatch;
  std::string reporter;                    // contact or staff name
  std::optional<std::string> responsible;  // the assignee's name
  Timestamp created_at{};
  std::optional<Timestamp> accepted_at;
  std::optional<Timestamp> finished_at;
  std::optional<Timestamp> completed_at;
  std::string result;  // see docs/export.md
  Money total, paid, refunded, balance;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, OrderRecord>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("number", s.number, internal);
  f("order_type", s.order_type, internal);
  f("subtype", s.subtype, internal);
  f("content", s.content, internal | long_text);
  f("status", s.status, internal);
  f("reporter", s.reporter, internal);
  f("responsible", s.responsible, internal);
  f("created_at", s.created_at, internal);
  f("accepted_at", s.accepted_at, internal);
  f("finished_at", s.finished_at, internal);
  f("completed_at", s.completed_at, internal);
  f("result", s.result, internal);
  f("total", s.total, internal);
  f("paid", s.paid, internal);
  f("refunded", s.refunded, internal);
  f("balance", s.balance, internal);
}

}  // namespace wo
