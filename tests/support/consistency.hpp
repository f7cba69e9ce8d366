// SPDX-License-Identifier: MIT
// "Nothing half done" (docs/rules.md §9), read from the database itself after a crash, a fault
// or a lost connection: every check is one query naming the records that break a promise one
// transaction must keep whole. Runs on a SQLite file and on a PostgreSQL location alike; on
// SQLite the file's own structure is checked too (PRAGMA integrity_check).
//
// half_done(location) returns one line per broken promise ("<check>: <ids>"), empty when the
// database is whole. Open it only in the parent, after any fork.
#pragma once
#include <libpq-fe.h>
#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "support/test_db.hpp"

namespace test_support {

struct ConsistencyCheck {
  const char* name;
  const char* sql;  // the ids of the records that break it, as text
};

// Kinds as stored: payment_kind 2 is a refund; movement_kind 2 reserve, 3 release, 4 consume
// (a consume records the use, the stock having left at reserve); line_kind 1 is a material.
inline const std::vector<ConsistencyCheck>& consistency_checks() {
  static const std::vector<ConsistencyCheck> checks{
      {"an order without its history",
       "SELECT o.id FROM work_order o WHERE NOT EXISTS (SELECT 1 FROM event e WHERE e.order_id = o.id)"},
      {"an order whose status is not its last event's",
       "SELECT o.id FROM work_order o JOIN (SELECT order_id, MAX(id) AS last FROM event GROUP BY order_id) h "
       "ON h.order_id = o.id JOIN event e ON e.id = h.last WHERE e.to_status <> o.status"},
      {"a paid amount that is not the sum of its payments",
       "SELECT o.id FROM work_order o LEFT JOIN (SELECT order_id, SUM(CASE WHEN payment_kind <> 2 THEN amount ELSE 0 END) "
       "AS paid, SUM(CASE WHEN payment_kind = 2 THEN amount ELSE 0 END) AS refunded FROM payment GROUP BY order_id) p "
       "ON p.order_id = o.id WHERE o.paid <> COALESCE(p.paid, 0) OR o.refunded <> COALESCE(p.refunded, 0)"},
      {"a lines total that is not the sum of its lines",
       "SELECT o.id FROM work_order o LEFT JOIN (SELECT order_id, SUM(amount) AS total FROM charge_line WHERE removed = 0 "
       "GROUP BY order_id) l ON l.order_id = o.id WHERE o.lines_total <> COALESCE(l.total, 0)"},
      {"a stock that is not the sum of its movements",
       "SELECT m.id FROM material m LEFT JOIN (SELECT material_id, SUM(qty) AS moved FROM stock_movement "
       "WHERE movement_kind <> 4 GROUP BY material_id) s ON s.material_id = m.id WHERE m.stock <> COALESCE(s.moved, 0)"},
      // What an order holds (reserved less released) is what its lines still use; none once cancelled.
      {"a material line without its stock movement",
       "SELECT l.order_id FROM (SELECT k.order_id, k.item_id, SUM(CASE WHEN k.removed = 0 AND o.status <> 7 THEN k.qty "
       "ELSE 0 END) AS used FROM charge_line k JOIN work_order o ON o.id = k.order_id WHERE k.line_kind = 1 "
       "GROUP BY k.order_id, k.item_id) l LEFT JOIN (SELECT order_id, material_id, SUM(qty) AS moved FROM stock_movement "
       "WHERE movement_kind IN (2, 3) GROUP BY order_id, material_id) s ON s.order_id = l.order_id "
       "AND s.material_id = l.item_id WHERE l.used <> -COALESCE(s.moved, 0)"},
      {"a consumed line without its consume movement",
       "SELECT l.order_id FROM (SELECT order_id, item_id, SUM(qty) AS used FROM charge_line WHERE line_kind = 1 "
       "AND consumed = 1 GROUP BY order_id, item_id) l LEFT JOIN (SELECT order_id, material_id, SUM(qty) AS moved "
       "FROM stock_movement WHERE movement_kind = 4 GROUP BY order_id, material_id) s ON s.order_id = l.order_id "
       "AND s.material_id = l.item_id WHERE l.used <> COALESCE(s.moved, 0)"},
  };
  return checks;
}

namespace consistency_detail {

inline std::vector<std::string> sqlite_rows(sqlite3* db, const char* sql) {
  std::vector<std::string> out;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return {std::string("cannot run: ") + sqlite3_errmsg(db)};
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    out.emplace_back(text ? text : "NULL");
  }
  if (rc != SQLITE_DONE) out.emplace_back(std::string("cannot run: ") + sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return out;
}

inline std::vector<std::string> postgres_rows(PGconn* c, const char* sql) {
  std::vector<std::string> out;
  PGresult* r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    out.emplace_back(std::string("cannot run: ") + PQerrorMessage(c));
  } else {
    for (int i = 0; i < PQntuples(r); ++i) out.emplace_back(PQgetvalue(r, i, 0));
  }
  PQclear(r);
  return out;
}

inline std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 20; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 20) out += ", … (" + std::to_string(ids.size()) + " in all)";
  return out;
}

}  // namespace consistency_detail

// A connection of the test's own to `location` (a file path or a PostgreSQL URI): reads the
// first column of every row of a query, as text (a failure reads as a row "cannot run: <why>").
class ColumnReader {
 public:
  explicit ColumnReader(const std::string& location) {
    if (location.starts_with("postgres")) {
      pg_ = PQconnectdb(location.c_str());
      if (PQstatus(pg_) != CONNECTION_OK) error_ = std::string("cannot connect: ") + PQerrorMessage(pg_);
    } else if (sqlite3_open_v2(location.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      error_ = std::string("cannot open: ") + sqlite3_errmsg(db_);
    }
  }
  ~ColumnReader() {
    sqlite3_close(db_);
    PQfinish(pg_);
  }
  ColumnReader(const ColumnReader&) = delete;
  ColumnReader& operator=(const ColumnReader&) = delete;

  std::vector<std::string> operator()(const std::string& sql) {
    if (!error_.empty()) return {error_};
    return pg_ ? consistency_detail::postgres_rows(pg_, sql.c_str()) : consistency_detail::sqlite_rows(db_, sql.c_str());
  }

 private:
  sqlite3* db_ = nullptr;
  PGconn* pg_ = nullptr;
  std::string error_;
};

// Runs every check on `location` (a file path or a PostgreSQL URI, as TestDb::path).
inline std::vector<std::string> half_done(const std::string& location) {
  using namespace consistency_detail;
  std::vector<std::string> broken;
  const bool postgres = location.starts_with("postgres");
  sqlite3* db = nullptr;
  PGconn* pg = nullptr;
  if (postgres) {
    pg = PQconnectdb(location.c_str());
    if (PQstatus(pg) != CONNECTION_OK) broken.push_back(std::string("cannot connect: ") + PQerrorMessage(pg));
  } else if (sqlite3_open_v2(location.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    broken.push_back(std::string("cannot open: ") + sqlite3_errmsg(db));
  } else {
    sqlite3_busy_timeout(db, 10000);
    const auto result = sqlite_rows(db, "PRAGMA integrity_check");
    if (result != std::vector<std::string>{"ok"}) broken.push_back("integrity_check: " + joined(result));
  }
  if (broken.empty()) {
    for (const auto& check : consistency_checks()) {
      const auto ids = postgres ? postgres_rows(pg, check.sql) : sqlite_rows(db, check.sql);
      if (!ids.empty()) broken.push_back(std::string(check.name) + ": " + joined(ids));
    }
  }
  sqlite3_close(db);
  PQfinish(pg);
  return broken;
}

}  // namespace test_support
