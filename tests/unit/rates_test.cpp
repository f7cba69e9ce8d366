// SPDX-License-Identifier: MIT
// docs/rules.md §2: rates are keyed by labor item and department, optionally narrowed by position; the
// most specific rule for the performing staff member wins (department+position, then department,
// then the item's default rate); no rule -> no rate.
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "domain/rates.hpp"

namespace {

constexpr wo::LaborItemId plumbing{1};
constexpr wo::LaborItemId electrical{2};
constexpr wo::DepartmentId internal_team{10};
constexpr wo::DepartmentId external_team{11};
constexpr wo::PositionId plumber{20};
constexpr wo::PositionId senior_plumber{21};

wo::LaborItem item(wo::LaborItemId id, std::optional<std::int64_t> default_rate) {
  wo::LaborItem i;
  i.id = id;
  i.org_id = wo::OrgId{1};
  i.name = "labor";
  if (default_rate) i.default_rate = wo::Money{*default_rate};
  return i;
}

wo::LaborRate rule(std::int64_t id, wo::LaborItemId item_id, wo::DepartmentId department,
                   std::optional<wo::PositionId> position, std::int64_t rate, bool active = true) {
  wo::LaborRate r;
  r.id = wo::LaborRateId{id};
  r.org_id = wo::OrgId{1};
  r.labor_item_id = item_id;
  r.department_id = department;
  r.position_id = position;
  r.rate = wo::Money{rate};
  r.active = active;
  return r;
}

std::optional<std::int64_t> pick(const std::vector<wo::LaborRate>& rules, const wo::LaborItem& i,
                                 std::optional<wo::DepartmentId> department,
                                 std::optional<wo::PositionId> position) {
  auto m = wo::pick_labor_rate(rules, i, department, position);
  if (!m) return std::nullopt;
  return m->minor;
}

}  // namespace

TEST_CASE("department+position beats department beats default") {
  const auto it = item(plumbing, 5000);
  // rule order must not matter: the specific rule is listed before and after the general one
  const std::vector<wo::LaborRate> rules_a{rule(1, plumbing, internal_team, std::nullopt, 6000),
                                           rule(2, plumbing, internal_team, plumber, 7000)};
  const std::vector<wo::LaborRate> rules_b{rule(2, plumbing, internal_team, plumber, 7000),
                                           rule(1, plumbing, internal_team, std::nullopt, 6000)};
  for (const auto* rules : {&rules_a, &rules_b}) {
    CHECK(pick(*rules, it, internal_team, plumber) == 7000);         // dept + position
    CHECK(pick(*rules, it, internal_team, senior_plumber) == 6000);  // dept only
    CHECK(pick(*rules, it, internal_team, std::nullopt) == 6000);    // staff without position
    CHECK(pick(*rules, it, external_team, plumber) == 5000);         // no rule for dept: default
  }
}

TEST_CASE("a position rule needs the staff member's department too") {
  const auto it = item(plumbing, 5000);
  const std::vector<wo::LaborRate> rules{rule(1, plumbing, internal_team, plumber, 7000)};
  CHECK(pick(rules, it, external_team, plumber) == 5000);  // same position, other department
  CHECK(pick(rules, it, internal_team, senior_plumber) == 5000);
  CHECK(pick(rules, it, internal_team, plumber) == 7000);
}

TEST_CASE("internal and external teams are billed differently") {
  const auto it = item(plumbing, std::nullopt);
  const std::vector<wo::LaborRate> rules{rule(1, plumbing, internal_team, std::nullopt, 4000),
                                         rule(2, plumbing, external_team, std::nullopt, 9000)};
  CHECK(pick(rules, it, internal_team, plumber) == 4000);
  CHECK(pick(rules, it, external_team, plumber) == 9000);
}

TEST_CASE("inactive rules are ignored") {
  const auto it = item(plumbing, 5000);
  const std::vector<wo::LaborRate> rules{rule(1, plumbing, internal_team, std::nullopt, 6000, false),
                                         rule(2, plumbing, internal_team, plumber, 7000, false)};
  CHECK(pick(rules, it, internal_team, plumber) == 5000);
  CHECK(pick(rules, it, internal_team, std::nullopt) == 5000);

  // an inactive specific rule falls back to the active department rule
  const std::vector<wo::LaborRate> mixed{rule(1, plumbing, internal_team, std::nullopt, 6000),
                                         rule(2, plumbing, internal_team, plumber, 7000, false)};
  CHECK(pick(mixed, it, internal_team, plumber) == 6000);

  // and nothing at all without a default
  CHECK_FALSE(pick(rules, item(plumbing, std::nullopt), internal_team, plumber).has_value());
}

TEST_CASE("rules for another labor item are ignored") {
  const auto it = item(plumbing, 5000);
  const std::vector<wo::LaborRate> rules{rule(1, electrical, internal_team, std::nullopt, 6000),
                                         rule(2, electrical, internal_team, plumber, 7000)};
  CHECK(pick(rules, it, internal_team, plumber) == 5000);
  CHECK_FALSE(pick(rules, item(plumbing, std::nullopt), internal_team, plumber).has_value());
  CHECK(pick(rules, item(electrical, std::nullopt), internal_team, plumber) == 7000);
}

TEST_CASE("staff without a department get the default rate") {
  const auto it = item(plumbing, 5000);
  const std::vector<wo::LaborRate> rules{rule(1, plumbing, internal_team, std::nullopt, 6000),
                                         rule(2, plumbing, internal_team, plumber, 7000)};
  CHECK(pick(rules, it, std::nullopt, plumber) == 5000);
  CHECK(pick(rules, it, std::nullopt, std::nullopt) == 5000);
  CHECK_FALSE(pick(rules, item(plumbing, std::nullopt), std::nullopt, plumber).has_value());
}

TEST_CASE("no rule and no default: nullopt") {
  CHECK_FALSE(pick({}, item(plumbing, std::nullopt), internal_team, plumber).has_value());
  CHECK(pick({}, item(plumbing, 0), internal_team, plumber) == 0);  // a default of 0 is a rate
  const std::vector<wo::LaborRate> rules{rule(1, plumbing, external_team, std::nullopt, 6000)};
  CHECK_FALSE(pick(rules, item(plumbing, std::nullopt), internal_team, plumber).has_value());
}

TEST_CASE("a zero-rate rule still wins over the default") {
  const auto it = item(plumbing, 5000);
  const std::vector<wo::LaborRate> rules{rule(1, plumbing, internal_team, std::nullopt, 0)};
  CHECK(pick(rules, it, internal_team, plumber) == 0);
}
