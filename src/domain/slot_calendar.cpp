// SPDX-License-Identifier: MIT
#include "domain/slot_calendar.hpp"

#include <algorithm>
#include <array>

#include "domain/fail.hpp"

namespace wo {
namespace {

constexpr std::array<const char*, 7> weekday_names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == sep) {
      parts.push_back(current);
      current.clear();
    } else if (c != ' ') {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  return parts;
}

// "HH:MM" → minutes after midnight; "24:00" allowed as an end.
int parse_clock(const std::string& text, const std::string& window, std::string_view field) {
  if (text.size() != 5 || text[2] != ':' || !std::isdigit(static_cast<unsigned char>(text[0])) ||
      !std::isdigit(static_cast<unsigned char>(text[1])) || !std::isdigit(static_cast<unsigned char>(text[3])) ||
      !std::isdigit(static_cast<unsigned char>(text[4])))
    fail(Code::invalid_argument, "{} '{}' has a time that is not HH:MM", field, window);
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) fail(Code::invalid_argument, "{} '{}' has an invalid time", field, window);
  return h * 60 + m;
}

}  // namespace

Window parse_window(const std::string& w, std::string_view field) {
  const auto dash = w.find('-');
  if (dash == std::string::npos) fail(Code::invalid_argument, "{} '{}' is not HH:MM-HH:MM", field, w);
  const Window window{parse_clock(w.substr(0, dash), w, field), parse_clock(w.substr(dash + 1), w, field)};
  if (window.end_minute <= window.start_minute) fail(Code::invalid_argument, "{} '{}' ends before it starts", field, w);
  return window;
}

std::string clock_text(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

Calendar parse_schedule(SlotSchedule& s) {
  Calendar cal;
  if (s.slot_minutes < 5 || s.slot_minutes > 24 * 60)
    fail(Code::invalid_argument, "slot_minutes {} must be between 5 and 1440", s.slot_minutes);
  if (s.capacity < 1) fail(Code::invalid_argument, "capacity {} must be at least 1", s.capacity);
  if (s.horizon_days < 1 || s.horizon_days > 366)
    fail(Code::invalid_argument, "horizon_days {} must be between 1 and 366", s.horizon_days);
  if (s.lead_minutes < 0) fail(Code::invalid_argument, "lead_minutes {} must not be negative", s.lead_minutes);
  cal.slot_minutes = s.slot_minutes;

  for (const auto& day : split(s.days, ',')) {
    auto it = std::find(weekday_names.begin(), weekday_names.end(), day);
    if (it == weekday_names.end()) fail(Code::invalid_argument, "days has unknown weekday '{}' (use mon..sun)", day);
    cal.weekdays |= 1u << (it - weekday_names.begin());
  }
  for (const auto& w : split(s.windows, ',')) {
    const Window window = parse_window(w, "windows");
    if (window.end_minute - window.start_minute < s.slot_minutes)
      fail(Code::invalid_argument, "windows '{}' is shorter than one slot of {} minutes", w, s.slot_minutes);
    cal.windows.push_back(window);
  }
  std::sort(cal.windows.begin(), cal.windows.end(), [](auto a, auto b) { return a.start_minute < b.start_minute; });
  for (std::size_t i = 1; i < cal.windows.size(); ++i)
    if (cal.windows[i].start_minute < cal.windows[i - 1].end_minute)
      fail(Code::invalid_argument, "windows {}-{} and {}-{} overlap", clock_text(cal.windows[i - 1].start_minute),
           clock_text(cal.windows[i - 1].end_minute), clock_text(cal.windows[i].start_minute),
           clock_text(cal.windows[i].end_minute));

  s.days.clear();
  for (unsigned i = 0; i < 7; ++i)
    if (cal.weekdays & (1u << i)) s.days += (s.days.empty() ? "" : ",") + std::string(weekday_names[i]);
  s.windows.clear();
  for (const auto& w : cal.windows)
    s.windows += (s.windows.empty() ? "" : ",") + clock_text(w.start_minute) + "-" + clock_text(w.end_minute);
  return cal;
}

std::vector<Timestamp> slot_starts(const Calendar& cal, const date::time_zone& zone, date::local_days first,
                                   date::local_days last) {
  using namespace std::chrono;
  std::vector<Timestamp> out;
  for (date::local_days day = first; day <= last; day += date::days{1}) {
    const unsigned weekday = date::weekday(day).iso_encoding() - 1;  // Monday = 0
    if (!(cal.weekdays & (1u << weekday))) continue;
    for (const auto& w : cal.windows) {
      for (int m = w.start_minute; m + cal.slot_minutes <= w.end_minute; m += cal.slot_minutes) {
        const date::local_time<milliseconds> local = day + minutes{m};
        const auto info = zone.get_info(date::floor<seconds>(local));
        if (info.result == date::local_info::nonexistent) continue;
        // Unique: offset of first; ambiguous: the first occurrence is the earlier offset.
        const auto offset = info.first.offset;
        out.push_back(Timestamp{local.time_since_epoch() - duration_cast<milliseconds>(offset)});
      }
    }
  }
  return out;
}

date::local_days local_date(const date::time_zone& zone, Timestamp t) {
  return date::floor<date::days>(zone.to_local(t));
}

std::string local_iso(const date::time_zone& zone, Timestamp t) {
  // Plain arithmetic: date::format builds a stream per call, which dominated availability.
  using namespace std::chrono;
  const auto info = zone.get_info(floor<seconds>(t));
  const auto local = floor<minutes>(t) + info.offset;
  const auto day = floor<date::days>(local);
  const date::year_month_day ymd{day};
  const auto minute_of_day = duration_cast<minutes>(local - day).count();
  const auto offset = duration_cast<minutes>(info.offset).count();
  const auto abs_offset = offset < 0 ? -offset : offset;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}{}{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), minute_of_day / 60,
                     minute_of_day % 60, offset < 0 ? '-' : '+', abs_offset / 60, abs_offset % 60);
}

}  // namespace wo
