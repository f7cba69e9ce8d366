// SPDX-License-Identifier: MIT
// One SQLite connection with its statement cache. Not thread-safe by itself; SqliteStore
// serialises access.
#pragma once
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "workorder/store.hpp"

namespace wo::sqlite {

// Throws the wo::Error that matches a SQLite result code (busy → busy, unique key → conflict,
// another constraint → internal, anything else → storage), with SQLite's message.
[[noreturn]] void raise(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  ~Statement() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void bind(int index, const Value& v);
  bool step();  // true while a row is available
  Value column(int index) const;
  std::int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  Connection(const std::string& path, const StoreOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Journal mode and durability: these may write the file, so they are applied only after
  // the schema version was found acceptable.
  void configure(const StoreOptions& options, bool in_memory);
  void exec(std::string_view sql);
  // A cached prepared statement, reset and unbound when the Statement goes out of scope.
  Statement prepare(const std::string& sql);

  // Transactions. Their statements are prepared when the connection opens, so that ending a
  // transaction never needs memory: a call that fails for lack of it must still roll back.
  void begin(bool write) { prepare(write ? "BEGIN IMMEDIATE" : "BEGIN").step(); }
  void commit() { prepare("COMMIT").step(); }
  // Rolls back the open transaction, if any; never throws. False when one is still open
  // (the rollback failed): the next begin() tries again first.
  bool rollback() noexcept;
  sqlite3* handle() const { return db_; }
  int changes() const { return sqlite3_changes(db_); }

 private:
  // SQLite's default busy handler backs off to 100 ms sleeps, which lets one busy writer
  // starve the others; this one polls every few hundred microseconds up to the timeout.
  static int on_busy(void* self, int attempt);
  std::chrono::milliseconds busy_timeout_{0};
  std::chrono::steady_clock::time_point busy_since_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace wo::sqlite
