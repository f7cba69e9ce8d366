// The three timers of SPEC §4, run by the host calling tick(now) (e.g. once a minute).
#include "domain/fail.hpp"
#include "engine/order_step.hpp"
#include "engine/row_mapping.hpp"

namespace wo {
namespace {

struct Timer {
  Action action;
  Status status;
  const char* setting;  // column of order_settings
  std::int64_t unit_ms;
};

constexpr std::int64_t minute_ms = 60'000;
constexpr std::int64_t day_ms = 86'400'000;
constexpr Timer timers[] = {
    {Action::prepayment_timeout, Status::awaiting_prepayment, "prepay_timeout_min", minute_ms},
    {Action::accept_timeout, Status::pending_accept, "accept_timeout_min", minute_ms},
    {Action::rating_timeout, Status::awaiting_rating, "rating_timeout_days", day_ms},
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
}

}  // namespace

int Engine::tick(const Actor& actor, Timestamp now) {
  if (actor.kind != Actor::Kind::system) fail(Code::forbidden, "only the system actor runs timers");
  int changed = 0;
  for (const Timer& timer : timers) {
    for (;;) {
      int in_batch = 0;
      impl_->store->write([&](Transaction& tx) {
        const Who who = resolve(tx, actor);
        in_batch = 0;
        for (std::int64_t id : tx.due_orders(static_cast<std::int32_t>(timer.status), timer.setting, timer.unit_ms,
                                             to_unix_ms(now), batch_size)) {
          OrderStep step = open_step(tx, who, OrderId{id}, now);
          expire(step, timer);
          ++in_batch;
        }
      });
      changed += in_batch;
      if (in_batch < batch_size) break;
    }
  }
  return changed;
}

}  // namespace wo
