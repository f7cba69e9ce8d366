// SPDX-License-Identifier: MIT
// rules §4/§6/§10, architecture §5a: the invariants that must hold under concurrency — one grab
// winner, the grab limit, stock never negative, order numbers unique and gap-free, one order
// per client_token, the last active admin, a migration race — on whichever backend this run
// has (support/test_db.hpp): on SQLite several PROCESSES on one database file, on PostgreSQL
// (the ":pg" run) several processes each with its own connection, as separate app servers
// would have; also several threads sharing ONE Engine and several Engines in one process.
// Each process forks first, then opens its own Engine; workers start together (a pipe / latch
// barrier). The parent checks the outcome from the database through a Store opened on the
// same location (generic reads, support/store_check.hpp) and through a fresh Engine. No call
// may surface Code::busy or Code::storage under this load, and a raw serialisation failure
// (anything that is not a wo::Error) ends its worker with status 99 and fails the test.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/world.hpp"
#include "support/org.hpp"
#include "support/processes.hpp"
#include "support/store_check.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace {

using namespace model_test;
using test_support::int_of;
using test_support::opt_int_of;
using test_support::Results;
using test_support::StoreCheck;
using test_support::TestDb;
using test_support::text_of;
using test_support::val;
using wo::Actor;
using wo::Code;
using wo::Status;

// 2026-11-27T03:00:00Z = 11:00 in Asia/Shanghai: every worker's clock, so all orders are
// numbered on the org-local day 20261127 (or 20261128 for a worker on the next day).
constexpr std::int64_t t0 = 1'795'748'400'000;
constexpr std::int64_t day_ms = 86'400'000;
constexpr const char* order_day = "20261127";
constexpr const char* next_day = "20261128";

// The day the calling thread's clock shows: 0 = t0, 1 = t0 + one day. Per thread, so threads
// sharing one Engine each keep their own.
thread_local int clock_day = 0;

wo::Clock fixed_clock() {
  return [] { return wo::from_unix_ms(t0 + clock_day * day_ms); };
}

// Stored statuses of the orders a staff member holds (rules §4).
std::vector<wo::Value> held_statuses() { return {val(Status::pending_accept), val(Status::in_progress)}; }

// ---------------------------------------------------------------------------------------------
// The org every scenario uses: one order type bound to (Maintenance, Plumber), eligible
// technicians, a dispatcher, a tenant contact, a free subtype with consumables, one material.

struct World {
  wo::OrgId org;
  wo::StaffId admin, dispatcher;
  std::vector<wo::StaffId> techs;
  wo::ContactId contact;
  wo::SubtypeId subtype;
  wo::MaterialId material;
};

constexpr std::int64_t material_price = 1500;  // fen per unit

World build_world(wo::Engine& e, int grab_limit, std::int64_t stock_milli, int technicians = 4,
                  const std::string& name = "Concurrent Property") {
  World w;
  const wo::NewOrg created = test_support::create_org(e, name, "Asia/Shanghai", "Admin", "13900000000");
  w.org = created.org;
  w.admin = created.admin;
  const Actor admin = Actor::staff(w.admin);
  const auto dept = add<wo::Department>(e, admin, f(&wo::Department::name, "Maintenance"));
  const auto plumber = add<wo::Position>(e, admin, f(&wo::Position::name, "Plumber"));
  const auto desk = add<wo::Position>(e, admin, f(&wo::Position::name, "Desk"));
  w.dispatcher = add<wo::Staff>(e, admin, f(&wo::Staff::name, "Dispatcher"), f(&wo::Staff::phone, "13900000001"),
                                f(&wo::Staff::department_id, dept), f(&wo::Staff::position_id, desk),
                                f(&wo::Staff::roles, std::int32_t{wo::role_dispatcher}));
  for (int i = 0; i < technicians; ++i)
    w.techs.push_back(add<wo::Staff>(e, admin, f(&wo::Staff::name, fmt::format("Technician {}", i)),
                                     f(&wo::Staff::phone, fmt::format("1391000{:04}", i)),
                                     f(&wo::Staff::department_id, dept), f(&wo::Staff::position_id, plumber),
                                     f(&wo::Staff::roles, std::int32_t{wo::role_technician})));
  const auto tenant = add<wo::Tenant>(e, admin, f(&wo::Tenant::name, "Tenant"));
  w.contact = add<wo::Contact>(e, admin, f(&wo::Contact::tenant_id, tenant), f(&wo::Contact::name, "Contact"),
                               f(&wo::Contact::phone, "13800000001"));
  const auto type = add<wo::OrderType>(e, admin, f(&wo::OrderType::name, "Public repair"),
                                       f(&wo::OrderType::department_id, dept), f(&wo::OrderType::position_id, plumber));
  w.subtype =
      add<wo::Subtype>(e, admin, f(&wo::Subtype::order_type_id, type), f(&wo::Subtype::name, "Pipes"),
                       f(&wo::Subtype::charge_mode, wo::ChargeMode::free), f(&wo::Subtype::consumables_enabled, true));
  w.material = add<wo::Material>(e, admin, f(&wo::Material::sku, "PIPE"), f(&wo::Material::name, "Pipe"),
                                 f(&wo::Material::unit, "m"), f(&wo::Material::unit_price, wo::Money{material_price}));
  if (stock_milli > 0)
    add<wo::StockMovement>(e, admin, f(&wo::StockMovement::material_id, w.material),
                           f(&wo::StockMovement::movement_kind, wo::MovementKind::requisition),
                           f(&wo::StockMovement::qty, wo::Qty{stock_milli}));
  wo::Patch<wo::OrderSettings> settings;
  settings.set(&wo::OrderSettings::grab_limit, std::int32_t{grab_limit});
  e.update_settings(admin, settings);
  return w;
}

