// SPDX-License-Identifier: MIT
// The C ABI of docs/rules.md §8: order lists and order records with resumable cursors, the CSV
// export, the dashboard, an order's messages and the event feed.
#include <array>
#include <cstddef>

#include "handles.hpp"

using namespace wo;
using namespace wo::capi;

namespace {

OrderQuery to_query(const wo_input* query) {
  return query ? to_patch<OrderQuery>(query, "query").values() : OrderQuery{};
}

void check_page_size(std::int32_t page_size) {
  if (page_size < 1 || page_size > max_page_size)
    fail(Code::invalid_argument, "page_size {} must be between 1 and {}", page_size, max_page_size);
}

// A cursor-paged iterator whose first page is read now, so every error surfaces at the call.
wo_iter* start_cursor_iter(std::function<CursorPage(const std::string&)> fetch, const char* cursor) {
  auto it = std::make_unique<wo_iter>();
  it->cursors = std::make_unique<Cursors>();
  it->cursors->fetch = std::move(fetch);
  it->cursors->next = cursor ? cursor : "";
  it->cursors->current = it->cursors->next;
  it->refill();
  return it.release();
}

// An iterator over records that are all known already.
template <class T>
wo_iter* whole_iter(const std::vector<T>& items) {
  auto it = std::make_unique<wo_iter>();
  for (const auto& item : items) it->buffer.push_back(to_record(item));
  it->exhausted = true;
  return it.release();
}

// --- the rows of a dashboard's tables, as record kinds ---

template <const char* Kind>
struct CountRow {
  static constexpr const char* kind = Kind;
  std::int64_t id = 0;
  std::int64_t orders = 0;
};
template <const char* Kind, class F>
void reflect(const CountRow<Kind>& s, F&& f) {
  f("id", s.id, internal);
  f("orders", s.orders, internal);
}
constexpr char subtype_kind[] = "dashboard_subtype";

// The six attainment counts of a row: response_met ... resolution_open.
template <class F>
void reflect_attainment(const Attainment& response, const Attainment& resolution, F&& f) {
  f("response_met", response.met, internal);
  f("response_breached", response.breached, internal);
  f("response_open", response.open, internal);
  f("resolution_met", resolution.met, internal);
  f("resolution_breached", resolution.breached, internal);
  f("resolution_open", resolution.open, internal);
}

struct TypeRow {
  static constexpr const char* kind = "dashboard_type";
  const TypeFigures* type;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, TypeRow>
void reflect(S& s, F&& f) {
  f("id", s.type->id, internal);
  f("orders", s.type->orders, internal);
  reflect_attainment(s.type->response, s.type->resolution, f);
}

struct DayRow {
  static constexpr const char* kind = "dashboard_day";
  const DayFigures* day;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, DayRow>
void reflect(S& s, F&& f) {
  f("date", s.day->date, internal);
  f("created", s.day->created, internal);
  f("completed", s.day->completed, internal);
}

struct StaffRow {
  static constexpr const char* kind = "dashboard_staff";
  const StaffFigures* staff;
};
template <class S, class F> requires std::same_as<std::remove_const_t<S>, StaffRow>
void reflect(S& s, F&& f) {
  f("staff_id", s.staff->staff_id, internal);
  f("finished", s.staff->finished, internal);
  f("handling_mean_ms", s.staff->handling_mean_ms, internal);
  f("rated", s.staff->rated, internal);
  f("rating_mean_x100", s.staff->rating_mean_x100, internal);
  f("held_now", s.staff->held_now, internal);
  reflect_attainment(s.staff->response, s.staff->resolution, f);
}

template <const char* Kind>
std::vector<CountRow<Kind>> count_rows(const std::vector<CountById>& counts) {
  std::vector<CountRow<Kind>> rows;
  for (const auto& c : counts) rows.push_back({c.id, c.orders});
  return rows;
}

template <class Row, class X>
std::vector<Row> pointer_rows(const std::vector<X>& items) {
  std::vector<Row> rows;
  for (const auto& x : items) rows.push_back({&x});
  return rows;
}

// Field names are borrowed by records, so the per-status ones live for the whole program.
const std::array<std::string, std::size(EnumRange<Status>::names)>& status_field_names() {
  static const auto names = [] {
    std::array<std::string, std::size(EnumRange<Status>::names)> out;
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::string("status_") + EnumRange<Status>::names[i];
    return out;
  }();
  return names;
}

wo_record summary_of(const Dashboard& d) {
  wo_record r;
  r.kind = "dashboard";
  const auto add = [&](std::string_view name, std::int64_t v) { r.fields.emplace_back(name, Value{v}); };
  add("from", to_unix_ms(d.from));
  add("to", to_unix_ms(d.to));
  add("orders", d.orders);
  for (std::size_t s = 0; s < d.by_status.size(); ++s) add(status_field_names().at(s), d.by_status[s]);
  add("completion_rate_bp", d.completion_rate_bp);
  add("reopen_rate_bp", d.reopen_rate_bp);
  add("rated", d.rated);
  add("rating_mean_x100", d.rating_mean_x100);
  static constexpr const char* rating_names[] = {"rating_1", "rating_2", "rating_3", "rating_4", "rating_5"};
  for (std::size_t i = 0; i < d.rating_counts.size(); ++i) add(rating_names[i], d.rating_counts[i]);
  const auto durations = [&](const DurationStats& st, const char* count, const char* mean, const char* median,
                             const char* p90) {
    add(count, st.count);
    add(mean, st.mean_ms);
    add(median, st.median_ms);
    add(p90, st.p90_ms);
  };
  durations(d.submit_to_accept, "submit_to_accept_count", "submit_to_accept_mean_ms", "submit_to_accept_median_ms",
            "submit_to_accept_p90_ms");
  durations(d.accept_to_finish, "accept_to_finish_count", "accept_to_finish_mean_ms", "accept_to_finish_median_ms",
            "accept_to_finish_p90_ms");
  durations(d.submit_to_complete, "submit_to_complete_count", "submit_to_complete_mean_ms",
            "submit_to_complete_median_ms", "submit_to_complete_p90_ms");
  add("billed", d.billed.minor);
  add("collected", d.collected.minor);
  add("refunded", d.refunded.minor);
  add("org_borne", d.org_borne.minor);
  reflect_attainment(d.response, d.resolution, [&](std::string_view name, std::int64_t v, unsigned) { add(name, v); });
  return r;
}

}  // namespace

extern "C" {

int wo_order_list(wo_iter** out, wo_db* db, const wo_actor* actor, wo_view view, const wo_input* query,
                  const char* cursor, int32_t page_size) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    check_page_size(page_size);
    std::shared_ptr<Engine> engine = db->engine;
    const Actor who = actor->actor;
    const OrderQuery q = to_query(query);
    // The engine checks the view's range; the cast only carries the number there.
    const auto v = static_cast<OrderView>(view);
    *out = start_cursor_iter(
        [engine, who, q, v, page_size](const std::string& after) {
          Page<Order> page = engine->list_orders(who, v, q, after, page_size);
          CursorPage out_page;
          for (const auto& o : page.items) {
            out_page.records.push_back(order_record(o));
            out_page.resume.push_back(cursor_after(o.created_at, o.id, true));
          }
          out_page.next_cursor = std::move(page.next_cursor);
          return out_page;
        },
        cursor);
  });
}

