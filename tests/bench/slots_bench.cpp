// SPDX-License-Identifier: MIT
// wo_bench slots [--existing E] [--queries Q] [--bookings B] [--db PATH | --db postgresql://…]
//
// Two measures of appointment slots (docs/rules.md §5), one JSON line each.
//
// The databases are temporary files; --db PATH keeps them (availability at PATH, booking at
// PATH with "-booking" before the extension). --db postgresql://… runs everything on that
// PostgreSQL database instead, each part in a fresh schema of its own (dropped at the end):
// the engines and every worker's engine on their own connection through wo::open_store, the
// raw baseline and the checks through libpq with the same SQL. "synchronous=NORMAL" below is
// synchronous_commit=off there, "the default durability" the server's synchronous_commit.
//
// 1. slots_availability: a subtype whose schedule is every day 08:00–20:00 in 10-minute slots
//    (72 a day), capacity 1000, in Asia/Shanghai, holds E existing bookings (default 10,000)
//    spread round-robin over the slots of the 28 days after "today". They are seeded through
//    Engine::submit (the real path, no shortcut: one order per booking), on a database file
//    opened with Durability::normal only so that seeding does not pay 10,000 fsyncs; the
//    queries then run on a fresh engine with the default options. Engine::availability is asked
//    for the first 14 of those days (1008 slots) Q times (default 200). The baseline, in the
//    same process on the same file: a raw SQLite connection runs the store's range query
//    (SELECT slot_start, booked FROM slot_booking WHERE subtype_id = ? AND slot_start in range
//    AND booked > 0 ORDER BY slot_start) with a statement prepared once, in autocommit, and
//    plain C++ generates the 1008 slot instants with the fixed +08:00 offset (no zone work, no
//    text) and merges the counts into {start, end, capacity, booked, available}. The two sides
//    alternate query by query (lib, raw, raw, lib, ...) so that both see the same machine, and
//    every answer of one side is checked against the other's (starts, counts, flags).
//
// 2. slots_booking: booking throughput on a database FILE with the default durability (WAL,
//    synchronous=FULL). Two subtypes with the same schedule and capacity 3, one per phase. Both
//    phases make B submits (B rounded up to a multiple of 4) with a slot, 4 attempts at each of
//    B/4 slots, so exactly B/4 attempts must end in Code::slot_full whatever the interleaving:
//      single: one forked worker submits to slot 0 four times, then slot 1, ...;
//      four:   4 forked workers at once, each submitting once to slot 0, then slot 1, ... —
//              they race for the same slots, the 4th to arrive at each gets slot_full.
//    The phases take turns in 4 rounds (single, four, four, single, four, single, single, four),
//    each round on the next quarter of the slots, so that both see the same disk. In each round
//    every worker opens its own Engine after the fork (the parent holds no connection then),
//    reports "ready" on a pipe and waits for the parent's "go" on another; a round's time runs
//    from "go" to the last worker's result. Rates are submit calls per second (booked or refused
//    slot_full alike; stderr also gives booked orders per second). Afterwards the parent checks
//    with raw SQLite that no slot holds more orders than its capacity (counting work_order rows,
//    not only the counter), that the counters agree with the orders, and that the workers'
//    counts add up.
//
// stdout: {"bench":"slots_availability","slots_per_query":1008,"bookings":E,"queries":Q,
//          "ms_per_query":L,"raw_ms_per_query":R,"ratio":L/R}
//         {"bench":"slots_booking","processes":4,"bookings":B,"single_process_per_s":S,
//          "four_process_per_s":F4,"ratio":F4/S,"slot_full":F}
// stderr: seeding time, per-query mean/median on each side, each phase's counts and times.
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "bench.hpp"
#include "bench_pg.hpp"
#include "raw_sqlite.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace wo_bench {
namespace {

using namespace wo;
using steady = std::chrono::steady_clock;

constexpr std::int64_t default_existing = 10'000;
constexpr std::int64_t default_queries = 200;
constexpr std::int64_t default_bookings = 2'000;
constexpr int processes = 4;
constexpr std::int64_t booking_rounds = 4;  // turns each phase takes, alternating with the other

// The schedule of every subtype here: every day 08:00–20:00 in 10-minute slots.
const char* const time_zone = "Asia/Shanghai";
const char* const all_days = "mon,tue,wed,thu,fri,sat,sun";
const char* const windows = "08:00-20:00";
constexpr int window_start_minute = 8 * 60;
constexpr int window_end_minute = 20 * 60;
constexpr int slot_minutes = 10;
constexpr int slots_per_day = (window_end_minute - window_start_minute) / slot_minutes;  // 72
constexpr std::int32_t availability_capacity = 1000;
constexpr std::int32_t availability_horizon_days = 60;
constexpr std::int32_t booking_capacity = 3;
constexpr std::int32_t booking_horizon_days = 366;
constexpr int seeded_days = 28;
constexpr int query_days = 14;
constexpr int query_slots = query_days * slots_per_day;  // 1008

// Every engine's clock stands still at 2026-11-27 09:00 in Shanghai (a Friday); slots start on
// the next local day, 2026-11-28, so none is past or earlier than now + lead (lead is 0).
constexpr std::int64_t now_ms = 1'795'741'200'000;
constexpr std::chrono::year_month_day first_day{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{28}};
// The raw side's only knowledge of the zone: Shanghai is UTC+8 all year (no DST since 1991).
constexpr std::int64_t utc_offset_ms = 8 * 3'600'000;
constexpr std::int64_t day_ms = 86'400'000;
constexpr std::int64_t minute_ms = 60'000;

Clock fixed_clock() {
  return [] { return from_unix_ms(now_ms); };
}

// UTC ms of local midnight of first_day + `days`.
constexpr std::int64_t local_midnight_ms(int days) {
  return std::chrono::sys_days{first_day}.time_since_epoch().count() * day_ms - utc_offset_ms + days * day_ms;
}

// The start of slot `index`, counting from the first slot of first_day, in the order of time.
constexpr std::int64_t slot_start_ms(std::int64_t index) {
  return local_midnight_ms(static_cast<int>(index / slots_per_day)) +
         (window_start_minute + (index % slots_per_day) * slot_minutes) * minute_ms;
}

std::chrono::year_month_day day_after_first(int days) {
  return std::chrono::year_month_day{std::chrono::sys_days{first_day} + std::chrono::days{days}};
}

// --- the org, built through the engine -------------------------------------------------------

struct World {
  OrgId org;
  Actor admin;
  std::vector<Actor> contacts;  // one per worker process
  std::vector<SubtypeId> subtypes;
};

template <class T>
decltype(T::id) create(Engine& engine, const Actor& actor, const Patch<T>& patch) {
  return engine.create<T>(actor, patch);
}

// An org in Shanghai with `subtype_count` free subtypes, each with the 08:00–20:00 schedule.
World build_world(Engine& engine, int subtype_count, std::int32_t capacity, std::int32_t horizon_days) {
  World w;
  Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Bench Property Management")).set(&wo::Org::time_zone, std::string(time_zone));
  Patch<Staff> first_admin;
  first_admin.set(&Staff::name, std::string("Admin")).set(&Staff::phone, std::string("13800000001"));
  const NewOrg created = engine.create_org(Actor::system(), org, first_admin);
  w.org = created.org;
  w.admin = Actor::staff(created.admin);

  const auto dept = create(engine, w.admin, Patch<Department>().set(&Department::name, std::string("Maintenance")));
  const auto plumber = create(engine, w.admin, Patch<Position>().set(&Position::name, std::string("Plumber")));
  const auto tenant = create(engine, w.admin,
                             Patch<Tenant>().set(&Tenant::name, std::string("Zhang Wei")).set(&Tenant::tenant_kind, TenantKind::person));
  for (int i = 0; i < processes; ++i) {
    Patch<Contact> contact;
    contact.set(&Contact::tenant_id, tenant).set(&Contact::name, fmt::format("Contact {}", i + 1));
    contact.set(&Contact::phone, fmt::format("1370000000{}", i + 1));
    w.contacts.push_back(Actor::contact(create(engine, w.admin, contact)));
  }
  Patch<OrderType> type;
  type.set(&OrderType::name, std::string("Household repair")).set(&OrderType::department_id, dept).set(&OrderType::position_id, plumber);
  const auto order_type = create(engine, w.admin, type);
  for (int i = 0; i < subtype_count; ++i) {
    Patch<Subtype> subtype;
    subtype.set(&Subtype::order_type_id, order_type).set(&Subtype::name, fmt::format("Home visit {}", i + 1));
    subtype.set(&Subtype::charge_mode, ChargeMode::free);
    const SubtypeId id = create(engine, w.admin, subtype);
    Patch<SlotSchedule> schedule;
    schedule.set(&SlotSchedule::days, std::string(all_days)).set(&SlotSchedule::windows, std::string(windows));
    schedule.set(&SlotSchedule::slot_minutes, std::int32_t{slot_minutes}).set(&SlotSchedule::capacity, capacity);
    schedule.set(&SlotSchedule::horizon_days, horizon_days).set(&SlotSchedule::lead_minutes, std::int32_t{0});
    engine.set_schedule(w.admin, id, schedule);
    w.subtypes.push_back(id);
  }
  return w;
}

OrderDraft slot_draft(SubtypeId subtype, std::int64_t slot_ms, std::string token) {
  OrderDraft d;
  d.subtype_id = subtype;
  d.description = "Bathroom tap drips, please come in the booked slot (卫生间龙头滴水)";
  d.address = "Building 3, Unit 2, Room 1502 (3栋2单元1502)";
  d.source_channel = SourceChannel::mini_program;
  d.client_token = std::move(token);
  d.slot_start = from_unix_ms(slot_ms);
  return d;
}

// --- raw SQLite ------------------------------------------------------------------------------

// The connection and statements of raw_sqlite.hpp: bind, step, column.
using RawDb = raw_sqlite::Db;
using RawStmt = raw_sqlite::Stmt;

// The single value of a one-row query.
std::int64_t scalar(RawDb& db, const std::string& sql) {
  RawStmt s(db, sql);
  if (!s.step()) throw std::runtime_error(fmt::format("raw sqlite: no row from {}", sql));
  const std::int64_t v = s.column(0);
  while (s.step()) {
  }
  return v;
}

// The same on PostgreSQL: a libpq connection and statements stepped like RawStmt (the SQL is
// the same text; ?N becomes $N).
class PgRawDb {
 public:
  explicit PgRawDb(const std::string& uri) : conn_(uri) {}
  pg::Conn& conn() { return conn_; }

