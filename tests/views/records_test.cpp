// SPDX-License-Identifier: MIT
// Order records and their CSV export (docs/rules.md §8 订单记录, docs/export.md): exact values of a
// paid story, oldest-first keyset paging, cursors of the wrong list refused, the CSV parsed
// back with an RFC 4180 parser of this file, org-local offsets on both sides of DST, the
// export equal to the record pages, each actor's sight, a failing sink, bounded chunks, and
// names read once per distinct id (no per-order queries).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "domain/csv.hpp"
#include "domain/money_text.hpp"
#include "orders/order_fixture.hpp"
#include "support/counting_store.hpp"
#include "support/test_db.hpp"
#include "workorder/views.hpp"

using namespace orders_test;
using wo::OrderQuery;
using wo::OrderRecord;

namespace {

const std::vector<std::string> header = {"number",      "order_type",  "subtype",      "content",
                                         "status",      "reporter",    "responsible",  "created_at",
                                         "accepted_at", "finished_at", "completed_at", "result",
                                         "total",       "paid",        "refunded",     "balance"};

// --- a strict RFC 4180 reader: CRLF after every record, quotes only around whole fields ---
struct Csv {
  std::vector<std::vector<std::string>> rows;
  std::string error;  // empty when the text is well formed
};

Csv parse_csv(std::string_view text) {
  Csv csv;
  std::vector<std::string> row;
  std::size_t i = 0;
  const auto fail = [&](std::string why) {
    csv.error = why + " at byte " + std::to_string(i);
    return csv;
  };
  while (i < text.size()) {
    std::string value;
    if (text[i] == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return fail("unterminated quoted field");
        if (text[i] != '"') {
          value += text[i];
        } else if (i + 1 < text.size() && text[i + 1] == '"') {
          value += '"';
          ++i;
        } else {
          ++i;
          break;
        }
      }
    } else {
      for (; i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n'; ++i) {
        if (text[i] == '"') return fail("quote inside an unquoted field");
        value += text[i];
      }
    }
    row.push_back(std::move(value));
    if (i < text.size() && text[i] == ',') {
      if (++i == text.size()) return fail("text ends after a comma");
      continue;
    }
    if (text.substr(i, 2) != "\r\n") return fail("record not ended by CRLF");
    i += 2;
    csv.rows.push_back(std::move(row));
    row.clear();
  }
  return csv;
}

TEST_CASE("the test's CSV reader refuses what RFC 4180 does not allow") {
  CHECK(parse_csv("a,\"b,\"\"c\"\"\"\r\n").rows == std::vector<std::vector<std::string>>{{"a", "b,\"c\""}});
  CHECK(parse_csv("a,b\n").error != "");
  CHECK(parse_csv("a,b").error != "");
  CHECK(parse_csv("a\"b\r\n").error != "");
  CHECK(parse_csv("\"ab\r\n").error != "");
  CHECK(parse_csv("\"a\"b\r\n").error != "");
}

