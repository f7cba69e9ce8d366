// SPDX-License-Identifier: MIT
// Order lists and views (docs/rules.md §8) within each actor's sight (rules §7): every page of every
// view, for every kind of actor and a range of queries, must equal a brute-force answer
// computed from the single-order reads, newest first, each order exactly once across pages.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>

#include "orders/order_fixture.hpp"
#include "workorder/views.hpp"

using namespace orders_test;
using wo::OrderQuery;
using wo::OrderView;

namespace {

// A seeded mix of orders in org a (and a few in org b) in every status, by contacts and
// staff, on two order types, with ties in created_at.
std::vector<OrderId> build_orders(Fixture& fx, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const OrgIds& o = fx.a;
  std::vector<OrderId> ids;
  const wo::ContactId reporters[] = {o.c1, o.c2, o.q1};
  const wo::StaffId techs[] = {o.tech_a, o.tech_b, o.lead};
  for (int i = 0; i < 70; ++i) {
    fx.advance(std::chrono::minutes(pick(3)));  // 0 minutes makes ties
    const int kind = pick(4);
    wo::OrderDraft d = Fixture::draft(kind == 3 ? o.wiring : kind == 2 ? o.free : o.after,
                                      kind <= 1 ? std::optional{o.after_spec} : std::nullopt);
    d.description = fmt::format("Order {} {}", i, pick(2) ? "window 窗户" : "leak 漏水");
    Actor reporter = Actor::contact(reporters[pick(3)]);
    if (pick(5) == 0) {  // staff reporting for the org itself
      reporter = o.as_tech_b();
      d.source_channel = wo::SourceChannel::staff_mobile;
    }
    const OrderId id = fx.engine.submit(reporter, d);
    ids.push_back(id);
    const bool wiring = kind == 3;
    const wo::StaffId tech = wiring ? o.electrician : techs[pick(3)];
    // Walk a random distance along the life cycle.
    const int depth = pick(7);
    if (depth >= 1) {
      if (pick(2)) fx.engine.assign(o.as_dispatcher(), id, tech);
      else fx.engine.grab(Actor::staff(tech), id);
    }
    if (depth >= 2 && fx.status(id) == Status::pending_accept) {
      if (pick(3) == 0) {
        fx.engine.reject(Actor::staff(tech), id, "busy");
        continue;
      }
      fx.engine.accept(Actor::staff(tech), id);
    }
    if (depth >= 3 && !wiring && pick(3) == 0 && fx.order(id).assignee_id) {
      const wo::StaffId to = *fx.order(id).assignee_id == o.tech_b ? o.tech_a : o.tech_b;
      fx.engine.transfer(o.as_dispatcher(), id, to, "swap", true);
    }
    if (depth >= 4 && fx.status(id) == Status::in_progress) fx.engine.finish(Actor::staff(*fx.order(id).assignee_id), id);
    if (depth >= 5 && fx.status(id) == Status::awaiting_payment)
      fx.engine.pay(reporter, id, {wo::Channel::wechat, fx.bill(id).balance, std::nullopt});
    if (depth >= 6 && fx.status(id) == Status::awaiting_rating) fx.engine.rate(reporter, id, 4, std::nullopt);
    if (depth == 0 && pick(3) == 0) fx.engine.cancel(o.as_dispatcher(), id, "duplicate");
  }
  for (int i = 0; i < 5; ++i) fx.drive(fx.b, Status::pending_dispatch);  // another org, same shapes
  return ids;
}

bool newer(const wo::Order& x, const wo::Order& y) {
  return x.created_at != y.created_at ? x.created_at > y.created_at : x.id > y.id;
}

// Every page of a view, walking the cursors.
std::vector<wo::Order> walk(Fixture& fx, const Actor& actor, OrderView view, const OrderQuery& q, int limit) {
  std::vector<wo::Order> all;
  std::string cursor;
  for (int pages = 0; pages < 1000; ++pages) {
    const auto page = fx.engine.list_orders(actor, view, q, cursor, limit);
    CHECK(page.items.size() <= static_cast<std::size_t>(limit));
    all.insert(all.end(), page.items.begin(), page.items.end());
    if (page.next_cursor.empty()) return all;
    CHECK(page.items.size() == static_cast<std::size_t>(limit));
    cursor = page.next_cursor;
  }
  FAIL("the cursors never ended");
  return all;
}

bool in_view(const wo::Order& x, const Actor& actor, OrderView view, const OrgIds& o) {
  const auto held = x.status == Status::pending_accept || x.status == Status::in_progress;
  const bool contact = actor.kind == Actor::Kind::contact;
  switch (view) {
    case OrderView::all:
      return true;  // sight is checked separately, by get_order
    case OrderView::tenant_todo:
      return x.status == Status::awaiting_prepayment || x.status == Status::awaiting_payment ||
             x.status == Status::awaiting_rating;
    case OrderView::submitted_by_me:
      return contact ? x.reporter_contact_id && x.reporter_contact_id->value == actor.id
                     : x.reporter_staff_id && x.reporter_staff_id->value == actor.id;
    case OrderView::my_tasks:
      return held && x.assignee_id && x.assignee_id->value == actor.id;
    case OrderView::pool: {
      if (x.status != Status::pending_dispatch) return false;
      const bool electric = x.order_type_id == o.electric;
      return actor.id == o.electrician.value ? electric : !electric && actor.id != o.tech_ext.value;
    }
  }
  return false;
}

bool matches(const wo::Order& x, const OrderQuery& q) {
  if (q.status_mask && !(q.status_mask & wo::status_bit(x.status))) return false;
  if (q.order_type_id && x.order_type_id != *q.order_type_id) return false;
  if (q.subtype_id && x.subtype_id != *q.subtype_id) return false;
  if (q.assignee_id && x.assignee_id != q.assignee_id) return false;
  if (q.tenant_id && x.tenant_id != q.tenant_id) return false;
  if (q.reporter_contact_id && x.reporter_contact_id != q.reporter_contact_id) return false;
  if (q.reporter_staff_id && x.reporter_staff_id != q.reporter_staff_id) return false;
  if (q.created_from && x.created_at < *q.created_from) return false;
  if (q.created_to && x.created_at >= *q.created_to) return false;
  if (q.text && !x.number.starts_with(*q.text) && x.description.find(*q.text) == std::string::npos) return false;
  return true;
}

std::vector<std::int64_t> ids_of(const std::vector<wo::Order>& v) {
  std::vector<std::int64_t> out;
  for (const auto& x : v) out.push_back(x.id.value);
  return out;
}

}  // namespace

