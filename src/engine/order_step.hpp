// SPDX-License-Identifier: MIT
// The shape every order action shares: load the order the actor may see, decide with the
// life-cycle table, change, save with a conditional write, append one history event.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "domain/concerns.hpp"
#include "domain/lifecycle.hpp"
#include "domain/service_clock.hpp"
#include "engine/context.hpp"
#include "engine/row_mapping.hpp"
#include "workorder/order.hpp"

namespace wo {

struct OrderStep {
  Transaction& tx;
  Who who;
  Timestamp now;
  Order order;       // the working copy the action changes
  Order loaded;      // the order as loaded, to write only what changed
  Status before;     // status when loaded
  OrderType type;
  bool eligible = false;
  unsigned parties = 0;
  std::optional<ServiceCalendar> calendar;  // read when the order's clocks first need it
};

// Loads order `id` as seen by `who`; anything invisible is not_found.
OrderStep open_step(Transaction& tx, const Who& who, OrderId id, Timestamp now);

// Extra facts an event records.
struct EventNote {
  std::optional<StaffId> staff;
  std::optional<std::int64_t> amount;
  std::optional<std::string> details;
  std::optional<Concern> concerns;  // instead of the one the rules name for the action
};

// Moves to `to` (if set: entering it anew restarts its timer, and moves the service-level
// clocks), saves the order and appends the event.
void save_step(OrderStep& step, Action action, std::optional<Status> to, const EventNote& note = {});

// Writes the columns of the order that the step changed, if its status is still the one it
// was loaded in (else conflict, naming the action).
void write_order_changes(OrderStep& step, Action action);

// Appends the history event of `action` on order `o` (as the action left it), naming whom
// it concerns.
void append_event(Transaction& tx, const Order& o, Action action, const Who& who, Timestamp now,
                  std::optional<Status> from, const EventNote& note = {});

// One order action as one write transaction: resolve the actor, open the step, run body.
template <class Body>
void run_step(Engine::Impl& impl, const Actor& actor, OrderId id, Body&& body) {
  impl.store->write([&](Transaction& tx) {
    tx.lock("work_order", id.value);  // every action reads, decides and writes the order
    tx.prefetch("work_order", columns<Order>(), id.value);  // read with the actor, in one go
    const Who who = resolve(tx, actor);
    OrderStep step = open_step(tx, who, id, impl.now());
    body(step);
  });
}

// Loads a catalog record of the org or fails not_found naming `field`.
template <class T>
T load_in_org(Transaction& tx, OrgId org, std::int64_t id, std::string_view field);

OrderSettings load_settings(Transaction& tx, OrgId org);
Staff load_staff(Transaction& tx, OrgId org, StaffId id, std::string_view field);

// Checks a required reason / message text (1..2000 characters).
void check_reason(std::string_view field, const std::string& text);

// Puts qty of a material back in stock; overflow if the stock would not fit int64.
void return_stock(OrderStep& step, MaterialId material, Qty qty);

// Records a stock movement of the order's material (reserve, release, consume) by the actor.
void record_movement(OrderStep& step, MaterialId material, MovementKind kind, Qty qty);

// Calls fn(line) for every material line of the order still holding reserved stock (not
// removed, not consumed), in id order.
void for_each_material_line(OrderStep& step, const std::function<void(const ChargeLine&)>& fn);

// Releases what a cancelled order held: the stock reserved by its material lines and its
// appointment slot.
void release_holds(OrderStep& step);

}  // namespace wo