 private:
  pg::Conn conn_;
};

class PgRawStmt {
 public:
  PgRawStmt(PgRawDb& db, const std::string& sql) : s_(db.conn(), sql) {}
  PgRawStmt& bind(int i, std::int64_t v) {
    s_.bind(i, v);
    return *this;
  }
  bool step() { return s_.step(); }
  std::int64_t column(int i) const { return s_.integer(i); }

 private:
  pg::Statement s_;
};

std::int64_t scalar(PgRawDb& db, const std::string& sql) { return db.conn().scalar(sql); }

struct SqliteSql {
  using Db = RawDb;
  using Stmt = RawStmt;
};
struct PostgresSql {
  using Db = PgRawDb;
  using Stmt = PgRawStmt;
};

// --- 1. availability -------------------------------------------------------------------------

struct RawSlot {
  std::int64_t start, end;
  std::int32_t capacity, booked;
  bool available;
};

// What a hand-written application does for the same answer: the instants from the schedule's
// numbers with a fixed offset, one range query, one merge.
template <class Sql>
class RawAvailability {
 public:
  RawAvailability(const std::string& path, std::int64_t subtype) : db_(path), subtype_(subtype) {}

  std::vector<RawSlot> query(int first, int days) {
    std::vector<std::int64_t> starts;
    starts.reserve(static_cast<std::size_t>(days * slots_per_day));
    for (int d = first; d < first + days; ++d)
      for (int m = window_start_minute; m + slot_minutes <= window_end_minute; m += slot_minutes)
        starts.push_back(local_midnight_ms(d) + m * minute_ms);
    range_.bind(1, subtype_).bind(2, starts.front()).bind(3, starts.back() + 1);
    std::vector<std::pair<std::int64_t, std::int32_t>> booked;
    while (range_.step()) booked.emplace_back(range_.column(0), static_cast<std::int32_t>(range_.column(1)));
    // "today" is the day before first_day; the horizon ends at local midnight horizon_days later.
    const std::int64_t horizon_end = local_midnight_ms(availability_horizon_days - 1);
    std::vector<RawSlot> out;
    out.reserve(starts.size());
    auto b = booked.begin();
    for (const std::int64_t s : starts) {
      while (b != booked.end() && b->first < s) ++b;
      const std::int32_t n = (b != booked.end() && b->first == s) ? b->second : 0;
      out.push_back({s, s + slot_minutes * minute_ms, availability_capacity, n,
                     n < availability_capacity && s >= now_ms && s < horizon_end});
    }
    return out;
  }