wo::OrderDraft pool_draft(const World& w, const std::string& what) {
  wo::OrderDraft d;
  d.subtype_id = w.subtype;
  d.description = what;
  d.address = "Building 1";
  d.source_channel = wo::SourceChannel::staff_pc;
  return d;
}

// Orders the dispatcher reports for the org: free, straight to pending_dispatch (the pool).
std::vector<wo::OrderId> submit_pool(wo::Engine& e, const World& w, int n) {
  std::vector<wo::OrderId> ids;
  for (int i = 0; i < n; ++i)
    ids.push_back(e.submit(Actor::staff(w.dispatcher), pool_draft(w, fmt::format("Pool order {}", i))));
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Running workers at the same moment.

enum class Mode { processes, shared_engine, own_engines };

std::string mode_name(Mode m) {
  switch (m) {
    case Mode::processes: return "separate processes, one Engine (connection) each";
    case Mode::shared_engine: return "threads sharing one Engine";
    case Mode::own_engines: return "threads with one Engine each";
  }
  return "?";
}

std::string backend() { return test_support::on_postgres() ? "PostgreSQL" : "SQLite"; }

// What one worker does once all have started; it gets its own (or the shared) engine and its
// index, and returns integers for the parent to check.
using Work = std::function<Results(wo::Engine&, int)>;

std::vector<Results> run_threads(Mode mode, const std::string& path, int n, const Work& work,
                                 const std::function<void()>& monitor) {
  std::unique_ptr<wo::Engine> shared;
  if (mode == Mode::shared_engine) shared = std::make_unique<wo::Engine>(wo::open_store(path), fixed_clock());
  std::vector<Results> all(static_cast<std::size_t>(n));
  std::vector<std::string> errors(static_cast<std::size_t>(n));
  std::latch start(n);
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      const auto slot = static_cast<std::size_t>(i);
      std::unique_ptr<wo::Engine> own;
      try {
        if (!shared) own = std::make_unique<wo::Engine>(wo::open_store(path), fixed_clock());
      } catch (const std::exception& e) {
        errors[slot] = std::string("opening the engine: ") + e.what();
      }
      start.arrive_and_wait();
      try {
        if (errors[slot].empty()) all[slot] = work(shared ? *shared : *own, i);
      } catch (const std::exception& e) {
        errors[slot] = e.what();
      }
      own.reset();
      finished.fetch_add(1);
    });
  }
  while (finished.load() < n) {
    if (monitor) monitor();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (auto& t : threads) t.join();
  if (monitor) monitor();
  for (int i = 0; i < n; ++i)
    CHECK_MESSAGE(errors[static_cast<std::size_t>(i)].empty(), "worker thread ", i, ": ",
                  errors[static_cast<std::size_t>(i)]);
  return all;
}

std::vector<Results> run_parallel(Mode mode, const std::string& path, int n, const Work& work,
                                  const std::function<void()>& monitor = {}) {
  if (mode == Mode::processes) {
    // Each process opens its own Engine (its own connection) after the fork, before it
    // reports ready.
    const auto open_and_work = [&](int i, const std::function<void()>& start) {
      wo::Engine engine(wo::open_store(path), fixed_clock());
      start();
      return work(engine, i);
    };
    return test_support::run_processes(n, open_and_work, monitor);
  }
  return run_threads(mode, path, n, work, monitor);
}

// How often each outcome came back: asserted per code, and printed.
struct Tally {
  std::map<std::int64_t, std::int64_t> counts;
  void add(std::int64_t code) { ++counts[code]; }
  std::int64_t of(Code c) const {
    const auto it = counts.find(static_cast<std::int64_t>(c));
    return it == counts.end() ? 0 : it->second;
  }
  std::int64_t total() const {
    std::int64_t n = 0;
    for (const auto& [code, k] : counts) n += k;
    return n;
  }
  std::string str() const {
    std::string out;
    for (const auto& [code, n] : counts)
      out += fmt::format("{}{} {}", out.empty() ? "" : ", ", code_name(static_cast<int>(code)), n);
    return out.empty() ? "none" : out;
  }
};

// Every code is ok or one of `allowed`; never busy or storage.
void check_codes(const std::vector<std::int64_t>& codes, std::initializer_list<Code> allowed) {
  for (const std::int64_t c : codes) {
    CHECK_MESSAGE(c != static_cast<std::int64_t>(Code::busy), "a lock timeout (busy) reached the caller");
    CHECK_MESSAGE(c != static_cast<std::int64_t>(Code::storage), "a storage error reached the caller");
    const bool ok = c == 0 || std::any_of(allowed.begin(), allowed.end(),
                                          [&](Code a) { return static_cast<std::int64_t>(a) == c; });
    CHECK_MESSAGE(ok, "unexpected outcome ", code_name(static_cast<int>(c)));
  }
}

// Orders held by each staff member right now (pending_accept or in_progress).
std::map<std::int64_t, std::int64_t> held_now(StoreCheck& db) {
  return db.count_by("work_order", "assignee_id", {{"status", held_statuses()}});
}

constexpr Mode all_modes[] = {Mode::processes, Mode::shared_engine, Mode::own_engines};

// ---------------------------------------------------------------------------------------------
// a) Two technicians grab one order at the same moment: exactly one wins.

