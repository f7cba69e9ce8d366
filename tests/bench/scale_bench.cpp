// SPDX-License-Identifier: MIT
// wo_bench scale [--orders N] [--db PATH] [--months M] [--tenants T]
// wo_bench scale --measure PATH [--months M]
//
// Reads at scale (docs/rules.md §8, issue #5): N orders (default 1,000,000) created over the M months
// (default 12) before "now" in one org, then the reads a property-management office makes all
// day, through wo::Engine on the database file with its default settings.
//
// Seeding (docs/benchmarks.md): the org and its catalog are made through the engine (T tenants
// with a contact each, default min(2000, max(20, N/500))); 144 template orders are driven
// through the engine's life cycle on a copy of that database; then the N orders are copies of
// those templates' rows written with raw SQLite (scale_seed.hpp), and checked: global
// invariants with SQL, tick(now) changes nothing, and 100 copies read through the engine
// match their templates step by step.
//
// stdout, one JSON line each (ms are medians of repeated calls after one warm-up call; raw_*
// is raw SQLite running the same keyset query on the same file and reading every column):
//   scale_seed:      orders, templates, child rows, seeding seconds and orders/s, file size
//   scale_list:      the admin's list of all orders, page of 50, at page 1 and page 10,000
//                    (walked there by cursor; walk_max_ms is the slowest page on the way)
//   scale_list_status: the same with status_mask completed|cancelled
//   scale_todo:      tenant_todo of the contact with the most orders
//   scale_my_tasks:  my_tasks of the technician holding the most orders
//   scale_tech_all:  the "all" view of a technician (pool + held + reported), first and last page
//   scale_dashboard: the dashboard for the last full org-local month and for the whole window
//   scale_export:    CSV export of that month in a fresh process (fork + exec), rows/s and the
//                    child's peak RSS (VmHWM, which exec resets)
// --measure PATH skips seeding and checks and only measures a database an earlier run kept
// with --db (M must be the same), e.g. to compare an index change: opening it through the
// engine applies any newer migration first.
//
// --db postgresql://… does all of it on PostgreSQL: the database is a fresh schema that the
// library creates (wo::open_store), the template copy another schema with the same catalog
// rows, the copies are written with COPY (explicit ids, identity sequences moved past them),
// then every table gets VACUUM (ANALYZE), and raw_* is libpq with the same SQL. The schema is
// dropped at the end unless --keep; --measure takes the --db URI with its search_path.
// stderr: progress, the status mix, the checks.
#include <date/tz.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "bench.hpp"
#include "bench_pg.hpp"
#include "scale_pg.hpp"
#include "scale_seed.hpp"
#include "scale_sql.hpp"
#include "scale_world.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace wo_bench {
namespace {

using namespace wo;
using namespace wo_bench::scale;
using steady = std::chrono::steady_clock;

constexpr std::int64_t default_orders = 1'000'000;
constexpr int page_size = 50;
constexpr int deep_page = 10'000;
constexpr int repeats = 21;
constexpr double slow_page_ms = 5;  // the goal of issue #5 for any list page
constexpr std::int64_t day_ms = 86'400'000;

Clock fixed_clock(std::int64_t ms) {
  return [ms] { return from_unix_ms(ms); };
}

// --- time ------------------------------------------------------------------------------------

using local_ms = date::local_time<std::chrono::milliseconds>;

std::int64_t to_utc(const date::time_zone* zone, local_ms t) {
  return zone->to_sys(t, date::choose::earliest).time_since_epoch().count();
}

local_ms to_local(const date::time_zone* zone, std::int64_t ms) {
  return zone->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{ms}});
}

// The same local time `months` calendar months earlier (the day clamped to the month's end).
std::int64_t months_before(const date::time_zone* zone, std::int64_t ms, int months) {
  const local_ms local = to_local(zone, ms);
  const auto midnight = date::floor<date::days>(local);
  date::year_month_day ymd{midnight};
  ymd = ymd - date::months{months};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / date::last;
  return to_utc(zone, local_ms{date::local_days{ymd}} + (local - midnight));
}

// [start, end) of the last full org-local calendar month before `ms`.
std::pair<std::int64_t, std::int64_t> last_full_month(const date::time_zone* zone, std::int64_t ms) {
  const date::year_month_day today{date::floor<date::days>(to_local(zone, ms))};
  const date::year_month this_month = today.year() / today.month();
  const date::year_month previous = this_month - date::months{1};
  return {to_utc(zone, local_ms{date::local_days{previous / 1}}), to_utc(zone, local_ms{date::local_days{this_month / 1}})};
}