TEST_CASE("every view of every actor equals the brute-force answer, page by page") {
  Fixture fx;
  const auto ids = build_orders(fx, 20261127);
  const OrgIds& o = fx.a;
  std::vector<wo::Order> orders;
  for (auto id : ids) orders.push_back(fx.order(id));
  std::sort(orders.begin(), orders.end(), newer);

  std::vector<OrderQuery> queries(1);
  const auto add = [&](auto member, auto value) {
    OrderQuery q;
    q.*member = value;
    queries.push_back(q);
  };
  add(&OrderQuery::status_mask, wo::status_bit(Status::completed));
  add(&OrderQuery::status_mask, wo::status_bit(Status::pending_dispatch) | wo::status_bit(Status::in_progress) |
                                    wo::status_bit(Status::awaiting_payment));
  add(&OrderQuery::order_type_id, std::optional{o.electric});
  add(&OrderQuery::subtype_id, std::optional{o.free});
  add(&OrderQuery::assignee_id, std::optional{o.tech_b});
  add(&OrderQuery::tenant_id, std::optional{o.tenant_q});
  add(&OrderQuery::reporter_contact_id, std::optional{o.c2});
  add(&OrderQuery::reporter_staff_id, std::optional{o.tech_b});
  add(&OrderQuery::created_from, std::optional{orders[40].created_at});
  add(&OrderQuery::created_to, std::optional{orders[20].created_at});
  add(&OrderQuery::text, std::optional<std::string>("window"));
  add(&OrderQuery::text, std::optional<std::string>("漏水"));
  add(&OrderQuery::text, std::optional<std::string>(orders[5].number.substr(0, 14)));  // a number prefix
  OrderQuery combined;
  combined.status_mask = wo::status_bit(Status::completed) | wo::status_bit(Status::awaiting_rating);
  combined.tenant_id = o.tenant_p;
  combined.text = "window";
  queries.push_back(combined);

  const std::pair<Actor, std::vector<OrderView>> actors[] = {
      {o.as_admin(), {OrderView::all, OrderView::submitted_by_me, OrderView::my_tasks}},
      {o.as_dispatcher(), {OrderView::all, OrderView::my_tasks}},
      {o.as_lead(), {OrderView::all, OrderView::my_tasks, OrderView::pool}},
      {o.as_tech_a(), {OrderView::all, OrderView::my_tasks, OrderView::pool}},
      {o.as_tech_b(), {OrderView::all, OrderView::submitted_by_me, OrderView::my_tasks, OrderView::pool}},
      {o.as_electrician(), {OrderView::all, OrderView::my_tasks, OrderView::pool}},
      {o.as_tech_ext(), {OrderView::all, OrderView::pool}},
      {o.as_c1(), {OrderView::all, OrderView::tenant_todo, OrderView::submitted_by_me}},
      {o.as_q1(), {OrderView::all, OrderView::tenant_todo, OrderView::submitted_by_me}},
  };
  int compared = 0;
  for (const auto& [actor, views] : actors) {
    // What the actor can see, by the single-order rule.
    std::vector<wo::Order> visible;
    for (const auto& x : orders)
      if (!capture([&] { fx.engine.get_order(actor, x.id); }).threw) visible.push_back(x);
    for (OrderView view : views)
      for (const auto& q : queries) {
        std::vector<wo::Order> expected;
        for (const auto& x : visible)
          if (in_view(x, actor, view, o) && matches(x, q)) expected.push_back(x);
        for (int limit : {1, 7, 200}) {
          INFO("actor ", actor.id, " view ", wo::name_of(view), " limit ", limit, " query #", &q - queries.data());
          CHECK(ids_of(walk(fx, actor, view, q, limit)) == ids_of(expected));
          ++compared;
        }
      }
  }
  CHECK(compared > 300);
}

