// SPDX-License-Identifier: MIT
// A copy of the rows of chosen tables, read through the Store (so it sees every org's rows,
// whoever may see what), for "a refused call changed nothing" checks: take a snapshot before
// and after the call; diff() of the two must be "". Each fixture names the tables its
// operations may touch.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "engine/row_mapping.hpp"
#include "support/table_pages.hpp"
#include "workorder/store.hpp"

namespace test_support {

// Every row of one table, in id order, with its column names.
struct TableRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<wo::Row> rows;
};
using Snapshot = std::vector<TableRows>;

// A table to read and its columns; the first column is the row's id.
struct Table {
  std::string name;
  std::vector<std::string_view> columns;
};

// The table of record type T with all of T's columns (pass the name where it is not T::kind).
template <class T>
Table table_of(std::string name = T::kind) {
  return {std::move(name), wo::columns<T>()};
}

inline void read_table(wo::Transaction& tx, Snapshot& snap, const Table& table) {
  TableRows t;
  t.table = table.name;
  for (auto c : table.columns) t.columns.emplace_back(c);
  for_each_page(tx, table.name, table.columns, [&](std::vector<wo::Row> rows) {
    for (auto& r : rows) t.rows.push_back(std::move(r));
  });
  snap.push_back(std::move(t));
}

// The tables in the given order, read in one transaction.
inline Snapshot take_snapshot(wo::Store& store, const std::vector<Table>& tables) {
  Snapshot snap;
  store.read([&](wo::Transaction& tx) {
    for (const auto& table : tables) read_table(tx, snap, table);
  });
  return snap;
}

// "" when equal, else a readable list of the differences (first 30).
inline std::string diff(const Snapshot& before, const Snapshot& after) {
  std::vector<std::string> lines;
  auto add = [&](std::string s) {
    if (lines.size() < 30) lines.push_back(std::move(s));
  };
  if (before.size() != after.size()) add("table count differs");
  for (std::size_t i = 0; i < std::min(before.size(), after.size()); ++i) {
    const auto& a = before[i];
    const auto& b = after[i];
    std::map<std::int64_t, const wo::Row*> old_rows, new_rows;
    for (const auto& r : a.rows) old_rows[std::get<std::int64_t>(r[0])] = &r;
    for (const auto& r : b.rows) new_rows[std::get<std::int64_t>(r[0])] = &r;
    for (const auto& [id, r] : old_rows) {
      auto it = new_rows.find(id);
      if (it == new_rows.end()) {
        add(a.table + " " + std::to_string(id) + " removed");
        continue;
      }
      for (std::size_t c = 0; c < r->size(); ++c)
        if ((*r)[c] != it->second->at(c))
          add(a.table + " " + std::to_string(id) + "." + a.columns[c] + ": " + wo::describe_value((*r)[c]) + " -> " +
              wo::describe_value(it->second->at(c)));
    }
    for (const auto& [id, r] : new_rows)
      if (!old_rows.count(id)) add(a.table + " " + std::to_string(id) + " added");
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace test_support
