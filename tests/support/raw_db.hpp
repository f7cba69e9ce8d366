// SPDX-License-Identifier: MIT
// Raw SQLite access to a database file, for a test's own checks of what the engine stored
// (counts, sums) without going through the engine. Open it only in the parent, after any fork.
#pragma once
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
    REQUIRE_MESSAGE(rc == SQLITE_OK, "cannot open ", path);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // Every row of an integer-only query.
  std::vector<std::vector<std::int64_t>> ints(const std::string& sql) {
    std::vector<std::vector<std::int64_t>> rows;
    for_each_row(sql, [&](sqlite3_stmt* stmt) {
      std::vector<std::int64_t> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) row.push_back(sqlite3_column_int64(stmt, i));
      rows.push_back(std::move(row));
    });
    return rows;
  }
  // The one value of a query that returns exactly one row.
  std::int64_t scalar(const std::string& sql) {
    const auto rows = ints(sql);
    REQUIRE_MESSAGE(rows.size() == 1, sql, " returned ", rows.size(), " rows");
    return rows[0].at(0);
  }
  // The first column of every row, as text.
  std::vector<std::string> texts(const std::string& sql) {
    std::vector<std::string> out;
    for_each_row(sql, [&](sqlite3_stmt* stmt) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      out.emplace_back(text ? text : "");
    });
    return out;
  }

 private:
  template <class Fn>
  void for_each_row(const std::string& sql, Fn&& fn) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE_MESSAGE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK, sql, ": ",
                    sqlite3_errmsg(db_));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) fn(stmt);
    sqlite3_finalize(stmt);
    REQUIRE_MESSAGE(rc == SQLITE_DONE, sql, ": ", sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
};

}  // namespace test_support
