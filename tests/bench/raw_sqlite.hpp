// SPDX-License-Identifier: MIT
// The raw SQLite baseline's connection and statements, shared by the benchmarks that compare
// the library with hand-written SQL: a connection with the library's settings, statements
// prepared once.
#pragma once
#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wo_bench::raw_sqlite {

inline void check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(fmt::format("raw sqlite: {}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

// A connection with the library's settings: foreign keys, WAL, synchronous=FULL, busy timeout.
class Db {
 public:
  explicit Db(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw std::runtime_error(fmt::format("raw sqlite: cannot open '{}': {}", path, message));
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = FULL");
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  sqlite3* get() const { return db_; }
  void exec(const char* sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw std::runtime_error(fmt::format("raw sqlite: {}: {}", sql, message));
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

// A statement prepared once and reused: bind, run, reset.
class Stmt {
 public:
  Stmt(Db& db, const std::string& sql) : db_(db.get()) {
    check(db_, sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr), sql.c_str());
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Text is bound SQLITE_STATIC: it must outlive run().
  Stmt& bind(int i, std::int64_t v) { return done(sqlite3_bind_int64(stmt_, i, v)); }
  Stmt& bind(int i, std::string_view v) {
    return done(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
  }
  Stmt& bind_null(int i) { return done(sqlite3_bind_null(stmt_, i)); }
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }
  // Runs to completion; returns the first column of the first row (0 without rows).
  std::int64_t run() {
    std::int64_t first = 0;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) first = sqlite3_column_int64(stmt_, 0);
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    check(db_, rc, sqlite3_sql(stmt_));
    return first;
  }
  // Steps a query: true while a row is there to read with column(); resets after the last.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    sqlite3_reset(stmt_);
    check(db_, rc, sqlite3_sql(stmt_));
    return false;
  }
  std::int64_t column(int i) const { return sqlite3_column_int64(stmt_, i); }
  bool is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  // Runs a conditional write that must change exactly one row.
  void run_one(const char* what) {
    run();
    if (sqlite3_changes(db_) != 1) throw std::runtime_error(fmt::format("raw sqlite: {} changed no row", what));
  }

 private:
  Stmt& done(int rc) {
    check(db_, rc, "bind");
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace wo_bench::raw_sqlite