// --- reading records and exports ---
std::vector<OrderRecord> all_records(Fixture& fx, const Actor& actor, const OrderQuery& q, int limit, int* pages = nullptr) {
  std::vector<OrderRecord> out;
  std::string cursor;
  for (int n = 1;; ++n) {
    auto page = fx.engine.order_records(actor, q, cursor, limit);
    CHECK(page.items.size() <= static_cast<std::size_t>(limit));
    if (!page.next_cursor.empty()) CHECK(page.items.size() == static_cast<std::size_t>(limit));
    out.insert(out.end(), page.items.begin(), page.items.end());
    if (pages) *pages = n;
    if (page.next_cursor.empty()) return out;
    cursor = page.next_cursor;
    REQUIRE(n < 10'000);
  }
}

std::vector<OrderId> ids_of(const std::vector<OrderRecord>& records) {
  std::vector<OrderId> ids;
  for (const auto& r : records) ids.push_back(r.id);
  return ids;
}

struct Export {
  std::string text;
  std::vector<std::size_t> chunks;  // sizes of the sink calls
};

Export export_of(Fixture& fx, const Actor& actor, const OrderQuery& q = {}) {
  Export e;
  fx.engine.export_csv(actor, q, [&](std::string_view chunk) {
    e.text += chunk;
    e.chunks.push_back(chunk.size());
  });
  return e;
}

// The data rows of an export, checked to be well formed with the documented header.
std::vector<std::vector<std::string>> rows_of(const Export& e) {
  const Csv csv = parse_csv(e.text);
  INFO("csv error: ", csv.error);
  REQUIRE(csv.error == "");
  REQUIRE(!csv.rows.empty());
  CHECK(csv.rows[0] == header);
  for (const auto& r : csv.rows) CHECK(r.size() == header.size());
  return {csv.rows.begin() + 1, csv.rows.end()};
}

// The row docs/export.md says a record becomes, built from the pure helpers.
std::vector<std::string> row_for(const OrderRecord& r, const date::time_zone& zone, int exponent) {
  const auto time = [&](const std::optional<wo::Timestamp>& t) { return t ? wo::local_time_text(zone, *t) : ""; };
  const auto money = [&](Money m) { return wo::money_text(m, exponent); };
  return {r.number,       r.order_type, r.subtype,         r.content,          wo::name_of(r.status),
          r.reporter,     r.responsible.value_or(""),      time(r.created_at), time(r.accepted_at),
          time(r.finished_at), time(r.completed_at), r.result, money(r.total), money(r.paid),
          money(r.refunded),   money(r.balance)};
}

// Ids sorted as the records promise: (created_at, id) ascending.
std::vector<OrderId> oldest_first(Fixture& fx, std::vector<OrderId> ids) {
  std::map<std::int64_t, std::int64_t> created;
  for (auto id : ids) created[id.value] = wo::to_unix_ms(fx.order(id).created_at);
  std::sort(ids.begin(), ids.end(), [&](OrderId x, OrderId y) {
    return std::pair(created[x.value], x.value) < std::pair(created[y.value], y.value);
  });
  return ids;
}

// `n` orders of contact c1 (or c2 for every third) on the free subtype; the clock moves one
// second only every other order, so created_at ties are common.
std::vector<OrderId> submit_many(Fixture& fx, const OrgIds& o, int n, const std::string& description) {
  std::vector<OrderId> ids;
  for (int i = 0; i < n; ++i) {
    if (i % 2) fx.advance(1s);
    auto d = Fixture::draft(o.free);
    d.description = description + " #" + std::to_string(i);
    ids.push_back(fx.engine.submit(i % 3 == 2 ? o.as_c2() : o.as_c1(), d));
  }
  return ids;
}

const date::time_zone& shanghai() { return wo::find_time_zone("time_zone", "Asia/Shanghai"); }

wo::Timestamp at_minute(int m) { return wo::from_unix_ms(start_ms) + std::chrono::minutes(m); }

}  // namespace

