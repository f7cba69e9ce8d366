// SPDX-License-Identifier: MIT
// docs/architecture.md §4: a clock is injected (system clock by default) so time rules are testable; every
// use case reads "now" from the engine's clock.
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <string>

#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace {

wo::NewOrg make_org(wo::Engine& engine, const std::string& name, const std::string& phone) {
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, name).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  wo::Patch<wo::Staff> admin;
  admin.set(&wo::Staff::name, std::string("Ada")).set(&wo::Staff::phone, phone);
  return engine.create_org(wo::Actor::system(), org, admin);
}

wo::MaterialId make_material(wo::Engine& engine, wo::StaffId admin) {
  wo::Patch<wo::Material> p;
  p.set(&wo::Material::sku, std::string("FC-1"))
      .set(&wo::Material::name, std::string("Faucet cartridge"))
      .set(&wo::Material::unit, std::string("pcs"))
      .set(&wo::Material::unit_price, wo::Money{2500});
  return engine.create<wo::Material>(wo::Actor::staff(admin), p);
}

wo::StockMovementId requisition(wo::Engine& engine, wo::StaffId admin, wo::MaterialId material) {
  wo::Patch<wo::StockMovement> p;
  p.set(&wo::StockMovement::material_id, material)
      .set(&wo::StockMovement::movement_kind, wo::MovementKind::requisition)
      .set(&wo::StockMovement::qty, wo::Qty{1000});
  return engine.create<wo::StockMovement>(wo::Actor::staff(admin), p);
}

constexpr std::int64_t t0 = 1718000000123;  // 2024-06-10T06:13:20.123Z

}  // namespace

TEST_CASE("a clock given to the constructor stamps Org.created_at") {
  wo::Engine engine(test_support::fresh_store("clock"), [] { return wo::from_unix_ms(t0); });
  CHECK(wo::to_unix_ms(engine.now()) == t0);
  const auto org = make_org(engine, "Acme", "13800138000");
  CHECK(wo::to_unix_ms(engine.get_org(wo::Actor::staff(org.admin), org.org).created_at) == t0);
}

TEST_CASE("set_clock injects time: Org.created_at and StockMovement.created_at follow it") {
  wo::Engine engine(test_support::fresh_store("clock"));
  std::int64_t now = t0;
  engine.set_clock([&now] { return wo::from_unix_ms(now); });
  CHECK(wo::to_unix_ms(engine.now()) == t0);

  const auto org = make_org(engine, "Acme", "13800138000");
  const auto admin = wo::Actor::staff(org.admin);
  CHECK(wo::to_unix_ms(engine.get_org(admin, org.org).created_at) == t0);

  now = t0 + 60'000;
  const auto material = make_material(engine, org.admin);
  const auto first = requisition(engine, org.admin, material);
  now = t0 + 3'600'000;
  const auto second = requisition(engine, org.admin, material);

  const wo::StockMovement m1 = engine.get<wo::StockMovement>(admin, first);
  const wo::StockMovement m2 = engine.get<wo::StockMovement>(admin, second);
  CHECK(wo::to_unix_ms(m1.created_at) == t0 + 60'000);
  CHECK(wo::to_unix_ms(m2.created_at) == t0 + 3'600'000);
  CHECK(m1.staff_id == org.admin);  // the engine records who moved the stock

  // a second org made at another injected time gets that time; the first is unchanged
  now = t0 + 86'400'000;
  const auto other = make_org(engine, "Beta", "13900139000");
  CHECK(wo::to_unix_ms(engine.get_org(wo::Actor::staff(other.admin), other.org).created_at) == t0 + 86'400'000);
  CHECK(wo::to_unix_ms(engine.get_org(admin, org.org).created_at) == t0);
}

TEST_CASE("an injected time in the past is used as given") {
  wo::Engine engine(test_support::fresh_store("clock"));
  engine.set_clock([] { return wo::from_unix_ms(0); });  // 1970-01-01
  const auto org = make_org(engine, "Acme", "13800138000");
  CHECK(wo::to_unix_ms(engine.get_org(wo::Actor::staff(org.admin), org.org).created_at) == 0);
}

TEST_CASE("set_clock with an empty clock goes back to the system clock") {
  wo::Engine engine(test_support::fresh_store("clock"), [] { return wo::from_unix_ms(t0); });
  engine.set_clock(wo::Clock{});
  const auto before = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const wo::Timestamp now = engine.now();
  const auto after = std::chrono::ceil<std::chrono::milliseconds>(std::chrono::system_clock::now());
  CHECK(now >= before);
  CHECK(now <= after);
  const auto org = make_org(engine, "Acme", "13800138000");
  const auto created = engine.get_org(wo::Actor::staff(org.admin), org.org).created_at;
  CHECK(created >= before);
  CHECK(created <= std::chrono::ceil<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

TEST_CASE("the default engine clock is the system clock") {
  wo::Engine engine(test_support::fresh_store("clock"));
  const auto before = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const wo::Timestamp now = engine.now();
  CHECK(now >= before);
  CHECK(now <= std::chrono::ceil<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

// docs/rules.md §9: every instant that enters the library, from the host or from its clock, is
// within 1970-01-01T00:00Z .. 9999-01-01T00:00Z, or the call fails with invalid_argument naming
// it and changes nothing.
TEST_CASE("instants out of range are refused, from the host and from its clock") {
  wo::Engine engine(test_support::fresh_store("instants"), [] { return wo::from_unix_ms(t0); });
  const auto org = make_org(engine, "Acme", "13800138000");
  const auto admin = wo::Actor::staff(org.admin);
  auto refused = [](auto&& call, const std::string& mention) {
    try {
      call();
      FAIL("accepted: ", mention);
    } catch (const wo::Error& e) {
      CHECK(e.code() == wo::Code::invalid_argument);
      CHECK_MESSAGE(std::string(e.what()).find(mention) != std::string::npos, e.what());
    }
  };
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  refused([&] { engine.tick(wo::Actor::system(), wo::from_unix_ms(max)); }, "now 9223372036854775807");
  refused([&] { engine.tick(wo::Actor::system(), wo::from_unix_ms(-1)); }, "now -1");
  CHECK(engine.tick(wo::Actor::system(), wo::from_unix_ms(wo::latest_instant_ms)) == 0);

  wo::OrderQuery query;
  query.created_from = wo::from_unix_ms(-5);
  refused([&] { engine.list_orders(admin, wo::OrderView::all, query, "", 10); }, "created_from -5");
  query.created_from.reset();
  query.created_to = wo::from_unix_ms(max);
  refused([&] { engine.list_orders(admin, wo::OrderView::all, query, "", 10); }, "created_to 9223372036854775807");

  // Microseconds given as milliseconds: the year 33658.
  const auto material = make_material(engine, org.admin);
  engine.set_clock([] { return wo::from_unix_ms(1'000'000'000'000'000); });
  refused([&] { requisition(engine, org.admin, material); }, "the clock's time 1000000000000000");
  engine.set_clock([] { return wo::from_unix_ms(t0); });
  CHECK(engine.list<wo::StockMovement>(admin, wo::Filter{}, wo::StockMovementId{0}, 10).empty());
}
