// SPDX-License-Identifier: MIT
#include "workorder/phone.hpp"

#include "domain/fail.hpp"
#include "domain/text.hpp"

namespace wo {

std::string normalize_phone(std::string_view field, std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') continue;
    if (c == '+' && out.empty()) {
      out.push_back(c);
      continue;
    }
    if (c < '0' || c > '9') fail(Code::invalid_argument, "{} '{}' is not a phone number", field, printable(raw));
    out.push_back(c);
  }
  const std::size_t digits = out.size() - (out.starts_with('+') ? 1 : 0);
  if (digits < 3 || digits > 20) fail(Code::invalid_argument, "{} '{}' is not a phone number", field, printable(raw));
  return out;
}

}  // namespace wo
