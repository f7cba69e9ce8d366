// SPDX-License-Identifier: MIT
// Creating a record in one line: add<T>(engine, actor, f(&T::member, value), ...) builds a
// Patch<T> from (member, value) pairs and creates the record as `actor`.
#pragma once
#include <utility>

#include "workorder/actor.hpp"
#include "workorder/engine.hpp"

namespace test_support {

// A (member, value) pair for add<T>(): f(&Staff::name, "Li").
template <class M, class T, class V>
std::pair<M T::*, M> f(M T::* member, V value) {
  return {member, M(std::move(value))};
}

template <class T, class... Fields>
decltype(T::id) add(wo::Engine& engine, const wo::Actor& actor, Fields&&... fields) {
  wo::Patch<T> patch;
  (patch.set(fields.first, fields.second), ...);
  return engine.create<T>(actor, patch);
}

}  // namespace test_support
