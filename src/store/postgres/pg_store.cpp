// SPDX-License-Identifier: MIT
// The PostgreSQL Store: one libpq connection per Store, calls serialised by a mutex. Write
// transactions run at READ COMMITTED: conditional writes re-check on the newest row version,
// and Transaction::lock is SELECT … FOR UPDATE, so the engine's invariants hold across
// processes and hosts without serialisation failures. Reads run at REPEATABLE READ READ ONLY:
// one snapshot for a whole list, dashboard or export. A deadlock or serialisation failure
// re-runs the transaction (Store::write's contract).
//
// Round trips decide the speed of a write transaction, so whatever needs no answer yet — BEGIN,
// row locks, append, update, remove, release_slot, prefetch — is queued and sent with the next
// statement that does, or with COMMIT, in one libpq pipeline.
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "domain/fail.hpp"
#include "store/order_filter_terms.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_schema.hpp"
#include "workorder/store.hpp"

namespace wo {
namespace postgres {
namespace {

// Rows a server-side cursor hands over per round trip while scanning.
constexpr int scan_batch = 2000;

// SQL text with its parameters: arg() appends a value and returns its placeholder.
struct Sql {
  std::string text;
  std::vector<Value> params;
  std::string arg(Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
  Sql& operator+=(std::string_view s) {
    text += s;
    return *this;
  }
};

std::string join(std::span<const std::string_view> names, std::string_view prefix = "") {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += prefix;
    out += names[i];
  }
  return out;
}

void append_conditions(Sql& sql, std::span<const Condition> where) {
  for (const auto& c : where) {
    std::string column(c.column), list;
    bool null = false;
    for (const auto& v : c.values) {
      if (std::holds_alternative<std::monostate>(v)) {
        null = true;
        continue;
      }
      if (!list.empty()) list += ", ";
      list += sql.arg(v);
    }
    if (list.empty()) sql += null ? " AND " + column + " IS NULL" : " AND false";
    else if (null) sql += " AND (" + column + " IN (" + list + ") OR " + column + " IS NULL)";
    else sql += " AND " + column + (c.values.size() == 1 ? " = " + list : " IN (" + list + ")");
  }
}

// The filter's terms on work_order w. held_by is the caller's join when `joined`, else a
// subquery.
void append_order_filter(Sql& sql, const OrderFilter& f, bool joined) {
  for (const auto& t : filter_terms(f)) sql += fmt::format(" AND w.{} {} {}", t.column, t.op, sql.arg(t.value));
  if (f.held_by && !joined)
    sql += fmt::format(" AND w.id IN (SELECT order_id FROM order_holder WHERE staff_id = {})", sql.arg(*f.held_by));
  if (f.text) {
    const std::string a = sql.arg(*f.text);
    sql += fmt::format(" AND (left(w.number, length({0}::text)) = {0}::text OR strpos(w.description, {0}::text) > 0)", a);
  }
}

Row read_row(const Result& r, int row) {
  Row out;
  out.reserve(static_cast<std::size_t>(r.columns()));
  for (int c = 0; c < r.columns(); ++c) out.push_back(r.value(row, c));
  return out;
}

std::vector<Row> read_rows(const Result& r) {
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) rows.push_back(read_row(r, i));
  return rows;
}

class PostgresTransaction final : public Transaction {
 public:
  explicit PostgresTransaction(Connection& c) : c_(c) {}

  std::int64_t insert(std::string_view table, std::span<const std::string_view> columns, const Row& values) override {
    forget(table);
    Sql sql;
    sql += fmt::format("INSERT INTO {} ({}) VALUES (", table, join(columns));
    for (std::size_t i = 0; i < values.size(); ++i) sql += (i ? ", " : "") + sql.arg(values[i]);
    sql += ") RETURNING id";
    return run(sql).integer(0, 0);
  }

