// SPDX-License-Identifier: MIT
// One error type for the whole core. Codes are the C ABI's status codes (workorder.h):
// stable, explicitly numbered, never renumbered.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace wo {

enum class Code : int {
  ok = 0,
  not_found = 1,
  invalid_argument = 2,
  invalid_state = 3,
  forbidden = 4,
  conflict = 5,
  slot_full = 6,
  slot_unavailable = 7,
  grab_limit = 8,
  out_of_stock = 9,
  payment_mismatch = 10,
  channel_disabled = 11,
  busy = 12,
  storage = 13,
  schema_too_new = 14,
  overflow = 15,
  internal = 16,
  slot_beyond_horizon = 17,
  slot_too_early = 18,
  aborted = 19,     // a host callback (e.g. the CSV export's writer) stopped the operation
  ineligible = 20,  // the staff member may not take the order (inactive, not eligible)
  null_field = 21,  // a record's field read as a value is null (C ABI record getters)
};

// Static English text for a code (what wo_strerror returns).
std::string_view describe(Code code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(Code code, std::string message) : std::runtime_error(std::move(message)), code_(code) {}
  Code code() const noexcept { return code_; }

 private:
  Code code_;
};

}  // namespace wo
