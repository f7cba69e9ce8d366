// SPDX-License-Identifier: MIT
// Lists and views (docs/rules.md §8) within the actor's sight (rules §7), keyset-paged.
#include "engine/order_lists.hpp"

#include <algorithm>

#include "domain/cursor.hpp"
#include "domain/fail.hpp"
#include "domain/text.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"
#include "engine/service_levels.hpp"

namespace wo {
namespace {

constexpr std::int32_t every_status = (1 << 8) - 1;
constexpr std::int32_t todo_statuses =
    status_bit(Status::awaiting_prepayment) | status_bit(Status::awaiting_payment) | status_bit(Status::awaiting_rating);
constexpr std::int32_t held_statuses = status_bit(Status::pending_accept) | status_bit(Status::in_progress);

// A sight or view restriction: a filter plus the statuses it allows.
struct Part {
  OrderFilter filter;
  std::int32_t statuses = every_status;
};

bool is_office(const Who& who) { return who.has(role_admin) || who.has(role_dispatcher); }

// The pool: pending_dispatch orders of every order type the technician is eligible for.
std::vector<Part> pool_parts(Transaction& tx, const Who& who) {
  std::vector<Part> parts;
  if (!who.has(role_technician) || !who.department || !who.position) return parts;
  const Condition where[] = {{"org_id", Value{who.org.value}},
                             {"department_id", Value{who.department->value}},
                             {"position_id", Value{who.position->value}}};
  for (std::int64_t after = 0;;) {
    const auto rows = tx.select("order_type", columns<OrderType>(), where, after, max_page_size);
    for (const auto& r : rows) {
      const auto type = from_row<OrderType>(r);
      Part p;
      p.filter.order_type_id = type.id.value;
      p.statuses = status_bit(Status::pending_dispatch);
      parts.push_back(p);
    }
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return parts;
    after = std::get<std::int64_t>(rows.back()[0]);
  }
}

std::vector<Part> sight_parts(Transaction& tx, const Who& who, OrderView view) {
  const auto forbidden = [&](std::string_view who_may) -> std::vector<Part> {
    fail(Code::forbidden, "the {} view is for {}", name_of(view), who_may);
  };
  if (who.is_system()) forbidden("the staff and contacts of an org");
  Part mine;
  switch (view) {
    case OrderView::all: {
      if (who.is_contact()) {
        mine.filter.reporter_contact_id = who.id;
        return {mine};
      }
      if (is_office(who)) return {mine};
      std::vector<Part> parts = pool_parts(tx, who);
      Part held, reported;
      held.filter.held_by = who.id;  // holders include the current assignee
      reported.filter.reporter_staff_id = who.id;
      parts.push_back(held);
      parts.push_back(reported);
      return parts;
    }
    case OrderView::tenant_todo:
      if (!who.is_contact()) forbidden("tenant contacts");
      mine.filter.reporter_contact_id = who.id;
      mine.statuses = todo_statuses;
      return {mine};
    case OrderView::submitted_by_me:
      if (who.is_contact()) mine.filter.reporter_contact_id = who.id;
      else mine.filter.reporter_staff_id = who.id;
      return {mine};
    case OrderView::my_tasks:
      if (!who.is_staff()) forbidden("staff");
      mine.filter.assignee_id = who.id;
      mine.statuses = held_statuses;
      return {mine};
    case OrderView::pool:
      if (!who.has(role_technician)) forbidden("technicians");
      return pool_parts(tx, who);
  }
  fail(Code::invalid_argument, "view {} is not a view", static_cast<int>(view));
}

// Sets `slot` to `value`; false when the slot already holds another value (nothing matches).
bool narrow(std::optional<std::int64_t>& slot, const std::optional<std::int64_t>& value) {
  if (!value) return true;
  if (slot && *slot != *value) return false;
  slot = value;
  return true;
}

// A filter's id must name a record of the actor's org, as anywhere else (rules §9).
template <class Tag>
std::optional<std::int64_t> checked_id(Transaction& tx, const Who& who, const std::optional<Id<Tag>>& id,
                                       std::string_view field) {
  if (!id) return std::nullopt;
  static const std::vector<std::string_view> cols{"id", "org_id"};
  const auto row = tx.find(Tag::table, cols, id->value);
  if (!row || (*row)[1] != Value{who.org.value}) fail(Code::not_found, "{} {} not found", field, id->value);
  return id->value;
}

// The service-level conditions as alternatives, each a range of one (org, state) index.
std::vector<OrderFilter> breached_terms(Timestamp now) {
  const auto ms = to_unix_ms(now);
  std::vector<OrderFilter> terms(4);
  terms[0].response_state = static_cast<std::int64_t>(ServiceState::breached);
  terms[1].response_state = static_cast<std::int64_t>(ServiceState::open);
  terms[1].response_due_before_ms = ms;  // running past its due instant
  terms[2].resolution_state = static_cast<std::int64_t>(ServiceState::breached);
  terms[3].resolution_state = static_cast<std::int64_t>(ServiceState::open);
  terms[3].resolution_due_before_ms = ms;
  return terms;
}

std::vector<OrderFilter> due_terms(Timestamp before) {
  std::vector<OrderFilter> terms(2);
  terms[0].response_state = static_cast<std::int64_t>(ServiceState::open);
  terms[0].response_due_before_ms = to_unix_ms(before);
  terms[1].resolution_state = static_cast<std::int64_t>(ServiceState::open);
  terms[1].resolution_due_before_ms = to_unix_ms(before);
  return terms;
}

// The earlier of two upper bounds.
void lower(std::optional<std::int64_t>& slot, const std::optional<std::int64_t>& bound) {
  if (bound && (!slot || *bound < *slot)) slot = bound;
}

// Every filter combined with every alternative term (an order must match a filter and a
// term); combinations that contradict themselves are dropped.
std::vector<OrderFilter> narrowed(const std::vector<OrderFilter>& filters, const std::vector<OrderFilter>& terms) {
  std::vector<OrderFilter> out;
  for (const OrderFilter& f : filters)
    for (const OrderFilter& t : terms) {
      OrderFilter n = f;
      if (!narrow(n.response_state, t.response_state) || !narrow(n.resolution_state, t.resolution_state)) continue;
      lower(n.response_due_before_ms, t.response_due_before_ms);
      lower(n.resolution_due_before_ms, t.resolution_due_before_ms);
      out.push_back(n);
    }
  return out;
}

}  // namespace

void check_limit(int limit) {
  if (limit < 1 || limit > max_page_size)
    fail(Code::invalid_argument, "limit {} must be between 1 and {}", limit, max_page_size);
}

OrderKey key_of(const Order& o) { return {to_unix_ms(o.created_at), o.id.value}; }

std::vector<OrderFilter> view_filters(Transaction& tx, const Who& who, OrderView view, const OrderQuery& q,
                                      Timestamp now) {
  if (static_cast<int>(view) < 0 || static_cast<std::size_t>(view) >= std::size(EnumRange<OrderView>::names))
    fail(Code::invalid_argument, "view {} is not a view", static_cast<int>(view));
  if (q.status_mask < 0 || q.status_mask > every_status)
    fail(Code::invalid_argument, "status_mask {} has bits beyond the 8 statuses", q.status_mask);
  if (q.created_from) check_instant("created_from", *q.created_from);
  if (q.created_to) check_instant("created_to", *q.created_to);
  if (q.created_from && q.created_to && *q.created_to <= *q.created_from)
    fail(Code::invalid_argument, "created_to {} must be after created_from {}", to_unix_ms(*q.created_to),
         to_unix_ms(*q.created_from));
  if (q.text) check_text("text", *q.text, 200, true);
  if (q.due_before) check_instant("due_before", *q.due_before);
  std::vector<Part> parts = sight_parts(tx, who, view);

  OrderFilter base;
  base.org_id = who.org.value;
  base.order_type_id = checked_id(tx, who, q.order_type_id, "order_type_id");
  base.subtype_id = checked_id(tx, who, q.subtype_id, "subtype_id");
  base.assignee_id = checked_id(tx, who, q.assignee_id, "assignee_id");
  base.tenant_id = checked_id(tx, who, q.tenant_id, "tenant_id");
  base.reporter_contact_id = checked_id(tx, who, q.reporter_contact_id, "reporter_contact_id");
  base.reporter_staff_id = checked_id(tx, who, q.reporter_staff_id, "reporter_staff_id");
  if (q.created_from) base.created_from_ms = to_unix_ms(*q.created_from);
  if (q.created_to) base.created_to_ms = to_unix_ms(*q.created_to);
  base.text = q.text;
  const std::int32_t wanted = q.status_mask ? q.status_mask : every_status;

  std::vector<OrderFilter> out;
  for (const Part& part : parts) {
    OrderFilter f = base;
    const OrderFilter& p = part.filter;
    if (!narrow(f.order_type_id, p.order_type_id) || !narrow(f.assignee_id, p.assignee_id) ||
        !narrow(f.reporter_contact_id, p.reporter_contact_id) || !narrow(f.reporter_staff_id, p.reporter_staff_id))
      continue;
    f.held_by = p.held_by;
    const std::int32_t statuses = wanted & part.statuses;
    if (statuses == every_status) {
      out.push_back(f);
      continue;
    }
    // One filter per status keeps each one a single index range in created_at order.
    for (std::int32_t s = 0; s < 8; ++s)
      if (statuses & (1 << s)) {
        f.status = s;
        out.push_back(f);
      }
  }
  if (q.breached) out = narrowed(out, breached_terms(now));
  if (q.due_before) out = narrowed(out, due_terms(*q.due_before));
  return out;
}

std::vector<Order> merged_page(Transaction& tx, std::span<const OrderFilter> filters, const std::optional<OrderKey>& after,
                               bool newest_first, int limit) {
  std::vector<Order> all;
  for (const auto& f : filters)
    for (const auto& row : tx.select_orders(f, columns<Order>(), after, newest_first, limit))
      all.push_back(from_row<Order>(row));
  const auto before = [&](const Order& a, const Order& b) {
    return newest_first ? key_of(b) < key_of(a) : key_of(a) < key_of(b);
  };
  std::sort(all.begin(), all.end(), before);
  // An order can match two parts of a sight (held and reported by me): keep it once.
  all.erase(std::unique(all.begin(), all.end(), [](const Order& a, const Order& b) { return a.id == b.id; }), all.end());
  if (all.size() > static_cast<std::size_t>(limit)) all.resize(static_cast<std::size_t>(limit));
  return all;
}

Page<Order> Engine::list_orders(const Actor& actor, OrderView view, const OrderQuery& query, const std::string& cursor,
                                int limit) {
  check_limit(limit);
  std::optional<OrderKey> after;
  if (!cursor.empty()) after = decode_cursor(cursor, true);
  Page<Order> page;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    const Timestamp now = impl_->now();
    const auto filters = view_filters(tx, who, view, query, now);
    page.items = merged_page(tx, filters, after, true, limit + 1);
    project_for_reading(tx, page.items, now);
  });
  if (page.items.size() > static_cast<std::size_t>(limit)) {
    page.items.pop_back();
    page.next_cursor = encode_cursor(key_of(page.items.back()), true);
  }
  return page;
}

}  // namespace wo
