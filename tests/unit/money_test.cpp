// SPDX-License-Identifier: MIT
// docs/rules.md §6: money is integer minor units, quantities thousandths; line amounts and basis points
// round half up (half away from zero); overflow anywhere is an error, never a wrapped number.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "workorder/errors.hpp"
#include "workorder/money.hpp"

namespace {

constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t min64 = std::numeric_limits<std::int64_t>::min();

// Runs f, which must throw wo::Error with Code::overflow.
template <class F>
void check_overflow(F&& f) {
  bool thrown = false;
  try {
    f();
  } catch (const wo::Error& e) {
    thrown = true;
    CHECK(e.code() == wo::Code::overflow);
  }
  CHECK(thrown);
}

wo::Money m(std::int64_t v) { return wo::Money{v}; }
wo::Qty q(std::int64_t v) { return wo::Qty{v}; }

}  // namespace

TEST_CASE("line_amount is unit price x quantity / 1000") {
  CHECK(wo::line_amount(m(5000), q(1000)).minor == 5000);   // 50.00 x 1
  CHECK(wo::line_amount(m(8000), q(1500)).minor == 12000);  // 80.00/h x 1.5 h
  CHECK(wo::line_amount(m(0), q(123456)).minor == 0);
  CHECK(wo::line_amount(m(123456), q(0)).minor == 0);
  CHECK(wo::line_amount(m(1), q(1)).minor == 0);            // 0.001 rounds to 0
}

TEST_CASE("line_amount rounds half up") {
  // 3333 x 1.5 = 4999.5 -> 5000
  CHECK(wo::line_amount(m(3333), q(1500)).minor == 5000);
  // exactly .5: 1 x 0.5 = 0.5 -> 1; 3 x 0.5 = 1.5 -> 2; 5 x 0.5 = 2.5 -> 3 (not banker's 2)
  CHECK(wo::line_amount(m(1), q(500)).minor == 1);
  CHECK(wo::line_amount(m(3), q(500)).minor == 2);
  CHECK(wo::line_amount(m(5), q(500)).minor == 3);
  // just below and above .5
  CHECK(wo::line_amount(m(1), q(499)).minor == 0);   // 0.499 -> 0
  CHECK(wo::line_amount(m(1), q(501)).minor == 1);   // 0.501 -> 1
  CHECK(wo::line_amount(m(999), q(1)).minor == 1);   // 0.999 -> 1
  CHECK(wo::line_amount(m(1499), q(1)).minor == 1);  // 1.499 -> 1
  CHECK(wo::line_amount(m(1500), q(1)).minor == 2);  // 1.5 -> 2
  // 12.34 per unit x 0.333 = 4.10922 -> 4.11
  CHECK(wo::line_amount(m(1234), q(333)).minor == 411);
}

TEST_CASE("line_amount rounds a negative half away from zero") {
  CHECK(wo::line_amount(m(-1), q(500)).minor == -1);     // -0.5 -> -1
  CHECK(wo::line_amount(m(1), q(-500)).minor == -1);     // -0.5 -> -1
  CHECK(wo::line_amount(m(-5), q(500)).minor == -3);     // -2.5 -> -3
  CHECK(wo::line_amount(m(-3333), q(1500)).minor == -5000);
  CHECK(wo::line_amount(m(-1), q(499)).minor == 0);      // -0.499 -> 0
  CHECK(wo::line_amount(m(-1), q(501)).minor == -1);     // -0.501 -> -1
  CHECK(wo::line_amount(m(-1), q(-500)).minor == 1);     // +0.5 -> 1
}

TEST_CASE("line_amount uses a wide intermediate: a product past int64 is fine if the result fits") {
  // max64 x 1000 overflows int64 but / 1000 is max64 again.
  CHECK(wo::line_amount(m(max64), q(1000)).minor == max64);
  CHECK(wo::line_amount(m(min64), q(1000)).minor == min64);
  CHECK(wo::line_amount(m(max64), q(500)).minor == max64 / 2 + 1);  // x.5 rounds up
}

TEST_CASE("line_amount overflow throws Code::overflow") {
  check_overflow([] { wo::line_amount(m(max64), q(1001)); });
  check_overflow([] { wo::line_amount(m(max64), q(max64)); });
  check_overflow([] { wo::line_amount(m(min64), q(max64)); });
  check_overflow([] { wo::line_amount(m(max64 / 2), q(3000)); });
}

