// SPDX-License-Identifier: MIT
// Whom a history event concerns (docs/rules.md §8 event feed): the party a host should notify.
#pragma once
#include <cstdint>
#include <optional>

#include "workorder/order.hpp"

namespace wo {

struct Concern {
  Audience audience = Audience::nobody;
  std::optional<std::int64_t> id;  // the staff member or contact; none for dispatchers
};

// The party an event of `action` by (actor_kind, actor_id) concerns, given the order as the
// action left it. Pure.
Concern concern_of(Action action, const Order& after, ActorKind actor_kind, std::int64_t actor_id);

}  // namespace wo
