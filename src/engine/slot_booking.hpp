// Booking and releasing appointment slots inside an order's transaction (SPEC §5).
#pragma once
#include "engine/context.hpp"
#include "workorder/schedule.hpp"

namespace wo {

std::optional<SlotSchedule> load_schedule(Transaction& tx, SubtypeId subtype);

// Checks that `start` is a bookable slot of the subtype's schedule at `now` and books it:
// not a slot → slot_unavailable, earlier than now + lead → slot_too_early, past the
// horizon → slot_beyond_horizon, full → slot_full; each message names the slot in local time.
void book_slot(Transaction& tx, OrgId org, SubtypeId subtype, Timestamp start, Timestamp now);

// Gives the order's place back (cancel, prepayment timeout, reschedule).
void release_slot(Transaction& tx, SubtypeId subtype, Timestamp start);

}  // namespace wo
