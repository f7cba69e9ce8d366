// SPDX-License-Identifier: MIT
// Every call names who is acting. Roles and org are looked up from the store inside the
// operation's transaction, so a deactivated staff member stops acting at once.
#pragma once
#include <cstdint>

#include "workorder/ids.hpp"

namespace wo {

struct Actor {
  enum class Kind { system, staff, contact };
  Kind kind = Kind::system;
  std::int64_t id = 0;

  static constexpr Actor system() { return {Kind::system, 0}; }
  static constexpr Actor staff(StaffId s) { return {Kind::staff, s.value}; }
  static constexpr Actor contact(ContactId c) { return {Kind::contact, c.value}; }
};

}  // namespace wo
