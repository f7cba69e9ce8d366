// SPDX-License-Identifier: MIT
// docs/rules.md §5: "N concurrent submits — threads or separate processes on the same database — never
// book more than the capacity", and rescheduling is atomic; rules §10: the same on PostgreSQL.
// Four PROCESSES (each forks first, then opens its own wo::Engine, i.e. its own connection, on
// the database of this run: a SQLite file, or a PostgreSQL schema in the ":pg" run, see
// support/test_db.hpp) with three threads each — in even processes the threads share one
// Engine, in odd ones each thread has its own — submit into ONE slot of capacity K. Exactly K
// succeed, every other attempt is slot_full (never busy/storage), and the database agrees.
// Then pairs of processes race to reschedule two different orders into the same last free
// place: exactly one wins each round. Then 8 processes book and cancel in three slots at
// once: no slot ever holds more than K. The parent checks the database through a Store opened
// on the same location (generic reads, support/store_check.hpp), so one check serves both
// backends.
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "slots/slot_fixture.hpp"
#include "support/pg_admin.hpp"
#include "support/processes.hpp"
#include "support/store_check.hpp"
#include "support/test_db.hpp"

using namespace slots_test;
using test_support::int_of;
using test_support::Results;
using test_support::StoreCheck;
using test_support::val;

namespace {

constexpr int capacity = 5;     // K
constexpr int processes = 4;
constexpr int threads = 3;
constexpr int attempts = 4;     // per thread: 4 x 3 x 4 = 48 attempts
constexpr std::int64_t non_wo_error = 99;

wo::Clock fixed_clock() {
  return [] { return wo::from_unix_ms(start_ms); };
}

// A fresh database of this run's backend, named after this test; gone with the object.
struct TempDb : test_support::TestDb {
  TempDb() : test_support::TestDb("wo_slots_stress") {}
};

std::string backend() { return test_support::on_postgres() ? "PostgreSQL" : "SQLite"; }

// One attempt's outcome: 0 = success, else the wo::Code, or non_wo_error.
template <class F>
std::int64_t attempt(F&& call) {
  try {
    call();
    return 0;
  } catch (const wo::Error& e) {
    return static_cast<std::int64_t>(e.code());
  } catch (...) {
    return non_wo_error;
  }
}

// What a worker process does after the start signal: it opens nothing before the fork.
using Work = std::function<Results(int index)>;

// Forks n workers that start together; a hung worker dies after 120 s instead of hanging the
// test. `monitor` runs in the parent while they work (see run_processes).
std::vector<Results> run_workers(int n, const Work& work, const std::function<void()>& monitor = {}) {
  return test_support::run_processes(
      n,
      [&](int index, const std::function<void()>& start) {
        ::alarm(120);
        start();
        return work(index);
      },
      monitor);
}

std::string code_name(std::int64_t code) {
  if (code == 0) return "ok";
  if (code == non_wo_error) return "non-wo exception";
  return std::string(wo::describe(static_cast<Code>(code)));
}

std::string histogram(const std::map<std::int64_t, int>& counts) {
  std::string out;
  for (const auto& [code, n] : counts) out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", code_name(code), n);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
TEST_CASE("4 processes x 3 threads submitting into one slot of capacity K book exactly K") {
  TempDb db;
  World w;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, "Stress Property", capacity);
  }  // no connection is open in the parent across fork()
  const Timestamp slot = sh(2026, 11, 30, 10);

