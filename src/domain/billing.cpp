// SPDX-License-Identifier: MIT
#include "domain/billing.hpp"

#include <algorithm>

namespace wo {

Money prepayment_due(const Subtype& subtype, Money spec_price, Payer payer) {
  if (payer != Payer::tenant) return Money{0};
  switch (subtype.charge_mode) {
    case ChargeMode::prepay_full:
      return spec_price;
    case ChargeMode::prepay_deposit:
      if (subtype.deposit_fixed) return std::min(*subtype.deposit_fixed, spec_price);
      if (subtype.deposit_bps) return basis_points_of(spec_price, *subtype.deposit_bps);
      return Money{0};
    default:
      return Money{0};
  }
}

bool tenant_pays(const Order& order) { return order.payer == Payer::tenant && order.charge_mode != ChargeMode::free; }

Bill bill_of(const Order& order) {
  Bill b;
  b.total = add("total = spec_price + lines_total:", order.spec_price, order.lines_total);
  b.owed = tenant_pays(order) && order.status != Status::cancelled ? b.total : Money{0};
  b.balance = add("balance:", subtract("balance = owed - paid:", b.owed, order.paid), order.refunded);
  const bool fixed = order.status == Status::awaiting_payment || order.status == Status::awaiting_rating ||
                     order.status == Status::completed || order.status == Status::cancelled;
  b.refund_due = fixed && b.balance < Money{0} ? Money{0} - b.balance : Money{0};
  return b;
}

}  // namespace wo
