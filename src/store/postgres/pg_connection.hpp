// SPDX-License-Identifier: MIT
// One PostgreSQL connection (libpq) with its prepared statements. Not thread-safe by itself;
// PostgresStore serialises access.
#pragma once
#include <libpq-fe.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  const PGresult* get() const { return r_.get(); }

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
  // Starts a transaction with `begin_sql` (BEGIN …). Queued: it goes to the server with the
  // transaction's first statement, in one round trip.
  void begin(const std::string& begin_sql);
  // Queues a statement whose result nobody waits for (a write, a row lock, a read ahead): it
  // is sent with the next statement or the commit, in one round trip (a libpq pipeline), and
  // runs before it; its failure is raised from that call. `sink`, if any, gets its result.
  void defer(const std::string& sql, std::span<const Value> params, std::function<void(const Result&)> sink = {});
  // Sends what is queued, if anything, in one round trip.
  void flush();
  // Commits: sends what is queued and COMMIT together, or nothing if no statement ran since
  // begin() (then neither did BEGIN).
  void commit();
  // Drops what is queued and rolls back what the server began; when the connection cannot
  // (it is lost, or memory ran out halfway through a round trip), closes it instead, so that
  // no transaction outlives the call. The next call connects again.
  void rollback() noexcept;
  // Runs statements without parameters (transaction control, DDL), after what is queued.
  Result exec(const std::string& sql);
  // Runs `sql` with $1… bound to `params`, prepared once per connection.
  Result query(const std::string& sql, std::span<const Value> params);
  // Runs `sql` with parameters, unprepared (statements with a per-call name, e.g. DECLARE).
  Result query_once(const std::string& sql, std::span<const Value> params);
  // "database 'x' on host 'y'", for messages (never credentials).
  const std::string& where() const { return where_; }

 private:
  struct Command {
    std::string sql;
    std::vector<Value> params;
    bool prepare;  // a prepared statement (once per connection), else sent as it is
    std::function<void(const Result&)> sink = {};  // wants the result of a queued read
  };
  void connect();
  // Closes the connection and forgets its state; the next call connects again.
  void drop() noexcept;
  std::vector<Command> take_queue();
  // Runs `command` after whatever is queued, in one round trip.
  Result send(Command command);
  Result send_alone(const Command& command);
  // Runs `commands` in one round trip and returns the last one's result.
  Result pipeline(const std::vector<Command>& commands);
  Result check(PGresult* r, std::string_view what);
  [[noreturn]] void raise(std::string_view what, const char* sqlstate, std::string message);
  std::string scrub(std::string message) const;

  std::string uri_;
  StoreOptions options_;
  PGconn* conn_ = nullptr;
  std::string where_, password_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  int statement_names_ = 0;                                // the last "woN" handed out
  std::vector<Command> queued_;                            // not sent yet
  bool begin_queued_ = false;                              // queued_ starts with BEGIN
  int statements_queued_ = 0;                              // deferred since begin()
};

}  // namespace wo::postgres
