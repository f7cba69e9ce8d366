// The storage interface. The engine speaks only this; src/store/sqlite implements it.
// Rows are columns of scalar Values named by the record types' field names, so a backend
// needs no knowledge of the domain. Invariants that must hold under concurrency are
// conditional writes (add_bounded) inside the write transaction, never read-then-write
// across transactions.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "workorder/fields.hpp"

namespace wo {

using Row = std::vector<Value>;  // values in the order of the requested columns

// column IS value (NULL-aware equality).
struct Condition {
  std::string_view column;
  Value value;
};

// One conjunction of order filters for select_orders/scan_orders; unset members do not
// filter. The engine unions several of these (one per status, per sight) and merges them,
// so each stays a single index range.
struct OrderFilter {
  std::int64_t org_id = 0;
  std::optional<std::int32_t> status;
  std::optional<std::int64_t> order_type_id, subtype_id, assignee_id, tenant_id, reporter_contact_id,
      reporter_staff_id;
  std::optional<std::int64_t> held_by;  // orders this staff member holds or once held
  std::optional<std::int64_t> created_from_ms, created_to_ms;  // [from, to)
  std::optional<std::string> text;  // number prefix or description substring
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
  // Inserts and returns the new row id. `columns` and `values` are parallel.
  virtual std::int64_t insert(std::string_view table, std::span<const std::string_view> columns,
                              const Row& values) = 0;
  virtual void update(std::string_view table, std::int64_t id,
                      std::span<const std::string_view> columns, const Row& values) = 0;
  virtual void remove(std::string_view table, std::int64_t id) = 0;
  virtual std::optional<Row> find(std::string_view table, std::span<const std::string_view> columns,
                                  std::int64_t id) = 0;
  // Rows matching every condition with id > after_id, ascending by id, at most `limit`.
  virtual std::vector<Row> select(std::string_view table, std::span<const std::string_view> columns,
                                  std::span<const Condition> where, std::int64_t after_id, int limit) = 0;
  // UPDATE table SET column = column + delta WHERE id = ? AND column + delta >= minimum.
  // Returns false (and changes nothing) when the bound would be crossed or the sum would
  // not fit int64.
  virtual bool add_bounded(std::string_view table, std::int64_t id, std::string_view column,
                           std::int64_t delta, std::int64_t minimum) = 0;
  // UPDATE table SET columns WHERE id = ? AND every condition holds; false if no row matched.
  // The conditional write that makes "exactly one grab wins" hold across processes.
  virtual bool update_where(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
                            const Row& values, std::span<const Condition> where) = 0;
  // Active staff of an org holding the admin role.
  virtual std::int64_t count_active_admins(std::int64_t org_id) = 0;
  // The next number of the org's per-day order sequence (1, 2, ...), atomically.
  virtual std::int64_t next_order_sequence(std::int64_t org_id, std::string_view day) = 0;
  // Orders a staff member holds: assigned to them in pending_accept or in_progress.
  virtual std::int64_t count_held(std::int64_t staff_id) = 0;
  // Books one place in a slot unless it already holds `capacity`; false (no change) if full.
  virtual bool book_slot(std::int64_t org_id, std::int64_t subtype_id, std::int64_t start_ms, std::int32_t capacity) = 0;
  // Gives back one place of a slot.
  virtual void release_slot(std::int64_t subtype_id, std::int64_t start_ms) = 0;
  // (start, booked) of a subtype's booked slots with start in [from_ms, to_ms).
  virtual std::vector<std::pair<std::int64_t, std::int32_t>> slot_bookings(std::int64_t subtype_id, std::int64_t from_ms,
                                                                           std::int64_t to_ms) = 0;
  // Orders matching `filter`, newest first (or oldest first) by (created_at, id), strictly
  // beyond `after` in that order, at most `limit`.
  virtual std::vector<Row> select_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                                         const std::optional<OrderKey>& after, bool newest_first, int limit) = 0;
  // Every order matching `filter`, in no particular order, streamed to fn until it returns
  // false.
  virtual void scan_orders(const OrderFilter& filter, std::span<const std::string_view> columns,
                           const std::function<bool(const Row&)>& fn) = 0;
  // (staff id, orders held) for every staff member of the org holding any now.
  virtual std::vector<std::pair<std::int64_t, std::int64_t>> held_counts(std::int64_t org_id) = 0;
  // Ids of orders (any org) whose timer has run out at `now_ms`, at most `limit`:
  // status `status` entered at least `timeout_column` of the org's settings ago, where the
  // setting counts in `unit_ms` milliseconds and 0 disables it.
  virtual std::vector<std::int64_t> due_orders(std::int32_t status, std::string_view timeout_column,
                                               std::int64_t unit_ms, std::int64_t now_ms, int limit) = 0;
};

enum class Durability { full, normal };

struct StoreOptions {
  Durability durability = Durability::full;
  int busy_timeout_ms = 5000;
  // Tests only: migrate no further than this schema version (0 = latest).
  int max_schema_version = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in one transaction: a write transaction takes the write lock up front.
  // Commits when fn returns, rolls back and rethrows when it throws.
  virtual void write(const std::function<void(Transaction&)>& fn) = 0;
  virtual void read(const std::function<void(Transaction&)>& fn) = 0;
  virtual int schema_version() = 0;
};

// Opens (creating if needed) a SQLite database: a file path or ":memory:". Migrates an
// older schema; a newer one fails with Error{schema_too_new} and is left untouched.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options = {});

// The schema version this library writes.
int latest_schema_version();

}  // namespace wo
