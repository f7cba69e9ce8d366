// SPDX-License-Identifier: MIT
// The SQLite Store: one connection per Store, calls serialised by a mutex, every write
// transaction BEGIN IMMEDIATE so concurrent writers queue on the busy timeout instead of
// failing on a lock upgrade.
#include <limits>
#include <mutex>

#include <fmt/format.h>

#include "domain/fail.hpp"
#include "store/order_filter_terms.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "workorder/store.hpp"

namespace wo {
namespace sqlite {
namespace {

std::string join(std::span<const std::string_view> names, std::string_view suffix = "") {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += names[i];
    out += suffix;
  }
  return out;
}

// " AND col = ?" for a value, " AND col IS NULL" for null, " AND col IN (?, ...)" for
// several: plain equality lets SQLite use indexes (including partial ones) where "IS ?"
// would not. Returns the values to bind.
std::vector<const Value*> append_conditions(std::string& sql, std::span<const Condition> where) {
  std::vector<const Value*> binds;
  for (const auto& c : where) {
    sql += " AND ";
    sql += c.column;
    if (c.values.size() == 1 && std::holds_alternative<std::monostate>(c.values[0])) {
      sql += " IS NULL";
    } else if (c.values.size() == 1) {
      sql += " = ?";
      binds.push_back(&c.values[0]);
    } else {
      sql += " IN (";
      for (std::size_t i = 0; i < c.values.size(); ++i) {
        sql += i ? ", ?" : "?";
        binds.push_back(&c.values[i]);
      }
      sql += ")";
    }
  }
  return binds;
}

// The WHERE clause of an order filter ("1" and " AND ..." terms) and its values.
struct OrderWhere {
  std::string sql = "1";
  std::vector<Value> binds;

  // `table` qualifies the columns ("work_order." when joined with order_holder).
  explicit OrderWhere(const OrderFilter& f, std::string_view table = "") {
    // Any id filter already lies inside the org (the engine checked it), and its index is
    // the one to use, so then the org condition stays out of index choice.
    const bool narrower = f.order_type_id || f.subtype_id || f.assignee_id || f.tenant_id || f.reporter_contact_id ||
                          f.reporter_staff_id;
    for (const auto& t : filter_terms(f)) {
      sql += fmt::format(" AND {}{}{} {} ?", narrower && t.column == "org_id" ? "+" : "", table, t.column, t.op);
      binds.emplace_back(t.value);
    }
    if (f.held_by) {
      sql += " AND id IN (SELECT order_id FROM order_holder WHERE staff_id = ?)";
      binds.emplace_back(*f.held_by);
    }
    if (f.text) {
      // Byte-wise, so no LIKE wildcards or case folding to escape.
      sql += fmt::format(" AND (substr({0}number, 1, length(?)) = ? OR instr({0}description, ?) > 0)", table);
      binds.insert(binds.end(), 3, Value{*f.text});
    }
  }
};

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& c) : c_(c) {}

  std::int64_t insert(std::string_view table, std::span<const std::string_view> columns,
                      const Row& values) override {
    std::string sql = "INSERT INTO " + std::string(table) + " (" + join(columns) + ") VALUES (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
    auto stmt = c_.prepare(sql);
    for (std::size_t i = 0; i < values.size(); ++i) stmt.bind(static_cast<int>(i + 1), values[i]);
    stmt.step();
    return sqlite3_last_insert_rowid(c_.handle());
  }

  void update(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
              const Row& values) override {
    std::string sql = "UPDATE " + std::string(table) + " SET " + join(columns, " = ?") + " WHERE id = ?";
    auto stmt = c_.prepare(sql);
    std::size_t i = 0;
    for (; i < values.size(); ++i) stmt.bind(static_cast<int>(i + 1), values[i]);
    stmt.bind(static_cast<int>(i + 1), Value{id});
    stmt.step();
  }