TEST_CASE("records of the paid story, a cancelled order, a staff report and a reopened order") {
  Fixture fx;
  const OrgIds& a = fx.a;
  const OrderId paid = fx.drive(a, Status::completed);       // minutes 1..8
  const OrderId cancelled = fx.drive(a, Status::cancelled);  // minutes 9..12
  fx.advance(1min);                                           // minute 13
  auto staff_draft = Fixture::draft(a.free);
  staff_draft.source_channel = wo::SourceChannel::staff_pc;
  const OrderId staff_report = fx.engine.submit(a.as_dispatcher(), staff_draft);
  const OrderId reopened = fx.drive(a, Status::completed);  // minutes 14..21
  fx.advance(1min);
  fx.engine.reopen(a.as_c1(), reopened, "Still leaking (还在漏)");

  const auto page = fx.engine.order_records(a.as_admin(), {}, "", wo::max_page_size);
  CHECK(page.next_cursor == "");
  REQUIRE(ids_of(page.items) == std::vector<OrderId>{paid, cancelled, staff_report, reopened});

  SUBCASE("the paid and rated story") {
    const OrderRecord& r = page.items[0];
    CHECK(r.number == fx.order(paid).number);
    CHECK(r.number == "20261127-000001");
    CHECK(r.order_type == "Plumbing");
    CHECK(r.subtype == "Pipes");
    CHECK(r.content == "Kitchen faucet leaks (厨房龙头漏水)");
    CHECK(r.status == Status::completed);
    CHECK(r.reporter == "张三");
    CHECK(r.responsible == std::optional<std::string>("张师傅"));
    CHECK(r.created_at == at_minute(1));
    CHECK(r.accepted_at == at_minute(4));
    CHECK(r.finished_at == at_minute(6));
    CHECK(r.completed_at == at_minute(8));
    CHECK(r.result == "rated 5: Good");
    CHECK(r.total == Money{story_spec_price + callout_price});  // 50.00 spec + 20.00 call-out
    CHECK(r.paid == Money{7000});                                // 20.00 deposit + 50.00
    CHECK(r.refunded == Money{0});
    CHECK(r.balance == Money{0});
  }
  SUBCASE("cancelled after the deposit: the assignee stays responsible, the deposit is owed back") {
    const OrderRecord& r = page.items[1];
    CHECK(r.status == Status::cancelled);
    CHECK(r.result == "cancelled");
    CHECK(r.responsible == std::optional<std::string>("张师傅"));
    CHECK(r.created_at == at_minute(9));
    CHECK_FALSE(r.accepted_at);
    CHECK_FALSE(r.finished_at);
    CHECK_FALSE(r.completed_at);
    CHECK(r.total == Money{story_spec_price});
    CHECK(r.paid == Money{story_deposit});
    CHECK(r.balance == Money{-story_deposit});  // owes nothing, paid 20.00
    fx.engine.refund(a.as_dispatcher(), cancelled, {wo::Channel::wechat, Money{story_deposit}, std::nullopt});
    const OrderRecord after = fx.engine.order_records(a.as_admin(), {}, "", 2).items[1];
    CHECK(after.refunded == Money{story_deposit});
    CHECK(after.balance == Money{0});
  }
  SUBCASE("reported by staff for the org, nobody assigned") {
    const OrderRecord& r = page.items[2];
    CHECK(r.reporter == "李调度");
    CHECK_FALSE(r.responsible);
    CHECK(r.status == Status::pending_dispatch);
    CHECK(r.result == "");
    CHECK(r.subtype == "Public pipes");
    CHECK(r.total == Money{0});
  }
  SUBCASE("a reopened order is no longer rated nor assigned") {
    const OrderRecord& r = page.items[3];
    CHECK(r.status == Status::pending_dispatch);
    CHECK(r.result == "");
    CHECK_FALSE(r.responsible);
    CHECK_FALSE(r.completed_at);
    CHECK(r.paid == Money{7000});
  }
  SUBCASE("names are the current ones") {
    wo::Patch<wo::Subtype> rename;
    rename.set(&wo::Subtype::name, std::string("Pipes & valves"));
    fx.engine.update<wo::Subtype>(a.as_admin(), a.deposit_fixed, rename);
    wo::Patch<wo::Staff> staff;
    staff.set(&wo::Staff::name, std::string("张师傅 (senior)"));
    fx.engine.update<wo::Staff>(a.as_admin(), a.tech_a, staff);
    const OrderRecord r = fx.engine.order_records(a.as_admin(), {}, "", 1).items[0];
    CHECK(r.subtype == "Pipes & valves");
    CHECK(r.responsible == std::optional<std::string>("张师傅 (senior)"));
  }
  SUBCASE("the CSV line of the story, byte for byte") {
    const Export e = export_of(fx, a.as_admin());
    const std::string expected_header =
        "number,order_type,subtype,content,status,reporter,responsible,created_at,accepted_at,finished_at,"
        "completed_at,result,total,paid,refunded,balance\r\n";
    const std::string story =
        "20261127-000001,Plumbing,Pipes,Kitchen faucet leaks (厨房龙头漏水),completed,张三,张师傅,"
        "2026-11-27T09:01:00+08:00,2026-11-27T09:04:00+08:00,2026-11-27T09:06:00+08:00,2026-11-27T09:08:00+08:00,"
        "rated 5: Good,70.00,70.00,0.00,0.00\r\n";
    const std::string cancel_line =
        "20261127-000002,Plumbing,Pipes,Kitchen faucet leaks (厨房龙头漏水),cancelled,张三,张师傅,"
        "2026-11-27T09:09:00+08:00,,,,cancelled,50.00,20.00,0.00,-20.00\r\n";
    CHECK(e.text.starts_with(expected_header + story + cancel_line));
    CHECK(rows_of(e).size() == 4);
  }
}

