// SPDX-License-Identifier: MIT
#include "engine/context.hpp"

#include "domain/fail.hpp"
#include "engine/row_mapping.hpp"

namespace wo {

Who resolve(Transaction& tx, const Actor& actor) {
  Who who;
  who.kind = actor.kind;
  who.id = actor.id;
  switch (actor.kind) {
    case Actor::Kind::system:
      return who;
    case Actor::Kind::staff: {
      static const std::vector<std::string_view> cols{"org_id", "roles", "active", "department_id", "position_id"};
      auto row = tx.find("staff", cols, actor.id);
      if (!row) fail(Code::not_found, "actor staff {} not found", actor.id);
      if (std::get<std::int64_t>((*row)[2]) == 0) fail(Code::forbidden, "actor staff {} is inactive", actor.id);
      who.org.value = std::get<std::int64_t>((*row)[0]);
      who.roles = static_cast<std::int32_t>(std::get<std::int64_t>((*row)[1]));
      from_value("department_id", (*row)[3], who.department);
      from_value("position_id", (*row)[4], who.position);
      return who;
    }
    case Actor::Kind::contact: {
      static const std::vector<std::string_view> cols{"org_id", "tenant_id", "active"};
      auto row = tx.find("contact", cols, actor.id);
      if (!row) fail(Code::not_found, "actor contact {} not found", actor.id);
      if (std::get<std::int64_t>((*row)[2]) == 0) fail(Code::forbidden, "actor contact {} is inactive", actor.id);
      who.org.value = std::get<std::int64_t>((*row)[0]);
      who.tenant.value = std::get<std::int64_t>((*row)[1]);
      return who;
    }
  }
  fail(Code::invalid_argument, "actor kind {} is unknown", static_cast<int>(actor.kind));
}

void require_org(const Who& who, std::string_view action) {
  if (who.is_system()) fail(Code::forbidden, "the system actor cannot {}: act as a staff member of the org", action);
}

void require_role(const Who& who, std::int32_t roles, std::string_view action) {
  require_org(who, action);
  if (!who.is_staff() || (who.roles & roles) == 0) {
    const char* needed = roles == role_admin ? "an admin" : "an admin or dispatcher";
    if (who.is_staff()) fail(Code::forbidden, "staff {} cannot {}: needs {}", who.id, action, needed);
    fail(Code::forbidden, "contact {} cannot {}: needs {}", who.id, action, needed);
  }
}

}  // namespace wo
