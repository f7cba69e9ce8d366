// SPDX-License-Identifier: MIT
#include "domain/duration_stats.hpp"

#include <algorithm>

#include "domain/fail.hpp"

namespace wo {

std::int64_t MeanOf::mean() const { return count == 0 ? 0 : round_div(sum, count); }

std::int64_t MeanOf::mean_x100() const { return count == 0 ? 0 : round_div(sum * 100, count); }

std::int64_t nearest_rank(std::vector<std::int64_t>& values, int percent) {
  if (percent < 1 || percent > 100) fail(Code::internal, "percentile {} is not in 1..100", percent);
  if (values.empty()) return 0;
  const Wide n = static_cast<Wide>(values.size());
  const auto rank = static_cast<std::ptrdiff_t>((n * percent + 99) / 100);  // ceil, >= 1
  const auto at = values.begin() + (rank - 1);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

DurationStats duration_stats(std::vector<std::int64_t>& values) {
  DurationStats s;
  MeanOf mean;
  for (const auto v : values) mean.add(v);
  s.count = mean.count;
  s.mean_ms = mean.mean();
  s.median_ms = nearest_rank(values, 50);
  s.p90_ms = nearest_rank(values, 90);
  return s;
}

std::int64_t ratio_bp(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 0;  // counts are never negative
  return round_div(Wide{part} * 10000, whole);
}

}  // namespace wo
