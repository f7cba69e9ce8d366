// SPDX-License-Identifier: MIT
// The event feed (docs/rules.md §8): history events after an id, for hosts that push notifications.
#include "domain/fail.hpp"
#include "engine/context.hpp"
#include "engine/order_lists.hpp"
#include "engine/row_mapping.hpp"

namespace wo {

std::vector<OrderEvent> Engine::events_after(const Actor& actor, std::int64_t after, int limit) {
  check_limit(limit);
  if (after < 0) fail(Code::invalid_argument, "after {} must not be negative", after);
  std::vector<OrderEvent> out;
  // Only events no transaction can still commit below: a host's cursor never skips one.
  const std::int64_t settled = impl_->store->settled_id("event");
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    // Office staff follow their org; everyone else only what concerns them.
    std::vector<Condition> where;
    if (who.is_contact()) {
      where = {{"concerns", Value{static_cast<std::int64_t>(Audience::contact)}}, {"concerns_id", Value{who.id}}};
    } else if (who.is_staff() && !who.has(role_admin) && !who.has(role_dispatcher)) {
      where = {{"concerns", Value{static_cast<std::int64_t>(Audience::staff)}}, {"concerns_id", Value{who.id}}};
    } else if (who.is_staff()) {
      where = {{"org_id", Value{who.org.value}}};
    }
    for (const auto& row : tx.select("event", columns<OrderEvent>(), where, after, limit)) {
      if (std::get<std::int64_t>(row[0]) > settled) break;
      out.push_back(from_row<OrderEvent>(row));
    }
  });
  return out;
}

}  // namespace wo