  void append(std::string_view table, std::span<const std::string_view> columns, const Row& values) override {
    forget(table);
    Sql sql;
    sql += fmt::format("INSERT INTO {} ({}) VALUES (", table, join(columns));
    for (std::size_t i = 0; i < values.size(); ++i) sql += (i ? ", " : "") + sql.arg(values[i]);
    sql += ")";
    defer(sql);
  }

  void update(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
              const Row& values) override {
    forget(table);
    Sql sql;
    set_clause(sql, table, columns, values);
    sql += " WHERE id = " + sql.arg(id);
    defer(sql);
  }

  void remove(std::string_view table, std::int64_t id) override {
    forget(table);
    Sql sql;
    sql += fmt::format("DELETE FROM {} WHERE id = {}", table, sql.arg(id));
    defer(sql);
  }

  std::optional<Row> find(std::string_view table, std::span<const std::string_view> columns, std::int64_t id) override {
    const Sql sql = find_sql(table, columns, id);
    for (auto it = prefetched_.begin(); it != prefetched_.end(); ++it) {
      if ((*it)->sql != sql.text || (*it)->id != id) continue;
      const std::shared_ptr<Prefetched> hit = *it;
      prefetched_.erase(it);
      if (!hit->done) c_.flush();  // still queued: it goes now, with whatever precedes it
      return std::move(hit->row);
    }
    const Result r = run(sql);
    if (r.rows() == 0) return std::nullopt;
    return read_row(r, 0);
  }

  void prefetch(std::string_view table, std::span<const std::string_view> columns, std::int64_t id) override {
    const Sql sql = find_sql(table, columns, id);
    auto slot = std::make_shared<Prefetched>(Prefetched{std::string(table), sql.text, id, std::nullopt, false});
    prefetched_.push_back(slot);
    c_.defer(sql.text, sql.params, [slot](const Result& r) {
      if (r.rows() > 0) slot->row = read_row(r, 0);
      slot->done = true;
    });
  }

  // The statement waits for the row's lock on the server; whatever runs after it (the same
  // pipeline included) sees every transaction that held the lock before.
  void lock(std::string_view table, std::int64_t id) override {
    Sql sql;
    sql += fmt::format("SELECT 1 FROM {} WHERE id = {} FOR UPDATE", table, sql.arg(id));
    defer(sql);
  }

  std::vector<Row> select(std::string_view table, std::span<const std::string_view> columns,
                          std::span<const Condition> where, std::int64_t after_id, int limit) override {
    Sql sql;
    sql += fmt::format("SELECT {} FROM {} WHERE id > {}", join(columns), table, sql.arg(after_id));
    append_conditions(sql, where);
    sql += " ORDER BY id LIMIT " + sql.arg(std::int64_t{limit});
    return read_rows(run(sql));
  }

  std::int64_t count(std::string_view table, std::span<const Condition> where) override {
    Sql sql;
    sql += fmt::format("SELECT count(*) FROM {} WHERE true", table);
    append_conditions(sql, where);
    return run(sql).integer(0, 0);
  }

  std::vector<std::pair<std::int64_t, std::int64_t>> count_by(std::string_view table, std::string_view column,
                                                              std::span<const Condition> where) override {
    Sql sql;
    sql += fmt::format("SELECT {0}, count(*) FROM {1} WHERE {0} IS NOT NULL", column, table);
    append_conditions(sql, where);
    sql += fmt::format(" GROUP BY {0} ORDER BY {0}", column);
    const Result r = run(sql);
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.integer(i, 0), r.integer(i, 1));
    return out;
  }

  bool add_bounded(std::string_view table, std::int64_t id, std::string_view column, std::int64_t delta,
                   std::int64_t minimum) override {
    forget(table);
    // Decided in numeric, which cannot overflow; the bigint sum is computed only for a row
    // that passed.
    Sql sql;
    const std::string d = sql.arg(delta), i = sql.arg(id), m = sql.arg(minimum);
    sql += fmt::format(
        "UPDATE {0} SET {1} = {1} + {2}::bigint WHERE id = {3} AND {1}::numeric + {2}::numeric >= {4}::numeric "
        "AND {1}::numeric + {2}::numeric <= 9223372036854775807",
        table, column, d, i, m);
    return run(sql).changed() == 1;
  }

