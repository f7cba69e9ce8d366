// SPDX-License-Identifier: MIT
// Charge lines, payments and refunds (docs/rules.md §6): prices frozen on lines, stock reserved by a
// conditional write, payments idempotent by the provider's transaction id.
#include "domain/billing.hpp"
#include "domain/fail.hpp"
#include "domain/money_text.hpp"
#include "domain/rates.hpp"
#include "domain/text.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/dispatch.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"

namespace wo {
namespace {

void check_payment(const PaymentDraft& p) {
  if (static_cast<std::size_t>(p.channel) >= std::size(EnumRange<Channel>::names))
    fail(Code::invalid_argument, "channel has unknown value {}", static_cast<int>(p.channel));
  if (p.amount.minor <= 0) fail(Code::invalid_argument, "amount {} must be positive", p.amount.minor);
  if (p.provider_txn_id) check_text("provider_txn_id", *p.provider_txn_id, short_text_max, true);
}

void require_channel(Transaction& tx, OrgId org, Channel channel) {
  static const std::vector<std::string_view> cols{"enabled"};
  const Condition where[] = {{"org_id", Value{org.value}}, {"channel", Value{static_cast<std::int64_t>(channel)}}};
  auto rows = tx.select("payment_channel", cols, where, 0, 1);
  if (rows.empty() || std::get<std::int64_t>(rows[0][0]) == 0)
    fail(Code::channel_disabled, "channel {} is not enabled for this org", name_of(channel));
}

bool is_refund(PaymentKind k) { return k == PaymentKind::refund; }

// True when this provider transaction was already recorded for this order with the same
// amount (a retry: nothing to do); conflict when it was recorded differently.
bool already_recorded(Transaction& tx, const Who& who, OrderId order, PaymentKind kind, const PaymentDraft& p) {
  if (!p.provider_txn_id) return false;
  static const std::vector<std::string_view> cols{"order_id", "amount", "payment_kind"};
  const Condition where[] = {{"org_id", Value{who.org.value}}, {"provider_txn_id", Value{*p.provider_txn_id}}};
  for (std::int64_t after = 0;;) {
    auto rows = tx.select("payment", columns<Payment>(), where, after, max_page_size);
    for (const auto& row : rows) {
      const Payment existing = from_row<Payment>(row);
      after = existing.id;
      if (is_refund(existing.payment_kind) != is_refund(kind)) continue;
      // The message names nothing the caller may not see: another order is "another order".
      if (existing.order_id != order)
        fail(Code::conflict, "provider_txn_id '{}' was already recorded for another order", *p.provider_txn_id);
      if (existing.amount != p.amount || existing.payment_kind != kind)
        fail(Code::conflict, "provider_txn_id '{}' was already recorded for this order as a {} of {}, not a {} of {}",
             *p.provider_txn_id, name_of(existing.payment_kind), existing.amount.minor, name_of(kind), p.amount.minor);
      return true;
    }
    if (rows.size() < static_cast<std::size_t>(max_page_size)) return false;
  }
}

void record_payment(OrderStep& step, PaymentKind kind, const PaymentDraft& p) {
  Payment pay;
  pay.org_id = step.order.org_id;
  pay.order_id = step.order.id;
  pay.payment_kind = kind;
  pay.channel = p.channel;
  pay.amount = p.amount;
  pay.provider_txn_id = p.provider_txn_id;
  pay.recorded_by_kind = static_cast<ActorKind>(step.who.kind);
  pay.recorded_by_id = step.who.id;
  pay.created_at = step.now;
  append_record(step.tx, "payment", pay);
}

// A payment towards the balance moves the order on once nothing is owed.
void settle_if_paid(OrderStep& step, std::optional<Status> to) {
  if (to && *to != Status::awaiting_payment) step.order.settled_at = step.now;
  if (to && *to == Status::completed) step.order.completed_at = step.now;
}

struct Priced {
  std::string name;
  Money unit_price;
  std::optional<StaffId> staff;
};

Priced price_line(OrderStep& step, const LineDraft& d) {
  const Subtype subtype = load_in_org<Subtype>(step.tx, step.order.org_id, step.order.subtype_id.value, "subtype_id");
  if (d.line_kind != LineKind::service_item && !subtype.consumables_enabled)
    fail(Code::invalid_state, "subtype {} does not allow labor and material lines (consumables_enabled is 0)", subtype.id.value);
  switch (d.line_kind) {
    case LineKind::labor: {
      const LaborItem item = load_in_org<LaborItem>(step.tx, step.order.org_id, d.item_id, "item_id");
      if (!item.active) fail(Code::invalid_argument, "item_id {} is an inactive labor item", d.item_id);
      // Priced for the performing staff member: the assignee.
      const Staff performer = load_staff(step.tx, step.order.org_id, *step.order.assignee_id, "assignee_id");
      const auto rate = pick_labor_rate(active_rates(step.tx, item.id), item, performer.department_id, performer.position_id);
      if (!rate)
        fail(Code::not_found, "labor item {} '{}' has no rate for staff {}", item.id.value, item.name, performer.id.value);
      return {item.name, *rate, performer.id};
    }
    case LineKind::material: {
      const Material m = load_in_org<Material>(step.tx, step.order.org_id, d.item_id, "item_id");
      if (!m.active) fail(Code::invalid_argument, "item_id {} is an inactive material", d.item_id);
      if (!step.tx.add_bounded("material", m.id.value, "stock", -d.qty.milli, 0))
        fail(Code::out_of_stock, "material {} '{}' has {} {} in stock, {} needed: a requisition is needed (暂无库存请申领)",
             m.sku, m.name, qty_text(m.stock), m.unit, qty_text(d.qty));
      record_movement(step, m.id, MovementKind::reserve, Qty{-d.qty.milli});
      return {m.name, m.unit_price, std::nullopt};
    }
    case LineKind::service_item: {
      const ServiceItem item = load_in_org<ServiceItem>(step.tx, step.order.org_id, d.item_id, "item_id");
      if (item.subtype_id != step.order.subtype_id || !item.active)
        fail(Code::invalid_argument, "item_id {} is not an active service item of subtype {}", d.item_id,
             step.order.subtype_id.value);
      return {item.name, item.price, std::nullopt};
    }
  }
  fail(Code::invalid_argument, "line_kind has unknown value {}", static_cast<int>(d.line_kind));
}

}  // namespace

std::int64_t Engine::add_line(const Actor& actor, OrderId id, const LineDraft& d) {
  std::int64_t line_id = 0;
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::add_line, step.before, step.parties, {});
    if (static_cast<std::size_t>(d.line_kind) >= std::size(EnumRange<LineKind>::names))
      fail(Code::invalid_argument, "line_kind has unknown value {}", static_cast<int>(d.line_kind));
    if (d.qty.milli <= 0) fail(Code::invalid_argument, "qty {} must be positive (thousandths)", d.qty.milli);
    if (d.item_id <= 0) fail(Code::invalid_argument, "item_id {} is not a valid id", d.item_id);
    const Priced priced = price_line(step, d);
    ChargeLine line;
    line.org_id = step.order.org_id;
    line.order_id = id;
    line.line_kind = d.line_kind;
    line.item_id = d.item_id;
    line.staff_id = priced.staff;
    line.name = priced.name;
    line.unit_price = priced.unit_price;
    line.qty = d.qty;
    line.amount = line_amount(priced.unit_price, d.qty);
    line.created_at = step.now;
    step.order.lines_total = add("lines_total", step.order.lines_total, line.amount);
    (void)bill_of(step.order);  // throws overflow if the total no longer fits
    line_id = insert_record(step.tx, "charge_line", line);
    save_step(step, Action::add_line, t.to,
              {.amount = line.amount.minor,
               .details = fmt::format("{} line {}: {} × {} = {}", name_of(d.line_kind), line_id, line.name,
                                      qty_text(d.qty), money_text(line.amount, currency_exponent(step.tx, step.order.org_id)))});
  });
  return line_id;
}