  void remove(std::string_view table, std::int64_t id) override {
    auto stmt = c_.prepare("DELETE FROM " + std::string(table) + " WHERE id = ?");
    stmt.bind(1, Value{id});
    stmt.step();
  }

  std::optional<Row> find(std::string_view table, std::span<const std::string_view> columns,
                          std::int64_t id) override {
    auto stmt = c_.prepare("SELECT " + join(columns) + " FROM " + std::string(table) + " WHERE id = ?");
    stmt.bind(1, Value{id});
    if (!stmt.step()) return std::nullopt;
    return read_row(stmt, columns.size());
  }

  std::vector<Row> select(std::string_view table, std::span<const std::string_view> columns,
                          std::span<const Condition> where, std::int64_t after_id, int limit) override {
    std::string sql = "SELECT " + join(columns) + " FROM " + std::string(table) + " WHERE id > ?";
    const auto binds = append_conditions(sql, where);
    sql += " ORDER BY id LIMIT ?";
    auto stmt = c_.prepare(sql);
    int i = 1;
    stmt.bind(i++, Value{after_id});
    for (const Value* v : binds) stmt.bind(i++, *v);
    stmt.bind(i, Value{std::int64_t{limit}});
    std::vector<Row> rows;
    while (stmt.step()) rows.push_back(read_row(stmt, columns.size()));
    return rows;
  }

  // One writer at a time (BEGIN IMMEDIATE): every write transaction is already serialised.
  void lock(std::string_view, std::int64_t) override {}

  std::int64_t count(std::string_view table, std::span<const Condition> where) override {
    std::string sql = "SELECT count(*) FROM " + std::string(table) + " WHERE 1";
    const auto binds = append_conditions(sql, where);
    auto stmt = c_.prepare(sql);
    int i = 1;
    for (const Value* v : binds) stmt.bind(i++, *v);
    stmt.step();
    return stmt.column_int(0);
  }

  std::vector<std::pair<std::int64_t, std::int64_t>> count_by(std::string_view table, std::string_view column,
                                                              std::span<const Condition> where) override {
    const std::string col(column);
    std::string sql = "SELECT " + col + ", count(*) FROM " + std::string(table) + " WHERE " + col + " IS NOT NULL";
    const auto binds = append_conditions(sql, where);
    sql += " GROUP BY " + col + " ORDER BY " + col;
    auto stmt = c_.prepare(sql);
    int i = 1;
    for (const Value* v : binds) stmt.bind(i++, *v);
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    while (stmt.step()) out.emplace_back(stmt.column_int(0), stmt.column_int(1));
    return out;
  }

  bool add_bounded(std::string_view table, std::int64_t id, std::string_view column, std::int64_t delta,
                   std::int64_t minimum) override {
    const std::string col(column);
    // The last term keeps an increase from overflowing (SQLite would store a REAL).
    auto stmt = c_.prepare("UPDATE " + std::string(table) + " SET " + col + " = " + col + " + ?1 WHERE id = ?2 AND " +
                           col + " + ?1 >= ?3 AND (?1 <= 0 OR " + col + " <= 9223372036854775807 - ?1)");
    stmt.bind(1, Value{delta});
    stmt.bind(2, Value{id});
    stmt.bind(3, Value{minimum});
    stmt.step();
    return c_.changes() == 1;
  }

  bool update_where(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
                    const Row& values, std::span<const Condition> where) override {
    std::string sql = "UPDATE " + std::string(table) + " SET " + join(columns, " = ?") + " WHERE id = ?";
    const auto binds = append_conditions(sql, where);
    auto stmt = c_.prepare(sql);
    int i = 1;
    for (const auto& v : values) stmt.bind(i++, v);
    stmt.bind(i++, Value{id});
    for (const Value* v : binds) stmt.bind(i++, *v);
    stmt.step();
    return c_.changes() == 1;
  }

