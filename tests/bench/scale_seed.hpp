// SPDX-License-Identifier: MIT
// The fast path of `wo_bench scale` (docs/benchmarks.md): bulk orders made by replaying the
// rows that wo::Engine wrote for the template orders, with raw SQLite (INSERT) or PostgreSQL
// (COPY), whichever the template and target locations name (wo::is_postgres_uri).
//
// Every seeded order is a copy of one template order: its work_order row and every row that
// hangs off it (attachments, holders, charge lines, stock movements, payments, history
// events), with
//   - a new id (orders are inserted in created_at order, so ids grow with time) and a new
//     number YYYYMMDD-NNNNNN from the org-local creation day and a per-day sequence; the
//     org's order_counter rows are written at the end so the engine continues them;
//   - created_at drawn in the window, and every other instant of the order and its rows
//     moved by the same amount;
//   - the template's tenant, contact and address replaced by a random tenant's, and each
//     staff member from a pool (technicians of the type, dispatchers, clerks) replaced by a
//     random member of the same pool, wherever they appear (order, holders, lines, stock
//     movements, payments, events' actor / staff / audience);
//   - unique texts kept unique (client_token, provider_txn_id get the new order id) and a
//     line id quoted in an event's details replaced by the new line's id.
// Amounts stay as the template has them: they were frozen when written. Child rows of all
// orders are inserted in the order of their instants, as the engine would have written them,
// and material stock moves by the copies' reservations and releases.
//
// A copy only uses a template whose story fits its age: everything happened before "now",
// and an order left open is younger than its status's timer (so tick(now) changes nothing)
// or than a few days for the statuses without a timer.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scale_world.hpp"

namespace wo_bench::scale {

struct SeedPlan {
  // Locations as wo::open_store takes them (both SQLite files, or both PostgreSQL URIs).
  std::string template_db;  // the database the templates were driven in (a copy of target's catalog)
  std::vector<TemplateOrder> templates;
  std::string target_db;  // holds the catalog of `world`, no orders
  const World* world = nullptr;
  std::int64_t orders = 0;
  std::int64_t from_ms = 0, to_ms = 0;  // the window created_at is drawn from: [from, to)
  std::uint64_t random_seed = 1;
  int sample_size = 100;
};

struct SeededOrder {
  wo::OrderId id;
  std::size_t template_index;
};

struct SeedResult {
  std::int64_t orders = 0;
  std::int64_t child_rows = 0;  // rows of the other tables
  std::vector<std::int64_t> status_counts = std::vector<std::int64_t>(8);
  std::vector<SeededOrder> sample;  // spread over the run, for validation
};

SeedResult seed_orders(const SeedPlan& plan);

}  // namespace wo_bench::scale