  bool update_where(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
                    const Row& values, std::span<const Condition> where) override {
    forget(table);
    Sql sql;
    set_clause(sql, table, columns, values);
    sql += " WHERE id = " + sql.arg(id);
    append_conditions(sql, where);
    return run(sql).changed() == 1;
  }

  std::int64_t next_order_sequence(std::int64_t org_id, std::string_view day) override {
    forget("order_counter");
    Sql sql;
    sql += fmt::format(
        "INSERT INTO order_counter (org_id, day, last) VALUES ({}, {}, 1) "
        "ON CONFLICT (org_id, day) DO UPDATE SET last = order_counter.last + 1 RETURNING last",
        sql.arg(org_id), sql.arg(std::string(day)));
    return run(sql).integer(0, 0);
  }

  bool book_slot(std::int64_t org_id, std::int64_t subtype_id, std::int64_t start_ms, std::int32_t capacity) override {
    forget("slot_booking");
    // One conditional upsert: the capacity check and the increment are one write, re-checked
    // on the newest version of the row when another booking got there first.
    Sql sql;
    const std::string o = sql.arg(org_id), s = sql.arg(subtype_id), t = sql.arg(start_ms),
                      c = sql.arg(std::int64_t{capacity});
    sql += fmt::format(
        "INSERT INTO slot_booking (org_id, subtype_id, slot_start, booked) "
        "SELECT {0}::bigint, {1}::bigint, {2}::bigint, 1 WHERE {3}::bigint >= 1 "
        "ON CONFLICT (subtype_id, slot_start) DO UPDATE SET booked = slot_booking.booked + 1 "
        "WHERE slot_booking.booked < {3}::bigint",
        o, s, t, c);
    return run(sql).changed() == 1;
  }

  void release_slot(std::int64_t subtype_id, std::int64_t start_ms) override {
    forget("slot_booking");
    Sql sql;
    sql += fmt::format("UPDATE slot_booking SET booked = booked - 1 WHERE subtype_id = {} AND slot_start = {} AND booked > 0",
                       sql.arg(subtype_id), sql.arg(start_ms));
    defer(sql);
  }

  std::vector<std::pair<std::int64_t, std::int32_t>> slot_bookings(std::int64_t subtype_id, std::int64_t from_ms,
                                                                   std::int64_t to_ms) override {
    Sql sql;
    sql += fmt::format(
        "SELECT slot_start, booked FROM slot_booking WHERE subtype_id = {} AND slot_start >= {} AND slot_start < {} "
        "AND booked > 0 ORDER BY slot_start",
        sql.arg(subtype_id), sql.arg(from_ms), sql.arg(to_ms));
    const Result r = run(sql);
    std::vector<std::pair<std::int64_t, std::int32_t>> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.integer(i, 0), static_cast<std::int32_t>(r.integer(i, 1)));
    return out;
  }