  // Each attempt yields (code, order id or 0).
  const Work work = [&](int process) {
    std::vector<std::unique_ptr<wo::Engine>> engines;
    const bool shared = process % 2 == 0;
    for (int t = 0; t < (shared ? 1 : threads); ++t)
      engines.push_back(std::make_unique<wo::Engine>(wo::open_store(db.path), fixed_clock()));
    Results results(static_cast<std::size_t>(threads * attempts * 2), -1);
    std::latch start(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        wo::Engine& e = *engines[shared ? 0 : static_cast<std::size_t>(t)];
        start.arrive_and_wait();
        for (int a = 0; a < attempts; ++a) {
          const Actor who = (process + t + a) % 2 ? w.as_c1() : w.as_c2();
          auto d = draft(w.visit, slot);
          d.description = fmt::format("Stress p{} t{} a{}", process, t, a);
          std::int64_t id = 0;
          const std::int64_t code = attempt([&] { id = e.submit(who, d).value; });
          const auto k = static_cast<std::size_t>((t * attempts + a) * 2);
          results[k] = code;
          results[k + 1] = id;
        }
      });
    for (auto& th : pool) th.join();
    return results;
  };
  const auto all = run_workers(processes, work);

  std::map<std::int64_t, int> codes;
  std::vector<std::int64_t> won;
  int total = 0;
  for (const auto& r : all) {
    CHECK(r.size() == static_cast<std::size_t>(threads * attempts * 2));
    for (std::size_t i = 0; i + 1 < r.size(); i += 2) {
      ++codes[r[i]];
      ++total;
      if (r[i] == 0) won.push_back(r[i + 1]);
    }
  }
  INFO("outcomes: ", histogram(codes));
  CHECK(total == processes * threads * attempts);
  auto count_of = [&](std::int64_t code) {
    const auto it = codes.find(code);
    return it == codes.end() ? 0 : it->second;
  };
  CHECK(count_of(0) == capacity);
  CHECK(count_of(static_cast<std::int64_t>(Code::slot_full)) == processes * threads * attempts - capacity);
  CHECK(count_of(static_cast<std::int64_t>(Code::busy)) == 0);
  CHECK(count_of(static_cast<std::int64_t>(Code::storage)) == 0);
  CHECK(codes.size() == 2);  // nothing but ok and slot_full
  MESSAGE(backend(), ": ", processes, " processes x ", threads, " threads x ", attempts, " submits into one slot of capacity ",
          capacity, ": ", histogram(codes));

  {
    StoreCheck check(db.path);
    const test_support::Where at_slot{{"subtype_id", val(w.visit.value)}, {"slot_start", val(wo::to_unix_ms(slot))}};
    const auto bookings = check.rows("slot_booking", {"id", "booked"}, at_slot);
    REQUIRE(bookings.size() == 1);
    CHECK(int_of(bookings[0][1]) == capacity);
    CHECK(check.count("work_order", at_slot) == capacity);
    CHECK(check.count("work_order") == capacity);
    CHECK(check.count("event", {{"action", val(wo::Action::submit)}}) == capacity);
    std::set<std::string> numbers;
    for (const auto& r : check.rows("work_order", {"id", "number"})) numbers.insert(test_support::text_of(r[1]));
    CHECK(numbers.size() == capacity);
    CHECK(check.count("slot_booking") == 1);
  }
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    const auto d = ymd(2026, 11, 30);
    bool found = false;
    for (const auto& s : e.availability(w.as_admin(), w.visit, d, d))
      if (s.start == slot) {
        found = true;
        CHECK(s.booked == capacity);
        CHECK_FALSE(s.available);
      }
    CHECK(found);
    for (std::int64_t id : won) CHECK(e.get_order(Actor::system(), OrderId{id}).slot_start == slot);
  }
}

