// SPDX-License-Identifier: MIT
// Money is int64 minor units of the org's currency; quantities are int64 thousandths.
// Every operation checks overflow and throws Error{Code::overflow}; rounding is half up
// (half away from zero) and happens only in round_div.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace wo {

struct Money {
  std::int64_t minor = 0;
  constexpr auto operator<=>(const Money&) const = default;
};

// Quantity in thousandths: 1.5 hours = Qty{1500}.
struct Qty {
  std::int64_t milli = 0;
  constexpr auto operator<=>(const Qty&) const = default;
};

// 128-bit intermediate for products of two int64 values (a GCC/Clang extension).
__extension__ typedef __int128 Wide;

// The overflow message names what is computed and both operands: "total 9223372036854775800
// + 100 overflows a 64-bit integer". The operators name it "amount" or "qty".
Money add(std::string_view what, Money a, Money b);
Money subtract(std::string_view what, Money a, Money b);
Money operator+(Money a, Money b);
Money operator-(Money a, Money b);
Qty operator+(Qty a, Qty b);
Qty operator-(Qty a, Qty b);

// numerator / denominator rounded half away from zero; denominator > 0.
// Throws Error{overflow} when the result does not fit int64.
std::int64_t round_div(Wide numerator, std::int64_t denominator);

// unit price × quantity / 1000, rounded half up: the amount of a charge line.
Money line_amount(Money unit_price, Qty quantity);

// base × basis points / 10000, rounded half up (10000 bp = 100 %).
Money basis_points_of(Money base, std::int64_t basis_points);

// ISO 4217 minor units of a currency code ("CNY" -> 2, "JPY" -> 0); nullopt if unknown.
std::optional<int> currency_minor_units(std::string_view code) noexcept;

}  // namespace wo