  std::vector<Row> select_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                                 const std::optional<OrderKey>& after, bool newest_first, int limit) override {
    // Orders a staff member holds or held page through the holder index (staff_id,
    // order_created_at, order_id); the join keeps the other filters on work_order.
    Sql sql;
    std::string key_at = "w.created_at", key_id = "w.id";
    if (filter.held_by) {
      key_at = "h.order_created_at";
      key_id = "h.order_id";
      sql += fmt::format("SELECT {} FROM order_holder h JOIN work_order w ON w.id = h.order_id WHERE h.staff_id = {}",
                         join(columns, "w."), sql.arg(*filter.held_by));
    } else {
      sql += fmt::format("SELECT {} FROM work_order w WHERE true", join(columns, "w."));
    }
    append_order_filter(sql, filter, filter.held_by.has_value());
    if (after) {
      // A row comparison is one index range in PostgreSQL.
      sql += fmt::format(" AND ({}, {}) {} ({}, {})", key_at, key_id, newest_first ? "<" : ">", sql.arg(after->created_at),
                         sql.arg(after->id));
    }
    const char* dir = newest_first ? " DESC" : "";
    sql += fmt::format(" ORDER BY {}{}, {}{} LIMIT {}", key_at, dir, key_id, dir, sql.arg(std::int64_t{limit}));
    return read_rows(run(sql));
  }

  void scan_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                   const std::function<bool(const Row&)>& fn) override {
    // A server-side cursor: memory stays one batch however many orders match, and fn may
    // use this transaction between batches.
    const std::string cursor = "wo_scan" + std::to_string(++cursors_);
    Sql sql;
    sql += fmt::format("DECLARE {} NO SCROLL CURSOR FOR SELECT {} FROM work_order w WHERE true", cursor,
                       join(columns, "w."));
    append_order_filter(sql, filter, false);
    c_.query_once(sql.text, sql.params);
    const std::string fetch = fmt::format("FETCH FORWARD {} FROM {}", scan_batch, cursor);
    bool more = true;
    Row row(columns.size());  // reused: a scan may stream millions of rows
    while (more) {
      const Result r = c_.exec(fetch);
      for (int i = 0; i < r.rows() && more; ++i) {
        for (int col = 0; col < r.columns(); ++col) row[static_cast<std::size_t>(col)] = r.value(i, col);
        more = fn(row);
      }
      if (r.rows() < scan_batch) more = false;
    }
    c_.exec("CLOSE " + cursor);
  }

 private:
  // A row read ahead by prefetch(), for the find() it announced.
  struct Prefetched {
    std::string table, sql;
    std::int64_t id;
    std::optional<Row> row;
    bool done;  // its statement has run
  };

  static Sql find_sql(std::string_view table, std::span<const std::string_view> columns, std::int64_t id) {
    Sql sql;
    sql += fmt::format("SELECT {} FROM {} WHERE id = {}", join(columns), table, sql.arg(id));
    return sql;
  }

  // A write voids what was read ahead of it from its table.
  void forget(std::string_view table) {
    std::erase_if(prefetched_, [&](const auto& p) { return p->table == table; });
  }

  static void set_clause(Sql& sql, std::string_view table, std::span<const std::string_view> columns,
                         const Row& values) {
    sql += fmt::format("UPDATE {} SET ", table);
    for (std::size_t i = 0; i < columns.size(); ++i)
      sql += fmt::format("{}{} = {}", i ? ", " : "", columns[i], sql.arg(values[i]));
  }
  Result run(const Sql& sql) { return c_.query(sql.text, sql.params); }
  void defer(const Sql& sql) { c_.defer(sql.text, sql.params); }

  Connection& c_;
  int cursors_ = 0;
  std::vector<std::shared_ptr<Prefetched>> prefetched_;
};

// Serialises migrations of every schema of the database: several processes opening a fresh
// one at once take turns, and all but the first find the work done.
constexpr std::int64_t migration_lock_key = 0x776f'6d69'6772'6174;  // "womigrat"
// Held shared by every write transaction, exclusively for a moment by settled_id.
constexpr std::int64_t feed_barrier_key = 0x776f'6665'6564'6261;  // "wofeedba"

class PostgresStore final : public Store {
 public:
  PostgresStore(const std::string& uri, const StoreOptions& options) : c_(uri, options), options_(options) {
    const int latest = static_cast<int>(migrations().size());
    const int target = options.max_schema_version > 0 ? std::min(options.max_schema_version, latest) : latest;
    int found = 0;
    read([&](Transaction&) { found = version(); });
    if (found > latest) too_new(found);
    if (found >= target) return;
    write([&](Transaction&) {
      c_.exec("SELECT pg_advisory_xact_lock(" + std::to_string(migration_lock_key) + ")");
      c_.exec("CREATE TABLE IF NOT EXISTS wo_schema (version BIGINT NOT NULL)");
      const int now = version();  // re-read under the lock: another process may have migrated
      if (now > latest) too_new(now);
      for (int v = now; v < target; ++v) c_.exec(std::string(migrations()[static_cast<std::size_t>(v)]));
      if (now < target) {
        c_.exec("DELETE FROM wo_schema");
        c_.exec("INSERT INTO wo_schema (version) VALUES (" + std::to_string(std::max(now, target)) + ")");
      }
    });
  }

