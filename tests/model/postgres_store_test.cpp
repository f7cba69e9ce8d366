// SPDX-License-Identifier: MIT
// docs/rules.md §10: "a lost connection is a storage error with nothing half done", on PostgreSQL, the
// one backend whose connection can be lost under a running engine. These cases run only in
// the ":pg" run (WO_TEST_POSTGRES set, see support/test_db.hpp) and say so in their names; on
// SQLite they print a note and pass. Every worker is a separate process with a connection of
// its own, as separate app servers would have, tagged with an application_name so that a
// separate admin connection (as an operator's psql would be) can terminate exactly the
// test's connections with pg_terminate_backend. Afterwards the database is checked through a
// Store opened on the same location: every order's money adds up, every booked slot matches
// its orders, stock equals its movements, every status change has its event.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/world.hpp"
#include "support/org.hpp"
#include "support/pg_admin.hpp"
#include "support/processes.hpp"
#include "support/store_check.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/schedule.hpp"

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

// 2026-11-27T01:00:00Z = Friday 09:00 in Asia/Shanghai.
constexpr std::int64_t t0 = 1'795'741'200'000;
constexpr const char* order_day = "20261127";

wo::Clock fixed_clock() {
  return [] { return wo::from_unix_ms(t0); };
}

constexpr std::int64_t spec_price = 10'000;  // 100.00, prepaid in full
constexpr std::int64_t unit_price = 1'500;   // per unit of material
constexpr std::int64_t line_qty = 500;       // 0.5 units per material line
constexpr std::int32_t slot_capacity = 3;

// An org whose orders exercise every kind of state a transaction changes at once: a prepaid
// subtype with appointment slots and material lines, one technician and one tenant contact
// per worker.
struct World {
  wo::OrgId org;
  wo::StaffId admin;
  std::vector<wo::StaffId> techs;
  std::vector<wo::ContactId> contacts;
  wo::SubtypeId subtype;
  wo::ServiceSpecId spec;
  wo::MaterialId material;
  std::vector<wo::Timestamp> slots;  // every bookable slot at t0
};

World build_world(wo::Engine& e, int workers, std::int64_t stock_milli) {
  World w;
  const wo::NewOrg created = test_support::create_org(e, "Storm Property", "Asia/Shanghai", "Admin", "13900000000");
  w.org = created.org;
  w.admin = created.admin;
  const Actor admin = Actor::staff(w.admin);
  const auto dept = add<wo::Department>(e, admin, f(&wo::Department::name, "Maintenance"));
  const auto plumber = add<wo::Position>(e, admin, f(&wo::Position::name, "Plumber"));
  const auto tenant = add<wo::Tenant>(e, admin, f(&wo::Tenant::name, "Tenant"));
  for (int i = 0; i < workers; ++i) {
    w.techs.push_back(add<wo::Staff>(e, admin, f(&wo::Staff::name, fmt::format("Technician {}", i)),
                                     f(&wo::Staff::phone, fmt::format("1391000{:04}", i)),
                                     f(&wo::Staff::department_id, dept), f(&wo::Staff::position_id, plumber),
                                     f(&wo::Staff::roles, std::int32_t{wo::role_technician})));
    w.contacts.push_back(add<wo::Contact>(e, admin, f(&wo::Contact::tenant_id, tenant),
                                          f(&wo::Contact::name, fmt::format("Contact {}", i)),
                                          f(&wo::Contact::phone, fmt::format("1380000{:04}", i))));
  }
  const auto type = add<wo::OrderType>(e, admin, f(&wo::OrderType::name, "Home repair"),
                                       f(&wo::OrderType::department_id, dept), f(&wo::OrderType::position_id, plumber));
  w.subtype = add<wo::Subtype>(e, admin, f(&wo::Subtype::order_type_id, type), f(&wo::Subtype::name, "Deep clean"),
                               f(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_full),
                               f(&wo::Subtype::consumables_enabled, true));
  w.spec = add<wo::ServiceSpec>(e, admin, f(&wo::ServiceSpec::subtype_id, w.subtype),
                                f(&wo::ServiceSpec::name, "Standard"), f(&wo::ServiceSpec::price, wo::Money{spec_price}));
  wo::Patch<wo::SlotSchedule> schedule;
  schedule.set(&wo::SlotSchedule::days, std::string("mon,tue,wed,thu,fri,sat"))
      .set(&wo::SlotSchedule::windows, std::string("09:00-12:00,14:00-17:00"))
      .set(&wo::SlotSchedule::slot_minutes, std::int32_t{60})
      .set(&wo::SlotSchedule::capacity, slot_capacity)
      .set(&wo::SlotSchedule::horizon_days, std::int32_t{7})
      .set(&wo::SlotSchedule::lead_minutes, std::int32_t{120});
  e.set_schedule(admin, w.subtype, schedule);
  w.material = add<wo::Material>(e, admin, f(&wo::Material::sku, "SOAP"), f(&wo::Material::name, "Soap"),
                                 f(&wo::Material::unit, "kg"), f(&wo::Material::unit_price, wo::Money{unit_price}));
  add<wo::StockMovement>(e, admin, f(&wo::StockMovement::material_id, w.material),
                         f(&wo::StockMovement::movement_kind, wo::MovementKind::requisition),
                         f(&wo::StockMovement::qty, wo::Qty{stock_milli}));
  e.set_channel_enabled(admin, wo::Channel::wechat, true);
  using namespace std::chrono;
  const year_month_day first{floor<days>(sys_time<milliseconds>{milliseconds{t0}} + hours{8})};
  const year_month_day last{sys_days{first} + days{6}};
  for (const auto& s : e.availability(admin, w.subtype, first, last))
    if (s.available) w.slots.push_back(s.start);
  return w;
}