  std::int64_t next_order_sequence(std::int64_t org_id, std::string_view day) override {
    auto stmt = c_.prepare(
        "INSERT INTO order_counter (org_id, day, last) VALUES (?, ?, 1) "
        "ON CONFLICT (org_id, day) DO UPDATE SET last = last + 1 RETURNING last");
    stmt.bind(1, Value{org_id});
    stmt.bind(2, Value{std::string(day)});
    stmt.step();
    const std::int64_t next = stmt.column_int(0);
    while (stmt.step()) {
    }
    return next;
  }

  std::vector<Row> select_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                                 const std::optional<OrderKey>& after, bool newest_first, int limit) override {
    // Orders a staff member holds or held page through the holder index (staff_id,
    // order_created_at, order_id); the join keeps the other filters on work_order.
    OrderFilter rest = filter;
    rest.held_by.reset();
    // Keep only the tighter of the cursor and the created range on the side the page moves
    // towards: with both, SQLite may start the index range at the range's end and walk
    // every row up to the cursor, making deep pages cost their depth.
    std::optional<OrderKey> keyset = after;
    if (after) {
      auto& bound = newest_first ? rest.created_to_ms : rest.created_from_ms;
      const bool bound_is_tighter = bound && (newest_first ? *bound <= after->created_at : *bound > after->created_at);
      if (bound_is_tighter) keyset.reset();
      else bound.reset();
    }
    OrderWhere where(rest, filter.held_by ? "work_order." : "");
    std::string from = "work_order", key_at = "created_at", key_id = "id", cols = join(columns);
    if (filter.held_by) {
      from = "order_holder h CROSS JOIN work_order ON work_order.id = h.order_id";
      key_at = "h.order_created_at";
      key_id = "h.order_id";
      cols.clear();
      for (const auto c : columns) cols += fmt::format("{}work_order.{}", cols.empty() ? "" : ", ", c);
      where.sql += " AND h.staff_id = ?";
      where.binds.emplace_back(*filter.held_by);
    }
    if (keyset) {
      // The first term is an index range; the second skips the rows of the same instant.
      const char* cmp = newest_first ? "<" : ">";
      where.sql += fmt::format(" AND {0} {2}= ? AND ({0} {2} ? OR {1} {2} ?)", key_at, key_id, cmp);
      where.binds.emplace_back(keyset->created_at);
      where.binds.emplace_back(keyset->created_at);
      where.binds.emplace_back(keyset->id);
    }
    const char* dir = newest_first ? " DESC" : "";
    auto stmt = c_.prepare(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {}{}, {}{} LIMIT ?", cols, from, where.sql,
                                       key_at, dir, key_id, dir));
    int i = 1;
    for (const auto& v : where.binds) stmt.bind(i++, v);
    stmt.bind(i, Value{std::int64_t{limit}});
    std::vector<Row> rows;
    while (stmt.step()) rows.push_back(read_row(stmt, columns.size()));
    return rows;
  }

  void scan_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                   const std::function<bool(const Row&)>& fn) override {
    // No ORDER BY: for the dashboard's filter (org and created range) and columns, SQLite
    // then reads one covering index (work_order_figures) and never the table.
    const OrderWhere where(filter);
    auto stmt = c_.prepare(fmt::format("SELECT {} FROM work_order WHERE {}", join(columns), where.sql));
    int i = 1;
    for (const auto& v : where.binds) stmt.bind(i++, v);
    Row row(columns.size());  // reused: a scan may stream millions of rows
    while (stmt.step()) {
      for (std::size_t c = 0; c < row.size(); ++c) row[c] = stmt.column(static_cast<int>(c));
      if (!fn(row)) return;
    }
  }

  bool book_slot(std::int64_t org_id, std::int64_t subtype_id, std::int64_t start_ms, std::int32_t capacity) override {
    // One conditional upsert: the capacity check and the increment are one write.
    auto stmt = c_.prepare(
        "INSERT INTO slot_booking (org_id, subtype_id, slot_start, booked) SELECT ?1, ?2, ?3, 1 WHERE ?4 >= 1 "
        "ON CONFLICT (subtype_id, slot_start) DO UPDATE SET booked = booked + 1 WHERE booked < ?4");
    stmt.bind(1, Value{org_id});
    stmt.bind(2, Value{subtype_id});
    stmt.bind(3, Value{start_ms});
    stmt.bind(4, Value{std::int64_t{capacity}});
    stmt.step();
    return c_.changes() == 1;
  }

  void release_slot(std::int64_t subtype_id, std::int64_t start_ms) override {
    auto stmt = c_.prepare("UPDATE slot_booking SET booked = booked - 1 WHERE subtype_id = ? AND slot_start = ? AND booked > 0");
    stmt.bind(1, Value{subtype_id});
    stmt.bind(2, Value{start_ms});
    stmt.step();
  }

  std::vector<std::pair<std::int64_t, std::int32_t>> slot_bookings(std::int64_t subtype_id, std::int64_t from_ms,
                                                                   std::int64_t to_ms) override {
    auto stmt = c_.prepare(
        "SELECT slot_start, booked FROM slot_booking WHERE subtype_id = ? AND slot_start >= ? AND slot_start < ? "
        "AND booked > 0 ORDER BY slot_start");
    stmt.bind(1, Value{subtype_id});
    stmt.bind(2, Value{from_ms});
    stmt.bind(3, Value{to_ms});
    std::vector<std::pair<std::int64_t, std::int32_t>> out;
    while (stmt.step()) out.emplace_back(stmt.column_int(0), static_cast<std::int32_t>(stmt.column_int(1)));
    return out;
  }

 private:
  static Row read_row(Statement& stmt, std::size_t n) {
    Row row;
    row.reserve(n);
    for (std::size_t i = 0; i < n; ++i) row.push_back(stmt.column(static_cast<int>(i)));
    return row;
  }
  Connection& c_;
};

