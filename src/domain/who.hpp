// SPDX-License-Identifier: MIT
// The acting party as the rules see it, resolved from the store at the start of each call.
#pragma once
#include <cstdint>
#include <optional>

#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"

namespace wo {

struct Who {
  Actor::Kind kind = Actor::Kind::system;
  std::int64_t id = 0;
  OrgId org;              // 0 for the system actor
  std::int32_t roles = 0;  // staff only
  std::optional<DepartmentId> department;  // staff only
  std::optional<PositionId> position;      // staff only
  TenantId tenant;        // contacts only

  bool is_staff() const { return kind == Actor::Kind::staff; }
  bool is_contact() const { return kind == Actor::Kind::contact; }
  bool is_system() const { return kind == Actor::Kind::system; }
  bool has(Role r) const { return is_staff() && (roles & r) != 0; }
};

}  // namespace wo