wo::OrderDraft storm_draft(const World& w, wo::Timestamp slot, const std::string& token) {
  wo::OrderDraft d;
  d.subtype_id = w.subtype;
  d.spec_id = w.spec;
  d.description = "Kitchen deep clean " + token;
  d.address = "Building 3, Room 502";
  d.source_channel = wo::SourceChannel::tenant_app;
  d.client_token = token;
  d.slot_start = slot;
  return d;
}

// Integers shared between the parent and its forked workers (anonymous shared memory, mapped
// before the fork), for signals that must not wait on a pipe.
struct Shared {
  std::atomic<std::int64_t> announced{0};  // rounds of kills begun: bumped before each
  std::atomic<std::int64_t> completed{0};  // rounds of kills done: bumped after each
  std::atomic<std::int64_t> ready{0};      // workers waiting for the first round
  std::atomic<std::int64_t> stop{0};       // the storm is over
  std::atomic<std::int64_t> held{0};        // a worker holds the lock another will wait on
  std::atomic<std::int64_t> release{0};     // the holder may let go
};
static_assert(std::atomic<std::int64_t>::is_always_lock_free, "the flags must work across processes");

class SharedFlags {
 public:
  SharedFlags() {
    void* p = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    shared_ = new (p) Shared;
  }
  ~SharedFlags() { ::munmap(shared_, sizeof(Shared)); }
  SharedFlags(const SharedFlags&) = delete;
  SharedFlags& operator=(const SharedFlags&) = delete;
  Shared* operator->() const { return shared_; }

 private:
  Shared* shared_ = nullptr;
};

// A name for this test's connections, unique on the server.
std::string connection_tag(std::string_view what) {
  static int counter = 0;
  return fmt::format("wo_{}_{}_{}", what, static_cast<long>(::getpid()), counter++);
}

// Terminates every connection tagged `tag` from a separate admin connection; returns how many.
std::int64_t terminate_connections(const std::string& tag) {
  const auto rows = test_support::postgres_query(
      "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
      "current_database() AND pid <> pg_backend_pid() AND application_name = '" +
      tag + "') AS killed");
  return std::stoll(rows.at(0).at(0));
}

