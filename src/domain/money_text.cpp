// SPDX-License-Identifier: MIT
#include "domain/money_text.hpp"

#include <cstdint>

#include "domain/fail.hpp"

namespace wo {
namespace {

std::string decimal_text(std::int64_t value, int exponent) {
  // The magnitude as unsigned, so INT64_MIN has one too.
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  const auto places = static_cast<std::size_t>(exponent);
  if (places > 0) {
    if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');  // "5" → "0.05"
    digits.insert(digits.size() - places, 1, '.');
  }
  return negative ? "-" + digits : digits;
}

}  // namespace

std::string money_text(Money amount, int exponent) {
  if (exponent < 0 || exponent > 18) fail(Code::invalid_argument, "exponent {} must be between 0 and 18", exponent);
  return decimal_text(amount.minor, exponent);
}

std::string qty_text(Qty quantity) { return decimal_text(quantity.milli, 3); }

}  // namespace wo
