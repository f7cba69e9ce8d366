// SPDX-License-Identifier: MIT
// PostgreSQL for `wo_bench scale`: the same interface as scale_sql.hpp's Db and Stmt, over libpq,
// so that the seeder, the checks and the raw baselines are written once for both databases.
// The SQL is the same text where the two agree (PgStmt turns ?N into $N); the few places where
// they differ pick the text with Dialect.
#pragma once
#include <string>
#include <string_view>

#include "bench_pg.hpp"
#include "scale_sql.hpp"

namespace wo_bench::scale {

class PgDb {
 public:
  // `sqlite_flags` is there to match Db's constructor; a PostgreSQL session is read-write.
  explicit PgDb(const std::string& uri, int sqlite_flags = 0) : conn_(uri) { (void)sqlite_flags; }
  void exec(const std::string& sql) { conn_.exec(sql); }
  pg::Conn& conn() { return conn_; }

 private:
  pg::Conn conn_;
};

class PgStmt {
 public:
  PgStmt(PgDb& db, const std::string& sql) : s_(db.conn(), sql) {}
  PgStmt& bind(int i, std::int64_t v) {
    s_.bind(i, v);
    return *this;
  }
  PgStmt& bind(int i, const Cell& c) {
    if (const auto* n = std::get_if<std::int64_t>(&c)) s_.bind(i, *n);
    else if (const auto* d = std::get_if<double>(&c)) s_.bind(i, std::string_view(fmt::format("{}", *d)));
    else if (const auto* t = std::get_if<std::string>(&c)) s_.bind(i, std::string_view(*t));
    else s_.bind_null(i);
    return *this;
  }
  bool step() { return s_.step(); }
  void run() {
    while (step()) {
    }
  }
  void reset() { s_.reset(); }
  int columns() const { return s_.columns(); }
  std::int64_t integer(int i) const { return s_.integer(i); }
  // Integer columns as integers, everything else as its text (the schema has no floats).
  Cell cell(int i) const {
    if (s_.is_null(i)) return std::monostate{};
    if (s_.integer_type(i)) return s_.integer(i);
    return std::string(s_.text(i));
  }
  Cells row() const {
    Cells out;
    out.reserve(static_cast<std::size_t>(columns()));
    for (int i = 0; i < columns(); ++i) out.push_back(cell(i));
    return out;
  }

 private:
  pg::Statement s_;
};

inline std::int64_t scalar(PgDb& db, const std::string& sql) { return db.conn().scalar(sql); }

// Which database a template works on, and the SQL the two spell differently.
struct SqliteDialect {
  using Db = scale::Db;
  using Stmt = scale::Stmt;
  static constexpr bool postgres = false;
  static std::string columns_of(std::string_view table) {
    return fmt::format("SELECT name FROM pragma_table_info('{}') ORDER BY cid", table);
  }
  static constexpr const char* tables_with_order_id =
      "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'order_id'";
  static constexpr const char* is_not = "IS NOT";
  static std::string has_role(std::string_view column, int role) { return fmt::format("{} & {}", column, role); }
  static constexpr const char* any_open = "sum(status IN (0, 4, 5)) > 0";
};

struct PostgresDialect {
  using Db = PgDb;
  using Stmt = PgStmt;
  static constexpr bool postgres = true;
  static std::string columns_of(std::string_view table) {
    return fmt::format("SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() "
                       "AND table_name = '{}' ORDER BY ordinal_position",
                       table);
  }
  static constexpr const char* tables_with_order_id =
      "SELECT c.table_name::text FROM information_schema.columns c JOIN information_schema.tables t "
      "ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' "
      "WHERE c.table_schema = current_schema() AND c.column_name = 'order_id'";
  static constexpr const char* is_not = "IS DISTINCT FROM";
  static std::string has_role(std::string_view column, int role) { return fmt::format("({} & {}) <> 0", column, role); }
  static constexpr const char* any_open = "bool_or(status IN (0, 4, 5))";
};

}  // namespace wo_bench::scale
