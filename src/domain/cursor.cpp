// SPDX-License-Identifier: MIT
#include "domain/cursor.hpp"

#include <cstdint>

#include "domain/fail.hpp"
#include "domain/text.hpp"
#include "workorder/views.hpp"

namespace wo {
namespace {

// "o" + direction + 16 hex digits of created_at + 16 of id + 8 of checksum.
constexpr std::size_t cursor_length = 2 + 16 + 16 + 8;

std::uint32_t checksum(std::string_view s) {
  std::uint32_t h = 2166136261u;  // FNV-1a, salted so a plain FNV of the text is not it
  for (char c : std::string_view("workorder-cursor")) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

bool parse_hex(std::string_view s, std::uint64_t& out) {
  out = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return false;
    out = (out << 4) | static_cast<std::uint64_t>(d);
  }
  return true;
}

}  // namespace

std::string encode_cursor(const OrderKey& key, bool newest_first) {
  std::string body = fmt::format("o{}{:016x}{:016x}", newest_first ? 'd' : 'a', static_cast<std::uint64_t>(key.created_at),
                                 static_cast<std::uint64_t>(key.id));
  return body + fmt::format("{:08x}", checksum(body));
}

std::string cursor_after(Timestamp created_at, OrderId order, bool newest_first) {
  return encode_cursor({to_unix_ms(created_at), order.value}, newest_first);
}

OrderKey decode_cursor(std::string_view text, bool newest_first) {
  const auto bad = [&](std::string_view why) {
    fail(Code::invalid_argument, "cursor '{}' is not valid here: {}", printable(text.substr(0, 64)), why);
  };
  if (text.size() != cursor_length || text[0] != 'o') bad("not a cursor of an order list");
  std::uint64_t created = 0, id = 0, sum = 0;
  if (!parse_hex(text.substr(2, 16), created) || !parse_hex(text.substr(18, 16), id) || !parse_hex(text.substr(34, 8), sum))
    bad("not a cursor of an order list");
  if (sum != checksum(text.substr(0, 34))) bad("damaged");
  if (text[1] != (newest_first ? 'd' : 'a')) bad(newest_first ? "it belongs to an oldest-first list" : "it belongs to a newest-first list");
  return {static_cast<std::int64_t>(created), static_cast<std::int64_t>(id)};
}

}  // namespace wo
