// SPDX-License-Identifier: MIT
#include "domain/rates.hpp"

namespace wo {

std::optional<Money> pick_labor_rate(const std::vector<LaborRate>& rules, const LaborItem& item,
                                     std::optional<DepartmentId> department, std::optional<PositionId> position) {
  std::optional<Money> department_rate;
  if (department) {
    for (const auto& r : rules) {
      if (!r.active || r.labor_item_id != item.id || r.department_id != *department) continue;
      if (r.position_id && position && *r.position_id == *position) return r.rate;
      if (!r.position_id) department_rate = r.rate;
    }
  }
  if (department_rate) return department_rate;
  return item.default_rate;
}

}  // namespace wo
