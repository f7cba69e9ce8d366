// SPDX-License-Identifier: MIT
#include "domain/text.hpp"

#include "domain/fail.hpp"

namespace wo {

namespace {

// Decodes the code point at s[i], advancing i; -1 for an invalid sequence (no overlongs,
// no surrogates, nothing above U+10FFFF).
long next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto b = static_cast<unsigned char>(s[i]);
  int extra;
  char32_t cp;
  if (b < 0x80) { extra = 0; cp = b; }
  else if ((b & 0xE0) == 0xC0) { extra = 1; cp = b & 0x1F; }
  else if ((b & 0xF0) == 0xE0) { extra = 2; cp = b & 0x0F; }
  else if ((b & 0xF8) == 0xF0) { extra = 3; cp = b & 0x07; }
  else return -1;
  if (extra > 0 && i + static_cast<std::size_t>(extra) >= s.size()) return -1;
  for (int k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t min_for[] = {0, 0x80, 0x800, 0x10000};
  if (cp < min_for[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(extra) + 1;
  return static_cast<long>(cp);
}

// C0 and C1 controls and DEL, except tab, newline and carriage return.
bool is_control(long cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

}  // namespace

long utf8_length(std::string_view s) noexcept {
  long count = 0;
  for (std::size_t i = 0; i < s.size(); ++count)
    if (next_code_point(s, i) < 0) return -1;
  return count;
}

std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < 120;) {
    const std::size_t begin = i;
    const long cp = next_code_point(s, i);
    if (cp < 0) {
      out += "\\x" + fmt::format("{:02X}", static_cast<unsigned char>(s[begin]));
      i = begin + 1;
    } else if (is_control(cp)) {
      out += fmt::format("\\u{:04X}", cp);
    } else {
      out.append(s.substr(begin, i - begin));
    }
  }
  return out;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t begin = i;
    if (next_code_point(s, i) < 0) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(s[begin]));
      i = begin + 1;
    } else {
      out.append(s.substr(begin, i - begin));
    }
  }
  return out;
}

void check_text(std::string_view field, std::string_view value, std::size_t max, bool required) {
  long n = 0;
  for (std::size_t i = 0; i < value.size(); ++n) {
    const long cp = next_code_point(value, i);
    if (cp < 0) fail(Code::invalid_argument, "{} is not valid UTF-8: '{}'", field, printable(value));
    if (is_control(cp)) fail(Code::invalid_argument, "{} contains a control character: '{}'", field, printable(value));
  }
  if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos)
    fail(Code::invalid_argument, "{} is required and must not be blank", field);
  if (static_cast<std::size_t>(n) > max)
    fail(Code::invalid_argument, "{} is {} characters long, at most {} allowed", field, n, max);
}

}  // namespace wo
