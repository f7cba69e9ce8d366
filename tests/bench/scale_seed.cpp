// SPDX-License-Identifier: MIT
#include "scale_seed.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <set>

#include "bench.hpp"
#include "scale_pg.hpp"
#include "scale_sql.hpp"
#include "workorder/store.hpp"

namespace wo_bench::scale {
namespace {

using namespace wo;

constexpr std::int64_t minute = 60'000;
constexpr std::int64_t hour = 60 * minute;
constexpr std::int64_t day = 24 * hour;
constexpr std::int64_t orders_per_transaction = 10'000;

// How long an order may sit in a status without a timer before the seeder considers it
// stale: older copies use a closed or a later-status template instead.
constexpr std::int64_t stale_pending_dispatch = 2 * day;
constexpr std::int64_t stale_in_progress = 4 * day;
constexpr std::int64_t stale_awaiting_payment = 14 * day;

// Relative frequency of orders created in each org-local hour (0..23): office hours.
constexpr double hour_weights[24] = {1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 6, 8, 8, 7, 5, 6, 7, 7, 6, 5, 5, 6, 5, 4, 3, 2};

// What a copy does with a column.
enum class Rule {
  id,        // the row's own id: a new one
  keep,      // copied as is
  time,      // an instant: moved by the copy's delta
  order,     // the order's id: the copy's
  staff,     // a staff id: replaced through the copy's staff map
  contact,   // the reporting contact: the copy's
  tenant,    // the tenant: the copy's
  party,     // an id whose kind is in `kind_column` (1 staff, 2 contact; ActorKind and Audience agree)
  number,    // the order number: regenerated
  unique,    // a text unique in the org (client_token, provider_txn_id): suffixed with the new order id
  details,   // event details: a quoted line id is replaced by the copy's line id
  address,   // the tenant's address / unit: the copy's tenant's
  unit_ref,
  null,      // must be NULL in every template (slot_start: slot counters are not copied)
};

struct ColumnRule {
  std::string_view name;
  Rule rule;
  std::string_view kind_column = {};
};

struct TableSpec {
  std::string_view table;
  std::vector<ColumnRule> columns;
};

// Every column of every table an order writes, with its rule. A column the schema gains
// later stops the seeder until it is classified here, so a copy never carries a stale id.
// Children come in the order the engine writes them within one transaction.
const std::vector<TableSpec>& table_specs() {
  static const std::vector<TableSpec> specs = {
      {"work_order",
       {{"id", Rule::id}, {"org_id", Rule::keep}, {"number", Rule::number}, {"order_type_id", Rule::keep},
        {"subtype_id", Rule::keep}, {"spec_id", Rule::keep}, {"charge_mode", Rule::keep},
        {"description", Rule::keep}, {"address", Rule::address}, {"unit_ref", Rule::unit_ref},
        {"tenant_id", Rule::tenant}, {"reporter_contact_id", Rule::contact}, {"reporter_staff_id", Rule::staff},
        {"source_channel", Rule::keep}, {"created_by_kind", Rule::keep},
        {"created_by_id", Rule::party, "created_by_kind"}, {"payer", Rule::keep}, {"client_token", Rule::unique},
        {"assignee_id", Rule::staff}, {"status", Rule::keep}, {"status_since", Rule::time},
        {"spec_price", Rule::keep}, {"lines_total", Rule::keep}, {"prepay_due", Rule::keep}, {"paid", Rule::keep},
        {"refunded", Rule::keep}, {"rating", Rule::keep}, {"rating_comment", Rule::keep},
        {"reopen_count", Rule::keep}, {"created_at", Rule::time}, {"prepaid_at", Rule::time},
        {"assigned_at", Rule::time}, {"accepted_at", Rule::time}, {"finished_at", Rule::time},
        {"settled_at", Rule::time}, {"completed_at", Rule::time}, {"cancelled_at", Rule::time},
        {"slot_start", Rule::null}, {"response_target_min", Rule::keep}, {"response_due", Rule::time},
        {"response_state", Rule::keep}, {"response_used_ms", Rule::keep}, {"response_alerts", Rule::keep},
        {"resolution_target_min", Rule::keep}, {"resolution_due", Rule::time}, {"resolution_state", Rule::keep},
        {"resolution_used_ms", Rule::keep}, {"resolution_alerts", Rule::keep}, {"sla_as_of", Rule::time},
        {"sla_alert_at", Rule::time}}},
      {"order_attachment", {{"id", Rule::id}, {"org_id", Rule::keep}, {"order_id", Rule::order}, {"value", Rule::keep}}},
      {"order_holder",
       {{"id", Rule::id}, {"order_id", Rule::order}, {"staff_id", Rule::staff}, {"order_created_at", Rule::time},
        {"org_id", Rule::keep}}},
      {"charge_line",
       {{"id", Rule::id}, {"org_id", Rule::keep}, {"order_id", Rule::order}, {"line_kind", Rule::keep},
        {"item_id", Rule::keep}, {"staff_id", Rule::staff}, {"name", Rule::keep}, {"unit_price", Rule::keep},
        {"qty", Rule::keep}, {"amount", Rule::keep}, {"removed", Rule::keep}, {"consumed", Rule::keep},
        {"created_at", Rule::time}}},
      {"stock_movement",
       {{"id", Rule::id}, {"org_id", Rule::keep}, {"material_id", Rule::keep}, {"movement_kind", Rule::keep},
        {"qty", Rule::keep}, {"order_id", Rule::order}, {"note", Rule::keep}, {"staff_id", Rule::staff},
        {"created_at", Rule::time}}},
      {"payment",
       {{"id", Rule::id}, {"org_id", Rule::keep}, {"order_id", Rule::order}, {"payment_kind", Rule::keep},
        {"channel", Rule::keep}, {"amount", Rule::keep}, {"provider_txn_id", Rule::unique},
        {"recorded_by_kind", Rule::keep}, {"recorded_by_id", Rule::party, "recorded_by_kind"},
        {"created_at", Rule::time}}},
      {"event",
       {{"id", Rule::id}, {"org_id", Rule::keep}, {"order_id", Rule::order}, {"action", Rule::keep},
        {"actor_kind", Rule::keep}, {"actor_id", Rule::party, "actor_kind"}, {"at", Rule::time},
        {"from_status", Rule::keep}, {"to_status", Rule::keep}, {"staff_id", Rule::staff}, {"amount", Rule::keep},
        {"details", Rule::details}, {"concerns", Rule::keep}, {"concerns_id", Rule::party, "concerns"}}},
  };
  return specs;
}

constexpr std::size_t order_table = 0;
constexpr std::int64_t party_staff = 1, party_contact = 2;
constexpr std::int64_t action_assign = static_cast<std::int64_t>(Action::assign);
constexpr std::int64_t action_grab = static_cast<std::int64_t>(Action::grab);
constexpr std::int64_t action_transfer = static_cast<std::int64_t>(Action::transfer);
constexpr std::int64_t action_add_line = static_cast<std::int64_t>(Action::add_line);
constexpr std::int64_t action_remove_line = static_cast<std::int64_t>(Action::remove_line);
constexpr std::int64_t movement_reserve = static_cast<std::int64_t>(MovementKind::reserve);
constexpr std::int64_t movement_release = static_cast<std::int64_t>(MovementKind::release);

// A table's columns as the database has them, with their rules.
struct Layout {
  std::string table;
  std::vector<std::string> names;
  std::vector<Rule> rules;
  std::vector<int> kind_index;  // for Rule::party: the index of its kind column
  std::string insert_sql;       // every column but id (SQLite)

