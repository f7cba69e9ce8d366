// SPDX-License-Identifier: MIT
// wo_bench tick [--orders N] [--db PATH]
//
// Engine::tick sending the service-level alerts of N open orders (docs/rules.md §11), against
// raw SQLite doing the same work.
//
// Both databases are seeded the same way through Engine::submit (the real path; on files opened
// with Durability::normal only so that seeding does not pay N fsyncs): an org in Asia/Shanghai
// with business hours mon-fri 09:00-18:00 and the default warning share (80 %), a subtype with
// targets of 60 (response) and 480 (resolution) business minutes, and N orders submitted one
// millisecond apart from Monday 09:00, left in the pool. Then, with the default durability
// (WAL, synchronous=FULL), each side sends the alerts due at 09:50: every order has used 80 %
// of its response target, so each gets one sla_warning event for the dispatchers.
//   library: a fresh Engine's tick(now) — batches of 100 orders, each a write transaction
//            that locks, reads and saves the order and appends the event.
//   raw:     what a hand-written application would do: BEGIN IMMEDIATE, the next 100 orders
//            whose alert is due by the same index (org_id, sla_alert_at), and for each the
//            business time since it was last counted (the same src/domain/business_hours
//            arithmetic), one UPDATE of its clock columns and one INSERT of the event; COMMIT.
// The library's tick also looks for expired timers first (three index probes); a second tick
// with nothing left to do is timed on its own (idle_tick_ms). Afterwards both databases are
// checked: N warnings, no alert left due, and the same clock columns on both sides.
//
// --db PATH keeps the databases (PATH and PATH with "-raw" before the extension); else both
// are temporary files. SQLite only: on PostgreSQL the alerts' race safety is what matters, and
// tests/orders/service_levels_test.cpp runs concurrent ticks there.
//
// stdout: {"bench":"tick","orders":N,"lib_orders_per_s":X,"raw_orders_per_s":Y,"ratio":X/Y,
//          "idle_tick_ms":Z}
// stderr: seeding time, each side's time.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "bench.hpp"
#include "domain/business_hours.hpp"
#include "raw_sqlite.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace wo_bench {
namespace {

using namespace wo;
using steady = std::chrono::steady_clock;

constexpr std::int64_t default_orders = 100'000;
// Submitted a millisecond apart from Monday 09:00, ticked at 09:50: even the last of this many
// has used its 48 warning minutes (80 % of 60) and none has passed 60.
constexpr std::int64_t most_orders = 120'000;
constexpr std::int64_t monday_09_00 = 1'796'000'400'000;  // 2026-11-30 09:00 in Shanghai
constexpr std::int64_t tick_at = monday_09_00 + 50 * 60'000;
constexpr std::int64_t batch = 100;  // orders per transaction, as the library's tick
const char* const business_hours = "mon-fri 09:00-18:00";

template <class T>
decltype(T::id) create(Engine& engine, const Actor& actor, const Patch<T>& patch) {
  return engine.create<T>(actor, patch);
}

// The org and its N orders, through the engine; returns the org's id.
std::int64_t seed(const std::string& path, std::int64_t orders) {
  std::int64_t now = monday_09_00;
  Engine engine(open_store(path, StoreOptions{.durability = Durability::normal}), [&now] { return from_unix_ms(now); });
  Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Tick Property Management")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  Patch<Staff> first_admin;
  first_admin.set(&Staff::name, std::string("Admin")).set(&Staff::phone, std::string("13800000001"));
  const NewOrg created = engine.create_org(Actor::system(), org, first_admin);
  const Actor admin = Actor::staff(created.admin);
  engine.update_settings(admin, Patch<OrderSettings>().set(&OrderSettings::business_hours, std::string(business_hours)));
  const auto department = create(engine, admin, Patch<Department>().set(&Department::name, std::string("Maintenance")));
  const auto position = create(engine, admin, Patch<Position>().set(&Position::name, std::string("Plumber")));
  Patch<OrderType> type;
  type.set(&OrderType::name, std::string("Repair")).set(&OrderType::department_id, department).set(&OrderType::position_id, position);
  Patch<Subtype> subtype;
  subtype.set(&Subtype::order_type_id, create(engine, admin, type)).set(&Subtype::name, std::string("Pipes"));
  subtype.set(&Subtype::charge_mode, ChargeMode::free);
  subtype.set(&Subtype::response_target_min, std::optional<std::int32_t>(60));
  subtype.set(&Subtype::resolution_target_min, std::optional<std::int32_t>(480));
  OrderDraft draft;
  draft.subtype_id = create(engine, admin, subtype);
  draft.description = "The pipe under the sink drips (水槽下水管滴水)";
  draft.address = "Building 3, Room 1502";
  draft.source_channel = SourceChannel::staff_pc;
  for (std::int64_t i = 0; i < orders; ++i, ++now) (void)engine.submit(admin, draft);
  return created.org.value;
}

// The library's side: one tick sending every alert, then one with nothing to do.
std::pair<double, double> library_ticks(const std::string& path, std::int64_t orders) {
  Engine engine(open_store(path), [] { return from_unix_ms(tick_at); });
  auto start = steady::now();
  const int alerted = engine.tick(Actor::system(), from_unix_ms(tick_at));
  const double busy = seconds_since(start);
  if (alerted != orders) throw std::runtime_error(fmt::format("library: tick alerted {} of {} orders", alerted, orders));
  start = steady::now();
  if (engine.tick(Actor::system(), from_unix_ms(tick_at)) != 0) throw std::runtime_error("library: a second tick alerted again");
  return {busy, seconds_since(start)};
}

// The raw side: the same alerts, written by hand.
double raw_tick(const std::string& path, std::int64_t org) {
  using raw_sqlite::Db;
  using raw_sqlite::Stmt;
  std::string weekly = business_hours, exceptions;
  const BusinessHours hours = parse_business_hours(weekly, exceptions);
  const date::time_zone& zone = *date::locate_zone("Asia/Shanghai");
  Db db(path);
  Stmt begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT");
  Stmt due(db, "SELECT id, sla_as_of, response_due FROM work_order WHERE org_id = ?1 AND sla_alert_at <= ?2 LIMIT ?3");
  Stmt warn(db,
            "UPDATE work_order SET response_alerts = 1, response_used_ms = response_used_ms + ?2, "
            "resolution_used_ms = resolution_used_ms + ?2, sla_as_of = ?3, sla_alert_at = ?4 WHERE id = ?1");
  Stmt event(db,
             "INSERT INTO event (org_id, order_id, action, actor_kind, actor_id, at, from_status, to_status, amount, "
             "details, concerns) VALUES (?1, ?2, ?3, 0, 0, ?4, ?5, ?5, 60, 'response', ?6)");
  const auto start = steady::now();
  for (std::int64_t taken = batch; taken == batch;) {
    begin.run();
    struct Due {
      std::int64_t id, as_of, response_due;
    };
    std::vector<Due> rows;
    due.bind(1, org).bind(2, tick_at).bind(3, batch);
    while (due.step()) rows.push_back({due.column(0), due.column(1), due.column(2)});
    taken = static_cast<std::int64_t>(rows.size());
    for (const Due& r : rows) {
      const auto used = business_time(hours, zone, from_unix_ms(r.as_of), from_unix_ms(tick_at)).count();
      // Warned: the next alert is the breach, a millisecond past the due instant.
      warn.bind(1, r.id).bind(2, used).bind(3, tick_at).bind(4, r.response_due + 1).run_one("warn");
      event.bind(1, org).bind(2, r.id).bind(3, static_cast<std::int64_t>(Action::sla_warning)).bind(4, tick_at);
      event.bind(5, static_cast<std::int64_t>(Status::pending_dispatch));
      event.bind(6, static_cast<std::int64_t>(Audience::dispatchers)).run();
    }
    commit.run();
  }
  return seconds_since(start);
}

// What both sides must have written; returns the sums of the clock columns, to compare.
std::vector<std::int64_t> verify(const std::string& path, std::int64_t orders, const char* side) {
  raw_sqlite::Db db(path);
  const auto scalar = [&](const std::string& sql) { return raw_sqlite::Stmt(db, sql).run(); };
  const std::int64_t warnings =
      scalar(fmt::format("SELECT count(*) FROM event WHERE action = {}", static_cast<int>(Action::sla_warning)));
  if (warnings != orders) throw std::runtime_error(fmt::format("{}: {} warnings for {} orders", side, warnings, orders));
  if (scalar(fmt::format("SELECT count(*) FROM work_order WHERE sla_alert_at <= {}", tick_at)) != 0)
    throw std::runtime_error(fmt::format("{}: alerts are still due", side));
  return {scalar("SELECT sum(response_used_ms) FROM work_order"), scalar("SELECT sum(resolution_used_ms) FROM work_order"),
          scalar("SELECT sum(response_alerts) FROM work_order"), scalar("SELECT sum(sla_alert_at) FROM work_order"),
          scalar("SELECT sum(sla_as_of) FROM work_order")};
}

}  // namespace

