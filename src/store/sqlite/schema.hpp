// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>
#include <vector>

namespace wo::sqlite {

// migrations()[i] takes a database from user_version i to i + 1.
const std::vector<std::string_view>& migrations();

}  // namespace wo::sqlite
