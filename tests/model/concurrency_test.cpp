// SPEC §4/§6, DESIGN §1/§5: the invariants that must hold under concurrency — one grab winner,
// the grab limit, stock never negative, order numbers never colliding, one order per
// client_token — with several PROCESSES on one database file (each forks first, then opens its
// own Engine), several threads sharing ONE Engine, and several Engines in one process. The
// workers start together (a pipe / latch barrier); the parent checks the outcome through raw
// SQLite and a fresh Engine. No call may surface SQLITE_BUSY (Code::busy) or a storage error
// under this load with the default busy timeout.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "model/world.hpp"
#include "support/org.hpp"
#include "support/processes.hpp"
#include "support/raw_db.hpp"
#include "support/temp_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace {

using namespace model_test;
using test_support::RawDb;
using test_support::Results;
using wo::Actor;
using wo::Code;

// 2026-11-27T01:00:00Z = 09:00 in Asia/Shanghai: every worker's clock, so all orders are
// numbered on the org-local day 20261127.
constexpr std::int64_t t0 = 1'795'748'400'000;
constexpr const char* order_day = "20261127";

wo::Clock fixed_clock() {
  return [] { return wo::from_unix_ms(t0); };
}

// A fresh database file in the temp directory, named after this test; removed with the object.
struct TempDb : test_support::TempDb {
  TempDb() : test_support::TempDb("wo_concurrency") {}
};

// ---------------------------------------------------------------------------------------------
// The org every scenario uses: one order type bound to (Maintenance, Plumber), four eligible
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

World build_world(wo::Engine& e, int grab_limit, std::int64_t stock_milli) {
  World w;
  const wo::NewOrg created =
      test_support::create_org(e, "Concurrent Property", "Asia/Shanghai", "Admin", "13900000000");
  w.org = created.org;
  w.admin = created.admin;
  const Actor admin = Actor::staff(w.admin);
  const auto dept = add<wo::Department>(e, admin, f(&wo::Department::name, "Maintenance"));
  const auto plumber = add<wo::Position>(e, admin, f(&wo::Position::name, "Plumber"));
  const auto desk = add<wo::Position>(e, admin, f(&wo::Position::name, "Desk"));
  w.dispatcher = add<wo::Staff>(e, admin, f(&wo::Staff::name, "Dispatcher"), f(&wo::Staff::phone, "13900000001"),
                                f(&wo::Staff::department_id, dept), f(&wo::Staff::position_id, desk),
                                f(&wo::Staff::roles, std::int32_t{wo::role_dispatcher}));
  for (int i = 0; i < 4; ++i)
    w.techs.push_back(add<wo::Staff>(e, admin, f(&wo::Staff::name, fmt::format("Technician {}", i)),
                                     f(&wo::Staff::phone, fmt::format("1390000001{}", i)),
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
    case Mode::processes: return "separate processes, one Engine each";
    case Mode::shared_engine: return "threads sharing one Engine";
    case Mode::own_engines: return "threads with one Engine each";
  }
  return "?";
}

// What one worker does once all have started; it gets its own (or the shared) engine and its
// index, and returns integers for the parent to check.
using Work = std::function<Results(wo::Engine&, int)>;

std::vector<Results> run_threads(Mode mode, const std::string& path, int n, const Work& work,
                                 const std::function<void()>& monitor) {
  std::unique_ptr<wo::Engine> shared;
  if (mode == Mode::shared_engine) shared = std::make_unique<wo::Engine>(wo::open_sqlite_store(path), fixed_clock());
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
        if (!shared) own = std::make_unique<wo::Engine>(wo::open_sqlite_store(path), fixed_clock());
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
    // Each process opens its own Engine after the fork, before it reports ready.
    const auto open_and_work = [&](int i, const std::function<void()>& start) {
      wo::Engine engine(wo::open_sqlite_store(path), fixed_clock());
      start();
      return work(engine, i);
    };
    return test_support::run_processes(n, open_and_work, monitor);
  }
  return run_threads(mode, path, n, work, monitor);
}

// Every code is one of `allowed`; never busy or storage.
void check_codes(const std::vector<std::int64_t>& codes, std::initializer_list<Code> allowed) {
  for (const std::int64_t c : codes) {
    CHECK_MESSAGE(c != static_cast<std::int64_t>(Code::busy), "SQLITE_BUSY reached the caller");
    CHECK_MESSAGE(c != static_cast<std::int64_t>(Code::storage), "a storage error reached the caller");
    const bool ok = c == 0 || std::any_of(allowed.begin(), allowed.end(),
                                          [&](Code a) { return static_cast<std::int64_t>(a) == c; });
    CHECK_MESSAGE(ok, "unexpected outcome ", code_name(static_cast<int>(c)));
  }
}