// Connections tagged `tag` waiting for a lock right now.
std::int64_t waiting_for_a_lock(const std::string& tag) {
  const auto rows = test_support::postgres_query(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '" + tag +
      "' AND wait_event_type = 'Lock'");
  return std::stoll(rows.at(0).at(0));
}

// Whether a connection tagged `tag` is in a transaction that has written to `table` (holds
// the RowExclusiveLock an INSERT or UPDATE takes until the transaction ends).
bool has_written(const std::string& tag, const std::string& table) {
  const auto rows = test_support::postgres_query(
      "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class c ON c.oid = l.relation "
      "WHERE a.application_name = '" +
      tag + "' AND c.relname = '" + table + "' AND l.mode = 'RowExclusiveLock' AND l.granted");
  return std::stoll(rows.at(0).at(0)) > 0;
}

// Sleeps until `flag` (set by another process) reaches `value`; false after 20 s, so that a
// broken store fails the test instead of hanging it.
bool wait_for(const std::atomic<std::int64_t>& flag, std::int64_t value = 1) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (flag.load() < value) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A worker that hangs dies (and fails the test) instead of hanging it.
void limit_worker_time() { ::alarm(90); }

bool skip_on_sqlite() {
  if (test_support::on_postgres()) return false;
  MESSAGE("PostgreSQL only: this run is on SQLite, whose connection cannot be lost; see the \":pg\" run");
  return true;
}

// ---------------------------------------------------------------------------------------------
// The database after a storm, read at once: the rules that make "nothing half done" checkable.

struct Stored {
  std::vector<wo::Row> orders, lines, payments, events, movements, bookings, holders;
};

const test_support::Columns order_cols{"id",         "status",     "spec_price", "lines_total", "prepay_due", "paid",
                                       "refunded",   "slot_start", "subtype_id", "assignee_id", "client_token",
                                       "created_by_id", "number"};
enum OrderCol { o_id, o_status, o_spec, o_lines, o_prepay, o_paid, o_refunded, o_slot, o_subtype, o_assignee, o_token,
                o_creator, o_number };

Stored read_all(StoreCheck& check) {
  Stored s;
  s.orders = check.rows("work_order", order_cols);
  s.lines = check.rows("charge_line", {"id", "order_id", "amount", "qty", "removed", "consumed", "line_kind"});
  s.payments = check.rows("payment", {"id", "order_id", "payment_kind", "amount", "provider_txn_id"});
  s.events = check.rows("event", {"id", "order_id", "action", "from_status", "to_status"});
  s.movements = check.rows("stock_movement", {"id", "order_id", "movement_kind", "qty", "material_id"});
  s.bookings = check.rows("slot_booking", {"id", "subtype_id", "slot_start", "booked"});
  s.holders = check.rows("order_holder", {"id", "order_id", "staff_id"});
  return s;
}

bool is_status(const wo::Value& v, std::initializer_list<Status> any) {
  for (Status s : any)
    if (int_of(v) == static_cast<std::int64_t>(s)) return true;
  return false;
}