void Engine::remove_line(const Actor& actor, OrderId id, std::int64_t line_id) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    const Transition& t = decide(Action::remove_line, step.before, step.parties, {});
    auto row = step.tx.find("charge_line", columns<ChargeLine>(), line_id);
    if (!row) fail(Code::not_found, "line_id {} not found", line_id);
    const ChargeLine line = from_row<ChargeLine>(*row);
    if (line.order_id != id || line.removed) fail(Code::not_found, "line_id {} not found on order {}", line_id, id.value);
    if (line.consumed)
      fail(Code::invalid_state, "line_id {} was consumed when the order was finished and stays on the bill", line_id);
    if (line.line_kind == LineKind::material) {
      return_stock(step, MaterialId{line.item_id}, line.qty);
    }
    static const std::vector<std::string_view> cols{"removed"};
    step.tx.update("charge_line", line_id, cols, Row{Value{std::int64_t{1}}});
    step.order.lines_total = step.order.lines_total - line.amount;
    save_step(step, Action::remove_line, t.to,
              {.amount = line.amount.minor, .details = fmt::format("removed line {}: {}", line_id, line.name)});
  });
}

void Engine::pay_prepayment(const Actor& actor, OrderId id, const PaymentDraft& p) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    if (already_recorded(step.tx, step.who, id, PaymentKind::prepayment, p)) return;
    const Transition& t = decide(Action::pay_prepayment, step.before, step.parties, {});
    check_payment(p);
    const Money due = step.order.prepay_due - step.order.paid;
    if (p.amount != due)
      fail(Code::payment_mismatch, "amount {} does not match the prepayment due {}", p.amount.minor, due.minor);
    require_channel(step.tx, step.order.org_id, p.channel);
    record_payment(step, PaymentKind::prepayment, p);
    step.order.paid = add("paid", step.order.paid, p.amount);
    step.order.prepaid_at = step.now;
    save_step(step, Action::pay_prepayment, t.to, {.amount = p.amount.minor, .details = name_of(p.channel)});
    dispatch_automatically(step);
  });
}

