// SPDX-License-Identifier: MIT
// The dashboard's arithmetic (docs/dashboard.md): means, nearest-rank percentiles and ratios
// of integers, rounded half up, with no floating point. Pure functions.
#pragma once
#include <cstdint>
#include <vector>

#include "workorder/money.hpp"
#include "workorder/views.hpp"

namespace wo {

// A running count and sum; the sum is 128-bit so no count of int64 values can overflow it.
struct MeanOf {
  Wide sum = 0;
  std::int64_t count = 0;
  void add(std::int64_t value) {
    sum += value;
    ++count;
  }
  // sum / count rounded half up (half away from zero, as money rounds); 0 when empty.
  std::int64_t mean() const;
  // sum × 100 / count rounded half up; 0 when empty.
  std::int64_t mean_x100() const;
};

// The value of nearest rank ceil(percent / 100 × n) (1-based) among the values in ascending
// order; 0 when there are none. percent is 1..100. Reorders `values`.
std::int64_t nearest_rank(std::vector<std::int64_t>& values, int percent);

// Count, mean (half up), median (nearest rank 50) and p90 (nearest rank 90); all 0 when
// empty. Reorders `values`.
DurationStats duration_stats(std::vector<std::int64_t>& values);

// part / whole in basis points (10000 = 100 %) rounded half up; 0 when whole is 0.
std::int64_t ratio_bp(std::int64_t part, std::int64_t whole);

}  // namespace wo