void grab_race(Mode mode) {
  TestDb db("wo_conc_grab");
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, 0, 0);
    orders = submit_pool(e, w, 20);
  }
  Tally losers;
  std::vector<int> wins(2, 0);
  for (std::size_t round = 0; round < orders.size(); ++round) {
    CAPTURE(round);
    const wo::OrderId order = orders[round];
    const auto results = run_parallel(mode, db.path, 2, [&](wo::Engine& e, int i) {
      const Actor tech = Actor::staff(w.techs[static_cast<std::size_t>(i)]);
      return Results{code_of([&] { e.grab(tech, order); })};
    });
    REQUIRE(results.size() == 2);
    REQUIRE(results[0].size() == 1);
    REQUIRE(results[1].size() == 1);
    const std::int64_t a = results[0][0], b = results[1][0];
    CHECK_MESSAGE(((a == 0) != (b == 0)), "grab outcomes ", code_name(static_cast<int>(a)), " and ",
                  code_name(static_cast<int>(b)), ": exactly one must win");
    const std::size_t winner = a == 0 ? 0 : 1;
    const std::int64_t loser = winner == 0 ? b : a;
    ++wins[winner];
    losers.add(loser);
    // The loser no longer sees the order (it left the pool and was never theirs): rules §7
    // reports what is outside an actor's sight as not found.
    CHECK_MESSAGE(loser == static_cast<std::int64_t>(Code::not_found), "loser got ",
                  code_name(static_cast<int>(loser)));
    check_codes({loser}, {Code::not_found, Code::invalid_state});

    StoreCheck check(db.path);
    const auto row = check.find("work_order", {"status", "assignee_id"}, order.value);
    REQUIRE(row.has_value());
    CHECK(int_of((*row)[0]) == static_cast<std::int64_t>(Status::in_progress));
    CHECK(opt_int_of((*row)[1]) == w.techs[winner].value);
    CHECK(check.count("event", {{"order_id", val(order.value)}, {"action", val(wo::Action::grab)}}) == 1);
    CHECK(check.count("event", {{"order_id", val(order.value)}}) == 2);  // submit + grab
    CHECK(check.count("order_holder", {{"order_id", val(order.value)}}) == 1);
  }
  // Through a fresh engine: each order belongs to exactly the technician the grab event names.
  wo::Engine e(wo::open_store(db.path), fixed_clock());
  for (const auto id : orders) {
    const wo::Order o = e.get_order(Actor::staff(w.admin), id);
    const auto events = e.timeline(Actor::staff(w.admin), id, 0, wo::max_page_size);
    REQUIRE(events.size() == 2);
    CHECK(events[1].action == wo::Action::grab);
    CHECK(events[1].actor_id == o.assignee_id->value);
    CHECK(events[1].from_status == Status::pending_dispatch);
    CHECK(events[1].to_status == Status::in_progress);
  }
  MESSAGE(backend(), ", ", mode_name(mode), ": grab race wins ", wins[0], " / ", wins[1], "; losers: ", losers.str());
}

TEST_CASE("a) of two simultaneous grabs of one order exactly one wins (20 orders)") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    grab_race(mode);
  }
}

TEST_CASE("a) of 8 processes grabbing one order at once exactly one wins (10 orders)") {
  constexpr int processes = 8;
  TestDb db("wo_conc_grab8");
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, 0, 0, processes);
    orders = submit_pool(e, w, 10);
  }
  Tally outcomes;
  for (std::size_t round = 0; round < orders.size(); ++round) {
    CAPTURE(round);
    const wo::OrderId order = orders[round];
    const auto results = run_parallel(Mode::processes, db.path, processes, [&](wo::Engine& e, int i) {
      return Results{code_of([&] { e.grab(Actor::staff(w.techs[static_cast<std::size_t>(i)]), order); })};
    });
    std::vector<std::int64_t> winners;
    for (int i = 0; i < processes; ++i) {
      REQUIRE(results[static_cast<std::size_t>(i)].size() == 1);
      const std::int64_t code = results[static_cast<std::size_t>(i)][0];
      outcomes.add(code);
      if (code == 0) winners.push_back(w.techs[static_cast<std::size_t>(i)].value);
      else CHECK(code == static_cast<std::int64_t>(Code::not_found));
    }
    REQUIRE(winners.size() == 1);
    StoreCheck check(db.path);
    const auto row = check.find("work_order", {"status", "assignee_id"}, order.value);
    REQUIRE(row.has_value());
    CHECK(int_of((*row)[0]) == static_cast<std::int64_t>(Status::in_progress));
    CHECK(opt_int_of((*row)[1]) == winners[0]);
    CHECK(check.count("event", {{"order_id", val(order.value)}, {"action", val(wo::Action::grab)}}) == 1);
    CHECK(check.count("order_holder", {{"order_id", val(order.value)}}) == 1);
  }
  CHECK(outcomes.of(Code::ok) == static_cast<std::int64_t>(orders.size()));
  CHECK(outcomes.of(Code::not_found) == static_cast<std::int64_t>(orders.size()) * (processes - 1));
  MESSAGE(backend(), ": ", processes, " processes x ", orders.size(), " orders: ", outcomes.str());
}

// ---------------------------------------------------------------------------------------------
// b) The grab limit (L = 2) holds while workers grab from a pool of 10 at once.

constexpr int limit = 2;