TEST_CASE("records page oldest first with cursors, every order exactly once") {
  Fixture fx;
  const OrgIds& a = fx.a;
  std::vector<OrderId> ids;
  for (Status s : all_statuses) ids.push_back(fx.drive(a, s));
  for (auto id : submit_many(fx, a, 13, "Tie")) ids.push_back(id);
  fx.drive(fx.b, Status::completed);  // another org's order never shows
  const auto expected = oldest_first(fx, ids);
  REQUIRE(expected.size() == 21);

  for (int limit : {1, 2, 4, 7, 20, 21, 22, wo::max_page_size}) {
    CAPTURE(limit);
    int pages = 0;
    CHECK(ids_of(all_records(fx, a.as_admin(), {}, limit, &pages)) == expected);
    CHECK(pages == (21 + limit - 1) / limit);  // a full last page carries no cursor
  }

  SUBCASE("a query of several statuses merges its parts across pages") {
    OrderQuery q;
    q.status_mask = wo::status_bit(Status::pending_dispatch) | wo::status_bit(Status::completed) |
                    wo::status_bit(Status::cancelled) | wo::status_bit(Status::awaiting_prepayment);
    std::vector<OrderId> wanted;
    for (auto id : expected)
      if (q.status_mask & wo::status_bit(fx.status(id))) wanted.push_back(id);
    REQUIRE(wanted.size() == 17);  // 4 driven + 13 submitted (pending_dispatch)
    for (int limit : {1, 3, 5}) {
      CAPTURE(limit);
      CHECK(ids_of(all_records(fx, a.as_admin(), q, limit)) == wanted);
    }
  }
  SUBCASE("a created range pages to its end, whichever of range and cursor bounds a page") {
    // Ranges over the orders' own instants, paged one and two at a time.
    std::vector<wo::Timestamp> instants;
    for (auto id : expected) instants.push_back(fx.order(id).created_at);
    instants.push_back(instants.back() + 1s);
    for (std::size_t f = 0; f < instants.size(); f += 3)
      for (std::size_t t = f + 1; t < instants.size(); t += 4) {
        if (instants[t] <= instants[f]) continue;  // ties: not a range
        OrderQuery q;
        q.created_from = instants[f];
        q.created_to = instants[t];
        std::vector<OrderId> wanted;
        for (auto id : expected)
          if (fx.order(id).created_at >= instants[f] && fx.order(id).created_at < instants[t]) wanted.push_back(id);
        for (int limit : {1, 2}) {
          CAPTURE(f);
          CAPTURE(t);
          CAPTURE(limit);
          CHECK(ids_of(all_records(fx, a.as_admin(), q, limit)) == wanted);
        }
      }
  }
  SUBCASE("a cursor from another query never widens a range") {
    const auto early = fx.engine.order_records(a.as_admin(), {}, "", 2);  // a cursor near the start
    OrderQuery q;
    q.created_from = fx.order(expected[10]).created_at;
    std::vector<OrderId> wanted;
    for (auto id : expected)
      if (fx.order(id).created_at >= *q.created_from) wanted.push_back(id);
    const auto page = fx.engine.order_records(a.as_admin(), q, early.next_cursor, wo::max_page_size);
    CHECK(ids_of(page.items) == wanted);
  }
  SUBCASE("a contact's records are only theirs") {
    std::vector<OrderId> mine;
    for (auto id : expected)
      if (fx.order(id).reporter_contact_id == a.c2) mine.push_back(id);
    REQUIRE(mine.size() == 4);
    CHECK(ids_of(all_records(fx, a.as_c2(), {}, 3)) == mine);
  }
}