// Checks every invariant of `s`; returns a one-line summary.
std::string check_nothing_half_done(const Stored& s, const World& w, std::int64_t stock_now, std::int64_t stock_given) {
  using K = wo::MovementKind;
  std::map<std::int64_t, std::int64_t> line_sum, paid_sum, refund_sum, material_qty, reserved, consumed, prepayments,
      payments, line_events, pay_events, prepay_events, line_rows;
  for (const auto& l : s.lines) {
    const std::int64_t order = int_of(l[1]);
    ++line_rows[order];
    if (int_of(l[4]) == 0) {
      line_sum[order] += int_of(l[2]);
      if (int_of(l[6]) == static_cast<std::int64_t>(wo::LineKind::material)) material_qty[order] += int_of(l[3]);
    }
  }
  for (const auto& p : s.payments) {
    const std::int64_t order = int_of(p[1]), kind = int_of(p[2]);
    if (kind == static_cast<std::int64_t>(wo::PaymentKind::refund)) refund_sum[order] += int_of(p[3]);
    else paid_sum[order] += int_of(p[3]);
    if (kind == static_cast<std::int64_t>(wo::PaymentKind::prepayment)) ++prepayments[order];
    if (kind == static_cast<std::int64_t>(wo::PaymentKind::payment)) ++payments[order];
  }
  std::int64_t stock_moved = 0;
  for (const auto& m : s.movements) {
    const std::int64_t kind = int_of(m[2]), qty = int_of(m[3]);
    const auto order = opt_int_of(m[1]);
    if (kind != static_cast<std::int64_t>(K::consume)) stock_moved += qty;
    if (!order) continue;
    if (kind == static_cast<std::int64_t>(K::reserve) || kind == static_cast<std::int64_t>(K::release))
      reserved[*order] -= qty;
    if (kind == static_cast<std::int64_t>(K::consume)) consumed[*order] += qty;
  }
  // Per order: the last event's status is the order's status; add_line and payment events
  // match their rows.
  std::map<std::int64_t, std::int64_t> last_to_status, first_action;
  for (const auto& ev : s.events) {
    const std::int64_t order = int_of(ev[1]), action = int_of(ev[2]);
    if (!first_action.count(order)) first_action[order] = action;
    last_to_status[order] = int_of(ev[4]);
    if (action == static_cast<std::int64_t>(wo::Action::add_line)) ++line_events[order];
    if (action == static_cast<std::int64_t>(wo::Action::pay)) ++pay_events[order];
    if (action == static_cast<std::int64_t>(wo::Action::pay_prepayment)) ++prepay_events[order];
  }
  std::set<std::pair<std::int64_t, std::int64_t>> holders;
  for (const auto& h : s.holders) holders.insert({int_of(h[1]), int_of(h[2])});

  // slot -> orders holding a place (every status but cancelled)
  std::map<std::int64_t, std::int64_t> live_in_slot;
  std::map<std::int64_t, int> by_status;
  for (const auto& o : s.orders) {
    const std::int64_t id = int_of(o[o_id]);
    CAPTURE(id);
    ++by_status[int_of(o[o_status])];
    // Money adds up.
    CHECK(int_of(o[o_spec]) == spec_price);
    CHECK(int_of(o[o_prepay]) == spec_price);
    CHECK(int_of(o[o_lines]) == line_sum[id]);
    CHECK(int_of(o[o_paid]) == paid_sum[id]);
    CHECK(int_of(o[o_refunded]) == refund_sum[id]);
    CHECK(prepayments[id] <= 1);
    CHECK(prepayments[id] == prepay_events[id]);
    CHECK(payments[id] == pay_events[id]);
    CHECK(line_rows[id] == line_events[id]);
    const bool prepaid = !is_status(o[o_status], {Status::awaiting_prepayment, Status::cancelled});
    if (prepaid) CHECK(prepayments[id] == 1);
    if (is_status(o[o_status], {Status::awaiting_rating, Status::completed}))
      CHECK(int_of(o[o_paid]) == int_of(o[o_spec]) + int_of(o[o_lines]));  // settled: balance 0
    // History: starts with the submit, ends in the order's status.
    CHECK(first_action[id] == static_cast<std::int64_t>(wo::Action::submit));
    CHECK(last_to_status[id] == int_of(o[o_status]));
    // Stock: what the order still holds is its live material lines, or nothing once cancelled;
    // a finished order consumed them.
    const bool cancelled = is_status(o[o_status], {Status::cancelled});
    const bool finished = is_status(o[o_status], {Status::awaiting_payment, Status::awaiting_rating, Status::completed});
    CHECK(reserved[id] == (cancelled ? 0 : material_qty[id]));
    CHECK(consumed[id] == (finished ? material_qty[id] : 0));
    if (const auto assignee = opt_int_of(o[o_assignee])) CHECK(holders.count({id, *assignee}) == 1);
    // Idempotent submits: one order per token, made by the worker the token names.
    const std::string token = text_of(o[o_token]);
    CHECK(token.rfind("storm-", 0) == 0);
    CHECK(text_of(o[o_number]).rfind(order_day, 0) == 0);
    if (!cancelled) ++live_in_slot[int_of(o[o_slot])];
  }
  // Slots: every booking equals the orders holding it, never above capacity, and no order
  // holds a place without a booking.
  std::int64_t booked_total = 0;
  for (const auto& b : s.bookings) {
    const std::int64_t start = int_of(b[2]), booked = int_of(b[3]);
    CAPTURE(start);
    CHECK(int_of(b[1]) == w.subtype.value);
    CHECK(booked <= slot_capacity);
    CHECK(booked == live_in_slot[start]);
    booked_total += booked;
  }
  std::int64_t live_total = 0;
  for (const auto& [slot, n] : live_in_slot) live_total += n;
  CHECK(booked_total == live_total);
  // Stock equals its movements and never went below zero.
  CHECK(stock_now >= 0);
  CHECK(stock_now == stock_moved);
  CHECK(stock_now <= stock_given);
  std::string statuses;
  for (const auto& [status, n] : by_status)
    statuses += fmt::format("{}{} {}", statuses.empty() ? "" : ", ", wo::name_of(static_cast<Status>(status)), n);
  return fmt::format("{} orders ({}), {} lines, {} payments, {} events, {} places booked, stock {} of {}",
                     s.orders.size(), statuses, s.lines.size(), s.payments.size(), s.events.size(), booked_total,
                     stock_now, stock_given);
}

