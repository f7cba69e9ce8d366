// SPDX-License-Identifier: MIT
// CSV text for the order export (docs/rules.md §8, docs/export.md). Pure helpers: RFC 4180 fields
// and rows, org-local ISO 8601 times, and a writer that hands its rows to a sink in bounded
// chunks (amounts: domain/money_text.hpp). No storage, no clock.
#pragma once
#include <date/tz.h>

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "workorder/money.hpp"
#include "workorder/time.hpp"

namespace wo {

// Appends one RFC 4180 field: quoted when it holds a comma, quote, CR or LF, with every
// quote doubled; otherwise as it is. An empty value is an empty field.
void append_field(std::string& out, std::string_view value);

// Appends the fields separated by commas and ended by CRLF.
void append_row(std::string& out, std::span<const std::string_view> fields);

// The instant in the zone as ISO 8601 with seconds and offset: "2026-03-08T01:30:00-05:00".
// Milliseconds are dropped (floor). Instants outside [0001-01-01, 9999-01-01) UTC, which a
// four-digit year cannot carry, are Error{overflow}.
std::string local_time_text(const date::time_zone& zone, Timestamp t);

// Collects rows and hands them to `sink` whenever `flush_at` bytes or more are buffered, so
// the buffer never holds more than flush_at plus one row. An exception from the sink
// propagates; the writer must then be dropped.
class CsvWriter {
 public:
  using Sink = std::function<void(std::string_view)>;
  static constexpr std::size_t default_flush_at = 64 * 1024;

  explicit CsvWriter(const Sink& sink, std::size_t flush_at = default_flush_at);
  void row(std::span<const std::string_view> fields);
  // Hands over whatever is buffered (nothing when empty).
  void flush();

 private:
  const Sink& sink_;
  std::size_t flush_at_;
  std::string buffer_;
};

}  // namespace wo
