// SPDX-License-Identifier: MIT
// kill -9 (docs/rules.md §9: nothing lost, nothing half done). A writer process walks orders
// through the paid life cycle (tests/support/paid_walk.hpp) as fast as it can and reports every
// call that returned OK through a pipe; the parent kills it with SIGKILL at a random moment,
// wherever it is — opening the database, inside a transaction, in the middle of a commit —
// then checks the database before the next writer starts: whole (SQLite's integrity_check and
// tests/support/consistency.hpp), and every call reported OK is there (its event in the
// order's history). On PostgreSQL the client dies and the server must drop its transaction.
//
// WO_KILL_ROUNDS=n runs n kills instead of 200 (a longer run on demand); WO_KILL_SEED=s
// replays the random kill moments of seed s (printed by every run).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/consistency.hpp"
#include "support/paid_walk.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/store.hpp"

namespace {

using test_support::PaidStep;

// One call that returned OK, as the writer reports it (one write(2) each: atomic on a pipe).
struct Reported {
  std::int64_t order;
  std::int32_t step;
  std::int32_t round;
};

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::strtoull(value, nullptr, 10) : fallback;
}

// The writer: opens the database and walks order after order until it is killed. A call that
// fails (a busy lock, say) ends that order's walk, and the writer goes on with the next.
[[noreturn]] void writer(const std::string& location, const test_support::PaidWorld& world, int round, int out) {
  try {
    wo::Engine engine(wo::open_store(location));
    for (int k = 0;; ++k) {
      try {
        test_support::walk_paid_order(engine, world, "kill-" + std::to_string(round) + "-" + std::to_string(k),
                                      [&](PaidStep step, wo::OrderId order) {
                                        const Reported r{order.value, static_cast<std::int32_t>(step), round};
                                        if (::write(out, &r, sizeof r) != sizeof r) std::_Exit(3);
                                      });
      } catch (const wo::Error&) {
      }
    }
  } catch (...) {
    std::_Exit(2);  // the database would not open: the parent sees an exit, not a kill
  }
}

// Every report the killed writer left in the pipe.
std::vector<Reported> drain(int in) {
  std::vector<Reported> out;
  Reported r;
  while (::read(in, &r, sizeof r) == sizeof r) out.push_back(r);
  return out;
}

// How many events of each action the order has, read from the database.
std::map<std::pair<std::int64_t, std::int32_t>, std::int64_t> events_of(wo::Store& store,
                                                                       const std::vector<std::int64_t>& orders) {
  std::map<std::pair<std::int64_t, std::int32_t>, std::int64_t> out;
  store.read([&](wo::Transaction& tx) {
    for (const std::int64_t order : orders) {
      const std::vector<wo::Condition> where{{"order_id", wo::Value{order}}};
      for (const auto& [action, n] : tx.count_by("event", "action", where)) out[{order, static_cast<std::int32_t>(action)}] = n;
    }
  });
  return out;
}

}  // namespace

TEST_CASE("kill -9: a writer walking paid orders is killed at random moments; every call that returned OK is "
          "there, nothing is half done") {
  const auto rounds = static_cast<int>(env_or("WO_KILL_ROUNDS", 200));
  const std::uint64_t seed = env_or("WO_KILL_SEED", std::random_device{}());
  MESSAGE("kill -9: seed ", seed, " (replay with WO_KILL_SEED=", seed, ")");
  std::mt19937_64 random(seed);
  // Up to 60 ms of work: from dying while the database opens to a dozen calls in.
  std::uniform_int_distribution<int> moment_us(0, 60'000);

  test_support::TestDb db("kill_writer");
  test_support::PaidWorld world;
  {
    wo::Engine engine(db.open());
    world = test_support::PaidWorld::create(engine);
  }

  std::int64_t reported_calls = 0, kills = 0, exits = 0;
  const auto began = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    CAPTURE(round);
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(pipe_fds[0]);
      writer(db.path, world, round, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(moment_us(random)));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    const std::vector<Reported> reported = drain(pipe_fds[0]);
    ::close(pipe_fds[0]);
    if (WIFSIGNALED(status)) {
      ++kills;
    } else {
      ++exits;
      FAIL_CHECK("the writer exited with ", WEXITSTATUS(status), " before it was killed");
    }
    reported_calls += static_cast<std::int64_t>(reported.size());

    // Whole, then complete: what each order was reported to have done, found in its history.
    const auto broken = test_support::half_done(db.path);
    for (const auto& b : broken) FAIL_CHECK(b);
    REQUIRE(broken.empty());
    std::map<std::pair<std::int64_t, std::int32_t>, std::int64_t> expected;
    std::vector<std::int64_t> orders;
    for (const auto& r : reported) {
      const auto action = static_cast<std::int32_t>(test_support::action_of(static_cast<PaidStep>(r.step)));
      if (expected[{r.order, action}]++ == 0 && (orders.empty() || orders.back() != r.order)) orders.push_back(r.order);
    }
    const auto found = events_of(*db.open(), orders);
    for (const auto& [key, n] : expected) {
      const auto it = found.find(key);
      const std::int64_t stored = it == found.end() ? 0 : it->second;
      CHECK_MESSAGE(stored >= n, "order ", key.first, " reported ", n, " call(s) of action ", key.second,
                    " that returned OK; its history holds ", stored);
    }
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  CHECK(kills == rounds);
  MESSAGE("kill -9: ", kills, " kills, ", reported_calls, " calls reported OK and found after reopening, ", seconds,
          " s");
}
