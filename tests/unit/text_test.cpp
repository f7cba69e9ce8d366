// SPDX-License-Identifier: MIT
// docs/rules.md §9: null or over-long strings and invalid UTF-8 are rejected with a message naming the
// field. text.hpp: lengths are counted in code points; short text is at most 200, long 2000;
// no control characters other than newline and tab.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "domain/text.hpp"
#include "workorder/errors.hpp"

namespace {

std::string repeat(std::string_view unit, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

std::string bytes(std::initializer_list<unsigned char> list) {
  std::string s;
  for (unsigned char c : list) s.push_back(static_cast<char>(c));
  return s;
}

void check_rejected(std::string_view field, std::string_view value, std::size_t max, bool required) {
  bool thrown = false;
  try {
    wo::check_text(field, value, max, required);
  } catch (const wo::Error& e) {
    thrown = true;
    CHECK(e.code() == wo::Code::invalid_argument);
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(message.find(field) != std::string::npos);
  }
  CHECK(thrown);
}

}  // namespace

TEST_CASE("utf8_length counts code points of valid UTF-8") {
  CHECK(wo::utf8_length("") == 0);
  CHECK(wo::utf8_length("hello") == 5);
  CHECK(wo::utf8_length("维修") == 2);                  // 3-byte sequences
  CHECK(wo::utf8_length("公共报修-电梯") == 7);
  CHECK(wo::utf8_length("é") == 1);                     // 2-byte
  CHECK(wo::utf8_length("\xF0\x9F\x94\xA7") == 1);      // U+1F527 wrench, 4 bytes
  CHECK(wo::utf8_length("a\xF0\x9F\x98\x80z") == 3);
  CHECK(wo::utf8_length(std::string_view("a\0b", 3)) == 3);  // NUL is a valid code point
  // boundaries
  CHECK(wo::utf8_length(bytes({0x7F})) == 1);
  CHECK(wo::utf8_length(bytes({0xC2, 0x80})) == 1);              // U+0080
  CHECK(wo::utf8_length(bytes({0xDF, 0xBF})) == 1);              // U+07FF
  CHECK(wo::utf8_length(bytes({0xE0, 0xA0, 0x80})) == 1);        // U+0800
  CHECK(wo::utf8_length(bytes({0xED, 0x9F, 0xBF})) == 1);        // U+D7FF
  CHECK(wo::utf8_length(bytes({0xEE, 0x80, 0x80})) == 1);        // U+E000
  CHECK(wo::utf8_length(bytes({0xEF, 0xBF, 0xBF})) == 1);        // U+FFFF
  CHECK(wo::utf8_length(bytes({0xF0, 0x90, 0x80, 0x80})) == 1);  // U+10000
  CHECK(wo::utf8_length(bytes({0xF4, 0x8F, 0xBF, 0xBF})) == 1);  // U+10FFFF
}

TEST_CASE("utf8_length rejects overlong encodings") {
  CHECK(wo::utf8_length(bytes({0xC0, 0xAF})) == -1);              // '/' in 2 bytes
  CHECK(wo::utf8_length(bytes({0xC1, 0xBF})) == -1);
  CHECK(wo::utf8_length(bytes({0xC0, 0x80})) == -1);              // modified-UTF-8 NUL
  CHECK(wo::utf8_length(bytes({0xE0, 0x80, 0xAF})) == -1);        // '/' in 3 bytes
  CHECK(wo::utf8_length(bytes({0xE0, 0x9F, 0xBF})) == -1);        // U+07FF in 3 bytes
  CHECK(wo::utf8_length(bytes({0xF0, 0x80, 0x80, 0xAF})) == -1);  // '/' in 4 bytes
  CHECK(wo::utf8_length(bytes({0xF0, 0x8F, 0xBF, 0xBF})) == -1);  // U+FFFF in 4 bytes
}

TEST_CASE("utf8_length rejects surrogates and code points past U+10FFFF") {
  CHECK(wo::utf8_length(bytes({0xED, 0xA0, 0x80})) == -1);              // U+D800
  CHECK(wo::utf8_length(bytes({0xED, 0xBF, 0xBF})) == -1);              // U+DFFF
  CHECK(wo::utf8_length(bytes({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80})) == -1);  // CESU-8 pair
  CHECK(wo::utf8_length(bytes({0xF4, 0x90, 0x80, 0x80})) == -1);        // U+110000
  CHECK(wo::utf8_length(bytes({0xF5, 0x80, 0x80, 0x80})) == -1);
  CHECK(wo::utf8_length(bytes({0xF8, 0x88, 0x80, 0x80, 0x80})) == -1);  // 5-byte form
  CHECK(wo::utf8_length(bytes({0xFE})) == -1);
  CHECK(wo::utf8_length(bytes({0xFF})) == -1);
}

TEST_CASE("utf8_length rejects truncated sequences and stray continuation bytes") {
  CHECK(wo::utf8_length(bytes({0xE7, 0xBB})) == -1);               // 维 cut after 2 of 3 bytes
  CHECK(wo::utf8_length(bytes({0xE7})) == -1);
  CHECK(wo::utf8_length(bytes({0xC3})) == -1);
  CHECK(wo::utf8_length(bytes({0xF0, 0x9F, 0x94})) == -1);         // emoji cut
  CHECK(wo::utf8_length("ok" + bytes({0xF0, 0x9F})) == -1);
  CHECK(wo::utf8_length(bytes({0xE7, 0x41, 0x41})) == -1);         // lead then ASCII
  CHECK(wo::utf8_length(bytes({0x80})) == -1);                     // stray continuation
  CHECK(wo::utf8_length(bytes({0xBF})) == -1);
  CHECK(wo::utf8_length("abc" + bytes({0x80}) + "def") == -1);
  CHECK(wo::utf8_length("维" + bytes({0xAE})) == -1);              // one continuation too many
}

TEST_CASE("check_text accepts valid text within the limit") {
  CHECK_NOTHROW(wo::check_text("name", "Plumbing", wo::short_text_max, true));
  CHECK_NOTHROW(wo::check_text("name", "公共报修", wo::short_text_max, true));
  CHECK_NOTHROW(wo::check_text("description", "line one\nline two\twith tab", wo::long_text_max, true));
  CHECK_NOTHROW(wo::check_text("note", "", wo::short_text_max, false));  // optional may be empty
}

TEST_CASE("check_text counts characters, not bytes") {
  const std::string chinese200 = repeat("修", 200);  // 600 bytes, 200 characters
  CHECK_NOTHROW(wo::check_text("name", chinese200, wo::short_text_max, true));
  check_rejected("name", chinese200 + "修", wo::short_text_max, true);

  const std::string emoji200 = repeat("\xF0\x9F\x94\xA7", 200);  // 800 bytes
  CHECK_NOTHROW(wo::check_text("name", emoji200, wo::short_text_max, true));
  check_rejected("name", emoji200 + "a", wo::short_text_max, true);

  CHECK_NOTHROW(wo::check_text("name", repeat("a", 200), wo::short_text_max, true));
  check_rejected("name", repeat("a", 201), wo::short_text_max, true);

  CHECK_NOTHROW(wo::check_text("description", repeat("报", 2000), wo::long_text_max, true));
  check_rejected("description", repeat("报", 2001), wo::long_text_max, true);
}

TEST_CASE("the length error message gives the length and the limit") {
  try {
    wo::check_text("name", repeat("修", 201), wo::short_text_max, true);
    FAIL("no exception");
  } catch (const wo::Error& e) {
    const std::string message = e.what();
    CHECK(message.find("201") != std::string::npos);
    CHECK(message.find("200") != std::string::npos);
  }
}

TEST_CASE("check_text: a required value must not be blank") {
  check_rejected("name", "", wo::short_text_max, true);
  check_rejected("name", " ", wo::short_text_max, true);
  check_rejected("name", "  \t\n ", wo::short_text_max, true);
  CHECK_NOTHROW(wo::check_text("name", " x ", wo::short_text_max, true));
}

TEST_CASE("check_text rejects invalid UTF-8") {
  check_rejected("name", bytes({0xC0, 0xAF}), wo::short_text_max, true);
  check_rejected("name", "abc" + bytes({0xED, 0xA0, 0x80}), wo::short_text_max, false);
  check_rejected("name", "abc" + bytes({0xE7, 0xBB}), wo::short_text_max, false);
  check_rejected("name", bytes({0x80}), wo::short_text_max, false);
}

TEST_CASE("check_text rejects control characters") {
  check_rejected("name", std::string_view("a\0b", 3), wo::short_text_max, true);
  check_rejected("name", "a\x01" "b", wo::short_text_max, true);
  check_rejected("name", "bell\a", wo::short_text_max, true);
  check_rejected("name", "esc\x1b[31m", wo::short_text_max, true);
  check_rejected("name", "\x1f", wo::short_text_max, false);
}

// text.hpp: "no control characters other than newline and tab". The implementation lets DEL
// (U+007F) and the C1 controls (U+0080..U+009F) through: terminal escapes survive into names.
TEST_CASE("check_text rejects DEL and C1 control characters") {
  check_rejected("name", "a\x7f" "b", wo::short_text_max, true);
  check_rejected("name", "a" + bytes({0xC2, 0x85}) + "b", wo::short_text_max, true);  // U+0085 NEL
  check_rejected("name", "a" + bytes({0xC2, 0x9B}) + "b", wo::short_text_max, true);  // U+009B CSI
}

// Carriage return is allowed (text.hpp): CRLF line ends come from Windows clients.
TEST_CASE("check_text accepts carriage return, newline and tab") {
  CHECK_NOTHROW(wo::check_text("name", "a\r\nb\tc", wo::short_text_max, true));
}
