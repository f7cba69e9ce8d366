// SPDX-License-Identifier: MIT
// Reading one order back: the record, its bill, attachments, lines, payments and timeline.
#include "domain/billing.hpp"
#include "domain/fail.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"
#include "engine/service_levels.hpp"

namespace wo {
namespace {

// Every row of `table` belonging to the order, in id order, read in pages.
template <class T>
std::vector<T> all_of_order(Transaction& tx, std::string_view table, OrderId order) {
  std::vector<T> out;
  const Condition where[] = {{"order_id", Value{order.value}}};
  for (std::int64_t after = 0;;) {
    auto rows = tx.select(table, columns<T>(), where, after, max_page_size);
    for (auto& r : rows) out.push_back(from_row<T>(r));
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return out;
    after = std::get<std::int64_t>(rows.back()[0]);
  }
}

// Runs body with the order as the actor sees it, in one read transaction.
template <class Body>
void read_order(Engine::Impl& impl, const Actor& actor, OrderId id, Body&& body) {
  impl.store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    OrderStep step = open_step(tx, who, id, impl.now());
    body(step);
  });
}

}  // namespace

Order Engine::get_order(const Actor& actor, OrderId id) {
  Order o;
  read_order(*impl_, actor, id, [&](OrderStep& step) {
    o = step.order;
    project_for_reading(step.tx, {&o, 1}, step.now);
  });
  return o;
}

Bill Engine::get_bill(const Actor& actor, OrderId id) { return bill_of(get_order(actor, id)); }

std::vector<std::string> Engine::attachments(const Actor& actor, OrderId id) {
  std::vector<std::string> out;
  read_order(*impl_, actor, id, [&](OrderStep& step) {
    static const std::vector<std::string_view> cols{"id", "value"};
    const Condition where[] = {{"order_id", Value{id.value}}};
    for (auto& row : step.tx.select("order_attachment", cols, where, 0, max_attachments))
      out.push_back(std::get<std::string>(row[1]));
  });
  return out;
}

std::vector<ChargeLine> Engine::lines(const Actor& actor, OrderId id) {
  std::vector<ChargeLine> out;
  read_order(*impl_, actor, id, [&](OrderStep& step) { out = all_of_order<ChargeLine>(step.tx, "charge_line", id); });
  return out;
}

std::vector<Payment> Engine::payments(const Actor& actor, OrderId id) {
  std::vector<Payment> out;
  read_order(*impl_, actor, id, [&](OrderStep& step) { out = all_of_order<Payment>(step.tx, "payment", id); });
  return out;
}

OrderDetail Engine::order_detail(const Actor& actor, OrderId id) {
  OrderDetail d;
  read_order(*impl_, actor, id, [&](OrderStep& step) {
    d.order = step.order;
    project_for_reading(step.tx, {&d.order, 1}, step.now);
    d.bill = bill_of(step.order);
    static const std::vector<std::string_view> cols{"id", "value"};
    const Condition where[] = {{"order_id", Value{id.value}}};
    for (auto& row : step.tx.select("order_attachment", cols, where, 0, max_attachments))
      d.attachments.push_back(std::get<std::string>(row[1]));
    d.lines = all_of_order<ChargeLine>(step.tx, "charge_line", id);
    d.payments = all_of_order<Payment>(step.tx, "payment", id);
    d.history = all_of_order<OrderEvent>(step.tx, "event", id);
    for (const auto& e : d.history)
      if (e.action == Action::message) d.messages.push_back(e);
  });
  return d;
}

std::vector<OrderEvent> Engine::timeline(const Actor& actor, OrderId id, std::int64_t after, int limit) {
  if (limit < 1 || limit > max_page_size)
    fail(Code::invalid_argument, "limit {} must be between 1 and {}", limit, max_page_size);
  std::vector<OrderEvent> out;
  read_order(*impl_, actor, id, [&](OrderStep& step) {
    const Condition where[] = {{"order_id", Value{id.value}}};
    for (auto& r : step.tx.select("event", columns<OrderEvent>(), where, after, limit)) out.push_back(from_row<OrderEvent>(r));
  });
  return out;
}

}  // namespace wo
