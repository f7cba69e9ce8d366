// SPDX-License-Identifier: MIT
// Who may see an order and which parts they play in it (docs/rules.md §7). Pure.
#pragma once
#include "domain/who.hpp"
#include "workorder/order.hpp"

namespace wo {

// A staff member is eligible for an order type when they are active and have its
// department and position.
bool is_eligible(const Staff& staff, const OrderType& type);
bool is_eligible(const Who& who, const OrderType& type);

// Party bits (domain/lifecycle.hpp) of `who` towards `order`.
unsigned parties_of(const Who& who, const Order& order, bool eligible);

// Admins and dispatchers see every order of their org; a technician sees what they hold,
// held or reported and the pool they could grab; a contact sees what they reported.
// `held_before`: the staff member held this order at some time.
bool can_see(const Who& who, const Order& order, bool eligible, bool held_before);

}  // namespace wo