TEST_CASE("views an actor cannot use are forbidden; bad queries and cursors are invalid and name the value") {
  Fixture fx;
  build_orders(fx, 7);
  const OrgIds& o = fx.a;
  const OrderQuery none;
  const auto list = [&](const Actor& a, OrderView v, const OrderQuery& q = {}, const std::string& cursor = "", int limit = 10) {
    return [&, a, v, q, cursor, limit] { fx.engine.list_orders(a, v, q, cursor, limit); };
  };
  fx.expect_error(Code::forbidden, list(Actor::system(), OrderView::all));
  fx.expect_error(Code::forbidden, list(o.as_c1(), OrderView::my_tasks));
  fx.expect_error(Code::forbidden, list(o.as_c1(), OrderView::pool));
  fx.expect_error(Code::forbidden, list(o.as_dispatcher(), OrderView::pool));
  fx.expect_error(Code::forbidden, list(o.as_tech_a(), OrderView::tenant_todo));
  fx.expect_error(Code::invalid_argument, list(o.as_admin(), static_cast<OrderView>(5)));

  for (int limit : {0, -1, 201}) {
    const auto out = fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, none, "", limit));
    CHECK(out.message.find(std::to_string(limit)) != std::string::npos);
  }
  OrderQuery q;
  q.status_mask = 256;
  CHECK(fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, q)).message.find("256") != std::string::npos);
  q = {};
  q.created_from = fx.now;
  q.created_to = fx.now;
  fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, q));
  q = {};
  q.text = "";
  fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, q));
  q.text = std::string("bad\x01text");
  fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, q));
  q = {};
  q.tenant_id = fx.b.tenant_p;  // another org's id: not found, naming the field
  CHECK(fx.expect_error(Code::not_found, list(o.as_admin(), OrderView::all, q)).message.find("tenant_id") != std::string::npos);
  q = {};
  q.assignee_id = wo::StaffId{999999};
  fx.expect_error(Code::not_found, list(o.as_admin(), OrderView::all, q));

  // Cursors: a real one works; any damage, truncation or foreign text is invalid_argument.
  const auto first = fx.engine.list_orders(o.as_admin(), OrderView::all, none, "", 5);
  REQUIRE_FALSE(first.next_cursor.empty());
  CHECK_NOTHROW(fx.engine.list_orders(o.as_admin(), OrderView::all, none, first.next_cursor, 5));
  for (std::size_t i = 0; i < first.next_cursor.size(); ++i) {
    std::string bad = first.next_cursor;
    bad[i] = bad[i] == '0' ? '1' : '0';
    INFO("changed character ", i);
    fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, none, bad));
  }
  for (const std::string& bad : {std::string("x"), first.next_cursor.substr(1), first.next_cursor + "0",
                                std::string(4096, 'f'), std::string("o\0", 2) + std::string(40, '\xff')})
    fx.expect_error(Code::invalid_argument, list(o.as_admin(), OrderView::all, none, bad));
}

TEST_CASE("a page is newest first and a cursor survives orders submitted after it was issued") {
  Fixture fx;
  const OrgIds& o = fx.a;
  std::vector<OrderId> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec)));  // one instant
  const auto first = fx.engine.list_orders(o.as_c1(), OrderView::submitted_by_me, {}, "", 4);
  REQUIRE(first.items.size() == 4);
  CHECK(first.items[0].id == ids[5]);  // same created_at: higher id first
  CHECK(first.items[3].id == ids[2]);
  fx.advance(1min);
  fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));  // newer: belongs before page 1
  const auto second = fx.engine.list_orders(o.as_c1(), OrderView::submitted_by_me, {}, first.next_cursor, 4);
  REQUIRE(second.items.size() == 2);
  CHECK(second.items[0].id == ids[1]);
  CHECK(second.items[1].id == ids[0]);
  CHECK(second.next_cursor.empty());
}