  int index(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return static_cast<int>(i);
    throw std::runtime_error(fmt::format("seed: table {} has no column {}", table, name));
  }
};

template <class D>
std::vector<Layout> read_layouts(typename D::Db& db) {
  using Stmt = typename D::Stmt;
  std::vector<Layout> out;
  std::set<std::string> children;
  for (const TableSpec& spec : table_specs()) {
    Layout l;
    l.table = spec.table;
    Stmt info(db, D::columns_of(spec.table));
    while (info.step()) l.names.push_back(std::get<std::string>(info.cell(0)));
    if (l.names.size() != spec.columns.size())
      throw std::runtime_error(fmt::format("seed: table {} has {} columns, the seeder knows {}: classify the new ones "
                                           "in scale_seed.cpp", spec.table, l.names.size(), spec.columns.size()));
    std::vector<std::string_view> kind_columns;
    for (const std::string& name : l.names) {
      const auto rule = std::find_if(spec.columns.begin(), spec.columns.end(), [&](const ColumnRule& c) { return c.name == name; });
      if (rule == spec.columns.end())
        throw std::runtime_error(fmt::format("seed: column {}.{} is unknown to the seeder: classify it in scale_seed.cpp",
                                             spec.table, name));
      l.rules.push_back(rule->rule);
      kind_columns.push_back(rule->kind_column);
    }
    for (std::size_t i = 0; i < l.names.size(); ++i)
      l.kind_index.push_back(l.rules[i] == Rule::party ? l.index(kind_columns[i]) : -1);
    std::string cols, marks;
    for (std::size_t i = 0; i < l.names.size(); ++i) {
      if (l.rules[i] == Rule::id) continue;
      cols += (cols.empty() ? "" : ", ") + l.names[i];
      marks += marks.empty() ? "?" : ", ?";
    }
    l.insert_sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", spec.table, cols, marks);
    if (out.size() != order_table) children.insert(l.table);
    out.push_back(std::move(l));
  }
  // Every table that points at orders must be one the seeder copies.
  Stmt referring(db, D::tables_with_order_id);
  while (referring.step()) {
    const auto name = std::get<std::string>(referring.cell(0));
    if (!children.contains(name))
      throw std::runtime_error(fmt::format("seed: table {} refers to orders but is not copied: add it to scale_seed.cpp", name));
  }
  return out;
}

std::size_t table_index(const std::vector<Layout>& layouts, std::string_view table) {
  for (std::size_t i = 0; i < layouts.size(); ++i)
    if (layouts[i].table == table) return i;
  throw std::runtime_error(fmt::format("seed: no layout for table {}", table));
}

std::int64_t as_int(const Cell& c) { return std::get<std::int64_t>(c); }
bool is_null(const Cell& c) { return std::holds_alternative<std::monostate>(c); }

struct Child {
  std::size_t table;
  Cells cells;
  std::int64_t offset;  // ms after the order's creation
  std::int64_t old_id;
};

struct Settings {
  std::int64_t prepay_timeout_ms, accept_timeout_ms, rating_timeout_ms;
};

// One template order as read back from the database the engine wrote it to.
struct Template {
  Cells order;
  std::int64_t created = 0;
  std::int64_t span = 0;          // from creation to its last instant
  std::int64_t status_offset = 0;  // from creation to status_since
  std::int64_t open_limit = std::numeric_limits<std::int64_t>::max();  // how long it may sit in its status
  Status status = Status::pending_dispatch;
  double weight = 0;
  std::vector<Child> children;  // in the order of their instants
  std::vector<std::int64_t> staff;  // pooled staff it names
  std::optional<std::int64_t> contact;
  std::optional<std::size_t> tenant_index;
  std::map<std::int64_t, std::int64_t> stock;  // material → stock change (reserve and release)
};

std::int64_t open_limit(Status s, const Settings& st) {
  const auto timer = [](std::int64_t ms, std::int64_t fallback) { return ms > 0 ? ms : fallback; };
  switch (s) {
    case Status::awaiting_prepayment: return timer(st.prepay_timeout_ms, stale_pending_dispatch);
    case Status::pending_accept: return timer(st.accept_timeout_ms, stale_pending_dispatch);
    case Status::awaiting_rating: return timer(st.rating_timeout_ms, stale_awaiting_payment);
    case Status::pending_dispatch: return stale_pending_dispatch;
    case Status::in_progress: return stale_in_progress;
    case Status::awaiting_payment: return stale_awaiting_payment;
    default: return std::numeric_limits<std::int64_t>::max();
  }
}

template <class D>
std::vector<Template> read_templates(typename D::Db& db, const std::vector<Layout>& layouts, const SeedPlan& plan) {
  using Stmt = typename D::Stmt;
  Stmt settings_stmt(db, "SELECT prepay_timeout_min, accept_timeout_min, rating_timeout_days FROM order_settings");
  if (!settings_stmt.step()) throw std::runtime_error("seed: the template database has no order settings");
  const Settings settings{settings_stmt.integer(0) * minute, settings_stmt.integer(1) * minute, settings_stmt.integer(2) * day};
  settings_stmt.reset();

  std::set<std::int64_t> pooled;
  for (const auto& pool : plan.world->staff_pools())
    for (StaffId s : pool) pooled.insert(s.value);
  std::map<std::int64_t, std::size_t> tenant_of_contact;
  for (std::size_t i = 0; i < plan.world->tenants.size(); ++i) tenant_of_contact[plan.world->tenants[i].contact.value] = i;

  Stmt order_stmt(db, "SELECT * FROM work_order WHERE id = ?");
  std::vector<std::unique_ptr<Stmt>> child_stmts;
  for (std::size_t t = 1; t < layouts.size(); ++t)
    child_stmts.push_back(std::make_unique<Stmt>(db, fmt::format("SELECT * FROM {} WHERE order_id = ? ORDER BY id", layouts[t].table)));

  std::vector<Template> out;
  for (const TemplateOrder& source : plan.templates) {
    Template t;
    t.weight = source.weight;
    order_stmt.bind(1, source.id.value);
    if (!order_stmt.step()) throw std::runtime_error(fmt::format("seed: template order {} not found", source.id.value));
    t.order = order_stmt.row();
    order_stmt.reset();
    const Layout& ol = layouts[order_table];
    t.created = as_int(t.order[static_cast<std::size_t>(ol.index("created_at"))]);
    t.status = static_cast<Status>(as_int(t.order[static_cast<std::size_t>(ol.index("status"))]));
    t.status_offset = as_int(t.order[static_cast<std::size_t>(ol.index("status_since"))]) - t.created;
    t.open_limit = open_limit(t.status, settings);
    const Cell& contact = t.order[static_cast<std::size_t>(ol.index("reporter_contact_id"))];
    if (!is_null(contact)) {
      t.contact = as_int(contact);
      t.tenant_index = tenant_of_contact.at(*t.contact);
    }

    std::set<std::int64_t> staff;
    // Notes the instants and pooled staff of a row; checks the columns that must be empty.
    auto scan = [&](const Layout& l, const Cells& row) {
      std::int64_t latest = 0;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const Rule r = l.rules[i];
        if (r == Rule::null && !is_null(row[i]))
          throw std::runtime_error(fmt::format("seed: template {} has {}.{} set; the seeder cannot copy it", source.story, l.table, l.names[i]));
        if (is_null(row[i])) continue;
        if (r == Rule::time) latest = std::max(latest, as_int(row[i]) - t.created);
        const bool staff_id = r == Rule::staff || (r == Rule::party && as_int(row[static_cast<std::size_t>(l.kind_index[i])]) == party_staff);
        if (staff_id && pooled.contains(as_int(row[i]))) staff.insert(as_int(row[i]));
      }
      t.span = std::max(t.span, latest);
      return latest;
    };
    scan(ol, t.order);

    for (std::size_t table = 1; table < layouts.size(); ++table) {
      const Layout& l = layouts[table];
      Stmt& s = *child_stmts[table - 1];
      s.bind(1, source.id.value);
      while (s.step()) {
        Child c{table, s.row(), 0, 0};
        c.old_id = as_int(c.cells[static_cast<std::size_t>(l.index("id"))]);
        c.offset = scan(l, c.cells);
        if (l.table == "stock_movement") {
          const auto kind = as_int(c.cells[static_cast<std::size_t>(l.index("movement_kind"))]);
          if (kind == movement_reserve || kind == movement_release)
            t.stock[as_int(c.cells[static_cast<std::size_t>(l.index("material_id"))])] +=
                as_int(c.cells[static_cast<std::size_t>(l.index("qty"))]);
        }
        t.children.push_back(std::move(c));
      }
    }
    // A holder row has no instant: it was written by the first assign, grab or transfer to
    // that staff member.
    const std::size_t holder_table = table_index(layouts, "order_holder"), event_table = table_index(layouts, "event");
    const Layout& el = layouts[event_table];
    for (Child& h : t.children) {
      if (h.table != holder_table) continue;
      const std::int64_t holder = as_int(h.cells[static_cast<std::size_t>(layouts[holder_table].index("staff_id"))]);
      std::int64_t first = std::numeric_limits<std::int64_t>::max();
      for (const Child& e : t.children) {
        if (e.table != event_table) continue;
        const auto action = as_int(e.cells[static_cast<std::size_t>(el.index("action"))]);
        const Cell& to = e.cells[static_cast<std::size_t>(el.index("staff_id"))];
        if ((action == action_assign || action == action_grab || action == action_transfer) && !is_null(to) && as_int(to) == holder)
          first = std::min(first, e.offset);
      }
      h.offset = first == std::numeric_limits<std::int64_t>::max() ? 0 : first;
    }
    std::stable_sort(t.children.begin(), t.children.end(), [](const Child& a, const Child& b) {
      return a.offset != b.offset ? a.offset < b.offset : a.table < b.table;
    });
    t.staff.assign(staff.begin(), staff.end());
    out.push_back(std::move(t));
  }
  return out;
}

// One copy of a template: everything its rows need substituted.
struct Copy {
  const Template* t = nullptr;
  std::int64_t order_id = 0;
  std::int64_t delta = 0;
  std::string number;
  std::vector<std::pair<std::int64_t, std::int64_t>> staff;  // template's → copy's
  std::int64_t contact = 0, tenant = 0;
  std::size_t tenant_index = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> lines;  // template's line id → copy's

