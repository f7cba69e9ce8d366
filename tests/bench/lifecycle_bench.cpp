// SPDX-License-Identifier: MIT
// wo_bench lifecycle [--orders N] [--db PATH]
//
// N full paid repair life cycles through wo::Engine, the story of examples/demo.cpp without
// the detours, with automatic dispatch and service levels on: submit → pay_prepayment (the
// order type is least_loaded, so the system assigns it in the same transaction) → accept →
// add a labor, a material and a service-item line → finish → pay the balance → rate; 9 write
// transactions per order, each status change moving the order's two service-level clocks
// (targets 60 and 480 business minutes, hours mon-fri 09:00-18:00 in Shanghai). In the same
// process, raw SQLite does the same writes on a second database: 9 BEGIN IMMEDIATE … COMMIT
// transactions per order with statements prepared once, inserting and updating the same rows
// (order with its clock columns, history events, holder, lines, payments, stock, the staff
// member's last assignment) as a hand-written application would: it picks the least loaded
// technician with one query, computes the clocks with the same business-hours arithmetic
// (src/domain/business_hours) and writes them in the step's one order update. The two sides'
// orders alternate, so both see the same disk (see run_lifecycle).
//
// Both sides run on a fresh database FILE with the library's default durability
// (journal_mode=WAL, synchronous=FULL, foreign_keys=ON). The raw database gets the library's
// own schema (created by open_store) and the same catalog rows, so both sides maintain
// the same indexes and check the same foreign keys; the difference is what the library adds.
// Afterwards both databases are checked: every order completed and paid, stock consumed.
//
// --db PATH keeps the databases: the library's at PATH, the raw one at PATH with "-raw"
// before the extension. Without it both are temporary files in TMPDIR, deleted at the end.
//
// --db postgresql://… runs both sides on that PostgreSQL database instead, each in a fresh
// schema of its own (dropped at the end), with the library's default durability
// (synchronous_commit as the server has it). The raw side is libpq: the same statements
// prepared once per connection, BEGIN … COMMIT at READ COMMITTED (what the library's write
// transactions use), one round trip per statement, ids from RETURNING.
//
// stdout: {"bench":"lifecycle","orders":N,"lib_orders_per_s":X,"raw_orders_per_s":Y,
//          "ratio":X/Y,"peak_rss_kb":K}
// stderr: time per transaction of each step on each side, ms per order early vs late in
// the run (growth means some statement scans), and row-count differences between the sides.
#include <date/tz.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numeric>