// ---------------------------------------------------------------------------------------------
// One connection lost twice, deterministically: once idle between calls, once in the middle
// of a transaction that has already written (a submit that booked its slot and then waits for
// the day's order counter, held by another process). Each time the call fails with storage,
// the transaction leaves nothing behind, and the next call on the same Engine reconnects.

TEST_CASE("connection loss [PostgreSQL only]: idle and mid-transaction, the call fails with storage, the same Engine "
          "reconnects, nothing half done") {
  if (skip_on_sqlite()) return;
  TestDb db("wo_pg_loss");
  World w;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, 1, 10'000);
  }
  REQUIRE(w.slots.size() > 2);
  const std::string victim = connection_tag("victim"), holder = connection_tag("holder");
  SharedFlags flags;
  enum Step : std::int64_t { idle_kill = 1, mid_kill = 2 };
  bool killed_idle = false, killed_mid = false, booked_before_kill = false;
  std::int64_t killed = 0;
  auto monitor = [&] {
    // Step 1: the victim is connected and idle (it reports held = idle_kill when it is).
    if (!killed_idle && flags->held.load() == idle_kill) {
      killed += terminate_connections(victim);
      killed_idle = true;
      flags->release.store(idle_kill);
    }
    // Step 2: the victim's submit has booked its slot and waits for the counter row the
    // holder has locked.
    if (killed_idle && !killed_mid && waiting_for_a_lock(victim) == 1) {
      booked_before_kill = has_written(victim, "slot_booking");
      killed += terminate_connections(victim);
      killed_mid = true;
      flags->release.store(mid_kill);  // now the holder rolls back and lets go
    }
  };
  const auto results = test_support::run_processes(
      2,
      [&](int i, const std::function<void()>& start) -> Results {
        if (i == 1) {  // the holder: takes the counter of (org, day) and keeps it until told
          auto store = wo::open_store(test_support::with_application_name(db.path, holder));
          start();
          limit_worker_time();
          wait_for(flags->release, idle_kill);  // the idle kill is done
          struct Rollback {};
          try {
            store->write([&](wo::Transaction& tx) {
              tx.next_order_sequence(w.org.value, order_day);
              flags->held.store(mid_kill);
              wait_for(flags->release, mid_kill);
              throw Rollback{};  // the number goes back: the victim's retry gets 1
            });
          } catch (const Rollback&) {
          }
          return {};
        }
        limit_worker_time();
        wo::Engine e(wo::open_store(test_support::with_application_name(db.path, victim)), fixed_clock());
        const Actor contact = Actor::contact(w.contacts[0]);
        start();
        Results out;
        // A call on the connection, then idle until the parent has terminated it.
        out.push_back(code_of([&] { (void)e.get_settings(Actor::staff(w.admin)); }));
        flags->held.store(idle_kill);
        wait_for(flags->release, idle_kill);
        out.push_back(code_of([&] { (void)e.get_settings(Actor::staff(w.admin)); }));  // storage: the loss
        out.push_back(code_of([&] { (void)e.get_settings(Actor::staff(w.admin)); }));  // ok: reconnected
        // Mid-transaction: once the holder has the counter, submit; it books the slot, waits, dies.
        wait_for(flags->held, mid_kill);
        std::int64_t id = 0;
        out.push_back(code_of([&] { id = e.submit(contact, storm_draft(w, w.slots[0], "storm-0-0")).value; }));
        out.push_back(id);
        // The same call again on the same Engine: reconnects, and this time commits.
        wait_for(flags->release, mid_kill);
        out.push_back(code_of([&] { id = e.submit(contact, storm_draft(w, w.slots[0], "storm-0-0")).value; }));
        out.push_back(id);
        return out;
      },
      monitor);
  REQUIRE(results.size() == 2);
  const auto& r = results[0];
  REQUIRE(r.size() == 7);
  CHECK(killed_idle);
  CHECK(killed_mid);
  CHECK(killed == 2);  // one connection each time: the victim's, never the holder's
  const auto storage = static_cast<std::int64_t>(Code::storage);
  CHECK(r[0] == 0);
  CHECK(r[1] == storage);  // the idle connection was lost: the next call says so
  CHECK(r[2] == 0);        // and the one after reconnected
  CHECK(booked_before_kill);  // the lost submit had written its booking
  CHECK(r[3] == storage);     // lost in the middle of the submit
  CHECK(r[4] == 0);
  CHECK(r[5] == 0);  // the retry with the same token made the order
  CHECK(r[6] > 0);

  StoreCheck check(db.path);
  // Nothing of the lost submit: one order, one booking of one place, number 1 of the day.
  const auto orders = check.rows("work_order", {"id", "number", "slot_start", "status"});
  REQUIRE(orders.size() == 1);
  CHECK(int_of(orders[0][0]) == r[6]);
  CHECK(text_of(orders[0][1]) == std::string(order_day) + "-000001");
  CHECK(int_of(orders[0][2]) == wo::to_unix_ms(w.slots[0]));
  CHECK(check.sum("slot_booking", "booked") == 1);
  CHECK(check.count("event") == 1);
  CHECK(check.count_by("order_counter", "last", {{"org_id", val(w.org.value)}}) ==
        std::map<std::int64_t, std::int64_t>{{1, 1}});
}