// `tech_of_worker[i]` is the technician worker i acts as. Each worker tries every pool order
// once, starting at its own offset.
void grab_limit_scenario(Mode mode, const std::vector<int>& tech_of_worker) {
  TestDb db("wo_conc_limit");
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, limit, 0);
    orders = submit_pool(e, w, 10);
  }
  const int n = static_cast<int>(tech_of_worker.size());
  std::unique_ptr<StoreCheck> watcher;
  std::int64_t most_held_seen = 0;
  auto monitor = [&] {
    if (!watcher) watcher = std::make_unique<StoreCheck>(db.path);  // opened after the fork
    for (const auto& [staff, count] : held_now(*watcher)) most_held_seen = std::max(most_held_seen, count);
  };
  const auto results = run_parallel(
      mode, db.path, n,
      [&](wo::Engine& e, int i) {
        const Actor tech = Actor::staff(w.techs[static_cast<std::size_t>(tech_of_worker[static_cast<std::size_t>(i)])]);
        Results codes(orders.size(), -1);
        for (std::size_t k = 0; k < orders.size(); ++k) {
          const std::size_t j = (k + static_cast<std::size_t>(i) * 3) % orders.size();
          codes[j] = code_of([&] { e.grab(tech, orders[j]); });
        }
        return codes;
      },
      monitor);
  watcher.reset();

  std::map<int, int> wins_by_tech;
  for (int i = 0; i < n; ++i) {
    const auto& codes = results[static_cast<std::size_t>(i)];
    REQUIRE(codes.size() == orders.size());
    // Another technician's order is invisible (not found); one's own is invalid_state.
    check_codes(codes, {Code::grab_limit, Code::not_found, Code::invalid_state});
    wins_by_tech[tech_of_worker[static_cast<std::size_t>(i)]] +=
        static_cast<int>(std::count(codes.begin(), codes.end(), std::int64_t{0}));
  }
  StoreCheck check(db.path);
  const auto held = held_now(check);
  std::set<int> techs(tech_of_worker.begin(), tech_of_worker.end());
  const int available = static_cast<int>(orders.size());
  for (const int t : techs) {
    CAPTURE(t);
    const std::int64_t staff = w.techs[static_cast<std::size_t>(t)].value;
    const std::int64_t h = held.count(staff) ? held.at(staff) : 0;
    CHECK(h <= limit);
    // With 10 orders and at most 4 technicians × 2, every technician reaches the limit.
    CHECK(h == limit);
    CHECK(wins_by_tech[t] == h);
  }
  CHECK(most_held_seen <= limit);
  const std::int64_t grabbed = check.count("work_order", {{"status", val(Status::in_progress)}});
  CHECK(grabbed == static_cast<std::int64_t>(techs.size()) * limit);
  CHECK(check.count("work_order", {{"status", val(Status::pending_dispatch)}, {"assignee_id", wo::Value{}}}) ==
        available - grabbed);
  const auto grab_events = check.rows("event", {"id", "order_id", "actor_id"}, {{"action", val(wo::Action::grab)}});
  CHECK(static_cast<std::int64_t>(grab_events.size()) == grabbed);
  // One grab per order, and each grab event names the order's assignee.
  std::set<std::int64_t> grabbed_orders;
  for (const auto& ev : grab_events) {
    CHECK(grabbed_orders.insert(int_of(ev[1])).second);
    const auto order = check.find("work_order", {"assignee_id"}, int_of(ev[1]));
    REQUIRE(order.has_value());
    CHECK(opt_int_of((*order)[0]) == int_of(ev[2]));
  }
  // The same picture through a fresh engine.
  wo::Engine e(wo::open_store(db.path), fixed_clock());
  std::map<std::int64_t, std::int64_t> held_by_engine;
  for (const auto id : orders) {
    const wo::Order o = e.get_order(Actor::staff(w.admin), id);
    if (o.status == Status::in_progress) {
      REQUIRE(o.assignee_id.has_value());
      ++held_by_engine[o.assignee_id->value];
    } else {
      CHECK(o.status == Status::pending_dispatch);
      CHECK_FALSE(o.assignee_id.has_value());
    }
  }
  CHECK(held_by_engine == held);
  MESSAGE(backend(), ", ", mode_name(mode), ": ", n, " workers for ", techs.size(), " technician(s) grabbed ", grabbed,
          " orders; most held at any observed moment ", most_held_seen);
}

TEST_CASE("b) the grab limit holds under simultaneous grabs") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    SUBCASE("one technician grabbing from 4 workers") { grab_limit_scenario(mode, {0, 0, 0, 0}); }
    SUBCASE("four technicians, one worker each") { grab_limit_scenario(mode, {0, 1, 2, 3}); }
    SUBCASE("two technicians, two workers each") { grab_limit_scenario(mode, {0, 1, 0, 1}); }
  }
}

// ---------------------------------------------------------------------------------------------
// b) 16 processes × 50 grabs with grab_limit 3. Two processes act as each of 8 technicians and
// grab from slices of the pool no one else touches, so a grab can only win or hit the limit.
// A process keeps up to three orders: on its third it finishes its oldest, and when refused
// it finishes its oldest too. So each technician keeps asking for a fourth order from two
// places at once — the count-then-write the staff lock must serialise — and it is certain
// that every technician reaches the limit and is refused at least once: if neither of a
// technician's processes were ever refused, each would rest at two held orders, four in all.