  // Every write transaction holds the feed barrier shared (see settled_id); shared holders
  // never wait for each other.
  void write(const std::function<void(Transaction&)>& fn) override {
    run(write_begin_.c_str(), fn);
  }
  void read(const std::function<void(Transaction&)>& fn) override {
    run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn);
  }

  int schema_version() override {
    int v = 0;
    read([&](Transaction&) { v = version(); });
    return v;
  }

  // Ids come from a sequence at insert and become visible at commit, so a later id can be
  // visible before an earlier one. Taking the barrier exclusively waits until every write
  // transaction in flight has ended (new ones queue for the moment it is held): then every id
  // handed out so far is committed or gone, and the largest committed one is settled.
  std::int64_t settled_id(std::string_view table) override {
    std::int64_t settled = 0;
    run("BEGIN ISOLATION LEVEL READ COMMITTED", [&](Transaction&) {
      c_.exec("SELECT pg_advisory_xact_lock(" + std::to_string(feed_barrier_key) + ")");
      settled = c_.exec(fmt::format("SELECT coalesce(max(id), 0) FROM {}", table)).integer(0, 0);
    });
    return settled;
  }

 private:
  int version() {
    const Result r = c_.exec("SELECT to_regclass('wo_schema') IS NOT NULL");
    if (r.value(0, 0) != Value{std::string("t")}) return 0;
    const Result v = c_.exec("SELECT max(version) FROM wo_schema");
    return std::holds_alternative<std::int64_t>(v.value(0, 0)) ? static_cast<int>(v.integer(0, 0)) : 0;
  }

  [[noreturn]] void too_new(int found) {
    fail(Code::schema_too_new, "PostgreSQL {} has schema version {}, newer than {} (this library)", c_.where(), found,
         migrations().size());
  }

  // One transaction, re-run after a serialisation failure or deadlock with capped, jittered
  // exponential backoff until the busy timeout.
  void run(const char* begin, const std::function<void(Transaction&)>& fn) {
    std::lock_guard lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{options_.busy_timeout_ms};
    for (int attempt = 0;; ++attempt) {
      try {
        run_once(begin, fn);
        return;
      } catch (const RetryableFailure&) {
        if (std::chrono::steady_clock::now() >= deadline)
          fail(Code::busy, "PostgreSQL {}: the transaction kept failing to serialise for {} ms", c_.where(),
               options_.busy_timeout_ms);
        const auto cap = std::chrono::microseconds{std::min(100 << std::min(attempt, 10), 50'000)};
        std::uniform_int_distribution<std::int64_t> jitter(0, cap.count());
        std::this_thread::sleep_for(std::chrono::microseconds{jitter(random_)});
      }
    }
  }

  void run_once(const char* begin, const std::function<void(Transaction&)>& fn) {
    c_.ensure_open();
    c_.begin(begin);  // sent with the transaction's first statement
    try {
      PostgresTransaction tx(c_);
      fn(tx);
      c_.commit();
    } catch (...) {
      c_.rollback();
      throw;
    }
  }

  std::recursive_mutex mutex_;
  Connection c_;
  StoreOptions options_;
  const std::string write_begin_ = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock_shared(" +
                                   std::to_string(feed_barrier_key) + ")";
  std::minstd_rand random_{std::random_device{}()};
};

}  // namespace
}  // namespace postgres

std::unique_ptr<Store> open_postgres_store(const std::string& uri, const StoreOptions& options) {
  return std::make_unique<postgres::PostgresStore>(uri, options);
}

}  // namespace wo
