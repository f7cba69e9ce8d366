// SPDX-License-Identifier: MIT
// The three timers of docs/rules.md §4 and the service-level alerts of §11, run by the host
// calling tick(now) (e.g. once a minute).
#include <limits>
#include <set>

#include "domain/fail.hpp"
#include "engine/dispatch.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"
#include "engine/service_levels.hpp"

namespace wo {
namespace {

struct Timer {
  Action action;
  Status status;
  std::int32_t OrderSettings::*timeout;  // 0 disables the timer
  std::chrono::milliseconds unit;
};

constexpr Timer timers[] = {
    {Action::prepayment_timeout, Status::awaiting_prepayment, &OrderSettings::prepay_timeout_min, std::chrono::minutes{1}},
    {Action::accept_timeout, Status::pending_accept, &OrderSettings::accept_timeout_min, std::chrono::minutes{1}},
    {Action::rating_timeout, Status::awaiting_rating, &OrderSettings::rating_timeout_days, std::chrono::days{1}},
};

// Orders per write transaction: short enough not to starve other writers.
constexpr int batch_size = 100;

void expire(OrderStep& step, const Timer& timer) {
  const Transition& t = decide(timer.action, step.before, step.parties, {});
  Order& o = step.order;
  EventNote note;
  switch (timer.action) {
    case Action::prepayment_timeout:
      release_holds(step);
      o.cancelled_at = step.now;
      note.details = "prepayment not received in time";
      break;
    case Action::accept_timeout:
      note.staff = o.assignee_id;
      o.assignee_id.reset();
      note.details = "not accepted in time";
      break;
    default: {
      const OrderSettings settings = load_settings(step.tx, o.org_id);
      o.rating = settings.auto_rating_score;
      o.completed_at = step.now;
      note.amount = settings.auto_rating_score;
      note.details = "rated automatically";
      break;
    }
  }
  save_step(step, timer.action, t.to, note);
  dispatch_automatically(step);
}

// Up to batch_size orders of the org that have been in the timer's status since `cutoff` or
// earlier.
std::vector<OrderId> due_orders(Transaction& tx, OrgId org, const Timer& timer, Timestamp cutoff) {
  static const std::vector<std::string_view> id_col{"id"};
  OrderFilter filter;
  filter.org_id = org.value;
  filter.status = static_cast<std::int64_t>(timer.status);
  filter.status_since_to_ms = to_unix_ms(cutoff);
  std::vector<OrderId> ids;
  tx.scan_orders(filter, id_col, [&](const Row& row) {
    ids.push_back(OrderId{std::get<std::int64_t>(row[0])});
    return ids.size() < static_cast<std::size_t>(batch_size);
  });
  return ids;
}

// Entering the timer's status at or before this instant makes an order due; nullopt when
// the org disabled the timer. (An int32 setting times a day fits int64 with room to spare.)
std::optional<Timestamp> cutoff_of(const OrderSettings& settings, const Timer& timer, Timestamp now) {
  const std::int64_t timeout = settings.*timer.timeout;
  if (timeout <= 0) return std::nullopt;
  const std::int64_t span_ms = timeout * timer.unit.count();
  const std::int64_t now_ms = to_unix_ms(now);
  if (now_ms < std::numeric_limits<std::int64_t>::min() + span_ms) return std::nullopt;
  return from_unix_ms(now_ms - span_ms);
}

}  // namespace

// Org by org: each org's timers are a range of one index, so the sweep is one short query
// per org and enabled timer (a per-org query also stays on one shard of an org-sharded
// deployment), and each batch of due orders is one write transaction.
int Engine::tick(const Actor& actor, Timestamp now) {
  if (actor.kind != Actor::Kind::system) fail(Code::forbidden, "only the system actor runs timers");
  check_instant("now", now);
  std::vector<OrderSettings> orgs;
  impl_->store->read([&](Transaction& tx) {
    orgs.clear();
    for (std::int64_t after = 0;;) {
      const auto rows = tx.select("order_settings", columns<OrderSettings>(), {}, after, max_page_size);
      for (const auto& row : rows) orgs.push_back(from_row<OrderSettings>(row));
      if (rows.size() < static_cast<std::size_t>(max_page_size)) break;
      after = orgs.back().id.value;
    }
  });
  std::set<std::int64_t> changed;  // an order may expire and be alerted in one tick: count it once
  for (const OrderSettings& settings : orgs) {
    for (const Timer& timer : timers) {
      const auto cutoff = cutoff_of(settings, timer, now);
      if (!cutoff) continue;
      bool any = false;
      std::vector<std::int64_t> batch;  // the batch's orders, once its transaction commits
      impl_->store->read([&](Transaction& tx) { any = !due_orders(tx, settings.id, timer, *cutoff).empty(); });
      for (std::size_t in_batch = batch_size; any && in_batch == batch_size;) {
        impl_->store->write([&](Transaction& tx) {
          const Who who = resolve(tx, actor);
          in_batch = 0;
          batch.clear();
          std::optional<ServiceCalendar> calendar;  // read once per batch, if a clock needs it
          for (OrderId id : due_orders(tx, settings.id, timer, *cutoff)) {
            tx.lock("work_order", id.value);
            OrderStep step = open_step(tx, who, id, now);
            // Another tick (or an action) may have moved it since the scan.
            if (step.before != timer.status || step.order.status_since > *cutoff) continue;
            step.calendar = calendar;
            expire(step, timer);
            calendar = step.calendar;
            batch.push_back(id.value);
            ++in_batch;
          }
        });
        changed.insert(batch.begin(), batch.end());
      }
    }
    send_due_alerts(*impl_->store, actor, settings.id, now, changed);
  }
  return static_cast<int>(changed.size());
}

}  // namespace wo
