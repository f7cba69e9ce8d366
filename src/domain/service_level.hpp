// SPDX-License-Identifier: MIT
// An order's two service-level clocks, read from its status history (pure: no storage, no
// clock). The response clock runs from submission to the first start of work (accept or
// grab), the resolution clock from submission to finish; both count business time only, and
// both stand still while the order waits for the tenant (awaiting_prepayment,
// awaiting_payment). A reopen starts both clocks again from the reopen.
#pragma once
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <vector>

#include "domain/business_hours.hpp"
#include "workorder/order.hpp"

namespace wo {

// One step of the history: the order entered `to` at `at` (from nothing on submission).
struct StatusChange {
  Timestamp at;
  std::optional<Status> from;
  Status to;
};

struct ServiceClock {
  ServiceState attainment = ServiceState::none;
  std::optional<Timestamp> due;  // nullopt without a verdict-bearing target, while paused in time, or if never open again
  std::chrono::milliseconds used{0};  // business time counted so far (until it stopped)
  bool paused = false;                // waiting for the tenant right now
};

struct ServiceLevel {
  ServiceClock response;
  ServiceClock resolution;
};

struct ServiceTargets {
  std::optional<std::chrono::minutes> response;    // business minutes from submission to work
  std::optional<std::chrono::minutes> resolution;  // business minutes from submission to finish
};

// The clocks as of `now` for an order with this history (oldest first; the submission first).
ServiceLevel service_level(const std::vector<StatusChange>& history, const ServiceTargets& targets,
                           const BusinessHours& hours, const date::time_zone& zone, Timestamp now);

}  // namespace wo
