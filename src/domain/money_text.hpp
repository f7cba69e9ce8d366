// SPDX-License-Identifier: MIT
// Amounts and quantities as text, the one way the library writes them (history details, the
// CSV export, messages): integers with a fixed number of decimals, exact for every int64.
#pragma once
#include <string>

#include "workorder/money.hpp"

namespace wo {

// The amount in major units with `exponent` decimals ("123.45", "-0.05", "7"); exponent is
// the currency's minor units (0..18, else invalid_argument).
std::string money_text(Money amount, int exponent);

// The quantity in units with three decimals ("1.500", "-0.250").
std::string qty_text(Qty quantity);

}  // namespace wo
