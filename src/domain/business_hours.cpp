// SPDX-License-Identifier: MIT
#include "domain/business_hours.hpp"

#include <algorithm>
#include <cstdio>

#include "domain/fail.hpp"

namespace wo {
namespace {

using std::chrono::milliseconds;
using LocalMs = date::local_time<milliseconds>;

constexpr std::array<const char*, 7> day_names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr int whole_day = 24 * 60;
// How far a deadline is looked for before the hours count as never opening again.
constexpr int most_days_searched = 20 * 366;

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

std::vector<std::string> parts(std::string_view text, char sep) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const auto end = text.find(sep, start);
    out.push_back(trim(text.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

int day_index(const std::string& name, std::string_view field, const std::string& entry) {
  const auto it = std::find(day_names.begin(), day_names.end(), name);
  if (it == day_names.end())
    fail(Code::invalid_argument, "{} '{}' has unknown weekday '{}' (use mon..sun)", field, entry, name);
  return static_cast<int>(it - day_names.begin());
}

// "09:00-12:00,13:00-18:00" or "closed" → sorted windows that do not overlap.
std::vector<Window> parse_windows(const std::string& text, std::string_view field) {
  std::vector<Window> windows;
  if (text == "closed") return windows;
  for (const auto& w : parts(text, ',')) windows.push_back(parse_window(w, field));
  std::sort(windows.begin(), windows.end(), [](Window a, Window b) { return a.start_minute < b.start_minute; });
  for (std::size_t i = 1; i < windows.size(); ++i)
    if (windows[i].start_minute < windows[i - 1].end_minute)
      fail(Code::invalid_argument, "{} windows {}-{} and {}-{} overlap", field, clock_text(windows[i - 1].start_minute),
           clock_text(windows[i - 1].end_minute), clock_text(windows[i].start_minute), clock_text(windows[i].end_minute));
  return windows;
}

std::string windows_text(const std::vector<Window>& windows) {
  if (windows.empty()) return "closed";
  std::string text;
  for (const auto& w : windows)
    text += (text.empty() ? "" : ",") + clock_text(w.start_minute) + "-" + clock_text(w.end_minute);
  return text;
}

// "mon-fri" or "sat" or "mon,wed" → the days it names.
std::vector<int> parse_days(const std::string& spec, std::string_view field, const std::string& entry) {
  std::vector<int> days;
  for (const auto& item : parts(spec, ',')) {
    const auto dash = item.find('-');
    if (dash == std::string::npos) {
      days.push_back(day_index(item, field, entry));
      continue;
    }
    const int first = day_index(item.substr(0, dash), field, entry);
    const int last = day_index(item.substr(dash + 1), field, entry);
    if (last < first) fail(Code::invalid_argument, "{} '{}' has a day range that runs backwards: '{}'", field, entry, item);
    for (int d = first; d <= last; ++d) days.push_back(d);
  }
  return days;
}

// Splits "<head> <windows>" at its first space.
std::pair<std::string, std::string> head_and_windows(const std::string& entry, std::string_view field, const char* head) {
  const auto space = entry.find(' ');
  if (space == std::string::npos)
    fail(Code::invalid_argument, "{} '{}' is not '<{}> <HH:MM-HH:MM,...|closed>'", field, entry, head);
  return {entry.substr(0, space), trim(std::string_view(entry).substr(space + 1))};
}

date::local_days parse_date(const std::string& text, std::string_view field, const std::string& entry) {
  int y = 0;
  unsigned m = 0, d = 0;
  char extra = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &extra) != 3 || text[4] != '-' ||
      text[7] != '-')
    fail(Code::invalid_argument, "{} '{}' has a date that is not YYYY-MM-DD", field, entry);
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) fail(Code::invalid_argument, "{} '{}' has a date that does not exist", field, entry);
  return date::local_days{ymd};
}

const std::vector<Window>& windows_of(const BusinessHours& hours, date::local_days day) {
  const auto exception = hours.exceptions.find(day);
  if (exception != hours.exceptions.end()) return exception->second;
  return hours.weekly[date::weekday(day).iso_encoding() - 1];
}

LocalMs at(date::local_days day, int minute) { return LocalMs{day} + std::chrono::minutes{minute}; }

// Calls fn(start, end) for each part of [from, to) that is business time, in order, stopping
// when fn returns false. The local-time intervals are mapped back to UTC one stretch of
// constant offset at a time, so a DST change between two instants is counted exactly.
template <class Fn>
void each_business_stretch(const BusinessHours& hours, const date::time_zone& zone, Timestamp from,
                           std::optional<Timestamp> to, Fn&& fn) {
  bool weekly_open = false;
  for (const auto& day : hours.weekly) weekly_open = weekly_open || !day.empty();
  const auto last_exception = hours.exceptions.empty() ? date::local_days{} : hours.exceptions.rbegin()->first;
  int days_searched = 0;
  for (Timestamp t = from; !to || t < *to;) {
    const auto info = zone.get_info(date::floor<std::chrono::seconds>(t));
    const milliseconds offset = info.offset;
    Timestamp stretch_end = Timestamp{info.end};
    if (to && *to < stretch_end) stretch_end = *to;
    const LocalMs local_from = LocalMs{t.time_since_epoch() + offset};
    const LocalMs local_to = LocalMs{stretch_end.time_since_epoch() + offset};
    for (date::local_days day = date::floor<date::days>(local_from); LocalMs{day} < local_to; day += date::days{1}) {
      if (!to && ((!weekly_open && day > last_exception) || ++days_searched > most_days_searched)) return;
      for (const Window& w : windows_of(hours, day)) {
        const LocalMs start = std::max(at(day, w.start_minute), local_from);
        const LocalMs end = std::min(at(day, w.end_minute), local_to);
        if (start < end &&
            !fn(Timestamp{start.time_since_epoch() - offset}, Timestamp{end.time_since_epoch() - offset}))
          return;
      }
    }
    t = stretch_end;
  }
}

// fn(start, end) for each part of [start, end) outside the pauses, in order, while it returns
// true; returns false once fn has.
template <class Fn>
bool outside_pauses(const Pauses& pauses, Timestamp start, Timestamp end, Fn& fn) {
  auto pause = std::lower_bound(pauses.begin(), pauses.end(), start, [](const Span& p, Timestamp t) { return p.end <= t; });
  for (; pause != pauses.end() && pause->start < end; ++pause) {
    if (start < pause->start && !fn(start, pause->start)) return false;
    start = std::max(start, pause->end);
  }
  return start >= end || fn(start, end);
}

}  // namespace

