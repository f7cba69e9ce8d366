// SPDX-License-Identifier: MIT
#include "domain/service_level.hpp"

#include "domain/service_clock.hpp"

namespace wo {
namespace {


bool is_reopen(const StatusChange& c) {
  return c.from && (*c.from == Status::awaiting_rating || *c.from == Status::completed) &&
         c.to == Status::pending_dispatch;
}

// Work starts when the order enters in_progress (accept, or a grab straight from the pool).
bool starts_work(const StatusChange& c) { return c.to == Status::in_progress; }

// Finishing leaves in_progress for the bill, the rating or completion (not for a transfer).
bool finishes(const StatusChange& c) {
  return c.from == Status::in_progress &&
         (c.to == Status::awaiting_payment || c.to == Status::awaiting_rating || c.to == Status::completed);
}

// A clock that started at `start` and stopped at `stopped` (or still runs, as of `now`).
ServiceClock run_clock(std::optional<std::chrono::minutes> target, Timestamp start,
                       std::optional<Timestamp> stopped, const Pauses& all_pauses, const BusinessHours& hours,
                       const date::time_zone& zone, Timestamp now) {
  ServiceClock clock;
  if (!target) return clock;
  // Waiting after the clock stopped does not move its deadline.
  Pauses pauses;
  for (const Span& p : all_pauses)
    if (!stopped || p.start < *stopped) pauses.push_back(p);
  clock.used = business_time(hours, zone, start, stopped.value_or(now), pauses);
  clock.paused = !stopped && !pauses.empty() && pauses.back().end == Timestamp::max();
  // Late once past the due instant; while paused before it, the due instant is unknown.
  const auto due = business_deadline(hours, zone, start, *target, pauses);
  const bool late = due && stopped.value_or(now) > *due;
  if (!clock.paused || clock.used >= *target) clock.due = due;
  clock.attainment = late ? ServiceState::breached : stopped ? ServiceState::met : ServiceState::open;
  return clock;
}

}  // namespace

ServiceLevel service_level(const std::vector<StatusChange>& history, const ServiceTargets& targets,
                           const BusinessHours& hours, const date::time_zone& zone, Timestamp now) {
  if (history.empty()) return {};
  // The clocks start at the submission, or again at the last reopen.
  std::size_t first = 0;
  for (std::size_t i = 0; i < history.size(); ++i)
    if (is_reopen(history[i])) first = i;
  const Timestamp start = history[first].at;

  Pauses pauses;
  std::optional<Timestamp> worked, finished, cancelled;
  for (std::size_t i = first; i < history.size(); ++i) {
    const StatusChange& c = history[i];
    const Timestamp left = i + 1 < history.size() ? history[i + 1].at : Timestamp::max();
    if (waits_for_tenant(c.to) && c.at < left) pauses.push_back({c.at, left});
    if (!worked && starts_work(c)) worked = c.at;
    if (!finished && finishes(c)) finished = c.at;
    if (c.to == Status::cancelled) cancelled = c.at;
  }
  // A cancellation stops a clock still running: one that was in time then has no verdict.
  auto run = [&](std::optional<std::chrono::minutes> target, std::optional<Timestamp> done) {
    if (done || !cancelled) return run_clock(target, start, done, pauses, hours, zone, now);
    ServiceClock clock = run_clock(target, start, cancelled, pauses, hours, zone, now);
    if (clock.attainment == ServiceState::met) {
      clock.attainment = ServiceState::none;
      clock.due.reset();
    }
    return clock;
  };
  return {run(targets.response, worked), run(targets.resolution, finished)};
}

}  // namespace wo