constexpr Mode all_modes[] = {Mode::processes, Mode::shared_engine, Mode::own_engines};

// ---------------------------------------------------------------------------------------------
// a) Two technicians grab one order at the same moment: exactly one wins.

void grab_race(Mode mode) {
  TempDb db;
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
    w = build_world(e, 0, 0);
    orders = submit_pool(e, w, 20);
  }
  std::map<std::int64_t, int> loser_codes;
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
    ++loser_codes[loser];
    // The loser no longer sees the order (it left the pool and was never theirs): SPEC §7
    // reports what is outside an actor's sight as not found.
    CHECK_MESSAGE(loser == static_cast<std::int64_t>(Code::not_found), "loser got ",
                  code_name(static_cast<int>(loser)));
    check_codes({loser}, {Code::not_found, Code::invalid_state});

    RawDb raw(db.path);
    const auto row = raw.ints(fmt::format("SELECT status, assignee_id FROM work_order WHERE id = {}", order.value));
    REQUIRE(row.size() == 1);
    CHECK(row[0][0] == static_cast<std::int64_t>(wo::Status::in_progress));
    CHECK(row[0][1] == w.techs[winner].value);
    CHECK(raw.scalar(fmt::format("SELECT count(*) FROM event WHERE order_id = {} AND action = {}", order.value,
                                 static_cast<int>(wo::Action::grab))) == 1);
    CHECK(raw.scalar(fmt::format("SELECT count(*) FROM event WHERE order_id = {}", order.value)) ==
          2);  // submit + grab
    CHECK(raw.scalar(fmt::format("SELECT count(*) FROM order_holder WHERE order_id = {}", order.value)) == 1);
  }
  // Through a fresh engine: each order belongs to exactly the technician the grab event names.
  wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
  for (const auto id : orders) {
    const wo::Order o = e.get_order(Actor::staff(w.admin), id);
    const auto events = e.timeline(Actor::staff(w.admin), id, 0, wo::max_page_size);
    REQUIRE(events.size() == 2);
    CHECK(events[1].action == wo::Action::grab);
    CHECK(events[1].actor_id == o.assignee_id->value);
    CHECK(events[1].from_status == wo::Status::pending_dispatch);
    CHECK(events[1].to_status == wo::Status::in_progress);
  }
  MESSAGE(mode_name(mode), ": grab race wins ", wins[0], " / ", wins[1], ", loser code not_found ",
          loser_codes[static_cast<std::int64_t>(Code::not_found)], " times");
}

TEST_CASE("a) of two simultaneous grabs of one order exactly one wins (20 orders)") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    grab_race(mode);
  }
}

// ---------------------------------------------------------------------------------------------
// b) The grab limit (L = 2) holds while workers grab from a pool of 10 at once.

constexpr int limit = 2;

// Orders held by each staff member right now (pending_accept or in_progress).
std::map<std::int64_t, std::int64_t> held_now(RawDb& raw) {
  std::map<std::int64_t, std::int64_t> held;
  for (const auto& r : raw.ints("SELECT assignee_id, count(*) FROM work_order WHERE assignee_id IS NOT NULL "
                                "AND status IN (2, 3) GROUP BY assignee_id"))
    held[r[0]] = r[1];
  return held;
}

