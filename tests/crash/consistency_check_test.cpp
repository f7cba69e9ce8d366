// SPDX-License-Identifier: MIT
// The crash and fault harnesses trust tests/support/consistency.hpp to see a half-done
// operation: here each of its checks is shown a database broken the way a torn transaction
// would break it (an event without its order's change, a payment without its sum, a stock
// movement lost, ...) and must name it, while a whole database passes every check.
#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "support/consistency.hpp"
#include "support/paid_walk.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"

namespace {

void run_sql(const std::string& location, const std::string& sql) {
  if (location.starts_with("postgres")) {
    PGconn* c = PQconnectdb(location.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string error = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    REQUIRE_MESSAGE(ok, sql, ": ", error);
    return;
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(location.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, sql, ": ", message);
}

bool names(const std::vector<std::string>& broken, const std::string& check) {
  for (const auto& b : broken)
    if (b.starts_with(check + ": ")) return true;
  return false;
}

}  // namespace

TEST_CASE("the consistency checks pass a whole database and name each kind of half-done operation") {
  struct Case {
    const char* check;
    const char* breaks;  // SQL run on a whole database with one paid order walked to the end
  };
  const Case cases[] = {
      {"an order without its history", "DELETE FROM event"},
      {"an order whose status is not its last event's", "UPDATE work_order SET status = 3"},
      {"a paid amount that is not the sum of its payments", "UPDATE work_order SET paid = paid + 1"},
      {"a paid amount that is not the sum of its payments", "DELETE FROM payment WHERE payment_kind = 1"},
      {"a lines total that is not the sum of its lines", "UPDATE work_order SET lines_total = lines_total - 1"},
      {"a stock that is not the sum of its movements", "UPDATE material SET stock = stock + 1"},
      {"a material line without its stock movement", "DELETE FROM stock_movement WHERE movement_kind = 3"},
      {"a material line without its stock movement", "UPDATE charge_line SET removed = 0"},
      {"a consumed line without its consume movement", "DELETE FROM stock_movement WHERE movement_kind = 4"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.breaks);
    test_support::TestDb db("consistency");
    {
      wo::Engine engine(db.open());
      const auto world = test_support::PaidWorld::create(engine);
      int calls = 0;
      test_support::walk_paid_order(engine, world, "whole", [&](test_support::PaidStep, wo::OrderId) { ++calls; });
      REQUIRE(calls == test_support::paid_steps);
    }
    const auto whole = test_support::half_done(db.path);
    for (const auto& b : whole) FAIL_CHECK(b);
    run_sql(db.path, c.breaks);
    CHECK_MESSAGE(names(test_support::half_done(db.path), c.check), "not seen as: ", c.check);
  }
}