#include "bench.hpp"
#include "bench_pg.hpp"
#include "raw_sqlite.hpp"
#include "domain/business_hours.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace wo_bench {
namespace {

using namespace wo;
using steady = std::chrono::steady_clock;

constexpr std::int64_t default_orders = 2000;
constexpr int steps_per_order = 9;
constexpr std::array<const char*, steps_per_order> step_names = {
    "submit", "pay_prepayment+assign", "accept", "add_line labor", "add_line material",
    "add_line service_item", "finish", "pay", "rate"};
// Service levels: the subtype's targets and the org's hours.
constexpr std::int32_t response_target_min = 60, resolution_target_min = 480;
const char* const business_hours = "mon-fri 09:00-18:00";

// What every order uses. Fixed prices, so both sides know the balance without reading it.
constexpr Money spec_price{5000};
constexpr Money deposit{2000};
constexpr Money labor_rate{8000};  // the department rate; the item's default is 6000
constexpr Money material_price{4500};
constexpr Money service_price{2000};
constexpr Qty labor_qty{1500};  // 1.5 hours
constexpr Qty material_qty{1000};
constexpr Qty service_qty{1000};
constexpr int technician_count = 4;
const char* const time_zone = "Asia/Shanghai";
const char* const description = "Kitchen faucet leaks and the pipe under the sink drips (厨房龙头漏水，水槽下水管滴水)";
const char* const address = "Building 3, Unit 2, Room 1502 (3栋2单元1502)";
const char* const labor_name = "Plumbing labor (水工工时)";
const char* const material_name = "Faucet, chrome (镀铬龙头)";
const char* const service_name = "Call-out fee (上门费)";
const char* const rating_comment = "Fast and tidy, thank you (师傅很专业)";

Money lines_total() {
  return line_amount(labor_rate, labor_qty) + line_amount(material_price, material_qty) +
         line_amount(service_price, service_qty);
}
Money order_total() { return spec_price + lines_total(); }
Money balance_after_deposit() { return order_total() - deposit; }

// A deterministic clock shared by both sides: one second later on every reading.
struct Ticker {
  std::int64_t ms = 1795748400000;  // 2026-11-27 09:00 in Shanghai
  Timestamp next() { return from_unix_ms(ms += 1000); }
};

// The org both databases get, built through the engine.
struct BenchOrg {
  OrgId org;
  Actor admin, dispatcher, contact;
  TenantId tenant;
  std::vector<Actor> technicians;
  DepartmentId maintenance;
  PositionId plumber;
  OrderTypeId order_type;
  SubtypeId subtype;
  ServiceSpecId spec;
  ServiceItemId service_item;
  LaborItemId labor;
  MaterialId material;
  Qty opening_stock;
};

template <class T>
decltype(T::id) create(Engine& engine, const Actor& actor, const Patch<T>& patch) {
  return engine.create<T>(actor, patch);
}

BenchOrg build_org(Engine& engine, std::int64_t orders) {
  BenchOrg o;
  Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Bench Property Management")).set(&wo::Org::time_zone, std::string(time_zone));
  Patch<Staff> first_admin;
  first_admin.set(&Staff::name, std::string("Admin")).set(&Staff::phone, std::string("13800000001"));
  const NewOrg created = engine.create_org(Actor::system(), org, first_admin);
  o.org = created.org;
  o.admin = Actor::staff(created.admin);

  const auto maintenance = create(engine, o.admin, Patch<Department>().set(&Department::name, std::string("Maintenance")));
  const auto plumber = create(engine, o.admin, Patch<Position>().set(&Position::name, std::string("Plumber")));
  const auto supervisor = create(engine, o.admin, Patch<Position>().set(&Position::name, std::string("Supervisor")));
  auto staff = [&](const std::string& name, const std::string& phone, PositionId position, std::int32_t roles) {
    Patch<Staff> p;
    p.set(&Staff::name, name).set(&Staff::phone, phone).set(&Staff::department_id, std::optional{maintenance});
    p.set(&Staff::position_id, std::optional{position}).set(&Staff::roles, roles);
    return Actor::staff(create(engine, o.admin, p));
  };
  o.dispatcher = staff("Dispatcher", "13900000002", supervisor, role_dispatcher);
  for (int i = 0; i < technician_count; ++i)
    o.technicians.push_back(staff(fmt::format("Technician {}", i + 1), fmt::format("1390000001{}", i), plumber, role_technician));

  o.tenant = create(engine, o.admin,
                    Patch<Tenant>().set(&Tenant::name, std::string("Zhang Wei")).set(&Tenant::tenant_kind, TenantKind::person));
  Patch<Contact> contact;
  contact.set(&Contact::tenant_id, o.tenant).set(&Contact::name, std::string("Zhang Wei")).set(&Contact::phone, std::string("13700000001"));
  o.contact = Actor::contact(create(engine, o.admin, contact));

  Patch<OrderType> type;
  type.set(&OrderType::name, std::string("Household repair")).set(&OrderType::department_id, maintenance).set(&OrderType::position_id, plumber);
  type.set(&OrderType::dispatch_strategy, DispatchStrategy::least_loaded);
  o.order_type = create(engine, o.admin, type);
  Patch<Subtype> subtype;
  subtype.set(&Subtype::order_type_id, o.order_type).set(&Subtype::name, std::string("Pipes and faucets"));
  subtype.set(&Subtype::charge_mode, ChargeMode::prepay_deposit).set(&Subtype::deposit_fixed, std::optional{deposit});
  subtype.set(&Subtype::consumables_enabled, true);
  subtype.set(&Subtype::response_target_min, std::optional{response_target_min});
  subtype.set(&Subtype::resolution_target_min, std::optional{resolution_target_min});
  o.subtype = create(engine, o.admin, subtype);
  Patch<ServiceSpec> spec;
  spec.set(&ServiceSpec::subtype_id, o.subtype).set(&ServiceSpec::name, std::string("Replace faucet")).set(&ServiceSpec::price, spec_price);
  o.spec = create(engine, o.admin, spec);
  Patch<ServiceItem> item;
  item.set(&ServiceItem::subtype_id, o.subtype).set(&ServiceItem::name, std::string(service_name)).set(&ServiceItem::price, service_price);
  o.service_item = create(engine, o.admin, item);

  Patch<LaborItem> labor;
  labor.set(&LaborItem::name, std::string(labor_name)).set(&LaborItem::default_rate, std::optional{Money{6000}});
  o.labor = create(engine, o.admin, labor);
  Patch<LaborRate> rate;
  rate.set(&LaborRate::labor_item_id, o.labor).set(&LaborRate::department_id, maintenance).set(&LaborRate::rate, labor_rate);
  create(engine, o.admin, rate);

  Patch<Material> material;
  material.set(&Material::sku, std::string("FAUCET-A")).set(&Material::name, std::string(material_name));
  material.set(&Material::unit, std::string("pcs")).set(&Material::unit_price, material_price);
  o.material = create(engine, o.admin, material);
  o.opening_stock = Qty{material_qty.milli * orders + 1000};
  Patch<StockMovement> stock;
  stock.set(&StockMovement::material_id, o.material).set(&StockMovement::movement_kind, MovementKind::requisition);
  stock.set(&StockMovement::qty, o.opening_stock).set(&StockMovement::note, std::optional<std::string>("opening stock"));
  create(engine, o.admin, stock);

  for (auto c : {Channel::wechat, Channel::alipay}) engine.set_channel_enabled(o.admin, c, true);
  engine.update_settings(o.admin, Patch<OrderSettings>().set(&OrderSettings::business_hours, std::string(business_hours)));
  o.maintenance = maintenance;
  o.plumber = plumber;
  return o;
}

// Time per step (summed over orders) and per order, for the stderr report.
struct Timings {
  std::array<double, steps_per_order> step_s{};
  std::vector<double> order_s;
  double total_s = 0;
};

template <class Fn>
void timed(Timings& t, int step, Fn&& fn) {
  const auto start = steady::now();
  fn();
  t.step_s[static_cast<std::size_t>(step)] += seconds_since(start);
}

// --- the library side ------------------------------------------------------------------------

class LibrarySide {
 public:
  LibrarySide(const std::string& path, std::int64_t orders)
      : engine_(open_store(path), [this] { return ticker_.next(); }), o_(build_org(engine_, orders)) {
    ticker_ = Ticker{};
  }

