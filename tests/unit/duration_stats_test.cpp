// SPDX-License-Identifier: MIT
// The dashboard's integer statistics: nearest-rank percentiles (rank = ceil(p × n), 1-based),
// means and ratios rounded half up, never overflowing on int64 inputs.
#include <doctest/doctest.h>

#include <limits>
#include <vector>

#include "domain/duration_stats.hpp"
#include "workorder/errors.hpp"

using wo::MeanOf;
using Values = std::vector<std::int64_t>;

namespace {

MeanOf mean_of(const Values& values) {
  MeanOf m;
  for (auto v : values) m.add(v);
  return m;
}

std::int64_t rank(Values values, int percent) { return wo::nearest_rank(values, percent); }

}  // namespace

TEST_CASE("nearest rank takes the ceil(p × n)-th smallest value, whatever the input order") {
  CHECK(rank({}, 50) == 0);
  CHECK(rank({7}, 50) == 7);
  CHECK(rank({7}, 90) == 7);
  // n = 2: median rank ceil(1) = 1 (the lower value), p90 rank ceil(1.8) = 2.
  CHECK(rank({30, 10}, 50) == 10);
  CHECK(rank({30, 10}, 90) == 30);
  // n = 10: ranks 5 and 9 exactly.
  const Values ten{10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  CHECK(rank(ten, 50) == 5);
  CHECK(rank(ten, 90) == 9);
  CHECK(rank(ten, 100) == 10);
  CHECK(rank(ten, 1) == 1);
  // n = 11: ranks ceil(5.5) = 6 and ceil(9.9) = 10 (a floor or an interpolation would differ).
  const Values eleven{110, 10, 100, 20, 90, 30, 80, 40, 70, 50, 60};
  CHECK(rank(eleven, 50) == 60);
  CHECK(rank(eleven, 90) == 100);
  // Duplicates are counted, not collapsed.
  CHECK(rank({5, 5, 5, 1}, 50) == 5);
  CHECK(rank({1, 1, 1, 9}, 90) == 9);
  CHECK(rank({-3, 4}, 50) == -3);
}

TEST_CASE("nearest rank rejects a percent outside 1..100") {
  Values v{1, 2};
  for (int bad : {0, -1, 101}) {
    try {
      wo::nearest_rank(v, bad);
      FAIL("accepted percent ", bad);
    } catch (const wo::Error& e) {
      CHECK(e.code() == wo::Code::internal);
    }
  }
}

TEST_CASE("the mean rounds half up, away from zero") {
  CHECK(mean_of({}).mean() == 0);
  CHECK(mean_of({1, 2}).mean() == 2);        // 1.5
  CHECK(mean_of({1, 1, 2}).mean() == 1);     // 1.33
  CHECK(mean_of({1, 2, 2}).mean() == 2);     // 1.67
  CHECK(mean_of({1, 2, 2, 2}).mean() == 2);  // 1.75
  CHECK(mean_of({0, 0, 0, 1}).mean() == 0);  // 0.25
  CHECK(mean_of({-1, -2}).mean() == -2);     // -1.5 (only a clock that went back gives these)
  CHECK(mean_of({-1, 2}).mean() == 1);       // 0.5
}

TEST_CASE("the mean of int64 extremes does not overflow") {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  CHECK(mean_of({max, max, max}).mean() == max);
  CHECK(mean_of({max, max - 1}).mean() == max);  // max − 0.5 rounds up
  CHECK(mean_of({min, min}).mean() == min);
  CHECK(mean_of({max, min}).mean() == -1);       // −0.5 rounds away from zero
  MeanOf m;
  m.add(max);
  m.add(max);
  CHECK(m.count == 2);
  CHECK(m.sum == wo::Wide{max} * 2);
}

TEST_CASE("mean × 100 rounds half up") {
  CHECK(mean_of({}).mean_x100() == 0);
  CHECK(mean_of({5, 4, 4}).mean_x100() == 433);  // 433.33
  CHECK(mean_of({1, 2, 2}).mean_x100() == 167);  // 166.67
  CHECK(mean_of({5, 4}).mean_x100() == 450);
  CHECK(mean_of({1, 1, 1, 1, 1, 1, 1, 2}).mean_x100() == 113);  // 112.5
  CHECK(mean_of({5}).mean_x100() == 500);
}

TEST_CASE("ratios in basis points round half up; 0 of nothing is 0") {
  CHECK(wo::ratio_bp(0, 0) == 0);
  CHECK(wo::ratio_bp(5, 0) == 0);
  CHECK(wo::ratio_bp(0, 7) == 0);
  CHECK(wo::ratio_bp(7, 7) == 10000);
  CHECK(wo::ratio_bp(1, 3) == 3333);      // 3333.33
  CHECK(wo::ratio_bp(2, 3) == 6667);      // 6666.67
  CHECK(wo::ratio_bp(1, 8) == 1250);
  CHECK(wo::ratio_bp(1, 20000) == 1);     // exactly 0.5 bp rounds up
  CHECK(wo::ratio_bp(1, 20001) == 0);     // just under 0.5 bp
  CHECK(wo::ratio_bp(3, 40000) == 1);     // 0.75
  CHECK(wo::ratio_bp(std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::max()) == 10000);
}

TEST_CASE("duration stats: count, half-up mean, nearest-rank median and p90") {
  Values empty;
  const auto none = wo::duration_stats(empty);
  CHECK(none.count == 0);
  CHECK(none.mean_ms == 0);
  CHECK(none.median_ms == 0);
  CHECK(none.p90_ms == 0);

  Values v{10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  const auto s = wo::duration_stats(v);
  CHECK(s.count == 10);
  CHECK(s.mean_ms == 6);  // 5.5
  CHECK(s.median_ms == 5);
  CHECK(s.p90_ms == 9);

  Values skewed{1000, 1, 1, 1};
  const auto k = wo::duration_stats(skewed);
  CHECK(k.count == 4);
  CHECK(k.mean_ms == 251);  // 250.75
  CHECK(k.median_ms == 1);
  CHECK(k.p90_ms == 1000);
}
