// SPDX-License-Identifier: MIT
// What an order costs and who owes what (docs/rules.md §6). Pure functions over frozen amounts.
#pragma once
#include "workorder/catalog.hpp"
#include "workorder/order.hpp"

namespace wo {

// Due at submit: prepay_full → the spec price; prepay_deposit → the deposit rule (never
// more than the spec price); otherwise, or when the org pays, 0.
Money prepayment_due(const Subtype& subtype, Money spec_price, Payer payer);

// Whether the tenant pays for this order at all.
bool tenant_pays(const Order& order);

Bill bill_of(const Order& order);

}  // namespace wo