// `tech_of_worker[i]` is the technician worker i acts as. Each worker tries every pool order
// once, starting at its own offset.
void grab_limit_scenario(Mode mode, const std::vector<int>& tech_of_worker) {
  TempDb db;
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
    w = build_world(e, limit, 0);
    orders = submit_pool(e, w, 10);
  }
  const int n = static_cast<int>(tech_of_worker.size());
  std::unique_ptr<RawDb> watcher;
  std::int64_t most_held_seen = 0;
  auto monitor = [&] {
    if (!watcher) watcher = std::make_unique<RawDb>(db.path);  // opened after the fork
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

  std::map<int, int> wins_by_tech;
  for (int i = 0; i < n; ++i) {
    const auto& codes = results[static_cast<std::size_t>(i)];
    REQUIRE(codes.size() == orders.size());
    // Another technician's order is invisible (not found); one's own is invalid_state.
    check_codes(codes, {Code::grab_limit, Code::not_found, Code::invalid_state});
    wins_by_tech[tech_of_worker[static_cast<std::size_t>(i)]] +=
        static_cast<int>(std::count(codes.begin(), codes.end(), std::int64_t{0}));
  }
  RawDb raw(db.path);
  const auto held = held_now(raw);
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
  const std::int64_t grabbed = raw.scalar("SELECT count(*) FROM work_order WHERE status = 3");
  CHECK(grabbed == static_cast<std::int64_t>(techs.size()) * limit);
  CHECK(raw.scalar("SELECT count(*) FROM work_order WHERE status = 1 AND assignee_id IS NULL") == available - grabbed);
  CHECK(raw.scalar(fmt::format("SELECT count(*) FROM event WHERE action = {}", static_cast<int>(wo::Action::grab))) ==
        grabbed);
  CHECK(raw.scalar(fmt::format("SELECT max(c) FROM (SELECT count(*) c FROM event WHERE action = {} GROUP BY order_id)",
                               static_cast<int>(wo::Action::grab))) == 1);
  // Each grab event names the order's assignee.
  CHECK(raw.scalar(fmt::format("SELECT count(*) FROM event e JOIN work_order o ON o.id = e.order_id "
                               "WHERE e.action = {} AND e.actor_id IS NOT o.assignee_id",
                               static_cast<int>(wo::Action::grab))) == 0);
  // The same picture through a fresh engine.
  wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
  std::map<std::int64_t, std::int64_t> held_by_engine;
  for (const auto id : orders) {
    const wo::Order o = e.get_order(Actor::staff(w.admin), id);
    if (o.status == wo::Status::in_progress) {
      REQUIRE(o.assignee_id.has_value());
      ++held_by_engine[o.assignee_id->value];
    } else {
      CHECK(o.status == wo::Status::pending_dispatch);
      CHECK_FALSE(o.assignee_id.has_value());
    }
  }
  CHECK(held_by_engine == held);
  MESSAGE(mode_name(mode), ": ", n, " workers for ", techs.size(), " technician(s) grabbed ", grabbed,
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
// c) Material lines from 4 workers at once never take more stock than there is.

void stock_scenario(Mode mode) {
  constexpr std::int64_t stock = 50'300;  // 50.3 m
  constexpr std::int64_t q = 700;         // 0.7 m per line
  constexpr int workers = 4;
  TempDb db;
  World w;
  std::vector<wo::OrderId> orders;
  {
    wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
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
  RawDb raw(db.path);
  std::int64_t lines = 0;
  std::string per_worker;
  for (int i = 0; i < workers; ++i) {
    CAPTURE(i);
    const auto& codes = results[static_cast<std::size_t>(i)];
    check_codes(codes, {Code::out_of_stock});
    const auto first_refusal = std::find_if(codes.begin(), codes.end(), [](std::int64_t c) { return c != 0; });
    CHECK(first_refusal != codes.end());
    CHECK(std::all_of(first_refusal, codes.end(),
                      [](std::int64_t c) { return c == static_cast<std::int64_t>(Code::out_of_stock); }));
    const auto ok = std::count(codes.begin(), codes.end(), std::int64_t{0});
    lines += ok;
    per_worker += fmt::format("{}{}", i ? "/" : "", ok);
    const std::int64_t id = orders[static_cast<std::size_t>(i)].value;
    CHECK(raw.scalar(fmt::format("SELECT count(*) FROM charge_line WHERE order_id = {} AND removed = 0", id)) == ok);
    CHECK(raw.scalar(fmt::format("SELECT lines_total FROM work_order WHERE id = {}", id)) ==
          ok * q * material_price / 1000);
    CHECK(raw.scalar(fmt::format("SELECT count(*) FROM event WHERE order_id = {} AND action = {}", id,
                                 static_cast<int>(wo::Action::add_line))) == ok);
  }
  CHECK(lines * q == stock - stock % q);  // 71 lines of 0.7 m out of 50.3 m
  const std::int64_t left = raw.scalar(fmt::format("SELECT stock FROM material WHERE id = {}", w.material.value));
  CHECK(left == stock % q);
  CHECK(left >= 0);
  const auto kinds = [](wo::MovementKind k) { return static_cast<int>(k); };
  CHECK(raw.scalar(fmt::format("SELECT count(*) FROM stock_movement WHERE material_id = {} AND movement_kind = {}",
                               w.material.value, kinds(wo::MovementKind::reserve))) == lines);
  CHECK(raw.scalar(fmt::format("SELECT total(qty) FROM stock_movement WHERE material_id = {} AND movement_kind = {}",
                               w.material.value, kinds(wo::MovementKind::reserve))) == -lines * q);
  CHECK(raw.scalar(fmt::format(
            "SELECT sum(qty) FROM stock_movement WHERE material_id = {} AND movement_kind IN ({}, {}, {}, {})",
            w.material.value, kinds(wo::MovementKind::requisition), kinds(wo::MovementKind::adjustment),
            kinds(wo::MovementKind::reserve), kinds(wo::MovementKind::release))) == left);
  wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
  CHECK(e.get<wo::Material>(Actor::staff(w.admin), w.material).stock.milli == left);
  MESSAGE(mode_name(mode), ": ", lines, " material lines of ", q, " (per worker ", per_worker, ") from stock ", stock,
          ", ", left, " left");
}

TEST_CASE("c) concurrent material lines reserve at most the stock there is") {
  for (const Mode mode : all_modes) {
    CAPTURE(mode_name(mode));
    stock_scenario(mode);
  }
}

// ---------------------------------------------------------------------------------------------
// d) Order numbers never collide; a client_token makes one order however many submit it.

void numbering_scenario(Mode mode) {
  constexpr int workers = 4, per_worker = 50;
  TempDb db;
  World w;
  {
    wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
    w = build_world(e, 0, 0);
  }
  const auto results = run_parallel(mode, db.path, workers, [&](wo::Engine& e, int i) {
    // Half the workers report as the tenant's contact, half as the dispatcher.
    const Actor actor = i % 2 == 0 ? Actor::contact(w.contact) : Actor::staff(w.dispatcher);
    Results out;
    for (int k = 0; k < per_worker; ++k) {
      std::int64_t id = 0;
      const int code =
          code_of([&] { id = e.submit(actor, pool_draft(w, fmt::format("worker {} order {}", i, k))).value; });
      out.push_back(code);
      out.push_back(id);
    }
    return out;
  });
  std::set<std::int64_t> ids;
  for (const auto& r : results) {
    REQUIRE(r.size() == 2 * per_worker);
    for (std::size_t k = 0; k < r.size(); k += 2) {
      check_codes({r[k]}, {});
      ids.insert(r[k + 1]);
    }
  }
  CHECK(ids.size() == workers * per_worker);
  RawDb raw(db.path);
  const auto numbers = raw.texts("SELECT number FROM work_order");
  CHECK(numbers.size() == workers * per_worker);
  std::set<std::string> distinct(numbers.begin(), numbers.end());
  CHECK(distinct.size() == numbers.size());
  std::set<int> sequence;
  for (const auto& number : numbers) {
    CAPTURE(number);
    REQUIRE(number.size() == 15);
    CHECK(number.substr(0, 9) == std::string(order_day) + "-");
    sequence.insert(std::stoi(number.substr(9)));
  }
  CHECK(sequence.size() == numbers.size());
  CHECK(*sequence.begin() == 1);
  CHECK(*sequence.rbegin() == workers * per_worker);  // 1..200, no gaps
  CHECK(raw.scalar(fmt::format("SELECT last FROM order_counter WHERE org_id = {} AND day = '{}'", w.org.value,
                               order_day)) == workers * per_worker);
  CHECK(raw.scalar(fmt::format("SELECT count(*) FROM event WHERE action = {}", static_cast<int>(wo::Action::submit))) ==
        workers * per_worker);
  MESSAGE(mode_name(mode), ": ", numbers.size(), " orders numbered ", *std::min_element(numbers.begin(), numbers.end()),
          " .. ", *std::max_element(numbers.begin(), numbers.end()));
}

void client_token_scenario(Mode mode) {
  constexpr int workers = 4, tokens = 10;
  TempDb db;
  World w;
  {
    wo::Engine e(wo::open_sqlite_store(db.path), fixed_clock());
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
  for (int k = 0; k < tokens; ++k) {
    CAPTURE(k);
    std::set<std::int64_t> ids;
    for (const auto& r : results) {
      REQUIRE(r.size() == 2 * tokens);
      check_codes({r[2 * static_cast<std::size_t>(k)]}, {});
      ids.insert(r[2 * static_cast<std::size_t>(k) + 1]);
    }
    CHECK(ids.size() == 1);  // every worker got the same order back
  }
  RawDb raw(db.path);
  CHECK(raw.scalar("SELECT count(*) FROM work_order") == tokens);
  CHECK(raw.scalar("SELECT count(DISTINCT client_token) FROM work_order") == tokens);
  CHECK(raw.scalar("SELECT count(*) FROM event") == tokens);
}

TEST_CASE("d) order numbers never collide: 4 workers x 50 submits at once") {
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

}  // namespace