  std::int64_t staff_of(std::int64_t id) const {
    for (const auto& [from, to] : staff)
      if (from == id) return to;
    return id;
  }
};

std::string replace_line_id(const std::string& details, const Copy& c) {
  for (const auto& [from, to] : c.lines) {
    const std::string quoted = fmt::format("line {}:", from);
    const auto at = details.find(quoted);
    if (at != std::string::npos) return details.substr(0, at) + fmt::format("line {}:", to) + details.substr(at + quoted.size());
  }
  throw std::runtime_error(fmt::format("seed: event details '{}' quote no line of the template", details));
}

// Hands the copy's version of a template row (every column but id, in order) to out(cell).
template <class Out>
void copy_cells(Out&& out, const Layout& l, const Cells& row, const Copy& c) {
  const Template& t = *c.t;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const Cell& v = row[i];
    const Rule r = l.rules[i];
    if (r == Rule::id) continue;
    if (is_null(v)) {
      out(v);
      continue;
    }
    switch (r) {
      case Rule::time: out(as_int(v) + c.delta); break;
      case Rule::order: out(c.order_id); break;
      case Rule::staff: out(c.staff_of(as_int(v))); break;
      case Rule::contact: out(c.contact); break;
      case Rule::tenant: out(c.tenant); break;
      case Rule::party: {
        const std::int64_t kind = as_int(row[static_cast<std::size_t>(l.kind_index[i])]);
        const std::int64_t id = as_int(v);
        if (kind == party_staff) out(c.staff_of(id));
        else if (kind == party_contact && t.contact && id == *t.contact) out(c.contact);
        else out(id);
        break;
      }
      case Rule::number: out(Cell{c.number}); break;
      case Rule::unique: out(Cell{fmt::format("{}-{}", std::get<std::string>(v), c.order_id)}); break;
      case Rule::details: {
        const std::int64_t action = as_int(row[static_cast<std::size_t>(l.index("action"))]);
        if (action == action_add_line || action == action_remove_line)
          out(Cell{replace_line_id(std::get<std::string>(v), c)});
        else out(v);
        break;
      }
      case Rule::address:
        out(t.tenant_index && std::get<std::string>(v) == address_of(*t.tenant_index) ? Cell{address_of(c.tenant_index)} : v);
        break;
      case Rule::unit_ref:
        out(t.tenant_index && std::get<std::string>(v) == unit_of(*t.tenant_index) ? Cell{unit_of(c.tenant_index)} : v);
        break;
      default: out(v); break;
    }
  }
}

