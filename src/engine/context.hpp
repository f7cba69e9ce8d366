// SPDX-License-Identifier: MIT
// What every use case starts with: the acting party resolved inside the transaction.
#pragma once
#include <mutex>

#include "domain/who.hpp"
#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/engine.hpp"
#include "workorder/store.hpp"

namespace wo {

struct Engine::Impl {
  std::unique_ptr<Store> store;
  mutable std::mutex clock_mutex;
  Clock clock;
  // The clock's time; a host's clock that strays out of the library's range is refused.
  Timestamp now() const {
    std::lock_guard lock(clock_mutex);
    const Timestamp t = clock();
    check_instant("the clock's time", t);
    return t;
  }
};

// Loads the actor; unknown → not_found, inactive → forbidden.
Who resolve(Transaction& tx, const Actor& actor);

// Throws forbidden unless the actor is staff holding one of `roles` (a Role mask).
void require_role(const Who& who, std::int32_t roles, std::string_view action);

// Throws forbidden unless the actor belongs to an org (the system actor does not).
void require_org(const Who& who, std::string_view action);

}  // namespace wo