int run_tick(Args args) {
  const Options options(args, {"--orders", "--db"});
  const std::int64_t orders = options.integer("--orders", default_orders, 1, most_orders);
  std::string lib_path, raw_path;
  if (auto db = options.get("--db")) {
    if (is_postgres_uri(*db)) throw UsageError("tick runs on SQLite files only");
    const std::filesystem::path p(*db);
    lib_path = p.string();
    raw_path = (p.parent_path() / (p.stem().string() + "-raw" + p.extension().string())).string();
  }
  const ScratchDb lib_db(lib_path, "tick_lib");
  const ScratchDb raw_db(raw_path, "tick_raw");
  std::fprintf(stderr, "tick: %lld open orders with service-level targets, a warning due on each\n  library: %s\n  raw:     %s\n",
               static_cast<long long>(orders), lib_db.describe().c_str(), raw_db.describe().c_str());
  auto start = steady::now();
  const std::int64_t org = seed(lib_db.path(), orders);
  if (seed(raw_db.path(), orders) != org) throw std::runtime_error("the two databases were seeded differently");
  std::fprintf(stderr, "  seeded both through Engine::submit: %.1f s\n", seconds_since(start));

  const auto [lib_s, idle_s] = library_ticks(lib_db.path(), orders);
  const double raw_s = raw_tick(raw_db.path(), org);
  std::fprintf(stderr, "  library tick %.3f s, raw %.3f s, idle tick %.3f ms\n", lib_s, raw_s, idle_s * 1e3);
  if (verify(lib_db.path(), orders, "library") != verify(raw_db.path(), orders, "raw"))
    throw std::runtime_error("the two sides' clock columns differ");

  const double n = static_cast<double>(orders);
  JsonLine()
      .add("bench", "tick")
      .add("orders", orders)
      .add("lib_orders_per_s", n / lib_s)
      .add("raw_orders_per_s", n / raw_s)
      .add("ratio", raw_s / lib_s, 4)
      .add("idle_tick_ms", idle_s * 1e3)
      .print();
  return 0;
}

}  // namespace wo_bench
