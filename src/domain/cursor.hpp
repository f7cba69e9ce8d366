// SPDX-License-Identifier: MIT
// Opaque keyset cursors for order lists: a position in the (created_at, id) order plus the
// direction it belongs to, with a checksum so a damaged or hand-edited cursor is rejected
// instead of silently restarting somewhere else.
#pragma once
#include <string>
#include <string_view>

#include "workorder/store.hpp"

namespace wo {

std::string encode_cursor(const OrderKey& key, bool newest_first);

// Throws invalid_argument (naming "cursor") unless `text` came from encode_cursor with the
// same direction.
OrderKey decode_cursor(std::string_view text, bool newest_first);

}  // namespace wo