  // One full paid life cycle: 9 engine calls, 9 write transactions. Every order is done
  // before the next, so least_loaded hands them out in turn (never assigned, then idle longest).
  void order(std::int64_t i, Timings& t) {
    const auto order_start = steady::now();
    const Actor& tech = o_.technicians[static_cast<std::size_t>(i % technician_count)];
    OrderId id;
    timed(t, 0, [&] {
      OrderDraft draft;
      draft.subtype_id = o_.subtype;
      draft.spec_id = o_.spec;
      draft.description = description;
      draft.address = address;
      draft.source_channel = SourceChannel::mini_program;
      draft.client_token = fmt::format("bench-{}", i);
      id = engine_.submit(o_.contact, draft);
    });
    timed(t, 1, [&] { engine_.pay_prepayment(o_.contact, id, {Channel::wechat, deposit, fmt::format("wx-{}", i)}); });
    timed(t, 2, [&] { engine_.accept(tech, id); });
    timed(t, 3, [&] { engine_.add_line(tech, id, {LineKind::labor, o_.labor.value, labor_qty}); });
    timed(t, 4, [&] { engine_.add_line(tech, id, {LineKind::material, o_.material.value, material_qty}); });
    timed(t, 5, [&] { engine_.add_line(tech, id, {LineKind::service_item, o_.service_item.value, service_qty}); });
    timed(t, 6, [&] { engine_.finish(tech, id); });
    timed(t, 7, [&] { engine_.pay(o_.contact, id, {Channel::alipay, balance_, fmt::format("ali-{}", i)}); });
    timed(t, 8, [&] { engine_.rate(o_.contact, id, 5, std::string(rating_comment)); });
    t.order_s.push_back(seconds_since(order_start));
  }

 private:
  Ticker ticker_;  // before engine_: the engine's clock reads it
  Engine engine_;
  BenchOrg o_;
  Money balance_ = balance_after_deposit();
};

// --- the raw SQLite side: raw_sqlite.hpp ---------------------------------------------------

// The raw side on PostgreSQL: a libpq connection with the library's session settings, and
// statements with the same interface as Stmt above (prepared once, text parameters).
class PgDb {
 public:
  explicit PgDb(const std::string& uri) : conn_(uri) {
    conn_.exec("SET client_encoding = 'UTF8'");
    conn_.exec("SET lock_timeout = 5000");
  }
  pg::Conn& conn() { return conn_; }

 private:
  pg::Conn conn_;
};

class PgStmt {
 public:
  PgStmt(PgDb& db, const std::string& sql) : s_(db.conn(), sql) {}
  PgStmt& bind(int i, std::int64_t v) {
    s_.bind(i, v);
    return *this;
  }
  PgStmt& bind(int i, std::string_view v) {
    s_.bind(i, v);
    return *this;
  }
  PgStmt& bind_null(int i) {
    s_.bind_null(i);
    return *this;
  }
  template <class T>
  PgStmt& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }
  // Runs it; returns the first column of the first row (0 without rows).
  std::int64_t run() {
    const pg::Result& r = s_.execute();
    changed_ = r.changed();
    const std::int64_t first = r.rows() > 0 && r.columns() > 0 && !r.is_null(0, 0) ? r.integer(0, 0) : 0;
    s_.reset();
    return first;
  }
  void run_one(const char* what) {
    run();
    if (changed_ != 1) throw std::runtime_error(fmt::format("raw postgres: {} changed no row", what));
  }

 private:
  pg::Statement s_;
  std::int64_t changed_ = 0;
};

