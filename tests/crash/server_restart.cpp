// SPDX-License-Identifier: MIT
// The PostgreSQL server restarted mid-storm (docs/rules.md §9, docs/storage.md): 4 writer
// processes walk paid orders (tests/support/paid_walk.hpp) as fast as they can while the
// parent restarts the server 3 times (a fast shutdown: every connection is cut, whatever it
// was doing). A call that meets the outage fails with WO_ESTORAGE and nothing else; each
// writer goes on with the same Engine, which connects again once the server is back, and
// walks orders to the end after the last restart; afterwards every call that returned OK is
// there and nothing is half done.
//
// Registered only for a PostgreSQL run, as "server_restart_test:pg", alone (RUN_SERIAL): it
// restarts the server every other test uses. The server is tools/postgres-server's.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "support/consistency.hpp"
#include "support/paid_walk.hpp"
#include "support/pg_admin.hpp"
#include "support/processes.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace {

using test_support::PaidStep;
using test_support::Results;

constexpr int writers = 4, restarts = 3;

// What the parent and the writers share across fork.
struct Shared {
  std::atomic<std::int64_t> restarts_done{0};
  std::atomic<std::int64_t> stop{0};
  std::atomic<std::int64_t> walked_after_last[writers]{};  // per writer: walks begun and ended after the last restart
};

// The directory tools/postgres-server started the test server in: the URI's host.
std::string server_dir() {
  const std::string uri = test_support::postgres_server();
  const auto at = uri.find("host=");
  REQUIRE(at != std::string::npos);
  const auto end = uri.find('&', at);
  return uri.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
}

void restart_server() {
  const std::string command = std::string(WO_POSTGRES_SERVER_TOOL) + " restart '" + server_dir() + "'";
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, command);
}

std::int64_t connections_tagged(const std::string& tag) {
  return std::stoll(test_support::postgres_query(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + tag + "'")
                        .at(0)
                        .at(0));
}

}  // namespace

TEST_CASE("server restarted mid-storm [PostgreSQL only]: 4 writers, 3 restarts, calls in the outage fail with "
          "storage, the same Engines reconnect, every OK call is there, nothing half done") {
  REQUIRE(test_support::on_postgres());
  constexpr auto between = std::chrono::milliseconds(700);
  test_support::TestDb db("server_restart");
  test_support::PaidWorld world;
  {
    wo::Engine engine(db.open());
    world = test_support::PaidWorld::create(engine);
  }
  const std::string tag = "wo_restart_" + std::to_string(static_cast<long>(::getpid()));
  void* memory = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  REQUIRE(memory != MAP_FAILED);
  Shared* shared = new (memory) Shared;

  // Restarts at fixed times once every writer is connected and working; then the stop, once
  // every writer has walked an order after the last restart (or, should one never reconnect,
  // after 20 s: the checks below then fail).
  std::vector<std::int64_t> cut_per_restart;
  const auto began = std::chrono::steady_clock::now();
  auto monitor = [&] {
    const auto next = static_cast<int>(cut_per_restart.size());
    const auto elapsed = std::chrono::steady_clock::now() - began;
    if (next == restarts) {
      bool all_walked = true;
      for (const auto& walked : shared->walked_after_last) all_walked = all_walked && walked.load() > 0;
      if (all_walked || elapsed > between * restarts + std::chrono::seconds(20)) shared->stop.store(1);
      return;
    }
    if (elapsed < between * (next + 1)) return;
    cut_per_restart.push_back(connections_tagged(tag));
    restart_server();
    shared->restarts_done.store(next + 1);
  };

  // Per writer: storage errors, other errors, the final read and write codes, orders walked to
  // the end after the last restart, then (order, step) for every call that returned OK.
  const auto results = test_support::run_processes(
      writers,
      [&](int i, const std::function<void()>& start) -> Results {
        ::alarm(90);
        wo::Engine engine(wo::open_store(test_support::with_application_name(db.path, tag)));
        std::int64_t storage = 0, other = 0;
        Results calls;
        start();
        for (int k = 0; shared->stop.load() == 0; ++k) {
          const bool after_last = shared->restarts_done.load() == restarts;
          try {
            test_support::walk_paid_order(engine, world, "restart-" + std::to_string(i) + "-" + std::to_string(k),
                                          [&](PaidStep step, wo::OrderId order) {
                                            if (calls.size() < 6000) {
                                              calls.push_back(order.value);
                                              calls.push_back(static_cast<std::int64_t>(step));
                                            }
                                          });
            if (after_last) shared->walked_after_last[i].fetch_add(1);
          } catch (const wo::Error& e) {
            ++(e.code() == wo::Code::storage ? storage : other);
          }
        }
        const int read = [&] {
          try {
            (void)engine.get_settings(world.admin);
            return 0;
          } catch (const wo::Error& e) {
            return static_cast<int>(e.code());
          }
        }();
        int write = 0;
        try {
          int steps = 0;
          test_support::walk_paid_order(engine, world, "after-" + std::to_string(i),
                                        [&](PaidStep, wo::OrderId) { ++steps; });
        } catch (const wo::Error& e) {
          write = static_cast<int>(e.code());
        }
        Results out{storage, other, read, write, shared->walked_after_last[i].load()};
        out.insert(out.end(), calls.begin(), calls.end());
        return out;
      },
      monitor);
  ::munmap(memory, sizeof(Shared));

  REQUIRE(cut_per_restart.size() == restarts);
  std::map<std::pair<std::int64_t, std::int32_t>, std::int64_t> expected;
  std::vector<std::int64_t> orders;
  std::int64_t storage = 0, calls = 0;
  for (int i = 0; i < writers; ++i) {
    CAPTURE(i);
    const auto& r = results[static_cast<std::size_t>(i)];
    REQUIRE(r.size() >= 5);
    CHECK(r[0] >= 1);  // the writer met an outage
    CHECK(r[1] == 0);  // and nothing but storage errors
    CHECK(r[2] == 0);  // the same Engine reads
    CHECK(r[3] == 0);  // and writes once the storm is over
    CHECK(r[4] >= 1);  // having walked orders to the end after the last restart
    storage += r[0];
    for (std::size_t j = 5; j + 1 < r.size(); j += 2) {
      ++calls;
      const auto action = static_cast<std::int32_t>(test_support::action_of(static_cast<PaidStep>(r[j + 1])));
      if (expected[{r[j], action}]++ == 0) orders.push_back(r[j]);
    }
  }
  CHECK(cut_per_restart[0] == writers);  // every writer was connected and working when the first came

  const auto broken = test_support::half_done(db.path);
  for (const auto& b : broken) FAIL_CHECK(b);
  std::int64_t missing = 0;
  db.open()->read([&](wo::Transaction& tx) {
    for (const std::int64_t order : orders) {
      const std::vector<wo::Condition> where{{"order_id", wo::Value{order}}};
      std::map<std::int32_t, std::int64_t> stored;
      for (const auto& [action, n] : tx.count_by("event", "action", where)) stored[static_cast<std::int32_t>(action)] = n;
      for (auto it = expected.lower_bound({order, 0}); it != expected.end() && it->first.first == order; ++it)
        if (stored[it->first.second] < it->second) ++missing;
    }
  });
  CHECK(missing == 0);
  MESSAGE("server restarts: ", restarts, " restarts under ", writers, " writers; ", calls,
          " calls returned OK and are there; ", storage, " walks cut by an outage (WO_ESTORAGE)");
}