TEST_CASE("b) grab limit 3: 16 processes x 50 grabs, no technician ever holds more than 3") {
  constexpr int processes = 16, grabs = 50, technicians = 8, grab_limit = 3;
  TestDb db("wo_conc_limit16");
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, grab_limit, 0, technicians);
    orders = submit_pool(e, w, processes * grabs);  // a slice of `grabs` orders per process
  }
  auto tech_of = [&](int p) { return w.techs[static_cast<std::size_t>(p % technicians)]; };

  // Sampled while the workers run: the most any technician held at one observed moment.
  std::unique_ptr<StoreCheck> watcher;
  std::int64_t most_seen = 0;
  int samples = 0;
  auto last_sample = std::chrono::steady_clock::time_point{};
  auto monitor = [&] {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_sample < std::chrono::milliseconds(5)) return;  // leave the CPU to the workers
    last_sample = now;
    if (!watcher) watcher = std::make_unique<StoreCheck>(db.path);
    for (const auto& [staff, n] : held_now(*watcher)) most_seen = std::max(most_seen, n);
    ++samples;
  };

  // Each process returns its 50 grab codes, then the codes of its finishes.
  const auto results = run_parallel(
      Mode::processes, db.path, processes,
      [&](wo::Engine& e, int p) {
        const Actor tech = Actor::staff(tech_of(p));
        Results grab_codes, finish_codes;
        std::deque<wo::OrderId> mine;
        std::size_t next = static_cast<std::size_t>(p * grabs);  // the next order of my slice
        auto finish_oldest = [&] {
          if (mine.empty()) return;
          finish_codes.push_back(code_of([&] { e.finish(tech, mine.front()); }));
          mine.pop_front();
        };
        for (int k = 0; k < grabs; ++k) {
          const int code = code_of([&] { e.grab(tech, orders[next]); });
          grab_codes.push_back(code);
          if (code == 0) {
            mine.push_back(orders[next++]);
            if (mine.size() == 3) finish_oldest();
          } else if (code == static_cast<int>(Code::grab_limit)) {
            finish_oldest();  // the same order is tried again
          }
          // A short pause between calls, as a real client makes, lets the other writers in
          // (SQLite's busy handler would otherwise favour the last writer).
          std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        grab_codes.insert(grab_codes.end(), finish_codes.begin(), finish_codes.end());
        return grab_codes;
      },
      monitor);
  watcher.reset();

  Tally grab_outcomes, finish_outcomes;
  std::map<std::int64_t, std::int64_t> won, finished, refused;  // per technician
  for (int p = 0; p < processes; ++p) {
    CAPTURE(p);
    const auto& r = results[static_cast<std::size_t>(p)];
    REQUIRE(r.size() >= static_cast<std::size_t>(grabs));
    const std::vector<std::int64_t> grab_codes(r.begin(), r.begin() + grabs), finish_codes(r.begin() + grabs, r.end());
    check_codes(grab_codes, {Code::grab_limit});  // nobody else touches my slice
    check_codes(finish_codes, {});
    const std::int64_t staff = tech_of(p).value;
    for (const auto c : grab_codes) {
      grab_outcomes.add(c);
      if (c == 0) ++won[staff];
      if (c == static_cast<std::int64_t>(Code::grab_limit)) ++refused[staff];
    }
    for (const auto c : finish_codes) {
      finish_outcomes.add(c);
      if (c == 0) ++finished[staff];
    }
  }
  CHECK(grab_outcomes.total() == processes * grabs);
  CHECK(grab_outcomes.of(Code::ok) + grab_outcomes.of(Code::grab_limit) == processes * grabs);

  StoreCheck check(db.path);
  // Now: every technician holds what they won minus what they finished, at most the limit.
  const auto held = held_now(check);
  for (int t = 0; t < technicians; ++t) {
    const std::int64_t staff = w.techs[static_cast<std::size_t>(t)].value;
    CAPTURE(staff);
    const std::int64_t h = held.count(staff) ? held.at(staff) : 0;
    CHECK(h <= grab_limit);
    CHECK(h == won[staff] - finished[staff]);
    CHECK(refused[staff] > 0);
  }
  CHECK(check.count("work_order", {{"status", val(Status::completed)}}) == finish_outcomes.of(Code::ok));
  CHECK(check.count("event", {{"action", val(wo::Action::grab)}}) == grab_outcomes.of(Code::ok));
  CHECK(check.count("event", {{"action", val(wo::Action::finish)}}) == finish_outcomes.of(Code::ok));

  // Ever: replay the history. Per technician, +1 at each grab, -1 at each finish, in event id
  // order. Grabs of one technician take its lock before their event gets an id, and a finish a
  // grab counted on got its id before that grab counted, so with the lock the replay never
  // shows more than the grab saw: more than the limit here is a real breach. (It may show
  // less, a finish in flight coming first, so it does not tell whether the limit was reached:
  // a refusal does.)
  std::map<std::int64_t, std::int64_t> replay, most_in_history;
  std::int64_t breaches = 0;
  const std::vector<wo::Value> actions{val(wo::Action::grab), val(wo::Action::finish)};
  for (const auto& ev : check.rows("event", {"id", "action", "actor_id"}, {{"action", actions}})) {
    const std::int64_t staff = int_of(ev[2]);
    replay[staff] += int_of(ev[1]) == static_cast<std::int64_t>(wo::Action::grab) ? 1 : -1;
    if (replay[staff] > grab_limit) ++breaches;
    most_in_history[staff] = std::max(most_in_history[staff], replay[staff]);
  }
  CHECK(breaches == 0);
  for (int t = 0; t < technicians; ++t) {
    const std::int64_t staff = w.techs[static_cast<std::size_t>(t)].value;
    CAPTURE(staff);
    CHECK(most_in_history[staff] <= grab_limit);  // reached: refused[staff] > 0 above
  }
  CHECK(most_seen <= grab_limit);
  MESSAGE(backend(), ": ", processes, " processes x ", grabs, " grabs for ", technicians,
          " technicians, grab_limit ", grab_limit, ": grabs ", grab_outcomes.str(), "; finishes ",
          finish_outcomes.str(), "; breaches in the history ", breaches, "; most held in ", samples,
          " samples while running ", most_seen);
}

