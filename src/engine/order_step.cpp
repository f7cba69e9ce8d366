// SPDX-License-Identifier: MIT
#include "engine/order_step.hpp"

#include "domain/concerns.hpp"
#include "domain/fail.hpp"
#include "domain/order_access.hpp"
#include "domain/text.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/row_mapping.hpp"
#include "engine/service_levels.hpp"
#include "engine/slot_booking.hpp"

namespace wo {

template <class T>
T load_in_org(Transaction& tx, OrgId org, std::int64_t id, std::string_view field) {
  auto row = tx.find(table_of<T>, columns<T>(), id);
  if (row) {
    T rec = from_row<T>(*row);
    if (rec.org_id == org) return rec;
  }
  fail(Code::not_found, "{} {} not found", field, id);
}
template OrderType load_in_org<OrderType>(Transaction&, OrgId, std::int64_t, std::string_view);
template Subtype load_in_org<Subtype>(Transaction&, OrgId, std::int64_t, std::string_view);
template ServiceSpec load_in_org<ServiceSpec>(Transaction&, OrgId, std::int64_t, std::string_view);
template ServiceItem load_in_org<ServiceItem>(Transaction&, OrgId, std::int64_t, std::string_view);
template LaborItem load_in_org<LaborItem>(Transaction&, OrgId, std::int64_t, std::string_view);
template Material load_in_org<Material>(Transaction&, OrgId, std::int64_t, std::string_view);
template Tenant load_in_org<Tenant>(Transaction&, OrgId, std::int64_t, std::string_view);
template Staff load_in_org<Staff>(Transaction&, OrgId, std::int64_t, std::string_view);
template Order load_in_org<Order>(Transaction&, OrgId, std::int64_t, std::string_view);
template Contact load_in_org<Contact>(Transaction&, OrgId, std::int64_t, std::string_view);

OrderSettings load_settings(Transaction& tx, OrgId org) {
  return from_row<OrderSettings>(*tx.find("order_settings", columns<OrderSettings>(), org.value));
}

Staff load_staff(Transaction& tx, OrgId org, StaffId id, std::string_view field) {
  return load_in_org<Staff>(tx, org, id.value, field);
}

void check_reason(std::string_view field, const std::string& text) { check_text(field, text, long_text_max, true); }

OrderStep open_step(Transaction& tx, const Who& who, OrderId id, Timestamp now) {
  auto row = tx.find("work_order", columns<Order>(), id.value);
  if (!row) fail(Code::not_found, "order {} not found", id.value);
  Order order = from_row<Order>(*row);
  if (!who.is_system() && order.org_id != who.org) fail(Code::not_found, "order {} not found", id.value);
  tx.prefetch("order_type", columns<OrderType>(), order.order_type_id.value);  // with the holder check
  bool held = false;
  if (who.is_staff() && !who.has(role_admin) && !who.has(role_dispatcher)) {
    static const std::vector<std::string_view> id_col{"id"};
    const Condition where[] = {{"order_id", Value{id.value}}, {"staff_id", Value{who.id}}};
    held = !tx.select("order_holder", id_col, where, 0, 1).empty();
  }
  auto type_row = tx.find("order_type", columns<OrderType>(), order.order_type_id.value);
  OrderStep step{tx, who, now, order, order, order.status, from_row<OrderType>(*type_row)};
  step.eligible = is_eligible(who, step.type);
  if (!can_see(who, order, step.eligible, held)) fail(Code::not_found, "order {} not found", id.value);
  step.parties = parties_of(who, order, step.eligible);
  return step;
}

void save_step(OrderStep& step, Action action, std::optional<Status> to, const EventNote& note) {
  Order& o = step.order;
  if (to) {  // entering a status, even the same one again (a transfer), restarts its timer
    move_step_clocks(step, *to);
    o.status = *to;
    o.status_since = step.now;
  }
  write_order_changes(step, action);
  append_event(step.tx, o, action, step.who, step.now, step.before, note);
}

void write_order_changes(OrderStep& step, Action action) {
  const Order& o = step.order;
  // Only the changed columns: an unchanged indexed column would still rewrite its index.
  const Row now_values = to_row(o), loaded_values = to_row(step.loaded);
  std::vector<std::string_view> changed_columns;
  Row changed_values;
  for (std::size_t i = 1; i < now_values.size(); ++i)
    if (now_values[i] != loaded_values[i]) {
      changed_columns.push_back(columns<Order>()[i]);
      changed_values.push_back(now_values[i]);
    }
  const Condition where[] = {{"status", Value{static_cast<std::int64_t>(step.before)}}};
  if (!changed_columns.empty() &&
      !step.tx.update_where("work_order", o.id.value, changed_columns, changed_values, where))
    fail(Code::conflict, "order {} changed while this {} was in progress", o.id.value, name_of(action));
}

void append_event(Transaction& tx, const Order& o, Action action, const Who& who, Timestamp now,
                  std::optional<Status> from, const EventNote& note) {
  OrderEvent e;
  e.org_id = o.org_id;
  e.order_id = o.id;
  e.action = action;
  e.actor_kind = static_cast<ActorKind>(who.kind);
  e.actor_id = who.id;
  e.at = now;
  e.from_status = from;
  e.to_status = o.status;
  e.staff_id = note.staff;
  e.amount = note.amount;
  e.details = note.details;
  const Concern c = note.concerns ? *note.concerns : concern_of(action, o, e.actor_kind, e.actor_id);
  e.concerns = c.audience;
  e.concerns_id = c.id;
  append_record(tx, "event", e);
}

void return_stock(OrderStep& step, MaterialId material, Qty qty) {
  if (!step.tx.add_bounded("material", material.value, "stock", qty.milli, 0))
    fail(Code::overflow, "returning qty {} to material {} would overflow its stock", qty.milli, material.value);
  record_movement(step, material, MovementKind::release, qty);
}

void record_movement(OrderStep& step, MaterialId material, MovementKind kind, Qty qty) {
  StockMovement m;
  m.org_id = step.order.org_id;
  m.material_id = material;
  m.movement_kind = kind;
  m.qty = qty;
  m.order_id = step.order.id;
  if (step.who.is_staff()) m.staff_id = StaffId{step.who.id};
  m.created_at = step.now;
  append_record(step.tx, "stock_movement", m);
}

void for_each_material_line(OrderStep& step, const std::function<void(const ChargeLine&)>& fn) {
  const Condition where[] = {{"order_id", Value{step.order.id.value}},
                             {"line_kind", Value{static_cast<std::int64_t>(LineKind::material)}},
                             {"removed", Value{std::int64_t{0}}},
                             {"consumed", Value{std::int64_t{0}}}};
  for (std::int64_t after = 0;;) {
    auto rows = step.tx.select("charge_line", columns<ChargeLine>(), where, after, max_page_size);
    for (const auto& row : rows) {
      const ChargeLine line = from_row<ChargeLine>(row);
      after = line.id;
      fn(line);
    }
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return;
  }
}

void release_holds(OrderStep& step) {
  if (step.order.slot_start) release_slot(step.tx, step.order.subtype_id, *step.order.slot_start);
  for_each_material_line(step, [&](const ChargeLine& line) {
    return_stock(step, MaterialId{line.item_id}, line.qty);
  });
}

}  // namespace wo
