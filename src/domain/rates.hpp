// SPDX-License-Identifier: MIT
#pragma once
#include <optional>
#include <vector>

#include "workorder/catalog.hpp"

namespace wo {

// The most specific active rule for a staff member: department+position, then department
// alone, then the item's default rate. nullopt if none applies.
std::optional<Money> pick_labor_rate(const std::vector<LaborRate>& rules, const LaborItem& item,
                                     std::optional<DepartmentId> department, std::optional<PositionId> position);

}  // namespace wo
