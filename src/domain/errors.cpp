// SPDX-License-Identifier: MIT
#include "workorder/errors.hpp"

namespace wo {

std::string_view describe(Code code) noexcept {
  switch (code) {
    case Code::ok: return "ok";
    case Code::not_found: return "not found";
    case Code::invalid_argument: return "invalid argument";
    case Code::invalid_state: return "invalid state for this action";
    case Code::forbidden: return "forbidden";
    case Code::conflict: return "conflict with existing data";
    case Code::slot_full: return "appointment slot is full";
    case Code::slot_unavailable: return "not a slot of the schedule";
    case Code::grab_limit: return "grab limit reached";
    case Code::out_of_stock: return "out of stock, a requisition is needed";
    case Code::payment_mismatch: return "payment amount does not match";
    case Code::channel_disabled: return "payment channel is not enabled";
    case Code::busy: return "database is busy";
    case Code::storage: return "storage error";
    case Code::schema_too_new: return "database schema is newer than this library";
    case Code::overflow: return "arithmetic overflow";
    case Code::internal: return "internal error";
    case Code::slot_beyond_horizon: return "appointment slot is beyond the booking horizon";
    case Code::slot_too_early: return "appointment slot starts too soon";
    case Code::aborted: return "the host's callback stopped the operation";
    case Code::ineligible: return "the staff member may not take this order";
    case Code::null_field: return "the field is null";
  }
  return "unknown status code";
}

}  // namespace wo