BusinessHours parse_business_hours(std::string& weekly, std::string& exceptions) {
  BusinessHours hours;
  if (trim(weekly).empty()) {
    for (auto& day : hours.weekly) day = {Window{0, whole_day}};
    weekly.clear();
  } else {
    std::array<bool, 7> named{};
    for (const auto& entry : parts(weekly, ';')) {
      const auto [days, windows] = head_and_windows(entry, "business_hours", "days");
      const std::vector<Window> parsed = parse_windows(windows, "business_hours");
      for (int d : parse_days(days, "business_hours", entry)) {
        if (named[static_cast<std::size_t>(d)])
          fail(Code::invalid_argument, "business_hours names {} twice", day_names[static_cast<std::size_t>(d)]);
        named[static_cast<std::size_t>(d)] = true;
        hours.weekly[static_cast<std::size_t>(d)] = parsed;
      }
    }
    // Canonical: consecutive days with the same hours as one range; closed days left out.
    weekly.clear();
    for (std::size_t d = 0; d < 7;) {
      std::size_t last = d;
      while (last + 1 < 7 && hours.weekly[last + 1] == hours.weekly[d]) ++last;
      if (!hours.weekly[d].empty()) {
        const std::string days = d == last ? day_names[d] : std::string(day_names[d]) + "-" + day_names[last];
        weekly += (weekly.empty() ? "" : "; ") + days + " " + windows_text(hours.weekly[d]);
      }
      d = last + 1;
    }
    if (weekly.empty()) weekly = "mon-sun closed";  // never "": that is around the clock
  }
  if (!trim(exceptions).empty()) {
    for (const auto& entry : parts(exceptions, ';')) {
      const auto [day, windows] = head_and_windows(entry, "business_exceptions", "YYYY-MM-DD");
      const date::local_days date = parse_date(day, "business_exceptions", entry);
      if (!hours.exceptions.emplace(date, parse_windows(windows, "business_exceptions")).second)
        fail(Code::invalid_argument, "business_exceptions names {} twice", day);
    }
  }
  exceptions.clear();
  for (const auto& [day, windows] : hours.exceptions)
    exceptions += (exceptions.empty() ? "" : "; ") + date::format("%F", day) + " " + windows_text(windows);
  return hours;
}

milliseconds business_time(const BusinessHours& hours, const date::time_zone& zone, Timestamp from, Timestamp to,
                           const Pauses& pauses) {
  milliseconds total{0};
  auto add = [&](Timestamp start, Timestamp end) {
    total += end - start;
    return true;
  };
  each_business_stretch(hours, zone, from, to,
                        [&](Timestamp start, Timestamp end) { return outside_pauses(pauses, start, end, add); });
  return total;
}

std::optional<Timestamp> business_deadline(const BusinessHours& hours, const date::time_zone& zone, Timestamp from,
                                           milliseconds amount, const Pauses& pauses) {
  if (amount <= milliseconds{0}) return from;
  std::optional<Timestamp> deadline;
  auto use = [&](Timestamp start, Timestamp end) {
    if (end - start >= amount) {
      deadline = start + amount;
      return false;
    }
    amount -= end - start;
    return true;
  };
  each_business_stretch(hours, zone, from, std::nullopt,
                        [&](Timestamp start, Timestamp end) { return outside_pauses(pauses, start, end, use); });
  return deadline;
}

}  // namespace wo