TEST_CASE("cursors: tampered, from the newest-first lists, or sizes out of range are invalid_argument") {
  Fixture fx;
  const OrgIds& a = fx.a;
  submit_many(fx, a, 5, "Order");
  const auto first = fx.engine.order_records(a.as_admin(), {}, "", 2);
  REQUIRE(first.next_cursor != "");
  CHECK(fx.engine.order_records(a.as_admin(), {}, first.next_cursor, 2).items.size() == 2);

  std::string tampered = first.next_cursor;
  tampered[10] = tampered[10] == '0' ? '1' : '0';
  const auto list_page = fx.engine.list_orders(a.as_admin(), wo::OrderView::all, {}, "", 2);
  REQUIRE(list_page.next_cursor != "");
  for (const std::string& bad : {tampered, list_page.next_cursor, std::string("not a cursor"), first.next_cursor + "0"}) {
    CAPTURE(bad);
    const auto out = fx.expect_error(Code::invalid_argument, [&] { fx.engine.order_records(a.as_admin(), {}, bad, 2); });
    CHECK(out.message.find("cursor") != std::string::npos);
  }
  // ...and the records' own cursor is refused by the newest-first list.
  fx.expect_error(Code::invalid_argument,
                  [&] { fx.engine.list_orders(a.as_admin(), wo::OrderView::all, {}, first.next_cursor, 2); });
  for (int limit : {0, -1, wo::max_page_size + 1}) {
    CAPTURE(limit);
    const auto out = fx.expect_error(Code::invalid_argument, [&] { fx.engine.order_records(a.as_admin(), {}, "", limit); });
    CHECK(out.message.find("limit " + std::to_string(limit)) != std::string::npos);
  }
}

TEST_CASE("the CSV export round-trips commas, quotes, line breaks and Chinese text") {
  Fixture fx;
  const OrgIds& a = fx.a;
  const std::vector<std::string> descriptions = {
      "Leak, urgent",
      "He said \"come now\"",
      "Line one\nLine two",
      "Windows line\r\nend",
      "Bare\rreturn",
      "厨房龙头漏水，水漫到客厅。“很急”",
      "\"Quoted\", split,\r\n and 中文, \"\"double\"\"",
      "   padded   ",
      "Tab\tseparated",
  };
  std::vector<OrderId> ids;
  for (const auto& text : descriptions) {
    fx.advance(1min);
    auto d = Fixture::draft(a.after, a.after_spec);
    d.description = text;
    ids.push_back(fx.engine.submit(a.as_c1(), d));
  }
  // A rating comment with the same troubles ends up in the result column.
  const OrderId rated = fx.drive(a, Status::awaiting_rating);
  fx.advance(1min);
  fx.engine.rate(a.as_c1(), rated, 4, std::string("Fast, \"clean\"\nthanks 谢谢"));

  const auto rows = rows_of(export_of(fx, a.as_admin()));
  REQUIRE(rows.size() == descriptions.size() + 1);
  for (std::size_t i = 0; i < descriptions.size(); ++i) {
    CAPTURE(i);
    CHECK(rows[i][0] == fx.order(ids[i]).number);
    CHECK(rows[i][3] == descriptions[i]);
    CHECK(rows[i][4] == "pending_dispatch");
    CHECK(rows[i][6] == "");  // no responsible person: an empty field
    CHECK(rows[i][12] == "50.00");
    CHECK(rows[i][15] == "50.00");
  }
  CHECK(rows.back()[11] == "rated 4: Fast, \"clean\"\nthanks 谢谢");
}