int wo_iter_cursor(const char** out, wo_iter* iter) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need(iter, "iter");
    if (!iter->cursors)
      fail(Code::invalid_argument, "this iterator has no cursor: only wo_order_list and wo_order_records iterators do");
    // Everything handed out and nothing left: "" (Page::next_cursor's "no more orders").
    *out = iter->exhausted && iter->buffer.empty() ? "" : iter->cursors->current.c_str();
  });
}

int wo_order_records(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* query, const char* cursor,
                     int32_t page_size) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    check_page_size(page_size);
    std::shared_ptr<Engine> engine = db->engine;
    const Actor who = actor->actor;
    const OrderQuery q = to_query(query);
    *out = start_cursor_iter(
        [engine, who, q, page_size](const std::string& after) {
          Page<OrderRecord> page = engine->order_records(who, q, after, page_size);
          CursorPage out_page;
          for (const auto& r : page.items) {
            out_page.records.push_back(to_record(r));
            out_page.resume.push_back(cursor_after(r.created_at, r.id, false));
          }
          out_page.next_cursor = std::move(page.next_cursor);
          return out_page;
        },
        cursor);
  });
}

int wo_export_csv(wo_db* db, const wo_actor* actor, const wo_input* query, wo_write_fn write, void* ctx) {
  return guarded([&] {
    need_db(db, actor);
    if (!write) fail(Code::invalid_argument, "write is NULL");
    db->engine->export_csv(actor->actor, to_query(query), [&](std::string_view chunk) {
      const int rc = write(ctx, chunk.data(), static_cast<std::int64_t>(chunk.size()));
      if (rc != 0) fail(Code::aborted, "the export stopped: the write callback returned {}", rc);
    });
  });
}

int wo_dashboard_get(wo_dashboard** out, wo_db* db, const wo_actor* actor, int64_t from_ms, int64_t to_ms) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    auto d = std::make_unique<wo_dashboard>();
    d->figures = db->engine->dashboard(actor->actor, from_unix_ms(from_ms), from_unix_ms(to_ms));
    d->summary = summary_of(d->figures);
    *out = d.release();
  });
}

void wo_dashboard_free(wo_dashboard* dashboard) { delete dashboard; }

int wo_dashboard_summary(const wo_record** out, const wo_dashboard* dashboard) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need(dashboard, "dashboard");
    *out = &dashboard->summary;
  });
}

int wo_dashboard_rows(wo_iter** out, const wo_dashboard* dashboard, wo_dashboard_table table) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need(dashboard, "dashboard");
    const Dashboard& d = dashboard->figures;
    switch (table) {
      case WO_DASHBOARD_TYPES: *out = whole_iter(pointer_rows<TypeRow>(d.by_type)); return;
      case WO_DASHBOARD_SUBTYPES: *out = whole_iter(count_rows<subtype_kind>(d.by_subtype)); return;
      case WO_DASHBOARD_DAYS: *out = whole_iter(pointer_rows<DayRow>(d.days)); return;
      case WO_DASHBOARD_STAFF: *out = whole_iter(pointer_rows<StaffRow>(d.staff)); return;
      default: fail(Code::invalid_argument, "table {} is not a dashboard table (0..3)", static_cast<int32_t>(table));
    }
  });
}

int wo_order_messages(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t order_id) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    *out = whole_iter(db->engine->order_detail(actor->actor, OrderId{order_id}).messages);
  });
}

int wo_event_feed(wo_iter** out, wo_db* db, const wo_actor* actor, int64_t after_event_id) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    std::shared_ptr<Engine> engine = db->engine;
    const Actor who = actor->actor;
    auto it = std::unique_ptr<wo_iter>(make_iter<OrderEvent>(
        [engine, who](std::int64_t after) { return engine->events_after(who, after, max_page_size); }));
    it->after = after_event_id;
    it->refill();  // the first page now: errors surface at the call
    *out = it.release();
  });
}

}  // extern "C"
