// SPDX-License-Identifier: MIT
// PostgreSQL-only housekeeping of a test beyond test_db.hpp: running a query on a connection
// of its own (an "admin" connection, as an operator's psql would be), and tagging a location
// so that the connections opened on it can be told apart in pg_stat_activity.
#pragma once
#include <libpq-fe.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_db.hpp"

namespace test_support {

// Every row of `sql` as text (NULL as ""), run on a fresh connection to the test server.
inline std::vector<std::vector<std::string>> postgres_query(const std::string& sql) {
  PGconn* c = PQconnectdb(postgres_server().c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.c_str()) : nullptr;
  const bool ok = r && (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK);
  std::vector<std::vector<std::string>> rows;
  if (ok) {
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < PQnfields(r); ++j) row.emplace_back(PQgetvalue(r, i, j));
      rows.push_back(std::move(row));
    }
  }
  std::string error = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + error);
  return rows;
}

// `uri` with application_name set: every connection opened on the result shows `name` in
// pg_stat_activity, so a test can act on its own connections only.
inline std::string with_application_name(const std::string& uri, const std::string& name) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "application_name=" + name;
}

}  // namespace test_support