// Where the copies go: SQLite, one INSERT per row (the database assigns the ids).
class SqliteTarget {
 public:
  SqliteTarget(const std::string& path, const std::vector<Layout>& layouts) : layouts_(layouts), db_(path) {
    // The fast path's only settings: no fsync, the rollback journal in memory and a large
    // page cache, for this one connection. Foreign keys stay on, so a bad id still fails.
    db_.exec("PRAGMA journal_mode = MEMORY");
    db_.exec("PRAGMA synchronous = OFF");
    db_.exec("PRAGMA cache_size = -1048576");
    db_.exec("PRAGMA foreign_keys = ON");
    for (const Layout& l : layouts_) inserts_.push_back(std::make_unique<Stmt>(db_, l.insert_sql));
  }
  std::int64_t max_order_id() { return scalar(db_, "SELECT coalesce(max(id), 0) FROM work_order"); }
  void begin() { db_.exec("BEGIN"); }
  void commit() {
    db_.exec("COMMIT");
    db_.exec("BEGIN");
  }
  // Writes the copy's version of a template row of `table`; returns its id.
  std::int64_t insert(std::size_t table, const Cells& row, const Copy& c) {
    Stmt& s = *inserts_[table];
    int bind = 1;
    copy_cells([&](const Cell& v) { s.bind(bind++, v); }, layouts_[table], row, c);
    s.run();
    return sqlite3_last_insert_rowid(db_.get());
  }
  void write_counters(std::int64_t org, const std::vector<std::pair<std::string, std::int64_t>>& counters) {
    Stmt s(db_, "INSERT INTO order_counter (org_id, day, last) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (org_id, day) DO UPDATE SET last = max(last, excluded.last)");
    for (const auto& [day_text, last] : counters) {
      s.bind(1, org).bind(2, Cell{day_text}).bind(3, last);
      s.run();
    }
  }
  void write_stock(const std::map<std::int64_t, std::int64_t>& change) {
    Stmt s(db_, "UPDATE material SET stock = stock + ?1 WHERE id = ?2");
    for (const auto& [material, qty] : change) {
      s.bind(1, qty).bind(2, material);
      s.run();
    }
  }
  void finish() {
    db_.exec("COMMIT");
    db_.exec("PRAGMA journal_mode = WAL");  // what the engine uses; it opens the file next
  }

