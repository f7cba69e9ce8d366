// SPDX-License-Identifier: MIT
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace wo {

constexpr std::size_t short_text_max = 200;   // names, phones, codes
constexpr std::size_t long_text_max = 2000;   // descriptions, reasons, messages

// Number of code points if `s` is valid UTF-8 (no overlongs, no surrogates), else -1.
long utf8_length(std::string_view s) noexcept;

// `s` made safe to quote in an error message: invalid bytes and control characters
// escaped, cut at about 120 bytes.
std::string printable(std::string_view s);

// `s` with every byte that is not part of valid UTF-8 escaped as \xNN; the rest unchanged.
std::string valid_utf8(std::string_view s);

// Throws Error{invalid_argument} naming the field unless `value` is valid UTF-8, has no
// control characters (C0, DEL, C1) other than tab, newline and carriage return, and is
// 1..max characters (0 allowed when !required).
void check_text(std::string_view field, std::string_view value, std::size_t max, bool required);

}  // namespace wo