// ---------------------------------------------------------------------------------------------
// A storm: 6 processes drive orders through their whole life (submit with a slot and a client
// token, prepay, grab, material lines, finish and pay and rate, or cancel) as fast as they
// can, while the parent terminates all of their connections in 6 rounds: the first when each
// worker has made a call and waits, the others at fixed times, wherever the workers are then.
// A call fails only with storage (the loss) or a rule of the storm (slot full, out of stock;
// a loss during the rollback of such a refusal is no loss of anything). The worker, as a host
// would, carries on with the same Engine from what the database says (a submit is retried
// with its token, a payment with its transaction id), so an operation that committed but lost
// its reply is never done twice. After a storage error the very next call (which reconnects)
// must not fail with storage again unless another round of kills was under way since (the
// parent counts rounds begun and done in shared memory). Afterwards nothing half done is
// visible.

TEST_CASE("connection loss during a storm [PostgreSQL only]: 6 processes, 6 rounds of pg_terminate_backend, a lost "
          "call is a storage error, the same Engines reconnect, nothing half done") {
  if (skip_on_sqlite()) return;
  constexpr int workers = 6, kill_rounds = 6;
  constexpr std::int64_t stock = 30'000;  // 60 lines of 0.5: runs out during the storm
  constexpr std::size_t slots = 18;       // 54 places: they run out too
  constexpr auto between = std::chrono::milliseconds(300);
  TestDb db("wo_pg_storm");
  World w;
  {
    wo::Engine e(wo::open_store(db.path), fixed_clock());
    w = build_world(e, workers, stock);
  }
  REQUIRE(w.slots.size() > slots);
  w.slots.resize(slots);
  const std::string tag = connection_tag("storm");
  SharedFlags flags;

  // Round 1 comes when every worker has made a call and waits (so each is sure to lose its
  // connection once); the others at fixed times after it, wherever the workers are then.
  std::vector<std::int64_t> killed_per_round;
  std::chrono::steady_clock::time_point began;
  auto kill = [&] {
    const auto round = static_cast<std::int64_t>(killed_per_round.size()) + 1;
    flags->announced.store(round);
    killed_per_round.push_back(terminate_connections(tag));
    flags->completed.store(round);
  };
  auto monitor = [&] {
    const auto now = std::chrono::steady_clock::now();
    const auto round = static_cast<int>(killed_per_round.size());
    if (round == 0) {
      if (flags->ready.load() < workers) return;
      kill();
      began = now;
    } else if (round < kill_rounds && now - began >= between * round) {
      kill();
    } else if (round == kill_rounds && now - began >= between * kill_rounds) {
      flags->stop.store(1);
    }
  };

  // Per worker: ops, storage errors, storage errors right after a storage error in the same
  // round, the final read and write codes, orders finished, then (code, count) pairs.
  const auto results = test_support::run_processes(
      workers,
      [&](int i, const std::function<void()>& start) -> Results {
        limit_worker_time();
        const auto me = static_cast<std::size_t>(i);
        wo::Engine e(wo::open_store(test_support::with_application_name(db.path, tag)), fixed_clock());
        const Actor tech = Actor::staff(w.techs[me]), contact = Actor::contact(w.contacts[me]),
                    admin = Actor::staff(w.admin);
        std::map<std::int64_t, std::int64_t> codes;
        std::int64_t ops = 0, storage = 0, unexplained = 0, done = 0;
        // After a storage error: the rounds of kills done by then. The next call connects
        // afresh; should it fail with storage too, a round must have been under way since
        // (begun but not done then), else the reconnect itself failed.
        std::optional<std::int64_t> done_at_loss;
        auto call = [&](auto&& fn) {
          const int code = code_of(fn);
          ++ops;
          ++codes[code];
          if (code == static_cast<int>(Code::storage)) {
            ++storage;
            if (done_at_loss && flags->announced.load() <= *done_at_loss) ++unexplained;
            done_at_loss = flags->completed.load();
          } else {
            done_at_loss.reset();
          }
          return code;
        };
        start();
        call([&] { (void)e.get_settings(admin); });
        flags->ready.fetch_add(1);
        wait_for(flags->completed);  // round 1: this connection is gone now
        int k = 0;
        std::optional<wo::OrderId> current;
        bool out_of_stock = false;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (flags->stop.load() == 0 && std::chrono::steady_clock::now() < give_up) {
          const std::string token = fmt::format("storm-{}-{}", i, k);
          if (!current) {
            const wo::Timestamp slot = w.slots[(me * 7 + static_cast<std::size_t>(k)) % w.slots.size()];
            wo::OrderId id;
            const int code = call([&] { id = e.submit(contact, storm_draft(w, slot, token)); });
            if (code == 0) current = id;
            if (code == static_cast<int>(Code::slot_full)) ++k;  // nothing made: the next order
            continue;  // on storage: the same token again
          }
          wo::Order o;
          if (call([&] { o = e.get_order(admin, *current); }) != 0) continue;
          switch (o.status) {
            case Status::awaiting_prepayment:
              call([&] {
                e.pay_prepayment(contact, *current, {wo::Channel::wechat, o.prepay_due - o.paid, "pre-" + token});
              });
              break;
            case Status::pending_dispatch:
              call([&] { e.grab(tech, *current); });
              break;
            case Status::in_progress: {
              std::vector<wo::ChargeLine> lines;
              if (call([&] { lines = e.lines(tech, *current); }) != 0) break;
              if (lines.size() < 2 && !out_of_stock) {
                const int code = call([&] {
                  e.add_line(tech, *current, {wo::LineKind::material, w.material.value, wo::Qty{line_qty}});
                });
                out_of_stock = code == static_cast<int>(Code::out_of_stock);
              } else if (k % 3 == 2) {
                call([&] { e.cancel(admin, *current, "storm: cancelled by the office"); });
              } else {
                call([&] { e.finish(tech, *current); });
              }
              break;
            }
            case Status::awaiting_payment: {
              wo::Bill bill;
              if (call([&] { bill = e.get_bill(contact, *current); }) != 0) break;
              call([&] { e.pay(contact, *current, {wo::Channel::wechat, bill.balance, "pay-" + token}); });
              break;
            }
            case Status::awaiting_rating:
              call([&] { e.rate(contact, *current, 5, std::nullopt); });
              break;
            default:  // completed or cancelled: the next order
              ++done;
              current.reset();
              out_of_stock = false;
              ++k;
          }
        }
        // The storm is over: the same Engine reads and writes.
        const int read = code_of([&] { (void)e.get_settings(admin); });
        const int write = code_of([&] {
          add<wo::Department>(e, admin, f(&wo::Department::name, fmt::format("After the storm {}", i)));
        });
        Results out{ops, storage, unexplained, read, write, done};
        for (const auto& [code, n] : codes) {
          out.push_back(code);
          out.push_back(n);
        }
        return out;
      },
      monitor);

  REQUIRE(killed_per_round.size() == kill_rounds);
  CHECK(killed_per_round[0] == workers);  // every worker was connected and waiting in round 1
  std::map<std::int64_t, std::int64_t> all_codes;
  std::int64_t all_ops = 0, all_storage = 0, all_done = 0;
  for (int i = 0; i < workers; ++i) {
    CAPTURE(i);
    const auto& r = results[static_cast<std::size_t>(i)];
    REQUIRE(r.size() >= 6);
    const std::int64_t ops = r[0], storage = r[1], unexplained = r[2], read = r[3], write = r[4];
    CHECK(storage >= 1);       // each worker lost its connection (round 1 at least)
    CHECK(unexplained == 0);   // and the next call reconnected
    CHECK(read == 0);
    CHECK(write == 0);
    std::int64_t counted = 0;
    for (std::size_t j = 6; j + 1 < r.size(); j += 2) {
      const std::int64_t code = r[j], n = r[j + 1];
      counted += n;
      all_codes[code] += n;
      // Every failure is the lost connection or a rule of the storm (a full slot, no stock).
      const bool allowed = code == 0 || code == static_cast<std::int64_t>(Code::storage) ||
                           code == static_cast<std::int64_t>(Code::slot_full) ||
                           code == static_cast<std::int64_t>(Code::out_of_stock);
      CHECK_MESSAGE(allowed, "unexpected outcome ", code_name(static_cast<int>(code)), " x", n);
    }
    CHECK(counted == ops);
    all_ops += ops;
    all_storage += storage;
    all_done += r[5];
  }
  CHECK(all_codes.count(static_cast<std::int64_t>(Code::busy)) == 0);
  CHECK(all_codes.count(0) == 1);

  StoreCheck check(db.path);
  const Stored stored = read_all(check);
  const auto material = check.find("material", {"stock"}, w.material.value);
  REQUIRE(material.has_value());
  const std::string summary = check_nothing_half_done(stored, w, int_of((*material)[0]), stock);
  std::string outcomes;
  for (const auto& [code, n] : all_codes)
    outcomes += fmt::format("{}{} {}", outcomes.empty() ? "" : ", ", code_name(static_cast<int>(code)), n);
  std::string rounds;
  for (const auto n : killed_per_round) rounds += fmt::format("{}{}", rounds.empty() ? "" : "/", n);
  MESSAGE("PostgreSQL storm: ", workers, " processes, connections killed per round ", rounds, "; ", all_ops,
          " calls: ", outcomes, "; ", all_done, " orders closed by the workers; database: ", summary);
}

}  // namespace