 private:
  const std::vector<Layout>& layouts_;
  Db db_;
  std::vector<std::unique_ptr<Stmt>> inserts_;
};

// Where the copies go: PostgreSQL, with COPY. Ids are given explicitly (each table's next id
// after its largest, in the order rows are written, as the identity column would hand them
// out), so the identity sequences are moved past them at the end. Each transaction's rows
// are buffered per table and copied parents first (work_order is the first layout). Only
// this connection skips waiting for the WAL flush at commit; constraints are all checked.
class PostgresTarget {
 public:
  PostgresTarget(const std::string& uri, const std::vector<Layout>& layouts)
      : layouts_(layouts), db_(uri), buffers_(layouts.size()), last_id_(layouts.size()) {
    db_.exec("SET synchronous_commit = off");
    for (std::size_t t = 0; t < layouts_.size(); ++t) {
      last_id_[t] = scalar(db_, fmt::format("SELECT coalesce(max(id), 0) FROM {}", layouts_[t].table));
      std::string columns;
      for (const std::string& name : layouts_[t].names) columns += (columns.empty() ? "" : ", ") + name;
      copy_sql_.push_back(fmt::format("COPY {} ({}) FROM STDIN", layouts_[t].table, columns));
    }
  }
  std::int64_t max_order_id() const { return last_id_[order_table]; }
  void begin() { db_.exec("BEGIN"); }
  void commit() {
    copy_buffers();
    db_.exec("COMMIT");
    db_.exec("BEGIN");
  }
  std::int64_t insert(std::size_t table, const Cells& row, const Copy& c) {
    const std::int64_t id = table == order_table ? c.order_id : last_id_[table] + 1;
    last_id_[table] = std::max(last_id_[table], id);
    std::string& out = buffers_[table];
    const Layout& l = layouts_[table];
    // Columns in the layout's order, the id in its place.
    std::size_t column = 0;
    auto field = [&](const Cell& v) {
      if (column > 0) out += '\t';
      ++column;
      append_field(out, v);
    };
    auto next = [&](const Cell& v) {
      while (column < l.rules.size() && l.rules[column] == Rule::id) field(Cell{id});
      field(v);
    };
    copy_cells(next, l, row, c);
    while (column < l.rules.size()) field(Cell{id});  // an id after every other column
    out += '\n';
    return id;
  }
  void write_counters(std::int64_t org, const std::vector<std::pair<std::string, std::int64_t>>& counters) {
    PgStmt s(db_, "INSERT INTO order_counter (org_id, day, last) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (org_id, day) DO UPDATE SET last = GREATEST(order_counter.last, excluded.last)");
    for (const auto& [day_text, last] : counters) {
      s.bind(1, org).bind(2, Cell{day_text}).bind(3, last);
      s.run();
    }
  }
  void write_stock(const std::map<std::int64_t, std::int64_t>& change) {
    PgStmt s(db_, "UPDATE material SET stock = stock + ?1 WHERE id = ?2");
    for (const auto& [material, qty] : change) {
      s.bind(1, qty).bind(2, material);
      s.run();
    }
  }
  void finish() {
    copy_buffers();
    // The next id the library inserts must be greater than every copied one.
    for (const Layout& l : layouts_)
      db_.exec(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT max(id) FROM {0}))", l.table));
    db_.exec("COMMIT");
  }

 private:
  // One value in COPY's text format: \N for NULL; backslash, tab, newline and CR escaped.
  static void append_field(std::string& out, const Cell& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      fmt::format_to(std::back_inserter(out), "{}", *n);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      for (const char ch : *t) {
        switch (ch) {
          case '\\': out += "\\\\"; break;
          case '\t': out += "\\t"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          default: out += ch;
        }
      }
    } else if (const auto* d = std::get_if<double>(&v)) {
      fmt::format_to(std::back_inserter(out), "{}", *d);
    } else {
      out += "\\N";
    }
  }
  void copy_buffers() {
    for (std::size_t t = 0; t < layouts_.size(); ++t) {
      if (buffers_[t].empty()) continue;
      db_.conn().copy_in(copy_sql_[t], buffers_[t]);
      buffers_[t].clear();
    }
  }

  const std::vector<Layout>& layouts_;
  PgDb db_;
  std::vector<std::string> buffers_, copy_sql_;
  std::vector<std::int64_t> last_id_;
};