TEST_CASE("times carry the org's offset on both sides of daylight saving time") {
  Fixture fx;
  const OrgIds& a = fx.a;
  wo::Patch<wo::Org> zone;
  zone.set(&wo::Org::time_zone, std::string("America/New_York"));
  fx.engine.update_org(a.as_admin(), a.org, zone);
  fx.set_now(wo::to_unix_ms(wo::Timestamp{date::sys_days{date::year{2026} / 1 / 15}} + 15h));  // 10:00 EST
  const OrderId id = fx.engine.submit(a.as_c1(), Fixture::draft(a.after, a.after_spec));
  fx.engine.assign(a.as_dispatcher(), id, a.tech_a);
  fx.set_now(wo::to_unix_ms(wo::Timestamp{date::sys_days{date::year{2026} / 7 / 15}} + 15h + 30min + 15s));  // EDT
  fx.engine.accept(a.as_tech_a(), id);

  const auto rows = rows_of(export_of(fx, a.as_admin()));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][7] == "2026-01-15T10:00:00-05:00");
  CHECK(rows[0][8] == "2026-07-15T11:30:15-04:00");
  CHECK(rows[0][9] == "");
}

TEST_CASE("amounts use the org's currency exponent") {
  Fixture fx;
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Tokyo")).set(&wo::Org::time_zone, std::string("Asia/Tokyo"))
      .set(&wo::Org::currency, std::string("JPY"));
  wo::Patch<wo::Staff> admin_fields;
  admin_fields.set(&wo::Staff::name, std::string("Sato")).set(&wo::Staff::phone, std::string("0312345678"));
  const wo::NewOrg tokyo = fx.engine.create_org(Actor::system(), org, admin_fields);
  const Actor admin = Actor::staff(tokyo.admin);
  const auto create = [&]<class T>(wo::Patch<T> p) { return fx.engine.create<T>(admin, p); };
  wo::Patch<wo::Department> dept;
  dept.set(&wo::Department::name, std::string("Facilities"));
  const auto dept_id = create(dept);
  wo::Patch<wo::Position> pos;
  pos.set(&wo::Position::name, std::string("Plumber"));
  const auto pos_id = create(pos);
  wo::Patch<wo::OrderType> type;
  type.set(&wo::OrderType::name, std::string("Plumbing")).set(&wo::OrderType::department_id, dept_id)
      .set(&wo::OrderType::position_id, pos_id);
  const auto type_id = create(type);
  wo::Patch<wo::Subtype> sub;
  sub.set(&wo::Subtype::order_type_id, type_id).set(&wo::Subtype::name, std::string("Taps"))
      .set(&wo::Subtype::charge_mode, wo::ChargeMode::after_completion);
  const auto sub_id = create(sub);
  wo::Patch<wo::ServiceSpec> spec;
  spec.set(&wo::ServiceSpec::subtype_id, sub_id).set(&wo::ServiceSpec::name, std::string("Replace tap"))
      .set(&wo::ServiceSpec::price, Money{1500});
  const auto spec_id = create(spec);
  fx.engine.submit(admin, Fixture::draft(sub_id, spec_id));

  const auto rows = rows_of(export_of(fx, admin));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0][12] == "1500");  // ¥1500, no decimal point
  CHECK(rows[0][15] == "0");     // the org reported it: the tenant owes nothing
  CHECK(rows[0][7].ends_with("+09:00"));
}

