// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <string_view>

namespace wo {

// Removes spaces, dashes, dots and brackets, keeps a leading '+'. The result must be 3–20
// digits (after the optional '+'), else Error{invalid_argument} naming `field` and the value.
std::string normalize_phone(std::string_view field, std::string_view raw);

}  // namespace wo
