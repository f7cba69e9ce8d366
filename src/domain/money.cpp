// SPDX-License-Identifier: MIT
#include "workorder/money.hpp"

#include <array>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "domain/fail.hpp"

namespace wo {
namespace {

bool fits(Wide v) {
  return v <= std::numeric_limits<std::int64_t>::max() && v >= std::numeric_limits<std::int64_t>::min();
}

std::int64_t checked(std::string_view what, std::int64_t a, char op, std::int64_t b) {
  const Wide v = op == '+' ? Wide{a} + b : Wide{a} - b;
  if (!fits(v)) fail(Code::overflow, "{} {} {} {} overflows a 64-bit integer", what, a, op, b);
  return static_cast<std::int64_t>(v);
}

// numerator / denominator rounded half away from zero, or nullopt when it does not fit.
std::optional<std::int64_t> rounded_quotient(Wide numerator, std::int64_t denominator) {
  const bool negative = numerator < 0;
  const Wide magnitude = negative ? -numerator : numerator;
  const Wide rounded = (magnitude + denominator / 2) / denominator;  // half away from zero
  const Wide v = negative ? -rounded : rounded;
  if (!fits(v)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace

Money add(std::string_view what, Money a, Money b) { return Money{checked(what, a.minor, '+', b.minor)}; }
Money subtract(std::string_view what, Money a, Money b) { return Money{checked(what, a.minor, '-', b.minor)}; }
Money operator+(Money a, Money b) { return add("amount", a, b); }
Money operator-(Money a, Money b) { return subtract("amount", a, b); }
Qty operator+(Qty a, Qty b) { return Qty{checked("qty", a.milli, '+', b.milli)}; }
Qty operator-(Qty a, Qty b) { return Qty{checked("qty", a.milli, '-', b.milli)}; }

std::int64_t round_div(Wide numerator, std::int64_t denominator) {
  const auto v = rounded_quotient(numerator, denominator);
  if (!v) fail(Code::overflow, "a quotient by {} overflows a 64-bit integer", denominator);
  return *v;
}

Money line_amount(Money unit_price, Qty quantity) {
  const auto v = rounded_quotient(Wide{unit_price.minor} * quantity.milli, 1000);
  if (!v) fail(Code::overflow, "amount = unit_price {} × qty {} / 1000 overflows a 64-bit integer", unit_price.minor, quantity.milli);
  return Money{*v};
}

Money basis_points_of(Money base, std::int64_t basis_points) {
  const auto v = rounded_quotient(Wide{base.minor} * basis_points, 10000);
  if (!v) fail(Code::overflow, "{} basis points of {} overflow a 64-bit integer", basis_points, base.minor);
  return Money{*v};
}

std::optional<int> currency_minor_units(std::string_view code) noexcept {
  // ISO 4217 currencies a property-management org may bill in; the table is the contract.
  static constexpr std::array<std::pair<std::string_view, int>, 40> table{{
      {"AED", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0},
      {"CNY", 2}, {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2},
      {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KRW", 0},
      {"KWD", 3}, {"MOP", 2}, {"MXN", 2}, {"MYR", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3},
      {"PHP", 2}, {"PLN", 2}, {"QAR", 2}, {"RUB", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2},
      {"THB", 2}, {"TRY", 2}, {"TWD", 2}, {"USD", 2}, {"VND", 0},
  }};
  for (const auto& [c, units] : table)
    if (c == code) return units;
  return std::nullopt;
}

}  // namespace wo