TEST_CASE("a large export: pages beyond max_page_size, bounded chunks, equal to the record pages") {
  Fixture fx;
  const OrgIds& a = fx.a;
  std::vector<OrderId> ids;
  for (Status s : all_statuses) ids.push_back(fx.drive(a, s));
  std::string long_text;
  for (int i = 0; i < 150; ++i) long_text += "水管漏水,\"急\"";  // 1500 characters, about 2.7 KB quoted
  for (auto id : submit_many(fx, a, 2 * wo::max_page_size + 3, long_text)) ids.push_back(id);
  const auto expected = oldest_first(fx, ids);

  const Export e = export_of(fx, a.as_admin());
  const auto rows = rows_of(e);
  const auto records = all_records(fx, a.as_admin(), {}, 37);
  CHECK(ids_of(records) == expected);
  REQUIRE(rows.size() == records.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i);
    CHECK(rows[i] == row_for(records[i], shanghai(), 2));
  }
  SUBCASE("written in chunks of a bounded buffer, not one call per row or field") {
    CHECK(e.text.size() > 1'000'000);
    CHECK(e.chunks.size() >= e.text.size() / (72 * 1024));
    CHECK(e.chunks.size() <= e.text.size() / (64 * 1024) + 1);
    for (auto size : e.chunks) CHECK(size <= 64 * 1024 + 8 * 1024);  // the threshold plus one row
  }
  SUBCASE("the same query narrows both the same way") {
    OrderQuery q;
    q.reporter_contact_id = a.c2;
    q.status_mask = wo::status_bit(Status::pending_dispatch);
    const auto narrowed = all_records(fx, a.as_admin(), q, wo::max_page_size);
    const auto narrowed_rows = rows_of(export_of(fx, a.as_admin(), q));
    REQUIRE(narrowed.size() == (2 * wo::max_page_size + 3) / 3);
    REQUIRE(narrowed_rows.size() == narrowed.size());
    for (std::size_t i = 0; i < narrowed.size(); ++i) CHECK(narrowed_rows[i] == row_for(narrowed[i], shanghai(), 2));
  }
  SUBCASE("a sink that throws stops the export; the exception reaches the caller untouched") {
    int calls = 0;
    const auto before = fx.snapshot();
    CHECK_THROWS_WITH_AS(fx.engine.export_csv(a.as_admin(), {},
                                              [&](std::string_view) {
                                                if (++calls == 2) throw std::runtime_error("host disk full");
                                              }),
                         "host disk full", std::runtime_error);
    CHECK(calls == 2);
    CHECK(diff(before, fx.snapshot()) == "");
    // The read transaction ended: the engine still writes.
    fx.engine.submit(a.as_c1(), Fixture::draft(a.free));
  }
}

TEST_CASE("each actor exports only what they see") {
  Fixture fx;
  const OrgIds& a = fx.a;
  const OrderId c1_story = fx.drive(a, Status::completed);
  const auto many = submit_many(fx, a, 6, "Mixed");  // c1, c1, c2, c1, c1, c2
  fx.drive(fx.b, Status::completed);

  const auto numbers = [&](const Export& e) {
    std::vector<std::string> out;
    for (const auto& r : rows_of(e)) out.push_back(r[0]);
    return out;
  };
  SUBCASE("a contact: only the orders they reported") {
    CHECK(numbers(export_of(fx, a.as_c2())) ==
          std::vector<std::string>{fx.order(many[2]).number, fx.order(many[5]).number});
    CHECK(ids_of(all_records(fx, a.as_c2(), {}, 10)) == std::vector<OrderId>{many[2], many[5]});
  }
  SUBCASE("a contact's query for someone else's orders finds nothing") {
    OrderQuery q;
    q.reporter_contact_id = a.c1;
    CHECK(numbers(export_of(fx, a.as_c2(), q)).empty());
  }
  SUBCASE("a technician: what they hold or held, and the pool they could grab") {
    CHECK(numbers(export_of(fx, a.as_tech_ext())).empty());  // not eligible, holds nothing
    CHECK(numbers(export_of(fx, a.as_electrician())).empty());
    const auto mine = numbers(export_of(fx, a.as_tech_a()));
    CHECK(mine.front() == fx.order(c1_story).number);  // held
    CHECK(mine.size() == 7);                           // plus the 6 pending_dispatch orders of the pool
  }
  SUBCASE("another org's admin sees none of this org's orders") {
    const auto theirs = numbers(export_of(fx, fx.b.as_admin()));
    REQUIRE(theirs.size() == 1);
    CHECK(ids_of(all_records(fx, fx.b.as_admin(), {}, 10)).size() == 1);
    CHECK(ids_of(all_records(fx, fx.b.as_admin(), {}, 10)) != std::vector<OrderId>{c1_story});
  }
  SUBCASE("the system actor is forbidden and the sink never called") {
    int calls = 0;
    fx.expect_error(Code::forbidden, [&] { fx.engine.export_csv(Actor::system(), {}, [&](std::string_view) { ++calls; }); });
    fx.expect_error(Code::forbidden, [&] { fx.engine.order_records(Actor::system(), {}, "", 10); });
    CHECK(calls == 0);
  }
  SUBCASE("a bad query fails before anything is written") {
    int calls = 0;
    OrderQuery q;
    q.status_mask = 1 << 8;
    const auto out = fx.expect_error(Code::invalid_argument,
                                     [&] { fx.engine.export_csv(a.as_admin(), q, [&](std::string_view) { ++calls; }); });
    CHECK(out.message.find("status_mask 256") != std::string::npos);
    OrderQuery other_org;
    other_org.tenant_id = fx.b.tenant_p;
    fx.expect_error(Code::not_found,
                    [&] { fx.engine.export_csv(a.as_admin(), other_org, [&](std::string_view) { ++calls; }); });
    CHECK(calls == 0);
  }
}

