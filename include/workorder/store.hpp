// SPDX-License-Identifier: MIT
// The storage seam. The engine speaks only this interface; src/store/sqlite and
// src/store/postgres implement it, and a host may supply its own backend (docs/storage.md says
// how, table by table).
//
// What a backend stores is the logical schema of docs/storage.md: tables of rows, each row an
// integer `id` plus named columns holding scalar Values (NULL, int64 or UTF-8 text). Table and
// column names are always names of that schema, never SQL. Values are opaque to a backend: it
// stores and compares them and never interprets them — what a status or role number means is
// the engine's business, so no backend re-encodes a rule of the product.
//
// Isolation. Every call of Store::write or Store::read runs one transaction. A backend must
// give each statement a view of every transaction committed before it began (READ COMMITTED
// or stronger), make each operation below atomic, and give a write transaction all or
// nothing. The invariants that must hold under concurrency need exactly four things:
//   - conditional writes (add_bounded, update_where, book_slot) decide on the newest committed
//     version of the row, in the same atomic step as the write (PostgreSQL's UPDATE … WHERE
//     re-checks on the newest row version; SQLite has one writer);
//   - lock(table, id) serialises every count-then-write on a parent row (staff for the grab
//     limit, org for the last admin, the order for every order action): a reader that takes
//     the lock sees every transaction that released it;
//   - next_order_sequence hands out gap-free numbers (its row stays locked until commit).
//   - Store::settled_id bounds the event feed to ids no transaction can still commit below.
// Nothing else is assumed: the engine never reads in one transaction and writes on that
// basis in another.
//
// Calls that return nothing (append, update, remove, lock, release_slot, prefetch) may be deferred: a
// backend may send them with the transaction's next call that returns something, or with the
// commit, as long as they take effect in call order and before that call's own statement. A
// failure of a deferred call is then thrown from that later call (or from Store::write at
// commit), before it returns any result; the transaction rolls back as always.
//
// Failures, and whose they are (all thrown as wo::Error):
//   - a unique key of the schema clashing is Code::conflict: the engine expects it (two
//     departments of one name, a concurrent submit with the same client token);
//   - a broken CHECK, NOT NULL or foreign key is Code::internal: the engine validates first,
//     so it is a bug, never a user error;
//   - the database being unreachable, full or failing is Code::storage; a lock wait longer
//     than StoreOptions::busy_timeout_ms is Code::busy;
//   - a serialisation failure or deadlock is never shown: Store::write re-runs the whole
//     transaction (see Store::write).
// A message names the operation and the table, never credentials.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "workorder/fields.hpp"

namespace wo {

using Row = std::vector<Value>;  // values in the order of the requested columns

// The column equals one of `values` (a null value matches NULL). One value is plain
// equality; several are "any of" (an IN list).
struct Condition {
  std::string_view column;
  std::vector<Value> values;
  Condition(std::string_view c, Value v) : column(c), values{std::move(v)} {}
  Condition(std::string_view c, std::vector<Value> any_of) : column(c), values(std::move(any_of)) {}
};

// One conjunction of filters on the work_order table for select_orders and scan_orders;
// unset members do not filter. The engine unions several of these (one per status, per
// sight) and merges them, so each stays a single index range.
struct OrderFilter {
  std::int64_t org_id = 0;  // 0: every org
  std::optional<std::int64_t> status;
  std::optional<std::int64_t> order_type_id, subtype_id, assignee_id, tenant_id, reporter_contact_id,
      reporter_staff_id;
  std::optional<std::int64_t> held_by;  // orders this staff member holds or once held (order_holder)
  std::optional<std::int64_t> created_from_ms, created_to_ms;  // created_at in [from, to)
  std::optional<std::int64_t> status_since_to_ms;             // status_since <= this
  std::optional<std::int64_t> response_state, resolution_state;  // equal to this
  std::optional<std::int64_t> response_due_before_ms, resolution_due_before_ms;  // due < this
  std::optional<std::int64_t> sla_alert_to_ms;                   // sla_alert_at <= this
  std::optional<std::string> text;  // number starts with it, or description contains it (bytes)
};

// A position in the (created_at, id) order of orders.
struct OrderKey {
  std::int64_t created_at = 0;
  std::int64_t id = 0;
  auto operator<=>(const OrderKey&) const = default;
};

class Transaction {
 public:
  virtual ~Transaction() = default;

  // --- rows by id ---
  // Inserts a row and returns its id. `columns` and `values` are parallel; when `columns`
  // names "id" the row takes that id (order_settings and slot_schedule share their parent's
  // id), else the backend assigns a new one, greater than the id of every row in the table
  // (event ids must increase: the feed pages by them).
  virtual std::int64_t insert(std::string_view table, std::span<const std::string_view> columns,
                              const Row& values) = 0;
  // Inserts a row like insert() when the caller needs no id back.
  virtual void append(std::string_view table, std::span<const std::string_view> columns, const Row& values) {
    insert(table, columns, values);
  }
  // Sets `columns` of row `id` (no-op if there is none).
  virtual void update(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
                      const Row& values) = 0;
  virtual void remove(std::string_view table, std::int64_t id) = 0;
  virtual std::optional<Row> find(std::string_view table, std::span<const std::string_view> columns,
                                  std::int64_t id) = 0;
  // A hint that find(table, columns, id) comes soon: a backend that sends statements in
  // batches may read the row with whatever it sends next and answer that find without a
  // round trip of its own. A write to `table` before the find voids the hint (the find then
  // reads afresh). Doing nothing is always correct.
  virtual void prefetch(std::string_view /*table*/, std::span<const std::string_view> /*columns*/,
                        std::int64_t /*id*/) {}
  // Serialises on row `id` of `table` until this transaction ends: another transaction's
  // lock of the same row waits, and whatever this one reads after the lock includes every
  // transaction that held it before. The engine calls it before each read-modify-write and
  // count-then-write. A backend with one writer at a time may do nothing. Read transactions
  // never call it.
  virtual void lock(std::string_view table, std::int64_t id) = 0;

