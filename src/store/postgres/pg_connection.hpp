// One PostgreSQL connection (libpq) with its prepared statements. Not thread-safe by itself;
// PostgresStore serialises access.
#pragma once
#include <libpq-fe.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "workorder/store.hpp"

namespace wo::postgres {

// A serialisation failure or deadlock (SQLSTATE 40001, 40P01): the transaction was rolled
// back by the server and may simply be run again. Never leaves the store.
struct RetryableFailure : std::exception {
  const char* what() const noexcept override { return "serialisation failure or deadlock"; }
};

// A query's result, freed with it.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  int rows() const { return PQntuples(r_.get()); }
  int columns() const { return PQnfields(r_.get()); }
  Value value(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  // Rows the command changed (INSERT, UPDATE, DELETE).
  std::int64_t changed() const;
  // Hands the PGresult over (to be wrapped again by Connection::check).
  PGresult* take() { return r_.release(); }

 private:
  struct Free {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Free> r_;
};

class Connection {
 public:
  Connection(const std::string& uri, const StoreOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects again if the server closed the connection (a restart, pg_terminate_backend);
  // throws Code::storage naming host and database when it cannot.
  void ensure_open();
  // Starts a transaction with `begin_sql` (BEGIN …). It is sent with the next query() in one
  // round trip (a libpq pipeline: BEGIN, then the statement, then one sync), or alone before
  // the next exec() or query_once().
  void begin(const std::string& begin_sql);
  // Ends the transaction with `sql` (COMMIT or ROLLBACK); sends nothing if no statement ran
  // since begin(), as then neither did BEGIN.
  void end(const std::string& sql);
  // Runs a statement without parameters (transaction control, DDL).
  Result exec(const std::string& sql);
  // Runs `sql` with $1… bound to `params`, prepared once per connection.
  Result query(const std::string& sql, std::span<const Value> params);
  // Runs `sql` with parameters, unprepared (statements with a per-call name, e.g. DECLARE).
  Result query_once(const std::string& sql, std::span<const Value> params);
  // "database 'x' on host 'y'", for messages (never credentials).
  const std::string& where() const { return where_; }

 private:
  void connect();
  void send_begin();
  Result pipelined_begin(const std::string& name, const std::string* prepare_sql, int count, const char* const* values,
                         const int* lengths, const int* formats);
  Result check(PGresult* r, std::string_view what);
  [[noreturn]] void raise(std::string_view what, const char* sqlstate, std::string message);
  std::string scrub(std::string message) const;

  std::string uri_;
  StoreOptions options_;
  PGconn* conn_ = nullptr;
  std::string where_, password_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  std::string pending_begin_;                              // begin() not sent yet
};

}  // namespace wo::postgres
