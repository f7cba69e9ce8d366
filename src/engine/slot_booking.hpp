// SPDX-License-Identifier: MIT
// Booking and releasing appointment slots inside an order's transaction (docs/rules.md §5).
#pragma once
#include <date/tz.h>

#include "engine/context.hpp"
#include "workorder/schedule.hpp"

namespace wo {

// The subtype's slot schedule, if it takes appointments; prefetch_schedule announces it.
std::optional<SlotSchedule> load_schedule(Transaction& tx, SubtypeId subtype);
void prefetch_schedule(Transaction& tx, SubtypeId subtype);

// The org's time zone, read from its row; prefetch_org_zone announces that read.
const date::time_zone& org_zone(Transaction& tx, OrgId org);
void prefetch_org_zone(Transaction& tx, OrgId org);

// Checks that `start` is a bookable slot of the subtype's schedule at `now` and books it:
// not a slot → slot_unavailable, earlier than now + lead → slot_too_early, past the
// horizon → slot_beyond_horizon, full → slot_full; each message names the slot in local time
// (`zone`, the org's).
void book_slot(Transaction& tx, OrgId org, const date::time_zone& zone, SubtypeId subtype, Timestamp start,
               Timestamp now);

// Gives the order's place back (cancel, prepayment timeout, reschedule).
void release_slot(Transaction& tx, SubtypeId subtype, Timestamp start);

}  // namespace wo
