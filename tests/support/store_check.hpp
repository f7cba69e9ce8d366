// SPDX-License-Identifier: MIT
// Checking what the engine stored, without the engine: a wo::Store opened on the database's
// location and read with the generic Transaction reads (select, count, count_by, find), so one
// check runs unchanged on SQLite and PostgreSQL. Open it only in the parent, after any fork:
// nothing may be open across fork(). Every call is one read transaction of its own.
#pragma once
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "workorder/store.hpp"

namespace test_support {

using Where = std::vector<wo::Condition>;
using Columns = std::vector<std::string_view>;

// The integer a column holds; a check of one fails (and the value reads as 0) when it is not one.
inline std::int64_t int_of(const wo::Value& v) {
  const auto* i = std::get_if<std::int64_t>(&v);
  CHECK_MESSAGE(i != nullptr, "expected an integer value");
  return i ? *i : 0;
}

// NULL or the integer a column holds.
inline std::optional<std::int64_t> opt_int_of(const wo::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  return int_of(v);
}

inline std::string text_of(const wo::Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  CHECK_MESSAGE(s != nullptr, "expected a text value");
  return s ? *s : std::string();
}

inline wo::Value val(std::int64_t i) { return wo::Value{i}; }
inline wo::Value val(std::string s) { return wo::Value{std::move(s)}; }
// An enum's stored number.
template <class E>
  requires std::is_enum_v<E>
wo::Value val(E e) {
  return wo::Value{static_cast<std::int64_t>(e)};
}

class StoreCheck {
 public:
  explicit StoreCheck(const std::string& location) : store_(wo::open_store(location)) {}

  // Every row of `table` matching `where`, in id order, paged by id; columns[0] must be "id".
  std::vector<wo::Row> rows(std::string_view table, const Columns& columns, const Where& where = {}) {
    REQUIRE_MESSAGE((!columns.empty() && columns[0] == "id"), "the first column pages the rows: it must be id");
    std::vector<wo::Row> out;
    store_->read([&](wo::Transaction& tx) {
      for (std::int64_t after = 0;;) {
        auto page = tx.select(table, columns, where, after, page_size);
        for (auto& r : page) out.push_back(std::move(r));
        if (page.size() < static_cast<std::size_t>(page_size)) return;
        after = std::get<std::int64_t>(out.back()[0]);
      }
    });
    return out;
  }

  std::int64_t count(std::string_view table, const Where& where = {}) {
    std::int64_t n = 0;
    store_->read([&](wo::Transaction& tx) { n = tx.count(table, where); });
    return n;
  }

  // value -> rows, for every non-null integer value of `column` among the matching rows.
  std::map<std::int64_t, std::int64_t> count_by(std::string_view table, std::string_view column,
                                                const Where& where = {}) {
    std::map<std::int64_t, std::int64_t> out;
    store_->read([&](wo::Transaction& tx) {
      for (const auto& [value, n] : tx.count_by(table, column, where)) out[value] = n;
    });
    return out;
  }

  std::optional<wo::Row> find(std::string_view table, const Columns& columns, std::int64_t id) {
    std::optional<wo::Row> row;
    store_->read([&](wo::Transaction& tx) { row = tx.find(table, columns, id); });
    return row;
  }

  // Σ of an integer column over the matching rows (0 when none).
  std::int64_t sum(std::string_view table, std::string_view column, const Where& where = {}) {
    std::int64_t total = 0;
    for (const auto& r : rows(table, {"id", column}, where)) total += int_of(r[1]);
    return total;
  }

  wo::Store& store() { return *store_; }

 private:
  static constexpr int page_size = 200;
  std::unique_ptr<wo::Store> store_;
};

}  // namespace test_support
