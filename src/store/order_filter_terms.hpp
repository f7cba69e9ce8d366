// SPDX-License-Identifier: MIT
// The integer comparisons of an OrderFilter, as one list both backends render in their own
// SQL: `column op value`, org_id first. held_by and text need joins or functions and stay
// with each backend.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "workorder/store.hpp"

namespace wo {

struct FilterTerm {
  std::string_view column, op;
  std::int64_t value;
};

inline std::vector<FilterTerm> filter_terms(const OrderFilter& f) {
  std::vector<FilterTerm> terms;
  auto term = [&](const std::optional<std::int64_t>& v, std::string_view column, std::string_view op) {
    if (v) terms.push_back({column, op, *v});
  };
  if (f.org_id) terms.push_back({"org_id", "=", f.org_id});
  term(f.status, "status", "=");
  term(f.order_type_id, "order_type_id", "=");
  term(f.subtype_id, "subtype_id", "=");
  term(f.assignee_id, "assignee_id", "=");
  term(f.tenant_id, "tenant_id", "=");
  term(f.reporter_contact_id, "reporter_contact_id", "=");
  term(f.reporter_staff_id, "reporter_staff_id", "=");
  term(f.created_from_ms, "created_at", ">=");
  term(f.created_to_ms, "created_at", "<");
  term(f.status_since_to_ms, "status_since", "<=");
  term(f.response_state, "response_state", "=");
  term(f.resolution_state, "resolution_state", "=");
  term(f.response_due_before_ms, "response_due", "<");
  term(f.resolution_due_before_ms, "resolution_due", "<");
  term(f.sla_alert_to_ms, "sla_alert_at", "<=");
  return terms;
}

}  // namespace wo
