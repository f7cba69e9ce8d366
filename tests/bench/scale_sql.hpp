// SPDX-License-Identifier: MIT
// Plain SQLite for `wo_bench scale`: a connection, a reusable prepared statement, and a
// generic cell so that rows of any table can be read and written without knowing their
// columns in advance.
#pragma once
#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace wo_bench::scale {

using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;
using Cells = std::vector<Cell>;

class Db {
 public:
  explicit Db(const std::string& path, int flags = SQLITE_OPEN_READWRITE) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw std::runtime_error(fmt::format("sqlite: cannot open '{}': {}", path, message));
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  sqlite3* get() const { return db_; }

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw std::runtime_error(fmt::format("sqlite: {}: {}", sql, message));
    }
  }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(Db& db, const std::string& sql) : db_(db.get()) {
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("sqlite: {}: {}", sql, sqlite3_errmsg(db_)));
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& bind(int i, const Cell& c) {
    if (const auto* n = std::get_if<std::int64_t>(&c)) sqlite3_bind_int64(stmt_, i, *n);
    else if (const auto* d = std::get_if<double>(&c)) sqlite3_bind_double(stmt_, i, *d);
    else if (const auto* s = std::get_if<std::string>(&c))
      sqlite3_bind_text(stmt_, i, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    else sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // true while a row is available; resets the statement (keeping its bindings) when done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    sqlite3_reset(stmt_);
    if (rc != SQLITE_DONE) throw std::runtime_error(fmt::format("sqlite: {}: {}", sqlite3_sql(stmt_), sqlite3_errmsg(db_)));
    return false;
  }
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }
  void reset() { sqlite3_reset(stmt_); }
  int columns() const { return sqlite3_column_count(stmt_); }
  std::string name(int i) const { return sqlite3_column_name(stmt_, i); }
  std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
  Cell cell(int i) const {
    switch (sqlite3_column_type(stmt_, i)) {
      case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, i);
      case SQLITE_FLOAT: return sqlite3_column_double(stmt_, i);
      case SQLITE_NULL: return std::monostate{};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)));
      }
    }
  }
  Cells row() const {
    Cells out;
    out.reserve(static_cast<std::size_t>(columns()));
    for (int i = 0; i < columns(); ++i) out.push_back(cell(i));
    return out;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// The single integer of a one-row query.
inline std::int64_t scalar(Db& db, const std::string& sql) {
  Stmt s(db, sql);
  if (!s.step()) throw std::runtime_error(fmt::format("sqlite: no row from {}", sql));
  const std::int64_t v = s.integer(0);
  s.reset();
  return v;
}

}  // namespace wo_bench::scale