// ---------------------------------------------------------------------------------------------
// c) Material lines from 4 workers at once never take more stock than there is.

void stock_scenario(Mode mode) {
  constexpr std::int64_t stock = 50'300;  // 50.3 m
  constexpr std::int64_t q = 700;         // 0.7 m per line
  constexpr int workers = 4;
  TestDb db("wo_conc_stock");
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, 0, stock);
    orders = submit_pool(e, w, workers);
    for (int i = 0; i < workers; ++i)
      e.grab(Actor::staff(w.techs[static_cast<std::size_t>(i)]), orders[static_cast<std::size_t>(i)]);
  }
  const auto results = run_parallel(mode, db.path, workers, [&](wo::Engine& e, int i) {
    const Actor tech = Actor::staff(w.techs[static_cast<std::size_t>(i)]);
    const wo::OrderId order = orders[static_cast<std::size_t>(i)];
    Results codes;
    int refused = 0;
    for (int attempt = 0; attempt < 500 && refused < 3; ++attempt) {
      const int code =
          code_of([&] { e.add_line(tech, order, {wo::LineKind::material, w.material.value, wo::Qty{q}}); });
      codes.push_back(code);
      if (code != 0) ++refused;  // once refused, stock only stays short: try twice more
      // A short pause between calls, as a real client makes, lets the other writers in: SQLite's
      // busy handler would otherwise let one connection take the lock again and again.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return codes;
  });
  StoreCheck check(db.path);
  std::int64_t lines = 0;
  std::string per_worker;
  Tally outcomes;
  for (int i = 0; i < workers; ++i) {
    CAPTURE(i);
    const auto& codes = results[static_cast<std::size_t>(i)];
    check_codes(codes, {Code::out_of_stock});
    for (const auto c : codes) outcomes.add(c);
    const auto first_refusal = std::find_if(codes.begin(), codes.end(), [](std::int64_t c) { return c != 0; });
    CHECK(first_refusal != codes.end());
    CHECK(std::all_of(first_refusal, codes.end(),
                      [](std::int64_t c) { return c == static_cast<std::int64_t>(Code::out_of_stock); }));
    const auto ok = std::count(codes.begin(), codes.end(), std::int64_t{0});
    lines += ok;
    per_worker += fmt::format("{}{}", i ? "/" : "", ok);
    const std::int64_t id = orders[static_cast<std::size_t>(i)].value;
    CHECK(check.count("charge_line", {{"order_id", val(id)}, {"removed", val(0)}}) == ok);
    const auto order = check.find("work_order", {"lines_total"}, id);
    REQUIRE(order.has_value());
    CHECK(int_of((*order)[0]) == ok * q * material_price / 1000);
    CHECK(check.count("event", {{"order_id", val(id)}, {"action", val(wo::Action::add_line)}}) == ok);
  }
  CHECK(lines * q == stock - stock % q);  // 71 lines of 0.7 m out of 50.3 m
  const auto material = check.find("material", {"stock"}, w.material.value);
  REQUIRE(material.has_value());
  const std::int64_t left = int_of((*material)[0]);
  CHECK(left == stock % q);
  CHECK(left >= 0);
  const auto of_kind = [&](std::vector<wo::MovementKind> kinds) {
    std::vector<wo::Value> any;
    for (auto k : kinds) any.push_back(val(k));
    return test_support::Where{{"material_id", val(w.material.value)}, {"movement_kind", any}};
  };
  CHECK(check.count("stock_movement", of_kind({wo::MovementKind::reserve})) == lines);
  CHECK(check.sum("stock_movement", "qty", of_kind({wo::MovementKind::reserve})) == -lines * q);
  // Stock equals its movements (consume records a use and moves nothing).
  CHECK(check.sum("stock_movement", "qty",
                  of_kind({wo::MovementKind::requisition, wo::MovementKind::adjustment, wo::MovementKind::reserve,
                           wo::MovementKind::release})) == left);
  wo::Engine e(wo::open_store(db.path), fixed_clock());
  CHECK(e.get<wo::Material>(Actor::staff(w.admin), w.material).stock.milli == left);
  MESSAGE(backend(), ", ", mode_name(mode), ": ", lines, " material lines of ", q, " (per worker ", per_worker,
          ") from stock ", stock, ", ", left, " left; outcomes ", outcomes.str());
}

TEST_CASE("c) concurrent material lines reserve at most the stock there is") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    stock_scenario(mode);
  }
}

// ---------------------------------------------------------------------------------------------
// d) Order numbers are unique and gap-free per org and day; a client_token makes one order
// however many submit it.