// What differs between the raw side's two databases; the statements are otherwise the same
// text (PgStmt turns ?N into $N).
struct SqliteRaw {
  using Db = raw_sqlite::Db;
  using Stmt = raw_sqlite::Stmt;
  static constexpr const char* settings = "WAL, synchronous=FULL";
  static constexpr const char* begin = "BEGIN IMMEDIATE";
  static constexpr const char* counter_plus_one = "last + 1";  // SQLite's upsert reads the old row bare
  static constexpr const char* returning_id = "";
  static std::int64_t inserted_id(Db& db, std::int64_t) { return sqlite3_last_insert_rowid(db.get()); }
  static void rollback(Db& db) {
    if (!sqlite3_get_autocommit(db.get())) sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
};

struct PostgresRaw {
  using Db = PgDb;
  using Stmt = PgStmt;
  static constexpr const char* settings = "READ COMMITTED, synchronous_commit as the server has it";
  static constexpr const char* begin = "BEGIN";  // READ COMMITTED, the server's default
  static constexpr const char* counter_plus_one = "order_counter.last + 1";
  static constexpr const char* returning_id = " RETURNING id";
  static std::int64_t inserted_id(Db&, std::int64_t returned) { return returned; }
  static void rollback(Db& db) {
    try {
      if (db.conn().in_transaction()) db.conn().exec("ROLLBACK");
    } catch (...) {  // the first failure is the one to report
    }
  }
};

template <class E>
std::int64_t to_int(E e) {
  return static_cast<std::int64_t>(e);
}

std::string money_text(Money m) { return fmt::format("{}.{:02}", m.minor / 100, m.minor % 100); }
std::string qty_text(Qty q) { return fmt::format("{}.{:03}", q.milli / 1000, q.milli % 1000); }

// The library's schema and the same catalog rows, made through the engine (so the ids match
// the library database's); the engine is closed before the raw connection opens.
BenchOrg prepare_raw_database(const std::string& path, std::int64_t orders) {
  Ticker ticker;
  Engine engine(open_store(path), [&ticker] { return ticker.next(); });
  return build_org(engine, orders);
}

// What a hand-written application does for the same story: it knows the order it just wrote,
// so it does not read it back; it writes the same rows, guards each order update by the
// status it expects, and prepares every statement once.
template <class Raw>
class RawSide {
  using Db = typename Raw::Db;
  using Stmt = typename Raw::Stmt;

 public:
  RawSide(const std::string& path, std::int64_t orders) : o_(prepare_raw_database(path, orders)), db_(path) {}