// A child row waiting for its instant to come.
struct Pending {
  std::int64_t at;
  std::int64_t seq;
  std::shared_ptr<Copy> copy;
  std::size_t child;
  bool operator>(const Pending& o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

template <class Target>
class Seeder {
 public:
  Seeder(const SeedPlan& plan, std::vector<Layout> layouts, std::vector<Template> templates)
      : plan_(plan), layouts_(std::move(layouts)), templates_(std::move(templates)), target_(plan.target_db, layouts_),
        zone_(date::locate_zone(time_zone)), rng_(plan.random_seed) {
    std::vector<double> weights;
    for (const Template& t : templates_) weights.push_back(t.weight);
    pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    pools_ = plan.world->staff_pools();
    last_order_id_ = target_.max_order_id();
  }

  SeedResult run() {
    SeedResult result;
    const std::vector<std::int64_t> created = creation_instants();
    const std::int64_t sample_every = std::max<std::int64_t>(1, plan_.orders / std::max(1, plan_.sample_size));
    const auto start = std::chrono::steady_clock::now();
    target_.begin();
    for (std::int64_t k = 0; k < plan_.orders; ++k) {
      const std::int64_t at = created[static_cast<std::size_t>(k)];
      flush(at);
      const std::size_t ti = choose(plan_.to_ms - at);
      auto copy = make_copy(ti, at);
      insert_order(*copy);
      for (std::size_t i = 0; i < copy->t->children.size(); ++i)
        pending_.push({at + copy->t->children[i].offset, seq_++, copy, i});
      ++result.status_counts[static_cast<std::size_t>(copy->t->status)];
      ++copies_[ti];
      if (k % sample_every == 0 && result.sample.size() < static_cast<std::size_t>(plan_.sample_size))
        result.sample.push_back({OrderId{copy->order_id}, ti});
      if ((k + 1) % orders_per_transaction == 0) target_.commit();
      if ((k + 1) % std::max<std::int64_t>(1, plan_.orders / 10) == 0)
        std::fprintf(stderr, "  seeded %lld orders (%.1f s)\n", static_cast<long long>(k + 1), seconds_since(start));
    }
    flush(std::numeric_limits<std::int64_t>::max());
    target_.write_counters(plan_.world->org.value, counters_);
    write_stock();
    target_.finish();
    result.orders = plan_.orders;
    result.child_rows = child_rows_;
    return result;
  }

 private:
  // `orders` instants in [from, to), ascending: a uniform day, an office-hours time of day.
  std::vector<std::int64_t> creation_instants() {
    using ms = std::chrono::milliseconds;
    std::uniform_int_distribution<std::int64_t> instant(plan_.from_ms, plan_.to_ms - 1), within_hour(0, hour - 1);
    std::discrete_distribution<int> hour_of_day(std::begin(hour_weights), std::end(hour_weights));
    std::vector<std::int64_t> out;
    out.reserve(static_cast<std::size_t>(plan_.orders));
    while (static_cast<std::int64_t>(out.size()) < plan_.orders) {
      const auto local = zone_->to_local(date::sys_time<ms>{ms{instant(rng_)}});
      const auto midnight = date::floor<date::days>(local);
      const auto when = midnight + std::chrono::hours{hour_of_day(rng_)} + ms{within_hour(rng_)};
      const std::int64_t at = zone_->to_sys(when, date::choose::earliest).time_since_epoch().count();
      if (at >= plan_.from_ms && at < plan_.to_ms) out.push_back(at);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  bool fits(const Template& t, std::int64_t age) const {
    return t.span <= age && age - t.status_offset < t.open_limit;
  }

  // A template whose story fits an order of this age, by weight among those that fit.
  std::size_t choose(std::int64_t age) {
    for (int attempt = 0; attempt < 64; ++attempt) {
      const std::size_t i = pick_(rng_);
      if (fits(templates_[i], age)) return i;
    }
    std::vector<double> weights;
    bool any = false;
    for (const Template& t : templates_) {
      weights.push_back(fits(t, age) ? t.weight : 0.0);
      any = any || fits(t, age);
    }
    if (!any) throw std::runtime_error(fmt::format("seed: no template fits an order {} ms old", age));
    return std::discrete_distribution<std::size_t>(weights.begin(), weights.end())(rng_);
  }

  std::shared_ptr<Copy> make_copy(std::size_t ti, std::int64_t at) {
    auto c = std::make_shared<Copy>();
    c->t = &templates_[ti];
    c->delta = at - c->t->created;
    const auto& tenants = plan_.world->tenants;
    c->tenant_index = std::uniform_int_distribution<std::size_t>(0, tenants.size() - 1)(rng_);
    c->contact = tenants[c->tenant_index].contact.value;
    c->tenant = tenants[c->tenant_index].tenant.value;
    // Distinct stand-ins from the same pool for each pooled staff member of the template.
    for (const std::int64_t s : c->t->staff) {
      for (const auto& pool : pools_) {
        if (std::none_of(pool.begin(), pool.end(), [&](StaffId p) { return p.value == s; })) continue;
        for (;;) {
          const std::int64_t pick = pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng_)].value;
          if (std::none_of(c->staff.begin(), c->staff.end(), [&](const auto& m) { return m.second == pick; })) {
            c->staff.emplace_back(s, pick);
            break;
          }
        }
      }
    }
    c->number = next_number(at);
    c->order_id = ++last_order_id_;  // what the database assigns next: the seeder is the only writer
    return c;
  }

  // YYYYMMDD-NNNNNN of the org-local day, continuing that day's sequence.
  std::string next_number(std::int64_t at) {
    using ms = std::chrono::milliseconds;
    const auto local = zone_->to_local(date::sys_time<ms>{ms{at}});
    const date::year_month_day ymd{date::floor<date::days>(local)};
    const std::string day_text = fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()),
                                             static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    if (counters_.empty() || counters_.back().first != day_text) counters_.emplace_back(day_text, 0);
    const std::int64_t seq = ++counters_.back().second;
    if (seq > 999'999) throw std::runtime_error(fmt::format("seed: more than 999999 orders on {}", day_text));
    return fmt::format("{}-{:06}", day_text, seq);
  }

  void insert_order(Copy& c) {
    const std::int64_t id = target_.insert(order_table, c.t->order, c);
    if (id != c.order_id) throw std::runtime_error(fmt::format("seed: order got id {}, expected {}", id, c.order_id));
  }

  // Writes every pending child row whose instant is not after `until`.
  void flush(std::int64_t until) {
    while (!pending_.empty() && pending_.top().at <= until) {
      const Pending p = pending_.top();
      pending_.pop();
      const Child& child = p.copy->t->children[p.child];
      const std::int64_t id = target_.insert(child.table, child.cells, *p.copy);
      ++child_rows_;
      if (layouts_[child.table].table == "charge_line") p.copy->lines.emplace_back(child.old_id, id);
    }
  }

  void write_stock() {
    std::map<std::int64_t, std::int64_t> total;
    for (const auto& [ti, copies] : copies_)
      for (const auto& [material, qty] : templates_[ti].stock) total[material] += qty * copies;
    target_.write_stock(total);
  }

  const SeedPlan& plan_;
  std::vector<Layout> layouts_;
  std::vector<Template> templates_;
  Target target_;
  const date::time_zone* zone_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> pick_;
  std::vector<std::vector<StaffId>> pools_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
  std::int64_t seq_ = 0;
  std::int64_t last_order_id_ = 0;
  std::int64_t child_rows_ = 0;
  std::vector<std::pair<std::string, std::int64_t>> counters_;
  std::map<std::size_t, std::int64_t> copies_;  // template index → copies made
};

template <class D, class Target>
SeedResult seed_with(const SeedPlan& plan) {
  std::vector<Layout> layouts;
  std::vector<Template> templates;
  {
    typename D::Db source(plan.template_db, SQLITE_OPEN_READONLY);
    layouts = read_layouts<D>(source);
    templates = read_templates<D>(source, layouts, plan);
  }
  {
    typename D::Db target(plan.target_db);
    if (read_layouts<D>(target).size() != layouts.size() || scalar(target, "SELECT count(*) FROM work_order") != 0)
      throw std::runtime_error("seed: the target database must have the same schema and no orders");
  }
  Seeder<Target> seeder(plan, std::move(layouts), std::move(templates));
  return seeder.run();
}

}  // namespace

SeedResult seed_orders(const SeedPlan& plan) {
  if (wo::is_postgres_uri(plan.target_db)) return seed_with<PostgresDialect, PostgresTarget>(plan);
  return seed_with<SqliteDialect, SqliteTarget>(plan);
}

}  // namespace wo_bench::scale
