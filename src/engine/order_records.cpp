// SPDX-License-Identifier: MIT
// Order records (订单记录, docs/rules.md §8): the orders the actor sees, oldest first, as export rows,
// keyset-paged like the lists; and their CSV export (docs/export.md).
#include <map>
#include <utility>

#include "domain/billing.hpp"
#include "domain/csv.hpp"
#include "domain/cursor.hpp"
#include "domain/fail.hpp"
#include "domain/money_text.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/context.hpp"
#include "engine/order_lists.hpp"
#include "engine/row_mapping.hpp"

namespace wo {
namespace {

// Names of catalog rows, each read once per call: a catalog is small next to the orders, so
// a page or a whole export costs one find per distinct type, subtype, staff member and
// contact, never one per order.
class Names {
 public:
  explicit Names(Transaction& tx) : tx_(tx) {}

  template <class Tag>
  const std::string& of(Id<Tag> id) {
    const Key key{Tag::table, id.value};
    auto it = names_.find(key);
    if (it == names_.end()) {
      static const std::vector<std::string_view> cols{"name"};
      const auto row = tx_.find(Tag::table, cols, id.value);
      if (!row) fail(Code::internal, "{} {} named by an order is missing", Tag::table, id.value);
      it = names_.emplace(key, std::get<std::string>((*row)[0])).first;
    }
    return it->second;
  }

 private:
  using Key = std::pair<std::string_view, std::int64_t>;
  Transaction& tx_;
  std::map<Key, std::string> names_;
};

// docs/export.md: the rating while the order stands rated (a reopen clears it), else whether
// it was cancelled.
std::string result_of(const Order& o) {
  if (o.rating) {
    if (o.rating_comment && !o.rating_comment->empty()) return fmt::format("rated {}: {}", *o.rating, *o.rating_comment);
    return fmt::format("rated {}", *o.rating);
  }
  return o.status == Status::cancelled ? "cancelled" : "";
}

OrderRecord record_of(const Order& o, Names& names) {
  OrderRecord r;
  r.id = o.id;
  r.number = o.number;
  r.order_type = names.of(o.order_type_id);
  r.subtype = names.of(o.subtype_id);
  r.content = o.description;
  r.status = o.status;
  if (o.reporter_contact_id) r.reporter = names.of(*o.reporter_contact_id);
  else if (o.reporter_staff_id) r.reporter = names.of(*o.reporter_staff_id);
  if (o.assignee_id) r.responsible = names.of(*o.assignee_id);
  r.created_at = o.created_at;
  r.accepted_at = o.accepted_at;
  r.finished_at = o.finished_at;
  r.completed_at = o.completed_at;
  r.result = result_of(o);
  const Bill bill = bill_of(o);
  r.total = bill.total;
  r.paid = o.paid;
  r.refunded = o.refunded;
  r.balance = bill.balance;
  return r;
}

// The CSV columns, in order (docs/export.md).
constexpr std::string_view csv_header[] = {"number",      "order_type",  "subtype",      "content",
                                           "status",      "reporter",    "responsible",  "created_at",
                                           "accepted_at", "finished_at", "completed_at", "result",
                                           "total",       "paid",        "refunded",     "balance"};

// How an org writes times and amounts.
struct Locale {
  const date::time_zone* zone;
  int exponent;
};

Locale locale_of(Transaction& tx, OrgId org_id) {
  static const std::vector<std::string_view> cols{"time_zone", "currency"};
  const auto row = tx.find("org", cols, org_id.value);
  if (!row) fail(Code::internal, "org {} is missing", org_id.value);
  return {&find_time_zone("time_zone", std::get<std::string>((*row)[0])),
          currency_exponent(org_id, std::get<std::string>((*row)[1]))};
}

void write_record(CsvWriter& out, const OrderRecord& r, const Locale& locale) {
  const auto time = [&](const std::optional<Timestamp>& t) { return t ? local_time_text(*locale.zone, *t) : std::string(); };
  const auto money = [&](Money m) { return money_text(m, locale.exponent); };
  const std::string created = time(r.created_at), accepted = time(r.accepted_at), finished = time(r.finished_at),
                    completed = time(r.completed_at), total = money(r.total), paid = money(r.paid),
                    refunded = money(r.refunded), balance = money(r.balance);
  const std::string_view fields[] = {r.number,  r.order_type, r.subtype, r.content,  name_of(r.status),
                                     r.reporter, r.responsible ? std::string_view(*r.responsible) : std::string_view(),
                                     created,   accepted,     finished,  completed,  r.result,
                                     total,     paid,         refunded,  balance};
  static_assert(std::size(fields) == std::size(csv_header));
  out.row(fields);
}

}  // namespace

Page<OrderRecord> Engine::order_records(const Actor& actor, const OrderQuery& query, const std::string& cursor,
                                        int limit) {
  check_limit(limit);
  std::optional<OrderKey> after;
  if (!cursor.empty()) after = decode_cursor(cursor, false);
  Page<OrderRecord> page;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    const auto filters = view_filters(tx, who, OrderView::all, query, impl_->now());
    auto orders = merged_page(tx, filters, after, false, limit + 1);
    if (orders.size() > static_cast<std::size_t>(limit)) {
      orders.pop_back();
      page.next_cursor = encode_cursor(key_of(orders.back()), false);
    }
    Names names(tx);
    page.items.reserve(orders.size());
    for (const auto& o : orders) page.items.push_back(record_of(o, names));
  });
  return page;
}

void Engine::export_csv(const Actor& actor, const OrderQuery& query, const std::function<void(std::string_view)>& sink) {
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    const auto filters = view_filters(tx, who, OrderView::all, query, impl_->now());
    const Locale locale = locale_of(tx, who.org);
    CsvWriter out(sink);
    out.row(csv_header);
    Names names(tx);
    // Page by page in one transaction: at most one page of orders is held at a time.
    std::optional<OrderKey> after;
    for (;;) {
      const auto orders = merged_page(tx, filters, after, false, max_page_size);
      for (const auto& o : orders) write_record(out, record_of(o, names), locale);
      if (orders.size() < static_cast<std::size_t>(max_page_size)) break;
      after = key_of(orders.back());
    }
    out.flush();
  });
}

}  // namespace wo