void numbering_scenario(Mode mode) {
  constexpr int workers = 4, per_worker = 50;
  TestDb db("wo_conc_numbers");
  World worlds[2];
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    worlds[0] = build_world(e, 0, 0, 1, "Concurrent Property A");
    worlds[1] = build_world(e, 0, 0, 1, "Concurrent Property B");
  }
  // Workers 0 and 1 submit to org A, 2 and 3 to org B; every other submit of each is on the
  // next day, so four counters (2 orgs × 2 days) are each raced by two workers.
  const auto results = run_parallel(mode, db.path, workers, [&](wo::Engine& e, int i) {
    const World& w = worlds[i / 2];
    // Half the workers report as the tenant's contact, half as the dispatcher.
    const Actor actor = i % 2 == 0 ? Actor::contact(w.contact) : Actor::staff(w.dispatcher);
    Results out;
    for (int k = 0; k < per_worker; ++k) {
      clock_day = k % 2;
      std::int64_t id = 0;
      const int code =
          code_of([&] { id = e.submit(actor, pool_draft(w, fmt::format("worker {} order {}", i, k))).value; });
      out.push_back(code);
      out.push_back(id);
    }
    clock_day = 0;
    return out;
  });
  std::set<std::int64_t> ids;
  Tally outcomes;
  for (const auto& r : results) {
    REQUIRE(r.size() == 2 * per_worker);
    for (std::size_t k = 0; k < r.size(); k += 2) {
      check_codes({r[k]}, {});
      outcomes.add(r[k]);
      ids.insert(r[k + 1]);
    }
  }
  CHECK(ids.size() == workers * per_worker);
  StoreCheck check(db.path);
  const auto rows = check.rows("work_order", {"id", "org_id", "number", "created_at"});
  CHECK(rows.size() == workers * per_worker);
  // (org, day) -> sequence numbers
  std::map<std::pair<std::int64_t, std::string>, std::vector<int>> sequences;
  std::set<std::pair<std::int64_t, std::string>> numbers;
  for (const auto& row : rows) {
    const std::string number = text_of(row[2]);
    CAPTURE(number);
    REQUIRE(number.size() == 15);
    CHECK(numbers.insert({int_of(row[1]), number}).second);  // unique per org
    const std::string day = number.substr(0, 8);
    CHECK(number[8] == '-');
    CHECK(day == (int_of(row[3]) == t0 ? order_day : next_day));  // the org-local creation day
    sequences[{int_of(row[1]), day}].push_back(std::stoi(number.substr(9)));
  }
  CHECK(sequences.size() == 4);
  for (auto& [key, seq] : sequences) {
    CAPTURE(key.first);
    CAPTURE(key.second);
    std::sort(seq.begin(), seq.end());
    std::vector<int> expected(static_cast<std::size_t>(workers / 2 * per_worker / 2));
    for (std::size_t k = 0; k < expected.size(); ++k) expected[k] = static_cast<int>(k) + 1;
    CHECK(seq == expected);  // 1..50: no gap, no repeat
    const auto counter = check.count_by("order_counter", "last", {{"org_id", val(key.first)}, {"day", val(key.second)}});
    CHECK(counter == std::map<std::int64_t, std::int64_t>{{static_cast<std::int64_t>(expected.size()), 1}});
  }
  CHECK(check.count("event", {{"action", val(wo::Action::submit)}}) == workers * per_worker);
  MESSAGE(backend(), ", ", mode_name(mode), ": ", rows.size(), " orders in ", sequences.size(),
          " (org, day) sequences, each 1..", workers / 2 * per_worker / 2, "; outcomes ", outcomes.str());
}

void client_token_scenario(Mode mode) {
  constexpr int workers = 4, tokens = 10;
  TestDb db("wo_conc_tokens");
  World w;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, 0, 0);
  }
  const auto results = run_parallel(mode, db.path, workers, [&](wo::Engine& e, int) {
    Results out;
    for (int k = 0; k < tokens; ++k) {
      wo::OrderDraft d = pool_draft(w, fmt::format("retried order {}", k));
      d.client_token = fmt::format("token-{}", k);
      std::int64_t id = 0;
      out.push_back(code_of([&] { id = e.submit(Actor::contact(w.contact), d).value; }));
      out.push_back(id);
    }
    return out;
  });
  Tally outcomes;
  for (int k = 0; k < tokens; ++k) {
    CAPTURE(k);
    std::set<std::int64_t> ids;
    for (const auto& r : results) {
      REQUIRE(r.size() == 2 * tokens);
      check_codes({r[2 * static_cast<std::size_t>(k)]}, {});
      outcomes.add(r[2 * static_cast<std::size_t>(k)]);
      ids.insert(r[2 * static_cast<std::size_t>(k) + 1]);
    }
    CHECK(ids.size() == 1);  // every worker got the same order back
  }
  StoreCheck check(db.path);
  const auto rows = check.rows("work_order", {"id", "client_token", "number"});
  CHECK(rows.size() == tokens);
  std::set<std::string> distinct_tokens, distinct_numbers;
  for (const auto& r : rows) {
    distinct_tokens.insert(text_of(r[1]));
    distinct_numbers.insert(text_of(r[2]));
  }
  CHECK(distinct_tokens.size() == tokens);
  CHECK(distinct_numbers.size() == tokens);
  CHECK(check.count("event") == tokens);
  // The losers' numbers went back with their rolled-back transactions: still gap-free.
  CHECK(check.count_by("order_counter", "last", {{"org_id", val(w.org.value)}, {"day", val(std::string(order_day))}}) ==
        std::map<std::int64_t, std::int64_t>{{tokens, 1}});
  MESSAGE(backend(), ", ", mode_name(mode), ": ", workers, " workers x ", tokens, " tokens: ", outcomes.str(), "; ",
          rows.size(), " orders");
}

TEST_CASE("d) order numbers are unique and gap-free per org and day: 4 workers x 50 submits at once") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    numbering_scenario(mode);
  }
}

TEST_CASE("d) a client_token submitted by 4 workers at once makes one order") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    client_token_scenario(mode);
  }
}

