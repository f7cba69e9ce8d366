// SPDX-License-Identifier: MIT
#include "domain/order_access.hpp"

#include "domain/lifecycle.hpp"

namespace wo {

bool is_eligible(const Staff& staff, const OrderType& type) {
  return staff.active && staff.department_id == type.department_id && staff.position_id == type.position_id;
}

bool is_eligible(const Who& who, const OrderType& type) {
  return who.is_staff() && who.department == type.department_id && who.position == type.position_id;
}

unsigned parties_of(const Who& who, const Order& order, bool eligible) {
  if (who.is_system()) return party_system;
  if (who.is_contact())
    return party_any_contact | (order.reporter_contact_id && order.reporter_contact_id->value == who.id ? party_reporter : 0u);
  unsigned p = party_any_staff;
  if (who.has(role_admin)) p |= party_admin;
  if (who.has(role_dispatcher)) p |= party_dispatcher;
  if (who.has(role_technician) && eligible) p |= party_eligible_technician;
  if (order.assignee_id && order.assignee_id->value == who.id) p |= party_assignee;
  if (order.reporter_staff_id && order.reporter_staff_id->value == who.id) p |= party_reporter;
  return p;
}

bool can_see(const Who& who, const Order& order, bool eligible, bool held_before) {
  if (who.is_system()) return true;
  if (order.org_id != who.org) return false;
  if (who.is_contact()) return order.reporter_contact_id && order.reporter_contact_id->value == who.id;
  if (who.has(role_admin) || who.has(role_dispatcher)) return true;
  if (order.assignee_id && order.assignee_id->value == who.id) return true;
  if (order.reporter_staff_id && order.reporter_staff_id->value == who.id) return true;
  if (held_before) return true;
  return who.has(role_technician) && eligible && order.status == Status::pending_dispatch;
}

}  // namespace wo
