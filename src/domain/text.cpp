#include "domain/text.hpp"

#include "domain/fail.hpp"

namespace wo {

long utf8_length(std::string_view s) noexcept {
  long count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
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
    ++count;
  }
  return count;
}

void check_text(std::string_view field, std::string_view value, std::size_t max, bool required) {
  const long n = utf8_length(value);
  if (n < 0) fail(Code::invalid_argument, "{} is not valid UTF-8", field);
  for (const char c : value)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
      fail(Code::invalid_argument, "{} contains a control character", field);
  if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos)
    fail(Code::invalid_argument, "{} is required and must not be blank", field);
  if (static_cast<std::size_t>(n) > max)
    fail(Code::invalid_argument, "{} is {} characters long, at most {} allowed", field, n, max);
}

}  // namespace wo