  // --- rows by condition ---
  // Rows matching every condition with id > after_id, ascending by id, at most `limit`.
  virtual std::vector<Row> select(std::string_view table, std::span<const std::string_view> columns,
                                  std::span<const Condition> where, std::int64_t after_id, int limit) = 0;
  // How many rows match every condition.
  virtual std::int64_t count(std::string_view table, std::span<const Condition> where) = 0;
  // (value, rows) for every non-null integer value of `column` among the rows matching every
  // condition, ascending by value.
  virtual std::vector<std::pair<std::int64_t, std::int64_t>> count_by(std::string_view table, std::string_view column,
                                                                      std::span<const Condition> where) = 0;

  // --- conditional writes: the decision and the write are one atomic step ---
  // column += delta on row `id` unless the result would be below `minimum` or not fit int64;
  // returns false (and changes nothing) then.
  virtual bool add_bounded(std::string_view table, std::int64_t id, std::string_view column,
                           std::int64_t delta, std::int64_t minimum) = 0;
  // Sets `columns` of row `id` if every condition holds on its newest version; false (no
  // change) otherwise. Two transactions updating one row on the same condition: one wins.
  virtual bool update_where(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
                            const Row& values, std::span<const Condition> where) = 0;
  // The next number (1, 2, ...) of the counter (org, day) in table order_counter, gap-free:
  // a number is never handed out twice, and one handed out to a transaction that rolls back
  // is handed out again.
  virtual std::int64_t next_order_sequence(std::int64_t org_id, std::string_view day) = 0;
  // Books one place of slot (subtype, start) in table slot_booking unless it already holds
  // `capacity`; false (no change) if full.
  virtual bool book_slot(std::int64_t org_id, std::int64_t subtype_id, std::int64_t start_ms, std::int32_t capacity) = 0;
  // Gives back one place of a slot (never below zero).
  virtual void release_slot(std::int64_t subtype_id, std::int64_t start_ms) = 0;
  // (start, booked) of a subtype's slots with a booking and start in [from_ms, to_ms),
  // ascending.
  virtual std::vector<std::pair<std::int64_t, std::int32_t>> slot_bookings(std::int64_t subtype_id, std::int64_t from_ms,
                                                                           std::int64_t to_ms) = 0;

  // --- orders: the lists and scans that must stay one index range at any depth ---
  // Orders matching `filter`, newest first (or oldest first) by (created_at, id), strictly
  // beyond `after` in that order, at most `limit`.
  virtual std::vector<Row> select_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                                         const std::optional<OrderKey>& after, bool newest_first, int limit) = 0;
  // Every order matching `filter`, in no particular order, streamed to fn until it returns
  // false. The row passed to fn is valid only during the call.
  virtual void scan_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                           const std::function<bool(const Row&)>& fn) = 0;
};

// How hard a commit tries to survive a crash. SQLite: synchronous FULL or NORMAL.
// PostgreSQL: synchronous_commit on (the server's setting) or off for the connection's
// transactions (a server crash may lose the last commits, never half of one).
enum class Durability { full, normal };

struct StoreOptions {
  Durability durability = Durability::full;
  // How long a statement waits for another transaction's lock before Code::busy, and how
  // long Store::write keeps re-running a transaction that failed to serialise.
  int busy_timeout_ms = 5000;
  // Tests only: migrate no further than this schema version (0 = latest).
  int max_schema_version = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in one write transaction and commits when it returns; rolls back and rethrows
  // when it throws. On a serialisation failure or deadlock the backend rolls back and runs
  // fn again, with capped, jittered backoff, until busy_timeout_ms has passed (then
  // Code::busy). So fn may run more than once: it must have no effect outside the
  // transaction but what it recomputes on every run.
  virtual void write(const std::function<void(Transaction&)>& fn) = 0;
  // Runs fn in one read transaction (no writes, no locks): one consistent view.
  virtual void read(const std::function<void(Transaction&)>& fn) = 0;
  // The schema version of the database (see latest_schema_version).
  virtual int schema_version() = 0;
  // The largest id of `table` at or below which no row can still appear: every transaction
  // that could add one has ended. A reader paging by id across calls (the event feed) returns
  // only rows at or below it, so a row whose transaction commits late never lands behind the
  // reader's cursor. Call it before the read transaction it bounds. A backend whose ids
  // increase in commit order (one writer at a time) may return INT64_MAX.
  virtual std::int64_t settled_id(std::string_view table) = 0;
};

// Opens (creating and migrating if needed) the database at `location`: a libpq connection
// URI ("postgresql://…" or "postgres://…") opens PostgreSQL, anything else is a SQLite file
// path (":memory:" for a private in-memory database). An older schema is migrated; a newer
// one fails with Error{schema_too_new} and is left untouched. One connection per Store.
std::unique_ptr<Store> open_store(const std::string& location, const StoreOptions& options = {});
std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options = {});
std::unique_ptr<Store> open_postgres_store(const std::string& uri, const StoreOptions& options = {});

// True for the locations open_store hands to PostgreSQL.
bool is_postgres_uri(std::string_view location);

// The schema version this library writes.
int latest_schema_version();

}  // namespace wo