TEST_CASE("two processes rescheduling different orders into the same last free place: exactly one wins") {
  TempDb db;
  World w;
  constexpr int rounds = 6;
  struct Round {
    Timestamp target, from_a, from_b;
    OrderId a, b;
  };
  std::vector<Round> plan;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, "Reschedule Property", capacity);
    // round r: target and the two origins are slots of one day (Mon 30 Nov .. Sat 5 Dec is
    // beyond the 7-day horizon from Fri 27, so use Mon 30 .. Thu 3 and both windows)
    const Timestamp targets[rounds] = {sh(2026, 11, 30, 10), sh(2026, 11, 30, 15), sh(2026, 12, 1, 10),
                                       sh(2026, 12, 1, 15),  sh(2026, 12, 2, 10),  sh(2026, 12, 3, 15)};
    for (int r = 0; r < rounds; ++r) {
      Round round;
      round.target = targets[r];
      round.from_a = round.target - 1h;
      round.from_b = round.target + 1h;
      for (int i = 0; i < capacity - 1; ++i) e.submit(w.as_c1(), draft(w.visit, round.target));
      round.a = e.submit(w.as_c1(), draft(w.visit, round.from_a));
      round.b = e.submit(w.as_c2(), draft(w.visit, round.from_b));
      plan.push_back(round);
    }
  }  // closed before any fork

  for (int r = 0; r < rounds; ++r) {
    CAPTURE(r);
    const Round& round = plan[static_cast<std::size_t>(r)];
    const auto all = run_workers(2, [&](int process) {
      wo::Engine e(wo::open_store(db.path), fixed_clock());
      const OrderId id = process == 0 ? round.a : round.b;
      const Actor who = process == 0 ? w.as_c1() : w.as_dispatcher();
      return Results{attempt([&] { e.reschedule(who, id, round.target); })};
    });
    REQUIRE(all.size() == 2);
    REQUIRE(all[0].size() == 1);
    REQUIRE(all[1].size() == 1);
    const std::int64_t full = static_cast<std::int64_t>(Code::slot_full);
    INFO("outcomes: ", code_name(all[0][0]), " / ", code_name(all[1][0]));
    CHECK(((all[0][0] == 0 && all[1][0] == full) || (all[0][0] == full && all[1][0] == 0)));
    const bool a_won = all[0][0] == 0;

    StoreCheck check(db.path);
    auto at = [&](Timestamp t) {
      return test_support::Where{{"subtype_id", val(w.visit.value)}, {"slot_start", val(wo::to_unix_ms(t))}};
    };
    auto booked = [&](Timestamp t) { return check.sum("slot_booking", "booked", at(t)); };
    auto orders_in = [&](Timestamp t) { return check.count("work_order", at(t)); };
    auto slot_of = [&](OrderId id) {
      const auto row = check.find("work_order", {"slot_start"}, id.value);
      REQUIRE(row.has_value());
      return int_of((*row)[0]);
    };
    CHECK(booked(round.target) == capacity);
    CHECK(orders_in(round.target) == capacity);
    CHECK(booked(round.from_a) == (a_won ? 0 : 1));
    CHECK(booked(round.from_b) == (a_won ? 1 : 0));
    CHECK(orders_in(round.from_a) == (a_won ? 0 : 1));
    CHECK(orders_in(round.from_b) == (a_won ? 1 : 0));
    CHECK(slot_of(round.a) == wo::to_unix_ms(a_won ? round.target : round.from_a));
    CHECK(slot_of(round.b) == wo::to_unix_ms(a_won ? round.from_b : round.target));
    CHECK(check.count("event", {{"action", val(wo::Action::reschedule)}}) == r + 1);
  }
  // every slot of every round: stored bookings equal the orders that hold them
  StoreCheck check(db.path);
  const auto slots = check.rows("slot_booking", {"id", "subtype_id", "slot_start", "booked"});
  CHECK_FALSE(slots.empty());
  for (const auto& b : slots) {
    const std::int64_t start = int_of(b[2]);
    CAPTURE(start);
    CHECK(int_of(b[3]) == check.count("work_order", {{"subtype_id", b[1]}, {"slot_start", b[2]}}));
    CHECK(int_of(b[3]) <= capacity);
  }
  MESSAGE(backend(), ": ", rounds, " reschedule races, one winner each");
}