int user_version(Connection& c) {
  auto stmt = c.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.column_int(0));
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const StoreOptions& options) : c_(path, options) {
    const int latest = static_cast<int>(migrations().size());
    const int target = options.max_schema_version > 0 ? std::min(options.max_schema_version, latest) : latest;
    if (user_version(c_) > latest) too_new(path);
    c_.configure(options, path == ":memory:");
    if (user_version(c_) >= target) return;
    write([&](Transaction&) {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const int found = user_version(c_);
      if (found > latest) too_new(path);
      for (int v = found; v < target; ++v) {
        c_.exec(migrations()[static_cast<std::size_t>(v)]);
        c_.exec("PRAGMA user_version = " + std::to_string(v + 1));
      }
    });
  }

  void write(const std::function<void(Transaction&)>& fn) override { run(true, fn); }
  void read(const std::function<void(Transaction&)>& fn) override { run(false, fn); }

  int schema_version() override {
    std::lock_guard lock(mutex_);
    return user_version(c_);
  }

  // One writer at a time hands out ids in commit order.
  std::int64_t settled_id(std::string_view) override { return std::numeric_limits<std::int64_t>::max(); }

 private:
  [[noreturn]] static void too_new(const std::string& path) {
    fail(Code::schema_too_new, "database '{}' has schema version newer than {} (this library)", path,
         migrations().size());
  }

  // A call never leaves the connection inside a transaction; should a rollback fail (out of
  // memory, I/O), the next call finishes it before it begins its own.
  void run(bool write, const std::function<void(Transaction&)>& fn) {
    std::lock_guard lock(mutex_);
    if (!c_.rollback()) fail(Code::storage, "cannot roll back the previous transaction: {}", sqlite3_errmsg(c_.handle()));
    c_.begin(write);
    try {
      SqliteTransaction tx(c_);
      fn(tx);
      c_.commit();
    } catch (...) {
      c_.rollback();
      throw;
    }
  }

  std::recursive_mutex mutex_;
  Connection c_;
};

}  // namespace
}  // namespace sqlite

std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  return std::make_unique<sqlite::SqliteStore>(path, options);
}

int latest_schema_version() { return static_cast<int>(sqlite::migrations().size()); }

}  // namespace wo
