// SPDX-License-Identifier: MIT
// An order's service-level clocks from its status history (issue 13, pure domain): response
// runs from submission to the first start of work, resolution to finish, both in business time
// and standing still while the order waits for the tenant; a reopen starts them again; a
// cancellation stops them. Checked on fixed stories and against a minute-by-minute simulation
// of random histories (each minute: which status the order is in, whether it is business time).
#include <doctest/doctest.h>

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "domain/service_clock.hpp"
#include "domain/service_level.hpp"
#include "support/business_minutes.hpp"

namespace {

using namespace std::chrono_literals;
using std::chrono::minutes;
using wo::ServiceState;
using wo::Status;
using S = Status;

wo::BusinessHours parse(std::string weekly, std::string exceptions = "") {
  return wo::parse_business_hours(weekly, exceptions);
}

const date::sys_days monday = date::sys_days{date::year{2026} / 9 / 28};
wo::Timestamp at(minutes m) { return wo::Timestamp{monday} + m; }  // UTC; Shanghai is +8

TEST_CASE("service levels on fixed stories") {
  const auto& shanghai = *date::locate_zone("Asia/Shanghai");
  const auto hours = parse("mon-fri 09:00-18:00");  // 01:00-10:00 UTC
  const wo::ServiceTargets targets{60min, 8h};

  SUBCASE("met in time, then breached while still running") {
    // Submitted 09:00 local, accepted 09:40, still in progress.
    const std::vector<wo::StatusChange> h = {{at(1h), {}, S::pending_dispatch},
                                             {at(1h + 20min), S::pending_dispatch, S::pending_accept},
                                             {at(1h + 40min), S::pending_accept, S::in_progress}};
    auto level = wo::service_level(h, targets, hours, shanghai, at(5h));
    CHECK(level.response.attainment == ServiceState::met);
    CHECK(level.response.used == 40min);
    CHECK(level.response.due == at(2h));
    CHECK(level.resolution.attainment == ServiceState::open);
    CHECK(level.resolution.used == 4h);
    CHECK(level.resolution.due == at(9h));  // 17:00 local
    level = wo::service_level(h, targets, hours, shanghai, at(9h + 1min));
    CHECK(level.resolution.attainment == ServiceState::breached);
    // Overnight the clock stands: by Tuesday 08:00 local it has counted Monday's 9 hours.
    CHECK(wo::service_level(h, targets, hours, shanghai, at(24h)).resolution.used == 9h);
  }
  SUBCASE("waiting for the tenant pauses both clocks, and the due instant is unknown meanwhile") {
    // A prepaid order: submitted 09:00 local, paid 11:00, accepted 11:30.
    const std::vector<wo::StatusChange> h = {{at(1h), {}, S::awaiting_prepayment},
                                             {at(3h), S::awaiting_prepayment, S::pending_dispatch},
                                             {at(3h + 10min), S::pending_dispatch, S::pending_accept},
                                             {at(3h + 30min), S::pending_accept, S::in_progress},
                                             {at(5h), S::in_progress, S::awaiting_payment}};
    const auto level = wo::service_level(h, targets, hours, shanghai, at(8h));
    CHECK(level.response.attainment == ServiceState::met);
    CHECK(level.response.used == 30min);
    CHECK(level.response.due == at(4h));  // 60 minutes from 11:00 local
    CHECK(level.resolution.attainment == ServiceState::met);  // finished: the bill is the tenant's
    CHECK(level.resolution.used == 2h);
    CHECK(level.resolution.due == at(26h));  // 7 hours on Monday from 11:00, 1 on Tuesday: 10:00 local
    const auto waiting = wo::service_level(std::vector(h.begin(), h.begin() + 1), targets, hours, shanghai, at(8h));
    CHECK(waiting.response.paused);
    CHECK(!waiting.response.due);
    CHECK(waiting.response.used == 0min);
    CHECK(waiting.response.attainment == ServiceState::open);
  }
  SUBCASE("a reopen starts the clocks again; a cancellation in time gives no verdict") {
    const std::vector<wo::StatusChange> h = {{at(1h), {}, S::pending_dispatch},
                                             {at(1h + 10min), S::pending_dispatch, S::in_progress},
                                             {at(2h), S::in_progress, S::awaiting_rating},
                                             {at(3h), S::awaiting_rating, S::pending_dispatch},
                                             {at(3h + 30min), S::pending_dispatch, S::cancelled}};
    const auto level = wo::service_level(h, targets, hours, shanghai, at(20h));
    CHECK(level.response.attainment == ServiceState::none);
    CHECK(level.response.used == 30min);
    CHECK(level.resolution.attainment == ServiceState::none);
    CHECK(!level.response.due);  // no verdict, no deadline
  }
  SUBCASE("without targets there is nothing to attain") {
    const std::vector<wo::StatusChange> h = {{at(1h), {}, S::pending_dispatch}};
    const auto level = wo::service_level(h, {}, hours, shanghai, at(30h));
    CHECK(level.response.attainment == ServiceState::none);
    CHECK(!level.response.due);
  }
}

// The simulation: the order's status minute by minute, from the last submission or reopen.
struct Simulated {
  wo::Timestamp start;
  minutes used{0};
  std::optional<wo::Timestamp> reached;  // the end of the minute that used the target up
  std::optional<wo::Timestamp> stopped;  // by the work or the finish it waits for, or a cancellation
  bool cancelled = false;
};

Simulated simulate(const std::vector<wo::StatusChange>& h, bool resolution, minutes target,
                   const wo::BusinessHours& hours, const date::time_zone& zone, wo::Timestamp now) {
  std::size_t i = 0;
  for (std::size_t k = 0; k < h.size(); ++k)
    if (h[k].from && (*h[k].from == S::awaiting_rating || *h[k].from == S::completed) && h[k].to == S::pending_dispatch)
      i = k;
  Simulated sim{h[i].at};
  for (auto t = sim.start; t < now; t += 1min) {
    while (!sim.stopped && i + 1 < h.size() && h[i + 1].at <= t) {
      ++i;
      const bool done = resolution ? h[i].from == S::in_progress && h[i].to != S::pending_accept && h[i].to != S::cancelled
                                   : h[i].to == S::in_progress;
      if (done || h[i].to == S::cancelled) {
        sim.stopped = h[i].at;
        sim.cancelled = !done;
      }
    }
    if (sim.stopped) break;
    const bool waiting = h[i].to == S::awaiting_prepayment || h[i].to == S::awaiting_payment;
    if (!waiting && test_support::business_minute(hours, zone, t)) {
      sim.used += 1min;
      if (sim.used == target) sim.reached = t + 1min;
    }
  }
  return sim;
}

// The clocks as src/domain/service_clock keeps them on the order through each change.
wo::Order kept_step_by_step(const std::vector<wo::StatusChange>& h, const wo::ServiceTargets& targets,
                            const wo::BusinessHours& hours, const date::time_zone& zone, wo::Timestamp now) {
  const wo::ServiceCalendar calendar{hours, &zone, 80};
  wo::Order o;
  o.response_target_min = static_cast<std::int32_t>(targets.response->count());
  o.resolution_target_min = static_cast<std::int32_t>(targets.resolution->count());
  o.status = h[0].to;
  wo::start_clocks(o, h[0].at, calendar);
  for (std::size_t i = 1; i < h.size(); ++i) {
    const Status from = o.status;
    o.status = h[i].to;
    wo::move_clocks(o, from, h[i].at, calendar);
  }
  wo::project_clocks(o, now, calendar);
  return o;
}

TEST_CASE("service levels agree with a minute-by-minute simulation of random histories") {
  const char* zones[] = {"America/New_York", "Europe/Berlin", "Asia/Shanghai"};
  std::mt19937_64 rng(20261206);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  // Plausible next statuses (the life-cycle table's, timers included).
  auto next = [&](Status s) -> Status {
    switch (s) {
      case S::awaiting_prepayment: return pick(0, 4) ? S::pending_dispatch : S::cancelled;
      case S::pending_dispatch: return pick(0, 3) ? S::pending_accept : (pick(0, 1) ? S::in_progress : S::cancelled);
      case S::pending_accept: return pick(0, 3) ? S::in_progress : S::pending_dispatch;
      case S::in_progress: return pick(0, 4) ? (pick(0, 1) ? S::awaiting_payment : S::awaiting_rating) : S::pending_accept;
      case S::awaiting_payment: return S::awaiting_rating;
      case S::awaiting_rating: return pick(0, 2) ? S::completed : S::pending_dispatch;
      default: return s;
    }
  };
  int cases = 0;
  for (const char* name : zones) {
    const auto& zone = *date::locate_zone(name);
    for (int round = 0; round < 60; ++round, ++cases) {
      const auto hours = round % 3 == 0 ? parse("") : parse("mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00");
      auto t = wo::Timestamp{date::sys_days{date::year{2026} / 3 / 1}} + minutes{pick(0, 300 * 24 * 60)};
      std::vector<wo::StatusChange> h = {{t, {}, pick(0, 2) ? S::pending_dispatch : S::awaiting_prepayment}};
      for (int steps = pick(0, 7); steps > 0 && h.back().to != S::cancelled && h.back().to != S::completed; --steps) {
        t += minutes{pick(1, 36 * 60)};
        h.push_back({t, h.back().to, next(h.back().to)});
      }
      const auto now = t + minutes{pick(0, 48 * 60)};
      const wo::ServiceTargets targets{minutes{pick(1, 16) * 30}, minutes{pick(1, 40) * 60}};
      const auto level = wo::service_level(h, targets, hours, zone, now);
      CAPTURE(name);
      CAPTURE(round);
      // The order row, kept step by step, reads the same as the whole history.
      const wo::Order row = kept_step_by_step(h, targets, hours, zone, now);
      CHECK(row.response_state == level.response.attainment);
      CHECK(row.response_used_ms == level.response.used.count());
      CHECK(row.response_due == level.response.due);
      CHECK(row.resolution_state == level.resolution.attainment);
      CHECK(row.resolution_used_ms == level.resolution.used.count());
      CHECK(row.resolution_due == level.resolution.due);
      for (bool resolution : {false, true}) {
        CAPTURE(resolution);
        const minutes target = resolution ? *targets.resolution : *targets.response;
        const wo::ServiceClock& clock = resolution ? level.resolution : level.response;
        const Simulated sim = simulate(h, resolution, target, hours, zone, now);
        CHECK(clock.used == sim.used);
        // Late: stopped, or still running at `now`, past the instant the target was used up.
        const bool late = sim.reached && sim.stopped.value_or(now) > *sim.reached;
        const ServiceState expected = late ? ServiceState::breached
                                    : !sim.stopped    ? ServiceState::open
                                    : sim.cancelled   ? ServiceState::none
                                                      : ServiceState::met;
        CHECK(clock.attainment == expected);
        // The due instant: business time outside the pauses before the stop reaches the target
        // there and not a minute before.
        if (clock.due && *clock.due - sim.start < std::chrono::days{60}) {
          wo::Pauses pauses;
          for (std::size_t i = 0; i < h.size(); ++i)
            if ((h[i].to == S::awaiting_prepayment || h[i].to == S::awaiting_payment) && (!sim.stopped || h[i].at < *sim.stopped))
              pauses.push_back({h[i].at, i + 1 < h.size() ? h[i + 1].at : wo::Timestamp::max()});
          CHECK(test_support::minute_by_minute(hours, zone, sim.start, *clock.due, pauses) == target);
          CHECK(test_support::minute_by_minute(hours, zone, sim.start, *clock.due - 1min, pauses) < target);
        }
      }
    }
  }
  MESSAGE("service levels: " << cases
                              << " random histories agreed with the minute-by-minute simulation, and the order row "
                                 "kept step by step agreed with both");
}

}  // namespace
