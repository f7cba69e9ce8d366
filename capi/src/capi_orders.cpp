// SPDX-License-Identifier: MIT
// The C ABI of the work-order life cycle and of reading an order back.
#include "handles.hpp"

using namespace wo;
using namespace wo::capi;

namespace {

OrderDraft to_draft(const wo_input* input) {
  need(input, "draft");
  wo_input scalars;
  std::vector<std::string> attachments;
  for (const auto& [name, value, appended] : input->fields) {
    if (name != "attachments") {
      scalars.fields.push_back({name, value, appended});
      continue;
    }
    auto* text = std::get_if<std::string>(&value);
    if (!text) fail(Code::invalid_argument, "attachments entries must be text, got {}", describe_value(value));
    attachments.push_back(*text);
  }
  const Patch<OrderDraft> patch = to_patch<OrderDraft>(&scalars, "draft");
  reflect(patch.values(), [&](std::string_view name, const auto&, unsigned flags) {
    if ((flags & required) && !patch.has(name)) fail(Code::invalid_argument, "{} is required", name);
  });
  OrderDraft draft = patch.values();
  draft.attachments = std::move(attachments);
  return draft;
}

template <class T>
T complete(const wo_input* input, const char* arg) {
  const Patch<T> patch = to_patch<T>(input, arg);
  reflect(patch.values(), [&](std::string_view name, const auto&, unsigned flags) {
    if ((flags & required) && !patch.has(name)) fail(Code::invalid_argument, "{} is required", name);
  });
  return patch.values();
}

std::string text_arg(const char* text, const char* name) {
  need(text, name);
  return text;
}

// Runs a life-cycle call on an order: checks the handles, then body(engine, actor, order).
template <class Body>
int order_call(wo_db* db, const wo_actor* actor, int64_t order_id, Body&& body) {
  return guarded([&] {
    need_db(db, actor);
    body(*db->engine, actor->actor, OrderId{order_id});
  });
}

template <class T>
int list_call(wo_iter** out, wo_db* db, const wo_actor* actor, std::function<std::vector<T>(std::int64_t)> page) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    page(0);  // surfaces not_found and access errors at the call
    *out = make_iter<T>(std::move(page));
  });
}

// An order's short lists are read whole; the iterator hands out what follows `after`.
template <class T>
std::function<std::vector<T>(std::int64_t)> whole(std::function<std::vector<T>()> read) {
  return [read = std::move(read)](std::int64_t after) {
    std::vector<T> rest;
    for (auto& v : read())
      if (v.id > after) rest.push_back(std::move(v));
    return rest;
  };
}

struct Attachment {
  static constexpr const char* kind = "attachment";
  std::int64_t id = 0;
  std::string value;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, Attachment>
void reflect(S& s, F&& f) {
  f("id", s.id, internal);
  f("value", s.value, internal);
}

}  // namespace

extern "C" {

int wo_order_submit(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* draft) {
  if (id_out) *id_out = 0;
  return guarded([&] {
    need(id_out, "id_out");
    need_db(db, actor);
    *id_out = db->engine->submit(actor->actor, to_draft(draft)).value;
  });
}

int wo_order_pay_prepayment(wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* payment) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    e.pay_prepayment(a, o, complete<PaymentDraft>(payment, "payment"));
  });
}

int wo_order_assign(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t staff_id, int32_t force) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    if (force != 0 && force != 1) fail(Code::invalid_argument, "force must be 0 or 1, got {}", force);
    e.assign(a, o, StaffId{staff_id}, force == 1);
  });
}

int wo_order_grab(wo_db* db, const wo_actor* actor, int64_t order_id) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) { e.grab(a, o); });
}

int wo_order_accept(wo_db* db, const wo_actor* actor, int64_t order_id) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) { e.accept(a, o); });
}

int wo_order_reject(wo_db* db, const wo_actor* actor, int64_t order_id, const char* reason) {
  return order_call(db, actor, order_id,
                    [&](Engine& e, const Actor& a, OrderId o) { e.reject(a, o, text_arg(reason, "reason")); });
}

int wo_order_transfer(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t staff_id, const char* reason,
                      int32_t force) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    if (force != 0 && force != 1) fail(Code::invalid_argument, "force must be 0 or 1, got {}", force);
    e.transfer(a, o, StaffId{staff_id}, text_arg(reason, "reason"), force == 1);
  });
}

int wo_order_add_line(int64_t* line_out, wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* line) {
  if (line_out) *line_out = 0;
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    need(line_out, "line_out");
    *line_out = e.add_line(a, o, complete<LineDraft>(line, "line"));
  });
}