void Engine::pay(const Actor& actor, OrderId id, const PaymentDraft& p) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    if (already_recorded(step.tx, step.who, id, PaymentKind::payment, p)) return;
    permit(Action::pay, step.before, step.parties);
    check_payment(p);
    const Money balance = bill_of(step.order).balance;
    if (p.amount > balance)
      fail(Code::payment_mismatch, "amount {} is more than the balance {}", p.amount.minor, balance.minor);
    require_channel(step.tx, step.order.org_id, p.channel);
    record_payment(step, PaymentKind::payment, p);
    step.order.paid = add("paid", step.order.paid, p.amount);
    Facts facts;
    facts.balance_due = bill_of(step.order).balance > Money{0};
    facts.tenant_reporter = step.order.reporter_contact_id.has_value();
    const Transition& t = decide(Action::pay, step.before, step.parties, facts);
    settle_if_paid(step, t.to);
    save_step(step, Action::pay, t.to, {.amount = p.amount.minor, .details = name_of(p.channel)});
  });
}

void Engine::refund(const Actor& actor, OrderId id, const PaymentDraft& p) {
  run_step(*impl_, actor, id, [&](OrderStep& step) {
    if (already_recorded(step.tx, step.who, id, PaymentKind::refund, p)) return;
    const Transition& t = decide(Action::refund, step.before, step.parties, {});
    check_payment(p);
    const Money due = bill_of(step.order).refund_due;
    if (p.amount > due) fail(Code::payment_mismatch, "amount {} is more than the refund due {}", p.amount.minor, due.minor);
    record_payment(step, PaymentKind::refund, p);
    step.order.refunded = add("refunded", step.order.refunded, p.amount);
    save_step(step, Action::refund, t.to, {.amount = p.amount.minor, .details = name_of(p.channel)});
  });
}

}  // namespace wo
