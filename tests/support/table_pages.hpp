// SPDX-License-Identifier: MIT
// Reading a whole table through the Store, page by page in id order (a select returns at most
// wo::max_page_size rows), for tests that look at every row regardless of who may see it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "workorder/engine.hpp"
#include "workorder/store.hpp"

namespace test_support {

// Calls on_page(rows) for every page of `table`; the first of `columns` is the row's id.
template <class F>
void for_each_page(wo::Transaction& tx, std::string_view table, std::span<const std::string_view> columns,
                   F&& on_page) {
  for (std::int64_t after = 0;;) {
    std::vector<wo::Row> rows = tx.select(table, columns, {}, after, wo::max_page_size);
    const bool last = rows.size() < static_cast<std::size_t>(wo::max_page_size);
    if (!last) after = std::get<std::int64_t>(rows.back()[0]);
    on_page(std::move(rows));
    if (last) return;
  }
}

// The number of rows in `table`.
inline std::int64_t count_rows(wo::Store& store, std::string_view table) {
  static constexpr std::string_view id[] = {"id"};
  std::int64_t n = 0;
  store.read([&](wo::Transaction& tx) {
    for_each_page(tx, table, id,
                  [&](const std::vector<wo::Row>& rows) { n += static_cast<std::int64_t>(rows.size()); });
  });
  return n;
}

}  // namespace test_support
