// SPDX-License-Identifier: MIT
#include "store/sqlite/connection.hpp"

#include <algorithm>
#include <new>
#include <thread>

#include "domain/fail.hpp"

namespace wo::sqlite {

void raise(sqlite3* db, int rc, std::string_view what) {
  const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      fail(Code::busy, "{}: database is busy ({})", what, message);
    case SQLITE_NOMEM:
      throw std::bad_alloc();  // out of memory is internal, wherever it happens
    case SQLITE_CONSTRAINT:
      // A unique key the engine expects to clash; any other constraint failing is a bug.
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) fail(Code::conflict, "{}: {}", what, message);
      fail(Code::internal, "{}: {}", what, message);
    default:
      fail(Code::storage, "{}: {}", what, message);
  }
}

void Statement::bind(int index, const Value& v) {
  int rc;
  if (auto* i = std::get_if<std::int64_t>(&v)) {
    rc = sqlite3_bind_int64(stmt_, index, *i);
  } else if (auto* s = std::get_if<std::string>(&v)) {
    rc = sqlite3_bind_text(stmt_, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
  } else {
    rc = sqlite3_bind_null(stmt_, index);
  }
  if (rc != SQLITE_OK) raise(sqlite3_db_handle(stmt_), rc, "bind");
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  raise(sqlite3_db_handle(stmt_), rc, "step");
}

Value Statement::column(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_NULL: return Value{};
    case SQLITE_INTEGER: return Value{sqlite3_column_int64(stmt_, index)};
    default: {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
      return Value{std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)))};
    }
  }
}

Connection::Connection(const std::string& path, const StoreOptions& options) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    fail(Code::storage, "cannot open database '{}': {}", path, message);
  }
  sqlite3_extended_result_codes(db_, 1);
  busy_timeout_ = std::chrono::milliseconds{options.busy_timeout_ms};
  sqlite3_busy_handler(db_, &Connection::on_busy, this);
  try {
    exec("PRAGMA foreign_keys = ON");
    for (const char* sql : {"BEGIN IMMEDIATE", "BEGIN", "COMMIT", "ROLLBACK"}) prepare(sql);
  } catch (...) {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);  // the destructor does not run for a throwing constructor
    throw;
  }
}

int Connection::on_busy(void* self, int attempt) {
  auto& c = *static_cast<Connection*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (attempt == 0) c.busy_since_ = now;
  if (now - c.busy_since_ >= c.busy_timeout_) return 0;  // give up: the caller gets busy
  // 100 µs doubling to 1.6 ms, staggered by the connection's address so waiters interleave.
  const auto step = std::chrono::microseconds{100 << std::min(attempt, 4)};
  std::this_thread::sleep_for(step + std::chrono::microseconds{reinterpret_cast<std::uintptr_t>(self) % 97});
  return 1;
}

void Connection::configure(const StoreOptions& options, bool in_memory) {
  if (!in_memory) {
    // Switching a new file to WAL needs an exclusive lock, and SQLite reports busy at once
    // (without the busy handler) when other processes are opening it too: retry until the
    // busy timeout.
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
    for (;;) {
      try {
        exec("PRAGMA journal_mode = WAL");
        break;
      } catch (const Error& e) {
        if (e.code() != Code::busy || std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
      }
    }
  }
  exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Connection::exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(error);
    raise(db_, rc, "exec");
  }
}

bool Connection::rollback() noexcept {
  if (sqlite3_get_autocommit(db_)) return true;
  sqlite3_stmt* stmt = cache_.find("ROLLBACK")->second;  // prepared by the constructor
  sqlite3_step(stmt);
  sqlite3_reset(stmt);
  return sqlite3_get_autocommit(db_) != 0;
}

Statement Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) raise(db_, rc, "prepare");
    try {
      it = cache_.emplace(sql, stmt).first;
    } catch (...) {
      sqlite3_finalize(stmt);  // a statement left out of the cache would keep the connection from closing
      throw;
    }
  }
  return Statement(it->second);
}

}  // namespace wo::sqlite