TEST_CASE("basis_points_of rounds half up") {
  CHECK(wo::basis_points_of(m(10000), 3000).minor == 3000);   // 30 % of 100.00
  CHECK(wo::basis_points_of(m(5000), 10000).minor == 5000);   // 100 %
  CHECK(wo::basis_points_of(m(5000), 0).minor == 0);
  CHECK(wo::basis_points_of(m(1), 5000).minor == 1);          // 0.5 -> 1
  CHECK(wo::basis_points_of(m(1), 4999).minor == 0);          // 0.4999 -> 0
  CHECK(wo::basis_points_of(m(3), 5000).minor == 2);          // 1.5 -> 2
  CHECK(wo::basis_points_of(m(5), 5000).minor == 3);          // 2.5 -> 3
  CHECK(wo::basis_points_of(m(3333), 1500).minor == 500);     // 499.95 -> 500
  CHECK(wo::basis_points_of(m(3333), 3333).minor == 1111);    // 1110.8889 -> 1111
  CHECK(wo::basis_points_of(m(9999), 1).minor == 1);          // 0.9999 -> 1
  CHECK(wo::basis_points_of(m(-1), 5000).minor == -1);        // -0.5 -> -1
  CHECK(wo::basis_points_of(m(-5), 5000).minor == -3);        // -2.5 -> -3
  CHECK(wo::basis_points_of(m(max64), 10000).minor == max64);
}

TEST_CASE("basis_points_of overflow throws Code::overflow") {
  check_overflow([] { wo::basis_points_of(m(max64), 10001); });
  check_overflow([] { wo::basis_points_of(m(max64), max64); });
  check_overflow([] { wo::basis_points_of(m(min64), 20000); });
}

TEST_CASE("Money and Qty + and - check overflow") {
  CHECK((m(1) + m(2)).minor == 3);
  CHECK((m(1) - m(2)).minor == -1);
  CHECK((m(max64 - 1) + m(1)).minor == max64);
  CHECK((m(min64 + 1) - m(1)).minor == min64);
  CHECK((q(1500) + q(500)).milli == 2000);
  CHECK((q(1500) - q(2000)).milli == -500);

  check_overflow([] { (void)(m(max64) + m(1)); });
  check_overflow([] { (void)(m(min64) + m(-1)); });
  check_overflow([] { (void)(m(min64) - m(1)); });
  check_overflow([] { (void)(m(max64) - m(-1)); });
  check_overflow([] { (void)(m(0) - m(min64)); });
  check_overflow([] { (void)(q(max64) + q(1)); });
  check_overflow([] { (void)(q(min64) - q(1)); });
}

TEST_CASE("round_div rounds half away from zero and checks the result") {
  CHECK(wo::round_div(15, 10) == 2);
  CHECK(wo::round_div(14, 10) == 1);
  CHECK(wo::round_div(-15, 10) == -2);
  CHECK(wo::round_div(-14, 10) == -1);
  CHECK(wo::round_div(0, 7) == 0);
  check_overflow([] { wo::round_div(wo::Wide{max64} * 4, 2); });
}

TEST_CASE("overflow errors carry a message and the overflow code") {
  try {
    (void)(m(max64) + m(1));
    FAIL("no exception");
  } catch (const wo::Error& e) {
    CHECK(e.code() == wo::Code::overflow);
    CHECK(std::string(e.what()).size() > 0);
  }
}

TEST_CASE("currency_minor_units") {
  CHECK(wo::currency_minor_units("CNY") == 2);
  CHECK(wo::currency_minor_units("USD") == 2);
  CHECK(wo::currency_minor_units("EUR") == 2);
  CHECK(wo::currency_minor_units("JPY") == 0);
  CHECK(wo::currency_minor_units("KRW") == 0);
  CHECK(wo::currency_minor_units("KWD") == 3);
  CHECK(wo::currency_minor_units("BHD") == 3);
  CHECK_FALSE(wo::currency_minor_units("XXX").has_value());
  CHECK_FALSE(wo::currency_minor_units("").has_value());
  CHECK_FALSE(wo::currency_minor_units("cny").has_value());  // codes are upper case
  CHECK_FALSE(wo::currency_minor_units("CNYX").has_value());
  CHECK_FALSE(wo::currency_minor_units("CN").has_value());
}

TEST_CASE("an overflow names what was computed and its operands (docs/rules.md §9)") {
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const wo::Error& e) {
      CHECK(e.code() == wo::Code::overflow);
      return std::string(e.what());
    }
    FAIL("no overflow");
    return std::string();
  };
  CHECK(message([] { (void)(m(max64) + m(1)); }) == "amount 9223372036854775807 + 1 overflows a 64-bit integer");
  CHECK(message([] { (void)(m(min64) - m(1)); }) == "amount -9223372036854775808 - 1 overflows a 64-bit integer");
  CHECK(message([] { (void)wo::add("lines_total", m(max64), m(2)); }) ==
        "lines_total 9223372036854775807 + 2 overflows a 64-bit integer");
  CHECK(message([] { (void)(q(max64) + q(3)); }) == "qty 9223372036854775807 + 3 overflows a 64-bit integer");
  CHECK(message([] { (void)wo::line_amount(m(max64), q(2000)); }) ==
        "amount = unit_price 9223372036854775807 × qty 2000 / 1000 overflows a 64-bit integer");
  CHECK(message([] { (void)wo::basis_points_of(m(max64), 20000); }) ==
        "20000 basis points of 9223372036854775807 overflow a 64-bit integer");
}