// No per-order queries, counted by test_support::CountingStore.
TEST_CASE("names are read once per distinct id, never per order") {
  const test_support::TestDb db("wo_records");
  const std::string& path = db.path;
  {
    Fixture fx(path);
    const OrgIds& a = fx.a;
    for (Status s : all_statuses) fx.drive(a, s);
    submit_many(fx, a, 40, "Counted");
    test_support::StoreCalls counts;
    wo::Engine counted(std::make_unique<test_support::CountingStore>(wo::open_store(path), counts),
                       [&] { return fx.now; });

    // Distinct names the 48 orders refer to.
    std::set<std::int64_t> staff, contacts, types, subtypes;
    const auto records = all_records(fx, a.as_admin(), {}, wo::max_page_size);
    REQUIRE(records.size() == 48);
    for (const auto& r : records) {
      const wo::Order o = fx.order(r.id);
      if (o.reporter_contact_id) contacts.insert(o.reporter_contact_id->value);
      if (o.reporter_staff_id) staff.insert(o.reporter_staff_id->value);
      if (o.assignee_id) staff.insert(o.assignee_id->value);
      types.insert(o.order_type_id.value);
      subtypes.insert(o.subtype_id.value);
    }

    const auto check_counts = [&] {
      CHECK(counts.finds["contact"] <= static_cast<int>(contacts.size()));
      CHECK(counts.finds["staff"] <= static_cast<int>(staff.size()) + 1);  // + the actor
      CHECK(counts.finds["order_type"] <= static_cast<int>(types.size()));
      CHECK(counts.finds["subtype"] <= static_cast<int>(subtypes.size()));
      CHECK(counts.finds["work_order"] == 0);
      CHECK(counts.selects["charge_line"] == 0);  // amounts come from the order itself
      CHECK(counts.selects["payment"] == 0);
      CHECK(counts.selects["event"] == 0);
      CHECK(counts.select_orders == 1);  // one page, one part
    };
    SUBCASE("one page of records") {
      CHECK(counted.order_records(a.as_admin(), {}, "", wo::max_page_size).items.size() == 48);
      check_counts();
    }
    SUBCASE("an export") {
      std::string text;
      counted.export_csv(a.as_admin(), {}, [&](std::string_view s) { text += s; });
      CHECK(parse_csv(text).rows.size() == 49);
      check_counts();
      CHECK(counts.finds["org"] == 1);  // the zone and currency, once
    }
  }
}