// ---------------------------------------------------------------------------------------------
// Booking and releasing at once: 8 processes submit into three slots of capacity K and cancel
// (which gives the place back) as they go. A process keeps up to three orders, cancelling its
// oldest on the third and whenever refused, so it never rests below two once it has two: were
// no one ever refused, the eight would end holding 16 places of the 15 there are. Sampled
// while they run and checked after: no slot ever holds more than K, and every slot's booked
// count equals the orders that hold it.
TEST_CASE("8 processes booking and cancelling in 3 slots of capacity K: never more than K, bookings match orders") {
  constexpr int workers = 8, tries = 30;
  TempDb db;
  World w;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, "Churn Property", capacity);
  }
  const Timestamp slots[] = {sh(2026, 11, 30, 10), sh(2026, 11, 30, 11), sh(2026, 11, 30, 15)};

  std::unique_ptr<StoreCheck> watcher;  // opened after the fork, in the parent
  std::int64_t most_booked = 0;
  int samples = 0;
  auto last_sample = std::chrono::steady_clock::time_point{};
  auto monitor = [&] {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_sample < std::chrono::milliseconds(5)) return;
    last_sample = now;
    if (!watcher) watcher = std::make_unique<StoreCheck>(db.path);
    for (const auto& [booked, n] : watcher->count_by("slot_booking", "booked")) most_booked = std::max(most_booked, booked);
    ++samples;
  };

  // Per process: (submit code) for every try, then the codes of its cancels.
  const auto all = run_workers(
      workers,
      [&](int p) {
        wo::Engine e(wo::open_store(db.path), fixed_clock());
        const Actor who = p % 2 ? w.as_c1() : w.as_c2();
        Results submits, cancels;
        std::deque<OrderId> mine;
        auto cancel_oldest = [&] {
          if (mine.empty()) return;
          cancels.push_back(attempt([&] { e.cancel(who, mine.front(), "no longer needed"); }));
          mine.pop_front();
        };
        for (int a = 0; a < tries; ++a) {
          auto d = draft(w.visit, slots[(p + a) % 3]);
          d.description = fmt::format("Churn p{} a{}", p, a);
          OrderId id;
          const std::int64_t code = attempt([&] { id = e.submit(who, d); });
          submits.push_back(code);
          if (code == 0) {
            mine.push_back(id);
            if (mine.size() == 3) cancel_oldest();
          } else if (code == static_cast<std::int64_t>(Code::slot_full)) {
            cancel_oldest();
          }
        }
        submits.insert(submits.end(), cancels.begin(), cancels.end());
        return submits;
      },
      monitor);
  watcher.reset();

  std::map<std::int64_t, int> submit_codes, cancel_codes;
  for (const auto& r : all) {
    REQUIRE(r.size() >= static_cast<std::size_t>(tries));
    for (std::size_t i = 0; i < r.size(); ++i) ++(i < static_cast<std::size_t>(tries) ? submit_codes : cancel_codes)[r[i]];
  }
  INFO("submits: ", histogram(submit_codes), "; cancels: ", histogram(cancel_codes));
  auto count_of = [](const std::map<std::int64_t, int>& codes, std::int64_t code) {
    const auto it = codes.find(code);
    return it == codes.end() ? 0 : it->second;
  };
  const int booked_ok = count_of(submit_codes, 0), refused = count_of(submit_codes, static_cast<std::int64_t>(Code::slot_full));
  CHECK(booked_ok + refused == workers * tries);  // nothing but ok and slot_full
  CHECK(refused > 0);
  CHECK(count_of(cancel_codes, 0) == static_cast<int>(std::accumulate(
                                          cancel_codes.begin(), cancel_codes.end(), 0, [](int n, const auto& c) { return n + c.second; })));

  StoreCheck check(db.path);
  CHECK(check.count("work_order") == booked_ok);
  CHECK(check.count("work_order", {{"status", val(Status::cancelled)}}) == count_of(cancel_codes, 0));
  CHECK(check.count("event", {{"action", val(wo::Action::cancel)}}) == count_of(cancel_codes, 0));
  std::int64_t held = 0;
  for (const Timestamp slot : slots) {
    const std::int64_t start = wo::to_unix_ms(slot);
    CAPTURE(start);
    const test_support::Where at{{"subtype_id", val(w.visit.value)}, {"slot_start", val(wo::to_unix_ms(slot))}};
    const std::int64_t booked = check.sum("slot_booking", "booked", at);
    CHECK(booked <= capacity);
    const std::vector<wo::Value> live{val(Status::awaiting_prepayment), val(Status::pending_dispatch),
                                      val(Status::pending_accept), val(Status::in_progress)};
    test_support::Where live_at = at;
    live_at.emplace_back("status", live);
    CHECK(booked == check.count("work_order", live_at));
    held += booked;
  }
  CHECK(check.count("slot_booking") == 3);
  CHECK(most_booked <= capacity);
  MESSAGE(backend(), ": ", workers, " processes x ", tries, " submits into 3 slots of capacity ", capacity,
          ": submits ", histogram(submit_codes), "; cancels ", histogram(cancel_codes), "; ", held,
          " places held at the end; most booked in ", samples, " samples while running ", most_booked);
}

TEST_CASE("the test database is removed with its TestDb") {
  std::string path;
  {
    TempDb db;
    path = db.path;
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    build_world(e, "Cleanup", 1);
    if (!test_support::on_postgres()) CHECK(std::filesystem::exists(db.path));
  }
  if (test_support::on_postgres()) {
    // The location names its schema: ...search_path%3D<schema>
    const std::string marker = "search_path%3D";
    const auto at = path.find(marker);
    REQUIRE(at != std::string::npos);
    const std::string schema = path.substr(at + marker.size());
    CHECK(test_support::postgres_query("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" +
                                       schema + "'") == std::vector<std::vector<std::string>>{{"0"}});
  } else {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) CHECK_FALSE(std::filesystem::exists(path + suffix));
  }
}
