// SPDX-License-Identifier: MIT
// Raw libpq for the PostgreSQL runs of wo_bench: the baselines ("what a hand-written
// application does"), the checks of what the engine wrote, and bulk COPY for seeding. Nothing
// here goes through the library. Errors are std::runtime_error naming the statement; messages
// never quote the connection URI (it may hold a password).
#pragma once
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wo_bench::pg {

// A query's result, freed with it.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r) {}
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  int columns() const { return r_ ? PQnfields(r_.get()) : 0; }
  bool is_null(int row, int column) const { return PQgetisnull(r_.get(), row, column) != 0; }
  std::string_view text(int row, int column) const;
  // An integer column (or a numeric one without a fraction, e.g. sum(bigint)).
  std::int64_t integer(int row, int column) const;
  bool integer_type(int column) const;  // int2, int4, int8
  std::int64_t changed() const;         // rows an INSERT / UPDATE / DELETE changed

 private:
  struct Free {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  std::unique_ptr<PGresult, Free> r_;
};

class Conn {
 public:
  explicit Conn(const std::string& uri);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  PGconn* get() const { return c_; }

  // Runs SQL without parameters (several statements allowed); throws unless it succeeded.
  Result exec(const std::string& sql);
  // The single integer of a one-row query.
  std::int64_t scalar(const std::string& sql);
  // COPY table (columns) FROM STDIN with `data` in COPY's text format.
  void copy_in(const std::string& copy_sql, std::string_view data);
  bool in_transaction() const { return PQtransactionStatus(c_) != PQTRANS_IDLE; }
  // A fresh prepared-statement name on this connection.
  std::string next_name() { return "wob" + std::to_string(++statements_); }
  // Throws unless `r` succeeded; `what` names the statement.
  Result check(PGresult* r, std::string_view what);

 private:
  PGconn* c_ = nullptr;
  int statements_ = 0;
};

// SQL written for SQLite with ?N (or bare ?) placeholders, in PostgreSQL's $N. The benchmarks'
// SQL has no '?' inside string literals.
std::string dollar_placeholders(std::string_view sql);

// A statement prepared once and run many times, with text parameters; stepped like a SQLite
// statement: the first step() runs it, each step() moves to the next row, and the step after
// the last row returns false and forgets the result (the bindings stay).
class Statement {
 public:
  Statement(Conn& conn, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, std::string_view v);
  Statement& bind_null(int i);

  // Runs it now and keeps the result (rows are read with the accessors from row 0).
  const Result& execute();
  bool step();
  void reset() {
    result_ = Result();
    row_ = -1;
  }
  // Of the current row.
  int columns() const { return result_.columns(); }
  bool is_null(int column) const { return result_.is_null(row_, column); }
  std::string_view text(int column) const { return result_.text(row_, column); }
  std::int64_t integer(int column) const { return result_.integer(row_, column); }
  bool integer_type(int column) const { return result_.integer_type(column); }
  const std::string& sql() const { return sql_; }

 private:
  Conn& conn_;
  std::string sql_, name_;
  std::vector<std::optional<std::string>> params_;
  Result result_;
  int row_ = -1;
};

// A schema of its own in the database that `server_uri` names, for one benchmark run: created
// empty (it must not exist yet), dropped with everything in it when this goes away unless
// kept. location() is what wo::open_store and Conn take: the URI with search_path set to it.
class Schema {
 public:
  Schema(const std::string& server_uri, std::string name, bool keep);
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;
  const std::string& name() const { return name_; }
  const std::string& location() const { return location_; }

 private:
  std::string server_, name_, location_;
  bool keep_;
};

// `uri` with search_path set to `schema` (an "options" parameter the URI had is replaced).
std::string with_search_path(const std::string& uri, const std::string& schema);

}  // namespace wo_bench::pg
