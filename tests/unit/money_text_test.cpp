// SPDX-License-Identifier: MIT
// Amounts and quantities as text (domain/money_text.hpp): the one formatter of history
// details, the CSV export and messages.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "domain/money_text.hpp"
#include "workorder/errors.hpp"
#include "workorder/money.hpp"

using wo::Money;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

int exponent_of(std::string_view currency) {
  const auto e = wo::currency_minor_units(currency);
  REQUIRE(e.has_value());
  return *e;
}

std::string money(std::int64_t minor, std::string_view currency) { return wo::money_text(Money{minor}, exponent_of(currency)); }

}  // namespace

TEST_CASE("money is written in major units with the currency's exponent") {
  CHECK(money(12345, "CNY") == "123.45");
  CHECK(money(0, "CNY") == "0.00");
  CHECK(money(5, "CNY") == "0.05");
  CHECK(money(50, "CNY") == "0.50");
  CHECK(money(100, "CNY") == "1.00");
  CHECK(money(-5, "CNY") == "-0.05");
  CHECK(money(-12345, "CNY") == "-123.45");
  SUBCASE("zero-exponent currencies have no point") {
    CHECK(money(7, "JPY") == "7");
    CHECK(money(0, "JPY") == "0");
    CHECK(money(-1500, "KRW") == "-1500");
  }
  SUBCASE("three-exponent currencies") {
    CHECK(money(1234, "BHD") == "1.234");
    CHECK(money(5, "KWD") == "0.005");
    CHECK(money(-1000, "OMR") == "-1.000");
  }
  SUBCASE("every int64 is exact, including the minimum whose magnitude int64 cannot hold") {
    CHECK(money(int64_max, "CNY") == "92233720368547758.07");
    CHECK(money(int64_min, "CNY") == "-92233720368547758.08");
    CHECK(money(int64_max, "JPY") == "9223372036854775807");
    CHECK(money(int64_min, "JPY") == "-9223372036854775808");
    CHECK(money(int64_min, "BHD") == "-9223372036854775.808");
    CHECK(wo::money_text(Money{int64_min}, 18) == "-9.223372036854775808");
    CHECK(wo::money_text(Money{1}, 18) == "0.000000000000000001");
  }
  SUBCASE("an exponent outside 0..18 is refused, naming it") {
    for (int e : {-1, 19}) {
      CAPTURE(e);
      try {
        wo::money_text(Money{1}, e);
        FAIL("accepted");
      } catch (const wo::Error& err) {
        CHECK(err.code() == wo::Code::invalid_argument);
        CHECK(std::string(err.what()).find("exponent " + std::to_string(e)) != std::string::npos);
      }
    }
  }
}

TEST_CASE("quantities are written in units with three decimals") {
  CHECK(wo::qty_text(wo::Qty{1500}) == "1.500");
  CHECK(wo::qty_text(wo::Qty{5}) == "0.005");
  CHECK(wo::qty_text(wo::Qty{-250}) == "-0.250");
  CHECK(wo::qty_text(wo::Qty{int64_min}) == "-9223372036854775.808");
}