// ---------------------------------------------------------------------------------------------
// e) The last active admin (rules §1): an org's last two admins resign at the same moment, each
// in a process of their own — both deactivate themselves, both drop the admin role, or one of
// each. Each is allowed on its own; together exactly one succeeds and the other is told
// invalid_state (its own record is still an active admin, so the refusal can only be the
// last-admin rule). Every round is a fresh org.

TEST_CASE("e) two concurrent removals of an org's last two admins: exactly one succeeds") {
  constexpr int rounds = 12;
  enum Removal : int { deactivate, demote };
  struct Round {
    wo::OrgId org;
    wo::StaffId admins[2];
    Removal how[2];
  };
  TestDb db("wo_conc_admins");
  std::vector<Round> plan;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    for (int r = 0; r < rounds; ++r) {
      const wo::NewOrg org =
          test_support::create_org(e, fmt::format("Admins {}", r), "Asia/Shanghai", "Admin A", "13900000000");
      const auto second = add<wo::Staff>(e, Actor::staff(org.admin), f(&wo::Staff::name, "Admin B"),
                                         f(&wo::Staff::phone, "13900000002"),
                                         f(&wo::Staff::roles, std::int32_t{wo::role_admin | wo::role_dispatcher}));
      const Removal a = r % 3 == 1 ? demote : deactivate, b = r % 3 == 0 ? deactivate : demote;
      plan.push_back({org.org, {org.admin, second}, {a, b}});
    }
  }
  std::vector<wo::Value> admin_masks;
  for (std::int32_t roles = 0; roles <= wo::all_roles; ++roles)
    if (roles & wo::role_admin) admin_masks.push_back(val(roles));

  Tally outcomes;
  for (int r = 0; r < rounds; ++r) {
    CAPTURE(r);
    const Round& round = plan[static_cast<std::size_t>(r)];
    const auto results = run_parallel(Mode::processes, db.path, 2, [&](wo::Engine& e, int i) {
      const wo::StaffId me = round.admins[i];
      const Actor self = Actor::staff(me);
      return Results{code_of([&] {
        if (round.how[i] == deactivate) {
          e.set_active<wo::Staff>(self, me, false);
        } else {
          wo::Patch<wo::Staff> p;
          p.set(&wo::Staff::roles, std::int32_t{wo::role_dispatcher});
          e.update<wo::Staff>(self, me, p);
        }
      })};
    });
    REQUIRE(results.size() == 2);
    REQUIRE(results[0].size() == 1);
    REQUIRE(results[1].size() == 1);
    const std::int64_t a = results[0][0], b = results[1][0];
    outcomes.add(a);
    outcomes.add(b);
    INFO("outcomes ", code_name(static_cast<int>(a)), " / ", code_name(static_cast<int>(b)));
    const std::int64_t refused = static_cast<std::int64_t>(Code::invalid_state);
    CHECK(((a == 0 && b == refused) || (a == refused && b == 0)));
    const int winner = a == 0 ? 0 : 1;

    StoreCheck check(db.path);
    CHECK(check.count("staff", {{"org_id", val(round.org.value)}, {"active", val(1)}, {"roles", admin_masks}}) == 1);
    for (int i = 0; i < 2; ++i) {
      const auto row = check.find("staff", {"active", "roles"}, round.admins[i].value);
      REQUIRE(row.has_value());
      const bool removed = i == winner;
      const bool deactivated = removed && round.how[i] == deactivate, demoted = removed && round.how[i] == demote;
      CHECK(int_of((*row)[0]) == (deactivated ? 0 : 1));
      CHECK(((int_of((*row)[1]) & wo::role_admin) != 0) == !demoted);
    }
  }
  CHECK(outcomes.of(Code::ok) == rounds);
  CHECK(outcomes.of(Code::invalid_state) == rounds);
  MESSAGE(backend(), ": ", rounds, " rounds of two processes removing the last two admins: ", outcomes.str());
}

// ---------------------------------------------------------------------------------------------
// f) Several processes open one fresh, never migrated database at the same moment (several
// app servers starting against a new database): every open succeeds, the schema ends at the
// latest version, and each process can work on it at once.

TEST_CASE("f) processes opening a fresh database at once all succeed: no migration race") {
  constexpr int processes = 8, rounds = 3;
  Tally outcomes;
  for (int round = 0; round < rounds; ++round) {
    CAPTURE(round);
    TestDb db("wo_conc_migrate");
    const auto results = test_support::run_processes(processes, [&](int i, const std::function<void()>& start) {
      start();  // open only now: every process finds the database unmigrated
      std::int64_t version = -1;
      const int code = code_of([&] {
        wo::Engine e(wo::open_store(db.path), fixed_clock());
        version = e.schema_version();
        test_support::create_org(e, fmt::format("Fresh {}", i), "Asia/Shanghai", "Admin", "13900000000");
      });
      return Results{code, version};
    });
    for (const auto& r : results) {
      REQUIRE(r.size() == 2);
      outcomes.add(r[0]);
      check_codes({r[0]}, {});
      CHECK(r[1] == wo::latest_schema_version());
    }
    StoreCheck check(db.path);
    CHECK(check.store().schema_version() == wo::latest_schema_version());
    CHECK(check.count("org") == processes);
    CHECK(check.count("order_settings") == processes);  // each org got its settings row
    CHECK(check.count("staff") == processes);
  }
  MESSAGE(backend(), ": ", rounds, " rounds of ", processes, " processes opening a fresh database: ", outcomes.str(),
          "; schema version ", wo::latest_schema_version());
}

}  // namespace