int wo_order_remove_line(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t line_id) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) { e.remove_line(a, o, line_id); });
}

int wo_order_finish(wo_db* db, const wo_actor* actor, int64_t order_id) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) { e.finish(a, o); });
}

int wo_order_pay(wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* payment) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    e.pay(a, o, complete<PaymentDraft>(payment, "payment"));
  });
}

int wo_order_refund(wo_db* db, const wo_actor* actor, int64_t order_id, const wo_input* refund) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    e.refund(a, o, complete<PaymentDraft>(refund, "refund"));
  });
}

int wo_order_rate(wo_db* db, const wo_actor* actor, int64_t order_id, int32_t score, const char* comment) {
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    e.rate(a, o, score, comment ? std::optional<std::string>(comment) : std::nullopt);
  });
}

int wo_order_reopen(wo_db* db, const wo_actor* actor, int64_t order_id, const char* reason) {
  return order_call(db, actor, order_id,
                    [&](Engine& e, const Actor& a, OrderId o) { e.reopen(a, o, text_arg(reason, "reason")); });
}

int wo_order_cancel(wo_db* db, const wo_actor* actor, int64_t order_id, const char* reason) {
  return order_call(db, actor, order_id,
                    [&](Engine& e, const Actor& a, OrderId o) { e.cancel(a, o, text_arg(reason, "reason")); });
}

int wo_order_message(wo_db* db, const wo_actor* actor, int64_t order_id, const char* text) {
  return order_call(db, actor, order_id,
                    [&](Engine& e, const Actor& a, OrderId o) { e.message(a, o, text_arg(text, "text")); });
}

int wo_order_dispatch_preview(int64_t* staff_out, wo_db* db, const wo_actor* actor, int64_t order_id) {
  if (staff_out) *staff_out = 0;
  return guarded([&] {
    need(staff_out, "staff_out");
    need_db(db, actor);
    const auto staff = db->engine->preview_dispatch(actor->actor, OrderId{order_id});
    *staff_out = staff ? staff->value : 0;
  });
}

int wo_tick(int64_t* changed_out, wo_db* db, const wo_actor* actor, int64_t now_ms) {
  if (changed_out) *changed_out = 0;
  return guarded([&] {
    need(changed_out, "changed_out");
    need_db(db, actor);
    *changed_out = db->engine->tick(actor->actor, from_unix_ms(now_ms));
  });
}

int wo_order_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t order_id) {
  if (out) *out = nullptr;
  return order_call(db, actor, order_id, [&](Engine& e, const Actor& a, OrderId o) {
    need(out, "out");
    *out = order_record(e.get_order(a, o)).release();
  });
}

int wo_order_attachments(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id) {
  std::shared_ptr<Engine> e = db ? db->engine : nullptr;
  const Actor a = actor ? actor->actor : Actor{};
  return list_call<Attachment>(out, db, actor, whole<Attachment>([e, a, order_id] {
    std::vector<Attachment> list;
    std::int64_t n = 0;
    for (auto& v : e->attachments(a, OrderId{order_id})) list.push_back({++n, std::move(v)});
    return list;
  }));
}

int wo_order_lines(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id) {
  std::shared_ptr<Engine> e = db ? db->engine : nullptr;
  const Actor a = actor ? actor->actor : Actor{};
  return list_call<ChargeLine>(out, db, actor, whole<ChargeLine>([e, a, order_id] { return e->lines(a, OrderId{order_id}); }));
}

int wo_order_payments(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id) {
  std::shared_ptr<Engine> e = db ? db->engine : nullptr;
  const Actor a = actor ? actor->actor : Actor{};
  return list_call<Payment>(out, db, actor, whole<Payment>([e, a, order_id] { return e->payments(a, OrderId{order_id}); }));
}

int wo_order_timeline(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id, int64_t after_event_id) {
  std::shared_ptr<Engine> e = db ? db->engine : nullptr;
  const Actor a = actor ? actor->actor : Actor{};
  return list_call<OrderEvent>(out, db, actor, [e, a, order_id, after_event_id](std::int64_t after) {
    return e->timeline(a, OrderId{order_id}, std::max(after, after_event_id), max_page_size);
  });
}

int wo_order_reschedule(wo_db* db, const wo_actor* actor, int64_t order_id, int64_t slot_start) {
  return order_call(db, actor, order_id,
                    [&](Engine& e, const Actor& a, OrderId o) { e.reschedule(a, o, from_unix_ms(slot_start)); });
}

}  // extern "C"
