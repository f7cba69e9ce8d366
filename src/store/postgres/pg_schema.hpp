// SPDX-License-Identifier: MIT
#pragma once
#include <string_view>
#include <vector>

namespace wo::postgres {

// migrations()[i] takes a database from schema version i to i + 1: the same logical schema,
// version for version, as the SQLite migrations.
const std::vector<std::string_view>& migrations();

}  // namespace wo::postgres