 private:
  typename Sql::Db db_;
  std::int64_t subtype_;
  typename Sql::Stmt range_{db_,
                 "SELECT slot_start, booked FROM slot_booking WHERE subtype_id = ?1 AND slot_start >= ?2 "
                 "AND slot_start < ?3 AND booked > 0 ORDER BY slot_start"};
};

void compare(const std::vector<Slot>& lib, const std::vector<RawSlot>& raw) {
  if (lib.size() != raw.size())
    throw std::runtime_error(fmt::format("availability: library gave {} slots, raw {}", lib.size(), raw.size()));
  for (std::size_t i = 0; i < lib.size(); ++i) {
    const Slot& l = lib[i];
    const RawSlot& r = raw[i];
    if (to_unix_ms(l.start) != r.start || to_unix_ms(l.end) != r.end || l.capacity != r.capacity ||
        l.booked != r.booked || l.available != r.available || l.local_start.empty())
      throw std::runtime_error(fmt::format(
          "availability: slot {} differs: library {} ({}) booked {}/{} available {}, raw {} booked {}/{} available {}", i,
          to_unix_ms(l.start), l.local_start, l.booked, l.capacity, l.available, r.start, r.booked, r.capacity,
          r.available));
  }
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double mean(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

template <class Sql>
void run_availability(const ScratchDb& db, std::int64_t existing, std::int64_t queries) {
  std::fprintf(stderr, "slots_availability: %lld bookings over %d days × %d slots, %lld queries of %d days\n  database: %s\n",
               static_cast<long long>(existing), seeded_days, slots_per_day, static_cast<long long>(queries), query_days,
               db.describe().c_str());
  World w;
  {
    // Seeding: every booking is one Engine::submit, as an application makes it. synchronous=
    // NORMAL only spares the fsync per commit; the rows written are the same.
    Engine engine(open_store(db.path(), StoreOptions{.durability = Durability::normal}), fixed_clock());
    w = build_world(engine, 1, availability_capacity, availability_horizon_days);
    const auto start = steady::now();
    const std::int64_t seeded_slots = std::int64_t{seeded_days} * slots_per_day;
    for (std::int64_t i = 0; i < existing; ++i)
      engine.submit(w.contacts[static_cast<std::size_t>(i % processes)],
                    slot_draft(w.subtypes[0], slot_start_ms(i % seeded_slots), fmt::format("seed-{}", i)));
    const double s = seconds_since(start);
    std::fprintf(stderr, "  seeded through Engine::submit in %.2f s (%.0f submits/s, synchronous=NORMAL)\n", s,
                 static_cast<double>(existing) / s);
  }

  Engine engine(open_store(db.path()), fixed_clock());  // default options
  RawAvailability<Sql> raw(db.path(), w.subtypes[0].value);
  const Actor& who = w.contacts[0];
  const auto first = day_after_first(0), last = day_after_first(query_days - 1);
  auto lib_query = [&] { return engine.availability(who, w.subtypes[0], first, last); };
  auto raw_query = [&] { return raw.query(0, query_days); };

  // One untimed round each (prepares the statements, warms the page cache), fully compared.
  const auto lib_first = lib_query();
  compare(lib_first, raw_query());
  std::int64_t booked_in_range = 0;
  for (const auto& s : lib_first) booked_in_range += s.booked;
  if (lib_first.size() != static_cast<std::size_t>(query_slots))
    throw std::runtime_error(fmt::format("availability gave {} slots, expected {}", lib_first.size(), query_slots));
  const std::int64_t expected_in_range = [&] {
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < existing; ++i) n += (i % (std::int64_t{seeded_days} * slots_per_day)) < query_slots;
    return n;
  }();
  if (booked_in_range != expected_in_range)
    throw std::runtime_error(fmt::format("availability counts {} bookings in range, {} were made", booked_in_range,
                                         expected_in_range));

  std::vector<double> lib_ms, raw_ms;
  lib_ms.reserve(static_cast<std::size_t>(queries));
  raw_ms.reserve(static_cast<std::size_t>(queries));
  std::vector<Slot> lib_out;
  std::vector<RawSlot> raw_out;
  auto time_lib = [&] {
    const auto start = steady::now();
    lib_out = lib_query();
    lib_ms.push_back(seconds_since(start) * 1e3);
  };
  auto time_raw = [&] {
    const auto start = steady::now();
    raw_out = raw_query();
    raw_ms.push_back(seconds_since(start) * 1e3);
  };
  for (std::int64_t q = 0; q < queries; ++q) {
    if (q % 2 == 0) {
      time_lib();
      time_raw();
    } else {
      time_raw();
      time_lib();
    }
    compare(lib_out, raw_out);
  }
  const double lib_mean = mean(lib_ms), raw_mean = mean(raw_ms);
  std::fprintf(stderr, "  ms per query: library mean %.3f median %.3f; raw mean %.4f median %.4f; %lld bookings in range\n",
               lib_mean, median(lib_ms), raw_mean, median(raw_ms), static_cast<long long>(booked_in_range));
  JsonLine()
      .add("bench", "slots_availability")
      .add("slots_per_query", std::int64_t{query_slots})
      .add("bookings", existing)
      .add("queries", queries)
      .add("ms_per_query", lib_mean, 4)
      .add("raw_ms_per_query", raw_mean, 4)
      .add("ratio", lib_mean / raw_mean, 2)
      .print();
}

// --- 2. booking from one and from four processes ---------------------------------------------

// What a worker sends back through its pipe.
struct WorkerResult {
  std::int64_t booked = 0;
  std::int64_t slot_full = 0;
  std::int64_t other = 0;        // any other failure (busy, storage, ...)
  std::int32_t first_other = 0;  // its wo::Code, or -1 for a non-wo exception
};

bool write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (::pipe(fd) != 0) throw std::runtime_error("pipe failed");
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() {
    if (fd[0] >= 0) ::close(fd[0]);
    fd[0] = -1;
  }
  void close_write() {
    if (fd[1] >= 0) ::close(fd[1]);
    fd[1] = -1;
  }
};

struct PhaseResult {
  WorkerResult total;
  double seconds = 0;
};

// The slot of a worker's k-th attempt in a round that starts at slot `first_slot`.
using SlotOf = std::int64_t (*)(std::int64_t first_slot, std::int64_t k);

// Child side: open an engine, say ready, wait for go, submit, report, _exit. Never returns.
[[noreturn]] void worker(const std::string& path, const World& w, SubtypeId subtype, int index,
                         std::int64_t first_slot, std::int64_t attempts, SlotOf slot_of, const char* tag, Pipe& ready,
                         Pipe& go, Pipe& result) {
  ready.close_read();
  go.close_write();
  result.close_read();
  WorkerResult r;
  auto record_other = [&r](std::int32_t code) {
    if (r.other++ == 0) r.first_other = code;
  };
  try {
    Engine engine(open_store(path), fixed_clock());  // opened after the fork
    const char byte = 1;
    char go_byte = 0;
    const bool said_ready = write_all(ready.fd[1], &byte, 1);
    ready.close_write();  // so that the parent sees end-of-file if another worker dies unready
    if (said_ready && read_all(go.fd[0], &go_byte, 1)) {
      const Actor& who = w.contacts[static_cast<std::size_t>(index)];
      for (std::int64_t k = 0; k < attempts; ++k) {
        try {
          engine.submit(who, slot_draft(subtype, slot_start_ms(slot_of(first_slot, k)),
                                        fmt::format("{}-{}-{}-{}", tag, first_slot, index, k)));
          ++r.booked;
        } catch (const Error& e) {
          if (e.code() == Code::slot_full)
            ++r.slot_full;
          else
            record_other(static_cast<std::int32_t>(e.code()));
        }
      }
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "  worker %d: %s\n", index, e.what());
    record_other(static_cast<std::int32_t>(e.code()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "  worker %d: %s\n", index, e.what());
    record_other(-1);
  }
  const bool sent = write_all(result.fd[1], &r, sizeof r);
  ::_exit(sent ? 0 : 3);
}

// Forks `workers` processes that each make `attempts` submits into `subtype` at once, from
// slot `first_slot` on.
PhaseResult run_phase(const std::string& path, const World& w, SubtypeId subtype, int workers,
                      std::int64_t first_slot, std::int64_t attempts, SlotOf slot_of, const char* tag) {
  Pipe ready, go;
  std::vector<std::unique_ptr<Pipe>> results;
  std::vector<pid_t> pids;
  for (int i = 0; i < workers; ++i) {
    results.push_back(std::make_unique<Pipe>());
    std::fflush(nullptr);  // nothing buffered may be written twice
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) worker(path, w, subtype, i, first_slot, attempts, slot_of, tag, ready, go, *results.back());
    pids.push_back(pid);
    results.back()->close_write();
  }
  ready.close_write();
  go.close_read();
  int ready_count = 0;
  for (char byte = 0; ready_count < workers && read_all(ready.fd[0], &byte, 1);) ++ready_count;

  PhaseResult phase;
  const auto start = steady::now();
  const std::vector<char> go_bytes(static_cast<std::size_t>(workers), 1);
  if (ready_count == workers) write_all(go.fd[1], go_bytes.data(), go_bytes.size());
  go.close_write();  // a worker that is not ready reads end-of-file and gives up
  int answered = 0;
  for (auto& pipe : results) {
    WorkerResult r;
    if (!read_all(pipe->fd[0], &r, sizeof r)) continue;
    ++answered;
    phase.total.booked += r.booked;
    phase.total.slot_full += r.slot_full;
    if (r.other > 0 && phase.total.other == 0) phase.total.first_other = r.first_other;
    phase.total.other += r.other;
  }
  phase.seconds = seconds_since(start);
  bool clean = true;
  for (const pid_t pid : pids) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    clean = clean && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  if (ready_count != workers || answered != workers || !clean)
    throw std::runtime_error(fmt::format("{}: {} of {} workers got ready, {} answered, exits {}", tag, ready_count,
                                         workers, answered, clean ? "clean" : "not clean"));
  return phase;
}

// The single worker submits 4 times to each slot in turn; each of the four submits once to each.
std::int64_t slot_single(std::int64_t first_slot, std::int64_t k) { return first_slot + k / processes; }
std::int64_t slot_shared(std::int64_t first_slot, std::int64_t k) { return first_slot + k; }

void add(PhaseResult& sum, const PhaseResult& round) {
  sum.total.booked += round.total.booked;
  sum.total.slot_full += round.total.slot_full;
  if (round.total.other > 0 && sum.total.other == 0) sum.total.first_other = round.total.first_other;
  sum.total.other += round.total.other;
  sum.seconds += round.seconds;
}

// No slot holds more orders than its capacity, the counters match the orders, the counts add up.
template <class Sql>
void verify_phase(const std::string& path, SubtypeId subtype, const PhaseResult& p, std::int64_t attempts,
                  std::int64_t slots, const char* tag) {
  typename Sql::Db db(path);
  const std::int64_t s = subtype.value;
  const std::int64_t over_orders = scalar(
      db, fmt::format("SELECT count(*) FROM (SELECT slot_start FROM work_order WHERE subtype_id = {} "
                      "GROUP BY slot_start HAVING count(*) > {}) AS over_capacity", s, booking_capacity));
  const std::int64_t over_counter =
      scalar(db, fmt::format("SELECT count(*) FROM slot_booking WHERE subtype_id = {} AND booked > {}", s, booking_capacity));
  const std::int64_t orders = scalar(db, fmt::format("SELECT count(*) FROM work_order WHERE subtype_id = {}", s));
  const std::int64_t counted = scalar(db, fmt::format("SELECT coalesce(sum(booked), 0) FROM slot_booking WHERE subtype_id = {}", s));
  const std::int64_t mismatched = scalar(
      db, fmt::format("SELECT count(*) FROM slot_booking b WHERE b.subtype_id = {0} AND b.booked <> "
                      "(SELECT count(*) FROM work_order o WHERE o.subtype_id = {0} AND o.slot_start = b.slot_start)", s));
  std::vector<std::string> problems;
  if (over_orders) problems.push_back(fmt::format("{} slots hold more than {} orders", over_orders, booking_capacity));
  if (over_counter) problems.push_back(fmt::format("{} slot counters exceed {}", over_counter, booking_capacity));
  if (orders != p.total.booked || counted != p.total.booked || mismatched)
    problems.push_back(fmt::format("workers booked {}, database has {} orders, counters sum to {}, {} counters differ "
                                   "from their orders", p.total.booked, orders, counted, mismatched));
  if (p.total.booked + p.total.slot_full + p.total.other != attempts)
    problems.push_back(fmt::format("{} booked + {} slot_full + {} other != {} attempts", p.total.booked,
                                   p.total.slot_full, p.total.other, attempts));
  // 4 attempts at each slot of capacity 3: unless something else failed, exactly one is refused.
  if (p.total.other == 0 && (p.total.slot_full != slots || p.total.booked != slots * booking_capacity))
    problems.push_back(fmt::format("expected {} booked and {} slot_full, got {} and {}", slots * booking_capacity, slots,
                                   p.total.booked, p.total.slot_full));
  if (!problems.empty()) {
    std::string text;
    for (const auto& problem : problems) text += "; " + problem;
    throw std::runtime_error(fmt::format("{}: {}", tag, text.substr(2)));
  }
}

template <class Sql>
void run_booking(const ScratchDb& db, std::int64_t requested) {
  const std::int64_t slots = (requested + processes - 1) / processes;
  const std::int64_t bookings = slots * processes;
  std::string settings = "WAL, synchronous=FULL";
  if (db.postgres()) {
    pg::Conn c(db.path());
    settings = fmt::format("synchronous_commit={}, server fsync={}", c.exec("SHOW synchronous_commit").text(0, 0),
                           c.exec("SHOW fsync").text(0, 0));
  }
  std::fprintf(stderr, "slots_booking: %lld submits into %lld slots of capacity %d, per phase (%s)%s\n"
               "  database: %s\n",
               static_cast<long long>(bookings), static_cast<long long>(slots), booking_capacity, settings.c_str(),
               bookings != requested ? " (--bookings rounded up to a multiple of 4)" : "", db.describe().c_str());
  World w;
  {
    Engine engine(open_store(db.path()), fixed_clock());
    w = build_world(engine, 2, booking_capacity, booking_horizon_days);
  }  // closed before any fork: workers open their own

  // The phases take turns in rounds (single, four, four, single, ...), each round on the next
  // part of the slots: the cost of an fsync drifts by several times within minutes on a shared
  // machine, and running one phase after the other would compare two different disks.
  const std::int64_t rounds = std::min<std::int64_t>(booking_rounds, slots);
  PhaseResult single, four;
  for (std::int64_t r = 0; r < rounds; ++r) {
    const std::int64_t first = slots * r / rounds, count = slots * (r + 1) / rounds - first;
    auto run_single = [&] {
      add(single, run_phase(db.path(), w, w.subtypes[0], 1, first, count * processes, slot_single, "single"));
    };
    auto run_four = [&] {
      add(four, run_phase(db.path(), w, w.subtypes[1], processes, first, count, slot_shared, "four"));
    };
    if (r % 2 == 0) {
      run_single();
      run_four();
    } else {
      run_four();
      run_single();
    }
  }
  verify_phase<Sql>(db.path(), w.subtypes[0], single, bookings, slots, "single process");
  verify_phase<Sql>(db.path(), w.subtypes[1], four, bookings, slots, "four processes");

  const double n = static_cast<double>(bookings);
  auto report = [&](const char* name, const PhaseResult& p) {
    std::fprintf(stderr,
                 "  %-15s %8.2f s  %8.1f submits/s  %8.1f booked/s  booked %lld, slot_full %lld, other errors %lld%s\n",
                 name, p.seconds, n / p.seconds, static_cast<double>(p.total.booked) / p.seconds,
                 static_cast<long long>(p.total.booked), static_cast<long long>(p.total.slot_full),
                 static_cast<long long>(p.total.other),
                 p.total.other ? fmt::format(" (first: code {})", p.total.first_other).c_str() : "");
  };
  report("one process", single);
  report("four processes", four);
  std::fprintf(stderr, "  verified: no slot holds more than %d orders; counters match the orders\n", booking_capacity);

  const double single_rate = n / single.seconds, four_rate = n / four.seconds;
  JsonLine()
      .add("bench", "slots_booking")
      .add("processes", std::int64_t{processes})
      .add("bookings", bookings)
      .add("single_process_per_s", single_rate, 1)
      .add("four_process_per_s", four_rate, 1)
      .add("ratio", four_rate / single_rate, 3)
      .add("slot_full", four.total.slot_full)
      .print();
}

}  // namespace

int run_slots(Args args) {
  const Options options(args, {"--existing", "--queries", "--bookings", "--db"});
  const std::int64_t existing = options.integer("--existing", default_existing, 0, 1'000'000);
  const std::int64_t queries = options.integer("--queries", default_queries, 1, 1'000'000);
  const std::int64_t bookings = options.integer("--bookings", default_bookings, 1, 100'000);
  std::string availability_path, booking_path;
  if (auto db = options.get("--db"); db && is_postgres_uri(*db)) {
    availability_path = booking_path = std::string(*db);  // one database, a fresh schema for each part
  } else if (db) {
    const std::filesystem::path p(*db);
    availability_path = p.string();
    booking_path = (p.parent_path() / (p.stem().string() + "-booking" + p.extension().string())).string();
  }
  {
    const ScratchDb db(availability_path, "slots_availability");
    if (db.postgres()) run_availability<PostgresSql>(db, existing, queries);
    else run_availability<SqliteSql>(db, existing, queries);
  }
  const ScratchDb db(booking_path, "slots_booking");
  if (db.postgres()) run_booking<PostgresSql>(db, bookings);
  else run_booking<SqliteSql>(db, bookings);
  return 0;
}

}  // namespace wo_bench