  void order(std::int64_t i, Timings& t) {
    const auto order_start = steady::now();
    const std::int64_t expected_tech = o_.technicians[static_cast<std::size_t>(i % technician_count)].id;
    std::int64_t id = 0, created_at = 0, tech = 0;
    Clocks clocks;
    transaction(t, 0, [&](std::int64_t at) {
      const auto local = date::make_zoned(zone_, from_unix_ms(at)).get_local_time();
      const date::year_month_day day(date::floor<date::days>(local));
      const std::string day_text = fmt::format("{:04}{:02}{:02}", static_cast<int>(day.year()),
                                               static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
      const std::int64_t seq = next_number_.bind(1, org_).bind(2, day_text).run();
      const std::string number = fmt::format("{}-{:06}", day_text, seq);
      const std::string token = fmt::format("bench-{}", i);
      insert_order_.bind(1, org_).bind(2, number).bind(3, o_.order_type.value).bind(4, o_.subtype.value);
      insert_order_.bind(5, o_.spec.value).bind(6, to_int(ChargeMode::prepay_deposit));
      insert_order_.bind(7, std::string_view(description)).bind(8, std::string_view(address)).bind(9, o_.tenant.value);
      insert_order_.bind(10, contact_).bind(11, to_int(SourceChannel::mini_program));
      insert_order_.bind(12, contact_kind).bind(13, contact_).bind(14, to_int(Payer::tenant));
      insert_order_.bind(15, token).bind(16, to_int(Status::awaiting_prepayment)).bind(17, at);
      insert_order_.bind(20, std::int64_t{response_target_min}).bind(21, std::int64_t{resolution_target_min});
      created_at = at;
      clocks.as_of = at;  // both clocks open, paused until the prepayment
      id = Raw::inserted_id(db_, insert_order_.bind(18, spec_price.minor).bind(19, deposit.minor).run());
      event({id, Action::submit, contact_kind, contact_, at, std::nullopt, Status::awaiting_prepayment, std::nullopt,
             deposit.minor, std::nullopt});
    });
    transaction(t, 1, [&](std::int64_t at) {
      payment(id, PaymentKind::prepayment, Channel::wechat, deposit, fmt::format("wx-{}", i), at);
      event({id, Action::pay_prepayment, contact_kind, contact_, at, Status::awaiting_prepayment,
             Status::pending_dispatch, std::nullopt, deposit.minor, std::string(name_of(Channel::wechat))});
      // The clocks resume: due instants, and the first alert at 80 % of the response target.
      clocks.as_of = at;
      const auto response_due = deadline(at, minutes_ms(response_target_min));
      const auto resolution_due = deadline(at, minutes_ms(resolution_target_min));
      const auto warn_at = deadline(at, minutes_ms(response_target_min) * 4 / 5);
      // The least loaded technician: fewest held, then idle longest, then lowest id.
      tech = pick_.bind(1, org_).bind(2, o_.maintenance.value).bind(3, o_.plumber.value).run();
      if (tech != expected_tech) throw std::runtime_error(fmt::format("raw: picked staff {}, not {}", tech, expected_tech));
      insert_holder_.bind(1, org_).bind(2, id).bind(3, tech).bind(4, created_at).run();
      set_dispatched_.bind(1, id).bind(2, to_int(Status::awaiting_prepayment)).bind(3, to_int(Status::pending_accept));
      set_dispatched_.bind(4, at).bind(5, deposit.minor).bind(6, tech).bind(7, response_due).bind(8, resolution_due);
      set_dispatched_.bind(9, warn_at).run_one("pay_prepayment and assign");
      set_last_assigned_.bind(1, tech).bind(2, at).run_one("last assigned");
      event({id, Action::auto_assign, system_kind, 0, at, Status::pending_dispatch, Status::pending_accept, tech,
             std::nullopt, std::string("least_loaded")});
    });
    transaction(t, 2, [&](std::int64_t at) {
      // Work starts: the response clock stops (in time), the resolution clock runs on.
      const std::int64_t used = clocks.count_to(at, *this);
      set_accepted_.bind(1, id).bind(2, to_int(Status::pending_accept)).bind(3, to_int(Status::in_progress));
      set_accepted_.bind(4, at).bind(5, to_int(ServiceState::met)).bind(6, used).bind(7, used);
      set_accepted_.bind(8, deadline(at, minutes_ms(resolution_target_min) * 4 / 5 - used)).run_one("accept");
      event({id, Action::accept, staff_kind, tech, at, Status::pending_accept, Status::in_progress, std::nullopt,
             std::nullopt, std::nullopt});
    });
    transaction(t, 3, [&](std::int64_t at) {
      line(id, tech, LineKind::labor, o_.labor.value, tech, labor_name, labor_rate, labor_qty, at);
    });
    transaction(t, 4, [&](std::int64_t at) {
      reserve_stock_.bind(1, -material_qty.milli).bind(2, o_.material.value).run_one("reserve stock");
      insert_movement_.bind(1, org_).bind(2, o_.material.value).bind(3, to_int(MovementKind::reserve));
      insert_movement_.bind(4, -material_qty.milli).bind(5, id).bind(6, tech).bind(7, at).run();
      line(id, tech, LineKind::material, o_.material.value, std::nullopt, material_name, material_price, material_qty, at);
    });
    transaction(t, 5, [&](std::int64_t at) {
      line(id, tech, LineKind::service_item, o_.service_item.value, std::nullopt, service_name, service_price,
           service_qty, at);
    });
    transaction(t, 6, [&](std::int64_t at) {
      // Finished: the resolution clock stops in time; no alert left.
      const std::int64_t used = clocks.count_to(at, *this);
      insert_movement_.bind(1, org_).bind(2, o_.material.value).bind(3, to_int(MovementKind::consume));
      insert_movement_.bind(4, material_qty.milli).bind(5, id).bind(6, tech).bind(7, at).run();
      set_finished_.bind(1, id).bind(2, to_int(Status::in_progress)).bind(3, to_int(Status::awaiting_payment));
      set_finished_.bind(4, at).bind(5, to_int(ServiceState::met)).bind(6, used).run_one("finish");
      event({id, Action::finish, staff_kind, tech, at, Status::in_progress, Status::awaiting_payment, std::nullopt,
             order_total().minor, std::nullopt});
    });
    transaction(t, 7, [&](std::int64_t at) {
      const Money balance = balance_after_deposit();
      payment(id, PaymentKind::payment, Channel::alipay, balance, fmt::format("ali-{}", i), at);
      set_paid_.bind(1, id).bind(2, to_int(Status::awaiting_payment)).bind(3, to_int(Status::awaiting_rating));
      set_paid_.bind(4, at).bind(5, balance.minor).run_one("pay");
      event({id, Action::pay, contact_kind, contact_, at, Status::awaiting_payment, Status::awaiting_rating,
             std::nullopt, balance.minor, std::string(name_of(Channel::alipay))});
    });
    transaction(t, 8, [&](std::int64_t at) {
      set_rated_.bind(1, id).bind(2, to_int(Status::awaiting_rating)).bind(3, to_int(Status::completed));
      set_rated_.bind(4, at).bind(5, 5).bind(6, std::string_view(rating_comment)).run_one("rate");
      event({id, Action::rate, contact_kind, contact_, at, Status::awaiting_rating, Status::completed, std::nullopt, 5,
             std::string(rating_comment)});
    });
    t.order_s.push_back(seconds_since(order_start));
  }

 private:
  // The business time the running clock used, kept as the application would: counted from
  // the last change to this one.
  struct Clocks {
    std::int64_t as_of = 0, used = 0;
    std::int64_t count_to(std::int64_t at, const RawSide& side) {
      used += side.business_ms(as_of, at);
      as_of = at;
      return used;
    }
  };
  static std::int64_t minutes_ms(std::int64_t m) { return m * 60'000; }
  std::optional<std::int64_t> deadline(std::int64_t from, std::int64_t amount_ms) const {
    const auto t = business_deadline(hours_, *zone_, from_unix_ms(from), std::chrono::milliseconds{amount_ms});
    return t ? std::optional{to_unix_ms(*t)} : std::nullopt;
  }
  std::int64_t business_ms(std::int64_t from, std::int64_t to) const {
    return business_time(hours_, *zone_, from_unix_ms(from), from_unix_ms(to)).count();
  }

 private:
  struct Event {
    std::int64_t order;
    Action action;
    std::int64_t actor_kind, actor_id, at;
    std::optional<Status> from, to;
    std::optional<std::int64_t> staff, amount;
    std::optional<std::string> details;
  };

  // BEGIN (IMMEDIATE on SQLite), body(now in ms), COMMIT; rolls back and rethrows on failure.
  template <class Body>
  void transaction(Timings& t, int step, Body&& body) {
    timed(t, step, [&] {
      begin_.run();
      try {
        body(to_unix_ms(ticker_.next()));
        commit_.run();
      } catch (...) {
        Raw::rollback(db_);
        throw;
      }
    });
  }

  void event(const Event& e) {
    insert_event_.bind(1, org_).bind(2, e.order).bind(3, to_int(e.action)).bind(4, e.actor_kind).bind(5, e.actor_id);
    insert_event_.bind(6, e.at).bind(9, e.staff).bind(10, e.amount);
    e.from ? insert_event_.bind(7, to_int(*e.from)) : insert_event_.bind_null(7);
    e.to ? insert_event_.bind(8, to_int(*e.to)) : insert_event_.bind_null(8);
    e.details ? insert_event_.bind(11, std::string_view(*e.details)) : insert_event_.bind_null(11);
    insert_event_.run();
  }

  void payment(std::int64_t order, PaymentKind kind, Channel channel, Money amount, const std::string& txn, std::int64_t at) {
    insert_payment_.bind(1, org_).bind(2, order).bind(3, to_int(kind)).bind(4, to_int(channel)).bind(5, amount.minor);
    insert_payment_.bind(6, txn).bind(7, contact_kind).bind(8, contact_).bind(9, at).run();
  }

  // A charge line: insert it, add its amount to the order (still in progress), record the event.
  void line(std::int64_t order, std::int64_t tech, LineKind kind, std::int64_t item, std::optional<std::int64_t> staff,
            const char* name, Money price, Qty qty, std::int64_t at) {
    const Money amount = line_amount(price, qty);
    insert_line_.bind(1, org_).bind(2, order).bind(3, to_int(kind)).bind(4, item).bind(5, staff);
    insert_line_.bind(6, std::string_view(name)).bind(7, price.minor).bind(8, qty.milli).bind(9, amount.minor);
    const std::int64_t line_id = Raw::inserted_id(db_, insert_line_.bind(10, at).run());
    const auto status = to_int(Status::in_progress);
    add_to_total_.bind(1, order).bind(2, status).bind(3, amount.minor).run_one("add_line");
    event({order, Action::add_line, staff_kind, tech, at, Status::in_progress, Status::in_progress, std::nullopt,
           amount.minor,
           fmt::format("{} line {}: {} × {} = {}", name_of(kind), line_id, name, qty_text(qty), money_text(amount))});
  }

  static constexpr std::int64_t contact_kind = static_cast<std::int64_t>(ActorKind::contact);
  static constexpr std::int64_t staff_kind = static_cast<std::int64_t>(ActorKind::staff);
  static constexpr std::int64_t system_kind = static_cast<std::int64_t>(ActorKind::system);
  static BusinessHours office_hours() {
    std::string weekly = business_hours, exceptions;
    return parse_business_hours(weekly, exceptions);
  }

  Ticker ticker_;
  BenchOrg o_;
  Db db_;
  std::int64_t org_ = o_.org.value;
  std::int64_t contact_ = o_.contact.id;
  const date::time_zone* zone_ = date::locate_zone(time_zone);
  const BusinessHours hours_ = office_hours();
  Stmt begin_{db_, Raw::begin};
  Stmt commit_{db_, "COMMIT"};
  Stmt next_number_{db_, fmt::format("INSERT INTO order_counter (org_id, day, last) VALUES (?1, ?2, 1) "
                                     "ON CONFLICT (org_id, day) DO UPDATE SET last = {} RETURNING last",
                                     Raw::counter_plus_one)};
  Stmt insert_order_{db_,
                     std::string("INSERT INTO work_order (org_id, number, order_type_id, subtype_id, spec_id, charge_mode, "
                                 "description, address, tenant_id, reporter_contact_id, source_channel, created_by_kind, "
                                 "created_by_id, payer, client_token, status, status_since, spec_price, lines_total, "
                                 "prepay_due, paid, refunded, reopen_count, created_at, response_target_min, "
                                 "resolution_target_min, response_state, resolution_state, sla_as_of) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                                 "0, ?19, 0, 0, 0, ?17, ?20, ?21, 1, 1, ?17)") +
                         Raw::returning_id};
  Stmt insert_event_{db_,
                     "INSERT INTO event (org_id, order_id, action, actor_kind, actor_id, at, from_status, to_status, "
                     "staff_id, amount, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"};
  Stmt insert_payment_{db_,
                       "INSERT INTO payment (org_id, order_id, payment_kind, channel, amount, provider_txn_id, "
                       "recorded_by_kind, recorded_by_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"};
  // The holder row as the engine writes it: its org and its order's creation instant.
  Stmt insert_holder_{db_, "INSERT INTO order_holder (org_id, order_id, staff_id, order_created_at) VALUES (?1, ?2, ?3, ?4)"};
  Stmt insert_line_{db_, std::string("INSERT INTO charge_line (org_id, order_id, line_kind, item_id, staff_id, name, "
                                     "unit_price, qty, amount, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)") +
                             Raw::returning_id};
  Stmt insert_movement_{db_,
                        "INSERT INTO stock_movement (org_id, material_id, movement_kind, qty, order_id, staff_id, "
                        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
  Stmt reserve_stock_{db_, "UPDATE material SET stock = stock + ?1 WHERE id = ?2 AND stock + ?1 >= 0"};
  // Each order update names only the columns the step changes and is conditional on the
  // status the step expects (the library's save_step rewrites every column).
  Stmt set_dispatched_{db_,
                        "UPDATE work_order SET status = ?3, status_since = ?4, paid = paid + ?5, prepaid_at = ?4, "
                        "assignee_id = ?6, assigned_at = ?4, response_due = ?7, resolution_due = ?8, sla_as_of = ?4, "
                        "sla_alert_at = ?9 WHERE id = ?1 AND status = ?2"};
  // Least loaded: fewest orders held (pending_accept, in_progress), then idle longest, then id.
  Stmt pick_{db_,
             "SELECT s.id FROM staff s WHERE s.org_id = ?1 AND s.department_id = ?2 AND s.position_id = ?3 "
             "AND s.active = 1 AND (s.roles & 4) <> 0 ORDER BY (SELECT count(*) FROM work_order w "
             "WHERE w.assignee_id = s.id AND w.status IN (2, 3)), s.last_assigned_at IS NOT NULL, "
             "s.last_assigned_at, s.id LIMIT 1"};
  Stmt set_last_assigned_{db_, "UPDATE staff SET last_assigned_at = ?2 WHERE id = ?1"};
  Stmt set_accepted_{db_,
                     "UPDATE work_order SET status = ?3, status_since = ?4, accepted_at = ?4, response_state = ?5, "
                     "response_used_ms = ?6, resolution_used_ms = ?7, sla_as_of = ?4, sla_alert_at = ?8 "
                     "WHERE id = ?1 AND status = ?2"};
  Stmt add_to_total_{db_, "UPDATE work_order SET lines_total = lines_total + ?3 WHERE id = ?1 AND status = ?2"};
  Stmt set_finished_{db_,
                     "UPDATE work_order SET status = ?3, status_since = ?4, finished_at = ?4, resolution_state = ?5, "
                     "resolution_used_ms = ?6, sla_as_of = ?4, sla_alert_at = NULL WHERE id = ?1 AND status = ?2"};
  Stmt set_paid_{db_,
                 "UPDATE work_order SET status = ?3, status_since = ?4, paid = paid + ?5, settled_at = ?4, "
                 "sla_as_of = ?4 WHERE id = ?1 AND status = ?2"};
  Stmt set_rated_{db_,
                  "UPDATE work_order SET status = ?3, status_since = ?4, rating = ?5, rating_comment = ?6, "
                  "completed_at = ?4, sla_as_of = ?4 WHERE id = ?1 AND status = ?2"};
};

// --- checks and report -----------------------------------------------------------------------

template <class Raw>
std::int64_t scalar(typename Raw::Db& db, const std::string& sql) {
  typename Raw::Stmt s(db, sql);
  return s.run();
}

const char* const counted_tables[] = {"work_order", "event", "payment", "charge_line", "stock_movement", "order_holder"};

// Every order completed and fully paid, the stock went down by what the orders used; returns
// the row counts of the tables both sides write.
template <class Raw>
std::vector<std::int64_t> verify(const std::string& path, std::int64_t orders, const char* side) {
  typename Raw::Db db(path);
  const std::int64_t completed = scalar<Raw>(
      db, fmt::format("SELECT count(*) FROM work_order WHERE status = {} AND paid = {} AND lines_total = {}",
                      to_int(Status::completed), order_total().minor, lines_total().minor));
  if (completed != orders)
    throw std::runtime_error(fmt::format("{}: {} of {} orders are completed and paid", side, completed, orders));
  const std::int64_t met = scalar<Raw>(
      db, fmt::format("SELECT count(*) FROM work_order WHERE response_state = {0} AND resolution_state = {0} "
                      "AND response_due IS NOT NULL AND resolution_used_ms > 0",
                      to_int(ServiceState::met)));
  if (met != orders) throw std::runtime_error(fmt::format("{}: {} of {} orders met both targets", side, met, orders));
  const std::int64_t auto_assigned =
      scalar<Raw>(db, fmt::format("SELECT count(*) FROM event WHERE action = {}", to_int(Action::auto_assign)));
  if (auto_assigned != orders)
    throw std::runtime_error(fmt::format("{}: {} of {} orders were assigned automatically", side, auto_assigned, orders));
  const std::int64_t stock = scalar<Raw>(db, "SELECT sum(stock) FROM material");
  if (stock != 1000)
    throw std::runtime_error(fmt::format("{}: material stock is {}, expected 1000 (thousandths)", side, stock));
  std::vector<std::int64_t> counts;
  for (const char* table : counted_tables) counts.push_back(scalar<Raw>(db, fmt::format("SELECT count(*) FROM {}", table)));
  return counts;
}

double mean(std::span<const double> v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

void report(const Timings& lib, const Timings& raw, std::int64_t orders) {
  const double n = static_cast<double>(orders);
  std::fprintf(stderr, "%-24s %12s %12s %8s\n", "step (per transaction)", "lib µs", "raw µs", "lib/raw");
  for (std::size_t s = 0; s < step_names.size(); ++s) {
    const double l = lib.step_s[s] / n * 1e6, r = raw.step_s[s] / n * 1e6;
    std::fprintf(stderr, "%-24s %12.1f %12.1f %8.2f\n", step_names[s], l, r, r > 0 ? l / r : 0.0);
  }
  std::fprintf(stderr, "%-24s %12.1f %12.1f %8.2f\n", "whole order (9 tx)", lib.total_s / n * 1e6,
               raw.total_s / n * 1e6, raw.total_s > 0 ? lib.total_s / raw.total_s : 0.0);
  const std::size_t tenth = std::max<std::size_t>(1, static_cast<std::size_t>(orders) / 10);
  auto first = [&](const Timings& t) { return mean(std::span(t.order_s).first(tenth)) * 1e3; };
  auto last = [&](const Timings& t) { return mean(std::span(t.order_s).last(tenth)) * 1e3; };
  std::fprintf(stderr, "ms per order, first / last tenth of the run: lib %.3f / %.3f, raw %.3f / %.3f\n", first(lib),
               last(lib), first(raw), last(raw));
}

// Sets up both sides, runs their orders interleaved, checks both databases and prints the line.
template <class Raw>
void run_sides(const ScratchDb& lib_db, const ScratchDb& raw_db, std::int64_t orders) {
  std::string settings = Raw::settings;
  if (lib_db.postgres()) {
    pg::Conn c(lib_db.path());
    settings += fmt::format("; server fsync={}", c.exec("SHOW fsync").text(0, 0));
  }
  std::fprintf(stderr, "lifecycle: %lld orders × %d write transactions on each side (%s)\n"
               "  library: %s\n  raw:     %s\n",
               static_cast<long long>(orders), steps_per_order, settings.c_str(), lib_db.describe().c_str(),
               raw_db.describe().c_str());

  // Both sides are set up first, then their orders alternate (lib, raw, raw, lib, ...): on a
  // shared machine the cost of an fsync drifts by several times within minutes, and running
  // one side after the other would compare two different disks.
  LibrarySide lib_side(lib_db.path(), orders);
  RawSide<Raw> raw_side(raw_db.path(), orders);
  Timings lib, raw;
  lib.order_s.reserve(static_cast<std::size_t>(orders));
  raw.order_s.reserve(static_cast<std::size_t>(orders));
  for (std::int64_t i = 0; i < orders; ++i) {
    if (i % 2 == 0) {
      lib_side.order(i, lib);
      raw_side.order(i, raw);
    } else {
      raw_side.order(i, raw);
      lib_side.order(i, lib);
    }
  }
  lib.total_s = std::accumulate(lib.order_s.begin(), lib.order_s.end(), 0.0);
  raw.total_s = std::accumulate(raw.order_s.begin(), raw.order_s.end(), 0.0);
  report(lib, raw, orders);

  const auto lib_counts = verify<Raw>(lib_db.path(), orders, "library");
  const auto raw_counts = verify<Raw>(raw_db.path(), orders, "raw");
  for (std::size_t i = 0; i < lib_counts.size(); ++i)
    if (lib_counts[i] != raw_counts[i])
      std::fprintf(stderr, "warning: %s has %lld rows in the library database, %lld in the raw one\n", counted_tables[i],
                   static_cast<long long>(lib_counts[i]), static_cast<long long>(raw_counts[i]));

  const double n = static_cast<double>(orders);
  const double lib_rate = n / lib.total_s, raw_rate = n / raw.total_s;
  JsonLine()
      .add("bench", "lifecycle")
      .add("orders", orders)
      .add("lib_orders_per_s", lib_rate)
      .add("raw_orders_per_s", raw_rate)
      .add("ratio", lib_rate / raw_rate, 4)
      .add("peak_rss_kb", peak_rss_kb())
      .print();
}

}  // namespace

int run_lifecycle(Args args) {
  const Options options(args, {"--orders", "--db"});
  const std::int64_t orders = options.integer("--orders", default_orders, 1, 1'000'000);
  std::string lib_path, raw_path;
  if (auto db = options.get("--db"); db && is_postgres_uri(*db)) {
    lib_path = raw_path = std::string(*db);  // one database, a fresh schema for each side
  } else if (db) {
    const std::filesystem::path p(*db);
    lib_path = p.string();
    raw_path = (p.parent_path() / (p.stem().string() + "-raw" + p.extension().string())).string();
  }
  const ScratchDb lib_db(lib_path, "lifecycle_lib");
  const ScratchDb raw_db(raw_path, "lifecycle_raw");
  if (lib_db.postgres()) run_sides<PostgresRaw>(lib_db, raw_db, orders);
  else run_sides<SqliteRaw>(lib_db, raw_db, orders);
  return 0;
}

}  // namespace wo_bench
