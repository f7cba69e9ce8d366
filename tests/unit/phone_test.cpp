// SPDX-License-Identifier: MIT
// docs/rules.md §1: phones are normalised (spaces, dashes, brackets removed; leading + kept) before
// storing and matching. phone.hpp: dots too; 3–20 digits; errors name the field and the value.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "workorder/errors.hpp"
#include "workorder/phone.hpp"

namespace {

// normalize_phone must reject raw with invalid_argument and a message naming field and raw.
void check_rejected(std::string_view field, std::string_view raw) {
  CAPTURE(raw);
  bool thrown = false;
  try {
    const std::string got = wo::normalize_phone(field, raw);
    CAPTURE(got);
  } catch (const wo::Error& e) {
    thrown = true;
    CHECK(e.code() == wo::Code::invalid_argument);
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(message.find(field) != std::string::npos);
    // what() is a C string: a value with an embedded NUL shows up to the NUL
    CHECK(message.find(raw.substr(0, raw.find('\0'))) != std::string::npos);
  }
  CHECK(thrown);
}

}  // namespace

TEST_CASE("normalize_phone strips spaces, dashes, brackets and dots") {
  CHECK(wo::normalize_phone("phone", "13800138000") == "13800138000");
  CHECK(wo::normalize_phone("phone", "138 0013 8000") == "13800138000");
  CHECK(wo::normalize_phone("phone", "138-0013-8000") == "13800138000");
  CHECK(wo::normalize_phone("phone", "(010) 6552-9988") == "01065529988");
  CHECK(wo::normalize_phone("phone", "010.6552.9988") == "01065529988");
  CHECK(wo::normalize_phone("phone", " 1 3 8 - ( 0 0 ) . 13 8000 ") == "13800138000");
}

TEST_CASE("normalize_phone keeps a leading +") {
  CHECK(wo::normalize_phone("phone", "+86 138 0013 8000") == "+8613800138000");
  CHECK(wo::normalize_phone("phone", "+1 (212) 555-0100") == "+12125550100");
  CHECK(wo::normalize_phone("phone", "  +44 20 7946 0958") == "+442079460958");  // + after stripped spaces
  CHECK(wo::normalize_phone("phone", "(+86) 10 6552 9988") == "+861065529988");
}

TEST_CASE("normalised forms of the same number are equal (matching)") {
  const auto a = wo::normalize_phone("phone", "+86 138-0013-8000");
  const auto b = wo::normalize_phone("phone", "+86(138)0013.8000");
  CHECK(a == b);
}

TEST_CASE("normalize_phone length bounds: 3..20 digits after the optional +") {
  CHECK(wo::normalize_phone("phone", "110") == "110");
  CHECK(wo::normalize_phone("phone", "+110") == "+110");
  CHECK(wo::normalize_phone("phone", "12345678901234567890") == "12345678901234567890");
  CHECK(wo::normalize_phone("phone", "+12345678901234567890") == "+12345678901234567890");
  check_rejected("phone", "12");
  check_rejected("phone", "+12");
  check_rejected("phone", "1-2");
  check_rejected("phone", "123456789012345678901");
  check_rejected("phone", "+123456789012345678901");
  check_rejected("phone", "");
  check_rejected("phone", "+");
  check_rejected("phone", " - ( ) . ");
}

TEST_CASE("normalize_phone rejects letters and other characters") {
  check_rejected("phone", "138abc00138000");
  check_rejected("phone", "1-800-FLOWERS");
  check_rejected("phone", "13800138000x12");
  check_rejected("phone", "138/0013/8000");
  check_rejected("phone", "138_0013_8000");
  check_rejected("phone", "138\t0013 8000");          // tab is not a stripped separator
  check_rejected("phone", "１３８００１３８０００");  // full-width digits
  check_rejected("phone", std::string_view("138\0" "00138000", 12));  // embedded NUL
}

TEST_CASE("normalize_phone rejects a + that is not in front") {
  check_rejected("phone", "86+13800138000");
  check_rejected("phone", "13800138000+");
  check_rejected("phone", "++8613800138000");
  check_rejected("phone", "+86 +138 0013 8000");
}

TEST_CASE("the error message names the given field") {
  check_rejected("admin phone", "not a phone");
  check_rejected("contact.phone", "12");
}
