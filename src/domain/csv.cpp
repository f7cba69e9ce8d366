// SPDX-License-Identifier: MIT
#include "domain/csv.hpp"

#include <cstdint>

#include "domain/fail.hpp"

namespace wo {

void append_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_row(std::string& out, std::span<const std::string_view> fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_field(out, fields[i]);
  }
  out += "\r\n";
}

std::string local_time_text(const date::time_zone& zone, Timestamp t) {
  using namespace std::chrono;
  constexpr date::sys_days first = date::year{1} / 1 / 1;
  constexpr date::sys_days end = date::year{9999} / 1 / 1;
  if (t < first || t >= end)
    fail(Code::overflow, "time {} (Unix ms) is outside 0001-01-01..9998-12-31 UTC, which CSV times can carry",
         to_unix_ms(t));
  // Plain arithmetic rather than date::format, which builds a stream per call.
  const auto utc = floor<seconds>(t);
  const seconds offset = zone.get_info(utc).offset;
  const auto local = utc + offset;
  const auto day = floor<date::days>(local);
  const date::year_month_day ymd{day};
  const auto second_of_day = (local - day).count();
  const auto abs_offset = offset.count() < 0 ? -offset.count() : offset.count();
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", static_cast<int>(ymd.year()),
                                 static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                 second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60,
                                 offset.count() < 0 ? '-' : '+', abs_offset / 3600, abs_offset / 60 % 60);
  // Local mean time before a zone's first rule has seconds in its offset (Shanghai
  // +08:05:43); keep them so the text stays the exact instant.
  if (abs_offset % 60) text += fmt::format(":{:02}", abs_offset % 60);
  return text;
}

CsvWriter::CsvWriter(const Sink& sink, std::size_t flush_at) : sink_(sink), flush_at_(flush_at) {
  buffer_.reserve(flush_at_ + 4096);
}

void CsvWriter::row(std::span<const std::string_view> fields) {
  append_row(buffer_, fields);
  if (buffer_.size() >= flush_at_) flush();
}

void CsvWriter::flush() {
  if (buffer_.empty()) return;
  sink_(buffer_);
  buffer_.clear();
}

}  // namespace wo
