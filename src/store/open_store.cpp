// SPDX-License-Identifier: MIT
// Which backend a location names.
#include "workorder/store.hpp"

namespace wo {

bool is_postgres_uri(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Store> open_store(const std::string& location, const StoreOptions& options) {
  return is_postgres_uri(location) ? open_postgres_store(location, options) : open_sqlite_store(location, options);
}

}  // namespace wo