std::string local_date_digits(const date::time_zone* zone, std::int64_t ms) {
  const date::year_month_day ymd{date::floor<date::days>(to_local(zone, ms))};
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// --- timing ----------------------------------------------------------------------------------

template <class F>
double time_ms(F&& f) {
  const auto start = steady::now();
  f();
  return seconds_since(start) * 1e3;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One untimed call, then the median of `n` timed ones.
template <class F>
double median_ms(int n, F&& f) {
  f();
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(time_ms(f));
  return median(v);
}

// --- checks ----------------------------------------------------------------------------------

[[noreturn]] void invalid(const std::string& what) { throw std::runtime_error("seed check failed: " + what); }

template <class DbT>
void expect_zero(DbT& db, const std::string& what, const std::string& sql) {
  const std::int64_t n = scalar(db, sql);
  if (n != 0) invalid(fmt::format("{}: {} rows ({})", what, n, sql));
}

// Invariants of the whole database that the engine keeps, checked with SQL.
template <class D>
void check_database(const std::string& path, std::int64_t orders) {
  typename D::Db db(path, SQLITE_OPEN_READONLY);
  if (scalar(db, "SELECT count(*) FROM work_order") != orders) invalid("order count");
  if (scalar(db, "SELECT sum(last) FROM order_counter") != orders) invalid("order counters do not add up to the orders");
  expect_zero(db, "order ids follow created_at",
              "SELECT count(*) FROM work_order a JOIN work_order b ON b.id = a.id + 1 WHERE b.created_at < a.created_at");
  for (const auto& [table, column] : {std::pair{"event", "at"}, std::pair{"charge_line", "created_at"},
                                      std::pair{"payment", "created_at"}, std::pair{"stock_movement", "created_at"}})
    expect_zero(db, fmt::format("{} ids follow {}", table, column),
                fmt::format("SELECT count(*) FROM {0} a JOIN {0} b ON b.id = a.id + 1 WHERE b.{1} < a.{1}", table, column));
  expect_zero(db, "an order's status is its last event's",
              fmt::format("SELECT count(*) FROM work_order o WHERE o.status {} (SELECT e.to_status FROM event e "
                          "WHERE e.order_id = o.id AND e.to_status IS NOT NULL ORDER BY e.id DESC LIMIT 1)",
                          D::is_not));
  expect_zero(db, "paid and refunded are the payments'",
              "SELECT count(*) FROM work_order o WHERE o.paid <> (SELECT coalesce(sum(amount), 0) FROM payment p "
              "WHERE p.order_id = o.id AND p.payment_kind IN (0, 1)) OR o.refunded <> (SELECT coalesce(sum(amount), 0) "
              "FROM payment p WHERE p.order_id = o.id AND p.payment_kind = 2)");
  expect_zero(db, "lines_total is the active lines'",
              "SELECT count(*) FROM work_order o WHERE o.lines_total <> (SELECT coalesce(sum(amount), 0) "
              "FROM charge_line l WHERE l.order_id = o.id AND l.removed = 0)");
  expect_zero(db, "stock is the movements'",
              "SELECT count(*) FROM material m WHERE m.stock <> (SELECT coalesce(sum(qty), 0) FROM stock_movement s "
              "WHERE s.material_id = m.id AND s.movement_kind IN (0, 1, 2, 3))");
  expect_zero(db, "the assignee holds the order",
              "SELECT count(*) FROM work_order o WHERE o.assignee_id IS NOT NULL AND NOT EXISTS "
              "(SELECT 1 FROM order_holder h WHERE h.order_id = o.id AND h.staff_id = o.assignee_id)");
  expect_zero(db, "the reporter is a contact of the tenant",
              "SELECT count(*) FROM work_order o JOIN contact c ON c.id = o.reporter_contact_id WHERE c.tenant_id <> o.tenant_id");
}

template <class T, class U>
void same(const T& copy, const U& original, const char* what, OrderId id) {
  if (!(copy == original)) invalid(fmt::format("order {}: {} differs from its template", id.value, what));
}

std::vector<OrderEvent> whole_timeline(Engine& e, const Actor& a, OrderId id) {
  std::vector<OrderEvent> all;
  for (std::int64_t after = 0;;) {
    auto page = e.timeline(a, id, after, 200);
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < 200) return all;
    after = page.back().id;
  }
}

std::int64_t offset(Timestamp t, Timestamp created) { return to_unix_ms(t) - to_unix_ms(created); }
std::optional<std::int64_t> offset(const std::optional<Timestamp>& t, Timestamp created) {
  if (!t) return std::nullopt;
  return offset(*t, created);
}

// Each sampled copy, read through the engine as the admin, tells the same story as its
// template: the same steps at the same offsets, the same amounts, lines and payments; its
// assignee is eligible, its reporter a contact of its tenant, its number from its local day.
void check_sample(Engine& seeded, Engine& templates, const World& w, const SeedPlan& plan, const SeedResult& r) {
  const Actor admin = Actor::staff(w.admin);
  const date::time_zone* zone = date::locate_zone(time_zone);
  for (const SeededOrder& s : r.sample) {
    const OrderId tid = plan.templates[s.template_index].id;
    const Order c = seeded.get_order(admin, s.id), t = templates.get_order(admin, tid);
    const std::string digits = local_date_digits(zone, to_unix_ms(c.created_at));
    if (c.number.size() != 15 || c.number.substr(0, 8) != digits || c.number[8] != '-' ||
        c.number.find_first_not_of("0123456789", 9) != std::string::npos)
      invalid(fmt::format("order {} has number {} but was created on {}", s.id.value, c.number, digits));
    same(c.status, t.status, "status", s.id);
    same(c.subtype_id, t.subtype_id, "subtype", s.id);
    same(std::tuple{c.spec_price, c.lines_total, c.prepay_due, c.paid, c.refunded, c.rating, c.reopen_count, c.payer},
         std::tuple{t.spec_price, t.lines_total, t.prepay_due, t.paid, t.refunded, t.rating, t.reopen_count, t.payer},
         "amounts", s.id);
    same(std::tuple{offset(c.status_since, c.created_at), offset(c.accepted_at, c.created_at),
                    offset(c.finished_at, c.created_at), offset(c.completed_at, c.created_at),
                    offset(c.cancelled_at, c.created_at)},
         std::tuple{offset(t.status_since, t.created_at), offset(t.accepted_at, t.created_at),
                    offset(t.finished_at, t.created_at), offset(t.completed_at, t.created_at),
                    offset(t.cancelled_at, t.created_at)},
         "times", s.id);
    const Bill cb = seeded.get_bill(admin, s.id), tb = templates.get_bill(admin, tid);
    same(std::tuple{cb.total, cb.owed, cb.balance, cb.refund_due}, std::tuple{tb.total, tb.owed, tb.balance, tb.refund_due},
         "bill", s.id);

    const auto ce = whole_timeline(seeded, admin, s.id), te = whole_timeline(templates, admin, tid);
    if (ce.size() != te.size()) invalid(fmt::format("order {} has {} events, its template {}", s.id.value, ce.size(), te.size()));
    for (std::size_t i = 0; i < ce.size(); ++i)
      same(std::tuple{ce[i].action, ce[i].actor_kind, ce[i].from_status, ce[i].to_status, ce[i].amount, ce[i].concerns,
                      offset(ce[i].at, c.created_at)},
           std::tuple{te[i].action, te[i].actor_kind, te[i].from_status, te[i].to_status, te[i].amount, te[i].concerns,
                      offset(te[i].at, t.created_at)},
           "an event", s.id);
    if (ce.empty() || ce.back().to_status != c.status) invalid(fmt::format("order {}: status is not its last event's", s.id.value));

    const auto cl = seeded.lines(admin, s.id), tl = templates.lines(admin, tid);
    if (cl.size() != tl.size()) invalid(fmt::format("order {}: line count differs from its template", s.id.value));
    for (std::size_t i = 0; i < cl.size(); ++i)
      same(std::tuple{cl[i].line_kind, cl[i].item_id, cl[i].name, cl[i].unit_price, cl[i].qty, cl[i].amount, cl[i].removed,
                      cl[i].consumed},
           std::tuple{tl[i].line_kind, tl[i].item_id, tl[i].name, tl[i].unit_price, tl[i].qty, tl[i].amount, tl[i].removed,
                      tl[i].consumed},
           "a line", s.id);
    const auto cp = seeded.payments(admin, s.id), tp = templates.payments(admin, tid);
    if (cp.size() != tp.size()) invalid(fmt::format("order {}: payment count differs from its template", s.id.value));
    for (std::size_t i = 0; i < cp.size(); ++i)
      same(std::tuple{cp[i].payment_kind, cp[i].channel, cp[i].amount, offset(cp[i].created_at, c.created_at)},
           std::tuple{tp[i].payment_kind, tp[i].channel, tp[i].amount, offset(tp[i].created_at, t.created_at)}, "a payment",
           s.id);

    if (c.assignee_id) {
      const Staff staff = seeded.get<Staff>(admin, *c.assignee_id);
      const OrderType type = seeded.get<OrderType>(admin, c.order_type_id);
      if (staff.department_id != type.department_id || staff.position_id != type.position_id)
        invalid(fmt::format("order {}: assignee {} is not eligible for its type", s.id.value, c.assignee_id->value));
    }
    if (c.reporter_contact_id && seeded.get<Contact>(admin, *c.reporter_contact_id).tenant_id != c.tenant_id)
      invalid(fmt::format("order {}: the reporter is not a contact of its tenant", s.id.value));
  }
}

// --- lists -----------------------------------------------------------------------------------

// The raw baseline: the same keyset query on work_order with a statement prepared once,
// reading every column of every row, as an application would.
template <class D>
class RawList {
  using Stmt = typename D::Stmt;

 public:
  RawList(typename D::Db& db, const std::string& where)
      : first_(db, fmt::format("SELECT * FROM work_order WHERE {} ORDER BY created_at DESC, id DESC LIMIT ?2", where)),
        after_(db, fmt::format("SELECT * FROM work_order WHERE {} AND created_at <= ?3 AND (created_at < ?3 OR id < ?4) "
                               "ORDER BY created_at DESC, id DESC LIMIT ?2",
                               where)) {}

  // Rows of the page after (created_at, id), or the first page.
  std::size_t page(std::int64_t param, const std::optional<OrderKey>& after) {
    Stmt& s = after ? after_ : first_;
    s.bind(1, param).bind(2, std::int64_t{page_size + 1});
    if (after) s.bind(3, after->created_at).bind(4, after->id);
    std::size_t n = 0;
    while (s.step()) {
      rows_ = s.row();
      ++n;
    }
    return n;
  }

 private:
  Stmt first_, after_;
  Cells rows_;
};

struct ListRun {
  int page = 1;             // the deep page reached (the last one if the list is shorter)
  double first_ms = 0, deep_ms = 0, walk_max_ms = 0;
  double raw_first_ms = 0, raw_deep_ms = 0;
  std::size_t deep_items = 0;
};

// A walk by cursor from page 1 to `target` (or the last page), each page timed once (a page
// over slow_page_ms is timed 5 more times and counts with their median); then page 1 and the
// deep page `repeats` times each, the library and the raw query alternately.
template <class Raw>
ListRun measure_list(Engine& e, const Actor& who, OrderView view, const OrderQuery& q, int target, Raw& raw,
                     std::int64_t raw_param) {
  ListRun r;
  std::string cursor, deep_cursor;
  std::optional<OrderKey> deep_after, last_key;
  e.list_orders(who, view, q, cursor, page_size);  // prepares the statements
  int slow_pages = 0;
  for (int page = 1;; ++page) {
    Page<Order> p;
    double ms = time_ms([&] { p = e.list_orders(who, view, q, cursor, page_size); });
    if (ms > slow_page_ms) {
      // One slow call may be the shared machine; a slow page is slow every time.
      ++slow_pages;
      const double again = median_ms(5, [&] { e.list_orders(who, view, q, cursor, page_size); });
      if (slow_pages <= 5)
        std::fprintf(stderr, "  %s page %d took %.2f ms, then a median of %.2f ms\n", name_of(view), page, ms, again);
      ms = again;
    }
    r.walk_max_ms = std::max(r.walk_max_ms, ms);
    r.page = page;
    deep_cursor = cursor;
    deep_after = last_key;
    r.deep_items = p.items.size();
    if (page == target || p.next_cursor.empty()) break;
    cursor = p.next_cursor;
    last_key = OrderKey{to_unix_ms(p.items.back().created_at), p.items.back().id.value};
  }
  std::vector<double> lib_first, raw_first, lib_deep, raw_deep;
  std::size_t raw_items = 0;
  for (int i = 0; i <= repeats; ++i) {  // round 0 warms up
    const double lf = time_ms([&] { e.list_orders(who, view, q, "", page_size); });
    const double rf = time_ms([&] { raw.page(raw_param, std::nullopt); });
    const double ld = time_ms([&] { e.list_orders(who, view, q, deep_cursor, page_size); });
    const double rd = time_ms([&] { raw_items = raw.page(raw_param, deep_after); });
    if (i == 0) continue;
    lib_first.push_back(lf);
    raw_first.push_back(rf);
    lib_deep.push_back(ld);
    raw_deep.push_back(rd);
  }
  if (slow_pages > 0) std::fprintf(stderr, "  %d pages of the walk took over %.0f ms once\n", slow_pages, slow_page_ms);
  if (std::min<std::size_t>(raw_items, page_size) != r.deep_items)
    invalid(fmt::format("the raw query found {} rows on page {}, the engine {}", raw_items, r.page, r.deep_items));
  r.first_ms = median(lib_first);
  r.raw_first_ms = median(raw_first);
  r.deep_ms = median(lib_deep);
  r.raw_deep_ms = median(raw_deep);
  return r;
}

void print_list(const char* bench, std::int64_t orders, const ListRun& r) {
  JsonLine()
      .add("bench", bench)
      .add("orders", orders)
      .add("page_size", std::int64_t{page_size})
      .add("page", std::int64_t{r.page})
      .add("first_page_ms", r.first_ms, 4)
      .add("deep_page_ms", r.deep_ms, 4)
      .add("ratio", r.deep_ms / r.first_ms, 3)
      .add("raw_first_page_ms", r.raw_first_ms, 4)
      .add("raw_deep_page_ms", r.raw_deep_ms, 4)
      .add("walk_max_ms", r.walk_max_ms, 3)
      .print();
}

// One page of a small view (to do, my tasks): items, the engine's ms, raw ms.
template <class Raw>
void measure_view(const char* bench, Engine& e, const Actor& who, OrderView view, Raw& raw, std::int64_t param,
                  const char* count_name, std::int64_t count) {
  std::size_t items = 0, raw_items = 0;
  const double ms = median_ms(repeats, [&] { items = e.list_orders(who, view, {}, "", page_size).items.size(); });
  const double raw_ms = median_ms(repeats, [&] { raw_items = raw.page(param, std::nullopt); });
  if (std::min<std::size_t>(raw_items, page_size) != items)
    invalid(fmt::format("{}: the raw query found {} rows, the engine {}", bench, raw_items, items));
  JsonLine()
      .add("bench", bench)
      .add(count_name, count)
      .add("items", static_cast<std::int64_t>(items))
      .add("ms", ms, 4)
      .add("raw_ms", raw_ms, 4)
      .print();
}

// --- export in a fresh process ---------------------------------------------------------------

std::int64_t status_kb(const char* field) {
  std::ifstream status("/proc/self/status");
  const std::size_t n = std::strlen(field);
  for (std::string line; std::getline(status, line);)
    if (line.compare(0, n, field) == 0) return std::stoll(line.substr(n));
  return 0;
}

struct ExportFigures {
  std::int64_t rows = 0, bytes = 0, largest_chunk = 0, base_rss_kb = 0, peak_rss_kb = 0;
  double ms = 0;
};

// The child (`wo_bench scale --export-child PATH --export-from MS --export-to MS --export-admin
// ID`, run by measure_export): exports the range 3 times into a counting sink and writes
// "rows bytes largest_chunk ms base_kb peak_kb" on stdout. VmHWM is this process's own peak:
// exec started a new address space.
int export_child(std::string_view path, std::int64_t from, std::int64_t to, std::int64_t admin) {
  Engine engine(open_store(std::string(path)), fixed_clock(now_ms));
  OrderQuery q;
  q.created_from = from_unix_ms(from);
  q.created_to = from_unix_ms(to);
  ExportFigures f;
  f.base_rss_kb = status_kb("VmRSS:");
  std::vector<double> times;
  for (int run = 0; run < 3; ++run) {
    std::int64_t line_ends = 0, bytes = 0;
    times.push_back(time_ms([&] {
      engine.export_csv(Actor::staff(StaffId{admin}), q, [&](std::string_view chunk) {
        bytes += static_cast<std::int64_t>(chunk.size());
        f.largest_chunk = std::max<std::int64_t>(f.largest_chunk, static_cast<std::int64_t>(chunk.size()));
        for (std::size_t at = chunk.find('\n'); at != std::string_view::npos; at = chunk.find('\n', at + 1)) ++line_ends;
      });
    }));
    f.rows = line_ends - 1;  // the header
    f.bytes = bytes;
  }
  f.peak_rss_kb = status_kb("VmHWM:");
  std::printf("%" PRId64 " %" PRId64 " %" PRId64 " %.3f %" PRId64 " %" PRId64 "\n", f.rows, f.bytes, f.largest_chunk,
              median(times), f.base_rss_kb, f.peak_rss_kb);
  return 0;
}

ExportFigures measure_export(const std::string& path, std::int64_t from, std::int64_t to, StaffId admin) {
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  const std::string args[] = {"wo_bench", "scale", "--export-child", path, "--export-from", std::to_string(from),
                              "--export-to", std::to_string(to), "--export-admin", std::to_string(admin.value)};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::execv("/proc/self/exe", argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string text;
  char buffer[256];
  for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ExportFigures f;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      std::sscanf(text.c_str(), "%" SCNd64 " %" SCNd64 " %" SCNd64 " %lf %" SCNd64 " %" SCNd64, &f.rows, &f.bytes,
                  &f.largest_chunk, &f.ms, &f.base_rss_kb, &f.peak_rss_kb) != 6)
    throw std::runtime_error(fmt::format("the export child failed (status {}): '{}'", status, text));
  return f;
}

// --- the run ---------------------------------------------------------------------------------

// The database's size: the SQLite file and its WAL, or every table of the PostgreSQL schema
// with its indexes and TOAST.
std::int64_t file_size(const std::string& path) {
  if (is_postgres_uri(path)) {
    PgDb db(path);
    return scalar(db, "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n "
                      "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'");
  }
  std::error_code ec;
  std::int64_t total = 0;
  for (const char* suffix : {"", "-wal"}) {
    const auto n = std::filesystem::file_size(path + suffix, ec);
    if (!ec) total += static_cast<std::int64_t>(n);
  }
  return total;
}

void print_status_mix(const SeedResult& r) {
  std::string mix;
  for (std::size_t s = 0; s < r.status_counts.size(); ++s)
    mix += fmt::format(" {} {:.2f}%", name_of(static_cast<Status>(s)),
                       100.0 * static_cast<double>(r.status_counts[s]) / static_cast<double>(r.orders));
  std::fprintf(stderr, "  status mix:%s\n", mix.c_str());
}

// What the reads need to know about the seeded database.
struct Seeded {
  std::string path;
  OrgId org;
  StaffId admin;
  std::int64_t orders = 0;
  std::int64_t from_ms = 0;  // the window's start
};

// PostgreSQL's VACUUM INTO: every row of schema `from` into the schema of `to` (which the
// library has created, empty), parents before children, and the identity sequences moved past
// the copied ids, so that both hold the same catalog under the same ids.
void copy_schema_rows(const std::string& from_location, const std::string& to_location) {
  PgDb from_db(from_location), to(to_location);
  const pg::Result from_name = from_db.conn().exec("SELECT current_schema()::text");
  const std::string from(from_name.text(0, 0));
  const pg::Result tables = to.conn().exec(
      "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> 'wo_schema' ORDER BY c.relname");
  const pg::Result references = to.conn().exec(
      "SELECT c.relname::text, p.relname::text FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
      "JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE k.contype = 'f' AND n.nspname = current_schema() AND k.conrelid <> k.confrelid");
  const pg::Result identity = to.conn().exec(
      "SELECT table_name::text FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND column_name = 'id' AND is_identity = 'YES'");
  std::vector<std::string> pending, done, with_identity;
  for (int i = 0; i < tables.rows(); ++i) pending.emplace_back(tables.text(i, 0));
  for (int i = 0; i < identity.rows(); ++i) with_identity.emplace_back(identity.text(i, 0));
  auto ready = [&](const std::string& table) {
    for (int i = 0; i < references.rows(); ++i)
      if (references.text(i, 0) == table && std::find(done.begin(), done.end(), references.text(i, 1)) == done.end())
        return false;
    return true;
  };
  to.exec("BEGIN");
  while (!pending.empty()) {
    const auto next = std::find_if(pending.begin(), pending.end(), ready);
    if (next == pending.end()) throw std::runtime_error("copying the catalog: the foreign keys form a cycle");
    // Migrations may have written default rows (none without an org, but be sure).
    to.exec(fmt::format("DELETE FROM {0}; INSERT INTO {0} SELECT * FROM {1}.{0}", *next, from));
    if (std::find(with_identity.begin(), with_identity.end(), *next) != with_identity.end())
      to.exec(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', 'id'), max(id)) FROM {0} HAVING count(*) > 0", *next));
    done.push_back(*next);
    pending.erase(next);
  }
  to.exec("COMMIT");
}

// VACUUM (ANALYZE) of every table of the schema: statistics for the planner, and the visibility
// map that lets an index-only scan skip the table (the dashboard's covering index).
void vacuum_analyze(const std::string& location) {
  PgDb db(location);
  const pg::Result tables = db.conn().exec(
      "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind = 'r'");
  for (int i = 0; i < tables.rows(); ++i) db.exec(fmt::format("VACUUM (ANALYZE) {}", tables.text(i, 0)));
}

// Seeds and checks `path`: the org through the engine, the templates through the engine on a
// copy, the copies with raw SQLite or COPY; prints scale_seed. `server` is the --db URI on
// PostgreSQL (the template copy is a schema of its own there), else empty.
template <class D>
Seeded seed_and_check(const std::string& path, const std::string& server, std::int64_t orders, int months, int tenants) {
  const ScratchDb scratch(server, "scale_templates");
  const std::int64_t from_ms = months_before(date::locate_zone(time_zone), now_ms, months);

  // 1. The org, through the engine; it was set up the day before the first order.
  const auto seed_start = steady::now();
  World world;
  {
    Engine engine(open_store(path, StoreOptions{.durability = Durability::normal}), fixed_clock(from_ms - day_ms));
    world = build_world(engine, tenants, orders * 5 + 1000);
  }
  // 2. The templates, through the engine, on a copy of that database (same ids).
  if constexpr (D::postgres) {
    (void)open_store(scratch.path());  // the library makes the schema
    copy_schema_rows(path, scratch.path());
  } else {
    Db source(path);
    Stmt vacuum(source, "VACUUM INTO ?1");
    vacuum.bind(1, Cell{scratch.path()}).run();
  }
  SeedPlan plan;
  {
    std::int64_t clock = from_ms - 3 * 365 * day_ms;
    Engine engine(open_store(scratch.path(), StoreOptions{.durability = Durability::normal}),
                  [&clock] { return from_unix_ms(clock); });
    plan.templates = drive_templates(engine, clock, world);
  }
  std::fprintf(stderr, "  catalog and %zu template orders through the engine: %.1f s\n", plan.templates.size(),
               seconds_since(seed_start));
  // 3. The copies, with raw SQLite or COPY.
  plan.template_db = scratch.path();
  plan.target_db = path;
  plan.world = &world;
  plan.orders = orders;
  plan.from_ms = from_ms;
  plan.to_ms = now_ms;
  const SeedResult seeded = seed_orders(plan);
  const double seed_s = seconds_since(seed_start);
  print_status_mix(seeded);
  if constexpr (D::postgres) {
    const auto vacuum_start = steady::now();
    vacuum_analyze(path);
    std::fprintf(stderr, "  VACUUM (ANALYZE) of every table: %.1f s (not counted in the seeding)\n",
                 seconds_since(vacuum_start));
  }
  JsonLine()
      .add("bench", "scale_seed")
      .add("orders", orders)
      .add("templates", static_cast<std::int64_t>(plan.templates.size()))
      .add("child_rows", seeded.child_rows)
      .add("seconds", seed_s, 1)
      .add("orders_per_s", static_cast<double>(orders) / seed_s, 0)
      .add("db_mb", file_size(path) / (1024 * 1024))
      .print();

  // 4. Checks: SQL invariants, the timers, and a sample against its templates.
  const auto check_start = steady::now();
  check_database<D>(path, orders);
  {
    Engine engine(open_store(path), fixed_clock(now_ms));
    Engine templates(open_store(scratch.path()), fixed_clock(now_ms));
    check_sample(engine, templates, world, plan, seeded);
    if (const int changed = engine.tick(Actor::system(), from_unix_ms(now_ms)); changed != 0)
      invalid(fmt::format("tick(now) changed {} orders: an open order outlived its timer", changed));
  }
  std::fprintf(stderr, "  checked: invariants, tick(now) changes nothing, %zu copies match their templates (%.1f s)\n",
               seeded.sample.size(), seconds_since(check_start));
  return {path, world.org, world.admin, orders, from_ms};
}

// A database an earlier run kept (--db), for --measure: its org, admin and order count.
template <class D>
Seeded seeded_earlier(const std::string& path, int months) {
  if (!D::postgres && !std::filesystem::exists(path)) throw UsageError(fmt::format("--measure: no database '{}'", path));
  typename D::Db db(path);
  if (D::postgres && scalar(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE n.nspname = current_schema() AND c.relname = 'work_order'") == 0)
    throw UsageError("--measure: the URI's schema (search_path) has no work_order table");
  typename D::Stmt admin(db, fmt::format("SELECT org_id, id FROM staff WHERE {} ORDER BY id LIMIT 1", D::has_role("roles", 1)));
  if (!admin.step()) throw std::runtime_error(fmt::format("'{}' has no admin: not a database of wo_bench scale", path));
  Seeded s{path, OrgId{admin.integer(0)}, StaffId{admin.integer(1)}, scalar(db, "SELECT count(*) FROM work_order"),
           months_before(date::locate_zone(time_zone), now_ms, months)};
  admin.reset();
  return s;
}

// The reads, each printed as one JSON line.
template <class D>
void measure(const Seeded& s) {
  using Stmt = typename D::Stmt;
  using Raw = RawList<D>;
  const date::time_zone* zone = date::locate_zone(time_zone);
  Engine engine(open_store(s.path), fixed_clock(now_ms));
  const Actor admin = Actor::staff(s.admin);
  typename D::Db raw(s.path);
  {
    Raw all(raw, "org_id = ?1");
    print_list("scale_list", s.orders, measure_list(engine, admin, OrderView::all, {}, deep_page, all, s.org.value));
    OrderQuery closed;
    closed.status_mask = status_bit(Status::completed) | status_bit(Status::cancelled);
    Raw raw_closed(raw, "org_id = ?1 AND status IN (6, 7)");
    print_list("scale_list_status", s.orders,
               measure_list(engine, admin, OrderView::all, closed, deep_page, raw_closed, s.org.value));
  }
  {
    Stmt busiest(raw, fmt::format("SELECT reporter_contact_id, count(*) FROM work_order WHERE reporter_contact_id IS NOT "
                                  "NULL GROUP BY reporter_contact_id ORDER BY {} DESC, count(*) DESC LIMIT 1",
                                  D::any_open));
    if (!busiest.step()) invalid("no order has a reporting contact");
    const std::int64_t contact = busiest.integer(0), count = busiest.integer(1);
    busiest.reset();
    Raw todo(raw, "reporter_contact_id = ?1 AND status IN (0, 4, 5)");
    measure_view("scale_todo", engine, Actor::contact(ContactId{contact}), OrderView::tenant_todo, todo, contact,
                 "contact_orders", count);
  }
  // The technician holding the most orders now (any technician if none holds one).
  Stmt busiest(raw, fmt::format("SELECT s.id, (SELECT count(*) FROM work_order o WHERE o.assignee_id = s.id AND o.status "
                                "IN (2, 3)) AS held FROM staff s WHERE {} ORDER BY held DESC, s.id LIMIT 1",
                                D::has_role("s.roles", 4)));
  if (!busiest.step()) invalid("the org has no technician");
  const std::int64_t tech = busiest.integer(0), held = busiest.integer(1);
  busiest.reset();
  {
    Raw tasks(raw, "assignee_id = ?1 AND status IN (2, 3)");
    measure_view("scale_my_tasks", engine, Actor::staff(StaffId{tech}), OrderView::my_tasks, tasks, tech, "held", held);
  }
  {
    // A technician's "all": the pool of their types, what they hold or held, what they reported.
    Raw all_of_tech(raw, "org_id = (SELECT org_id FROM staff WHERE id = ?1) AND (id IN (SELECT order_id FROM "
                             "order_holder WHERE staff_id = ?1) OR reporter_staff_id = ?1 OR (status = 1 AND "
                             "order_type_id IN (SELECT t.id FROM order_type t JOIN staff s ON s.id = ?1 AND "
                             "t.department_id = s.department_id AND t.position_id = s.position_id)))");
    print_list("scale_tech_all", s.orders,
               measure_list(engine, Actor::staff(StaffId{tech}), OrderView::all, {}, deep_page, all_of_tech, tech));
  }
  const auto [month_from, month_to] = last_full_month(zone, now_ms);
  const std::int64_t month_orders = scalar(
      raw, fmt::format("SELECT count(*) FROM work_order WHERE created_at >= {} AND created_at < {}", month_from, month_to));
  {
    Dashboard month, year;
    const double month_ms = median_ms(5, [&] { month = engine.dashboard(admin, from_unix_ms(month_from), from_unix_ms(month_to)); });
    const double year_ms = median_ms(3, [&] { year = engine.dashboard(admin, from_unix_ms(s.from_ms), from_unix_ms(now_ms + 1)); });
    if (month.orders != month_orders || year.orders != s.orders)
      invalid(fmt::format("the dashboard counts {} and {} orders, expected {} and {}", month.orders, year.orders,
                          month_orders, s.orders));
    JsonLine()
        .add("bench", "scale_dashboard")
        .add("month_orders", month.orders)
        .add("month_ms", month_ms, 2)
        .add("year_orders", year.orders)
        .add("year_ms", year_ms, 2)
        .print();
  }
  {
    const ExportFigures f = measure_export(s.path, month_from, month_to, s.admin);
    if (f.rows != month_orders) invalid(fmt::format("the export wrote {} rows, the month has {} orders", f.rows, month_orders));
    std::fprintf(stderr, "  export: %lld bytes, largest chunk %lld bytes, RSS %lld KiB before the export\n",
                 static_cast<long long>(f.bytes), static_cast<long long>(f.largest_chunk),
                 static_cast<long long>(f.base_rss_kb));
    JsonLine()
        .add("bench", "scale_export")
        .add("rows", f.rows)
        .add("ms", f.ms, 1)
        .add("rows_per_s", static_cast<double>(f.rows) / (f.ms / 1e3), 0)
        .add("peak_rss_kb", f.peak_rss_kb)
        .print();
  }
}

}  // namespace

int run_scale(Args args) {
  const Options options(args, {"--orders", "--db", "--months", "--tenants", "--measure", "--export-child",
                               "--export-from", "--export-to", "--export-admin"},
                        {"--keep"});
  if (const auto child = options.get("--export-child")) {
    const auto max = std::numeric_limits<std::int64_t>::max();
    return export_child(*child, options.integer("--export-from", 0, 0, max), options.integer("--export-to", 0, 0, max),
                        options.integer("--export-admin", 0, 1, max));
  }
  const int months = static_cast<int>(options.integer("--months", 12, 1, 120));
  if (const auto path = options.get("--measure")) {
    for (const auto seeding_only : {"--orders", "--db", "--tenants", "--keep"})
      if (options.has(seeding_only)) throw UsageError(fmt::format("{} does not go with --measure", seeding_only));
    // Only the reads, on a database an earlier run kept with --db (opening it through the
    // engine applies any newer migration first).
    const std::string location(*path);
    const bool postgres = is_postgres_uri(location);
    const Seeded s = postgres ? seeded_earlier<PostgresDialect>(location, months) : seeded_earlier<SqliteDialect>(location, months);
    std::fprintf(stderr, "scale: measuring %lld orders in %s\n", static_cast<long long>(s.orders),
                 postgres ? ("the search_path schema of " + describe_server(location)).c_str() : s.path.c_str());
    if (postgres) measure<PostgresDialect>(s);
    else measure<SqliteDialect>(s);
    return 0;
  }
  const std::int64_t orders = options.integer("--orders", default_orders, 100, 10'000'000);
  const int tenants =
      static_cast<int>(options.integer("--tenants", std::clamp<std::int64_t>(orders / 500, 20, 2000), 2, 100'000));
  const std::string server(options.get("--db").value_or(""));
  const bool postgres = is_postgres_uri(server);
  // A file the user names is kept; a PostgreSQL schema only with --keep (a server is shared).
  const bool keep = options.has("--keep");
  if (keep && !postgres) throw UsageError("--keep is for --db postgresql://… (a --db file is always kept)");
  const ScratchDb db(server, "scale", keep);
  std::fprintf(stderr, "scale: %lld orders over %d months, %d tenants\n  database: %s\n", static_cast<long long>(orders),
               months, tenants, db.describe().c_str());
  if (postgres) {
    if (keep)
      std::fprintf(stderr, "  kept for --measure: the --db URI with options=-csearch_path%%3D%s added\n",
                   db.path().substr(db.path().rfind("%3D") + 3).c_str());
    measure<PostgresDialect>(seed_and_check<PostgresDialect>(db.path(), server, orders, months, tenants));
  } else {
    measure<SqliteDialect>(seed_and_check<SqliteDialect>(db.path(), "", orders, months, tenants));
  }
  return 0;
}

}  // namespace wo_bench
