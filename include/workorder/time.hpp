// SPDX-License-Identifier: MIT
// Time is UTC milliseconds; anything local goes through the org's IANA zone (date/tz).
#pragma once
#include <chrono>
#include <functional>
#include <string_view>

namespace date { class time_zone; }

namespace wo {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// The injectable clock. Every use case reads "now" from the engine's clock, never directly.
using Clock = std::function<Timestamp()>;
Clock system_clock();

constexpr Timestamp from_unix_ms(std::int64_t ms) { return Timestamp{std::chrono::milliseconds{ms}}; }
constexpr std::int64_t to_unix_ms(Timestamp t) { return t.time_since_epoch().count(); }

// The instants the library takes, from a host or its clock: 1970-01-01T00:00Z up to
// 9999-01-01T00:00Z. Local dates keep four digits in every zone, and no sum or difference of
// two instants overflows.
constexpr std::int64_t earliest_instant_ms = 0;
constexpr std::int64_t latest_instant_ms = 253'370'764'800'000;
// Throws Error{invalid_argument} naming `field` and the value when `t` is outside that range.
void check_instant(std::string_view field, Timestamp t);

// The IANA zone of that name; throws Error{invalid_argument} naming `field` if unknown.
const date::time_zone& find_time_zone(std::string_view field, std::string_view name);

}  // namespace wo
