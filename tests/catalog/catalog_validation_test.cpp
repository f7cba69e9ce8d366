// SPDX-License-Identifier: MIT
// docs/rules.md §9 input classes against the settings catalog (§1–2): each refused input gives the exact
// error code, a message naming the field (and the value where there is one), and leaves the
// whole database unchanged (Fixture::expect_error compares a snapshot of every table).
#include <limits>

#include "fixture.hpp"

using catalog_test::Fixture;
using catalog_test::OrgRecords;
using wo::Code;

namespace {

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A copy of `full` with field i left out.
template <class T>
wo::Patch<T> without_field(const wo::Patch<T>& full, int omitted) {
  wo::Patch<T> p;
  p.values() = full.values();
  for (int j = 0; j < wo::field_count<T>(); ++j)
    if (j != omitted && ((full.mask() >> j) & 1u)) p.mark_index(j);
  return p;
}

template <class T>
void check_required_fields(Fixture& fx) {
  CAPTURE(T::kind);
  const wo::Patch<T> full = fx.valid_patch<T>(fx.a);
  const auto& cols = wo::columns<T>();
  int checked = 0;
  for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
    const std::string field(cols[static_cast<std::size_t>(i)]);
    if (!(wo::field_flags<T>(field) & wo::required)) continue;
    CAPTURE(field);
    const wo::Patch<T> p = without_field(full, i);
    fx.expect_error(Code::invalid_argument, {field, "required"}, [&] { fx.engine.create<T>(fx.a.as_admin(), p); });
    ++checked;
  }
  CHECK(checked > 0);
  // The complete patch is accepted: the refusals above were about the missing field alone.
  fx.expect_ok([&] { fx.engine.create<T>(fx.a.as_admin(), full); });
}

// Blank, over-long, invalid UTF-8 and control characters in one text field of T, on create and
// on update; 200 Chinese characters are accepted and stored exactly.
template <class T>
void check_text_field(Fixture& fx, std::string T::*member, const std::string& field) {
  CAPTURE(T::kind);
  CAPTURE(field);
  const wo::Actor admin = fx.a.as_admin();
  auto with = [&](std::string value) {
    wo::Patch<T> p = fx.valid_patch<T>(fx.a);
    p.set(member, std::move(value));
    return p;
  };
  const std::vector<std::string> bad_utf8 = {
      std::string("Pipe \xC3\x28", 7),            // bad continuation byte
      std::string("\xC0\xAF", 2),                  // overlong '/'
      std::string("\xED\xA0\x80", 3),              // UTF-16 surrogate
      std::string("\xE4\xBF", 2),                  // truncated 3-byte sequence
      std::string("\xF4\x90\x80\x80", 4),          // above U+10FFFF
      std::string("ok\xFF", 3),                    // invalid lead byte
  };

  for (const std::string& blank : {std::string(""), std::string("   "), std::string("\t\n")}) {
    const auto p = with(blank);
    fx.expect_error(Code::invalid_argument, {field, "blank"}, [&] { fx.engine.create<T>(admin, p); });
  }
  {
    const auto p = with(repeat("x", 201));
    fx.expect_error(Code::invalid_argument, {field, "201"}, [&] { fx.engine.create<T>(admin, p); });
  }
  {
    const auto p = with(repeat("修", 201));
    fx.expect_error(Code::invalid_argument, {field, "201"}, [&] { fx.engine.create<T>(admin, p); });
  }
  for (const auto& bad : bad_utf8) {
    const auto p = with(bad);
    fx.expect_error(Code::invalid_argument, {field, "UTF-8"}, [&] { fx.engine.create<T>(admin, p); });
  }
  {
    const auto p = with(std::string("bad\x01name"));
    fx.expect_error(Code::invalid_argument, {field, "control"}, [&] { fx.engine.create<T>(admin, p); });
  }

  // 200 characters (600 bytes) of Chinese are fine and come back byte for byte.
  const std::string chinese200 = repeat("修", 200);
  decltype(T::id) id{};
  {
    const auto p = with(chinese200);
    REQUIRE(fx.expect_ok([&] { id = fx.engine.create<T>(admin, p); }));
    CHECK(fx.engine.get<T>(admin, id).*member == chinese200);
  }
  // 200 ASCII characters too (boundary of the limit).
  {
    const auto p = with(repeat("y", 200));
    fx.expect_ok([&] { fx.engine.create<T>(admin, p); });
  }

  // The same checks on update.
  auto upd = [&](std::string value) {
    wo::Patch<T> p;
    p.set(member, std::move(value));
    return p;
  };
  {
    const auto p = upd("  ");
    fx.expect_error(Code::invalid_argument, {field, "blank"}, [&] { fx.engine.update<T>(admin, id, p); });
  }
  {
    const auto p = upd(repeat("修", 201));
    fx.expect_error(Code::invalid_argument, {field, "201"}, [&] { fx.engine.update<T>(admin, id, p); });
  }
  {
    const auto p = upd(bad_utf8[0]);
    fx.expect_error(Code::invalid_argument, {field, "UTF-8"}, [&] { fx.engine.update<T>(admin, id, p); });
  }
}

}  // namespace

// ------------------------------------------------------------------------------------------------
TEST_CASE("missing required fields are invalid_argument naming the field, nothing written") {
  Fixture fx;
  check_required_fields<wo::Department>(fx);
  check_required_fields<wo::Position>(fx);
  check_required_fields<wo::Staff>(fx);
  check_required_fields<wo::Tenant>(fx);
  check_required_fields<wo::Contact>(fx);
  check_required_fields<wo::OrderType>(fx);
  check_required_fields<wo::Subtype>(fx);
  check_required_fields<wo::ServiceSpec>(fx);
  check_required_fields<wo::ServiceItem>(fx);
  check_required_fields<wo::LaborItem>(fx);
  check_required_fields<wo::LaborRate>(fx);
  check_required_fields<wo::Material>(fx);
  check_required_fields<wo::StockMovement>(fx);
}

TEST_CASE("missing required fields on org create") {
  Fixture fx;
  wo::Patch<wo::Staff> admin;
  admin.set(&wo::Staff::name, std::string("Boss")).set(&wo::Staff::phone, std::string("13911112222"));
  {
    wo::Patch<wo::Org> org;
    org.set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
    fx.expect_error(Code::invalid_argument, {"name", "required"},
                    [&] { fx.engine.create_org(wo::Actor::system(), org, admin); });
  }
  {
    wo::Patch<wo::Org> org;
    org.set(&wo::Org::name, std::string("Gamma"));
    fx.expect_error(Code::invalid_argument, {"time_zone", "required"},
                    [&] { fx.engine.create_org(wo::Actor::system(), org, admin); });
  }
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Gamma")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  {
    wo::Patch<wo::Staff> no_phone;
    no_phone.set(&wo::Staff::name, std::string("Boss"));
    fx.expect_error(Code::invalid_argument, {"phone", "required"},
                    [&] { fx.engine.create_org(wo::Actor::system(), org, no_phone); });
  }
  {
    wo::Patch<wo::Staff> no_name;
    no_name.set(&wo::Staff::phone, std::string("13911112222"));
    fx.expect_error(Code::invalid_argument, {"name", "required"},
                    [&] { fx.engine.create_org(wo::Actor::system(), org, no_name); });
  }
  {
    wo::Patch<wo::Org> blank = org;
    blank.set(&wo::Org::name, std::string("  "));
    fx.expect_error(Code::invalid_argument, {"name"}, [&] { fx.engine.create_org(wo::Actor::system(), blank, admin); });
  }
  {
    wo::Patch<wo::Org> long_name = org;
    long_name.set(&wo::Org::name, repeat("o", 201));
    fx.expect_error(Code::invalid_argument, {"name", "201"},
                    [&] { fx.engine.create_org(wo::Actor::system(), long_name, admin); });
  }
  {
    wo::Patch<wo::Org> bad = org;
    bad.set(&wo::Org::name, std::string("\xC3\x28", 2));
    fx.expect_error(Code::invalid_argument, {"name", "UTF-8"},
                    [&] { fx.engine.create_org(wo::Actor::system(), bad, admin); });
  }
  {
    wo::Patch<wo::Staff> long_admin = admin;
    long_admin.set(&wo::Staff::name, repeat("管", 201));
    fx.expect_error(Code::invalid_argument, {"name", "201"},
                    [&] { fx.engine.create_org(wo::Actor::system(), org, long_admin); });
  }
  fx.expect_ok([&] { fx.engine.create_org(wo::Actor::system(), org, admin); });
}

TEST_CASE("text fields: blank, over-long, invalid UTF-8, control characters; 200 Chinese characters OK") {
  Fixture fx;
  check_text_field<wo::Department>(fx, &wo::Department::name, "name");
  check_text_field<wo::Position>(fx, &wo::Position::name, "name");
  check_text_field<wo::Staff>(fx, &wo::Staff::name, "name");
  check_text_field<wo::Tenant>(fx, &wo::Tenant::name, "name");
  check_text_field<wo::Contact>(fx, &wo::Contact::name, "name");
  check_text_field<wo::OrderType>(fx, &wo::OrderType::name, "name");
  check_text_field<wo::Subtype>(fx, &wo::Subtype::name, "name");
  check_text_field<wo::ServiceSpec>(fx, &wo::ServiceSpec::name, "name");
  check_text_field<wo::ServiceItem>(fx, &wo::ServiceItem::name, "name");
  check_text_field<wo::LaborItem>(fx, &wo::LaborItem::name, "name");
  check_text_field<wo::Material>(fx, &wo::Material::name, "name");
  check_text_field<wo::Material>(fx, &wo::Material::unit, "unit");
}

TEST_CASE("material sku: blank, over-long, invalid UTF-8; 200 Chinese characters OK") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  auto with = [&](std::string sku) {
    wo::Patch<wo::Material> p = fx.valid_patch<wo::Material>(fx.a);
    p.set(&wo::Material::sku, std::move(sku));
    return p;
  };
  for (const auto& [value, needle] : std::vector<std::pair<std::string, std::string>>{
           {"", "blank"}, {" ", "blank"}, {repeat("S", 201), "201"}, {std::string("\xC0\xAF", 2), "UTF-8"}}) {
    const auto p = with(value);
    fx.expect_error(Code::invalid_argument, {"sku", needle}, [&] { fx.engine.create<wo::Material>(admin, p); });
  }
  const auto ok = with(repeat("料", 200));
  fx.expect_ok([&] { fx.engine.create<wo::Material>(admin, ok); });
}

TEST_CASE("unknown enum values given through Patch are invalid_argument naming field and value") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  SUBCASE("charge_mode on create and update") {
    for (const std::int32_t v : {9, 4, -1}) {
      CAPTURE(v);
      auto p = fx.valid_patch<wo::Subtype>(fx.a);
      p.set(&wo::Subtype::charge_mode, static_cast<wo::ChargeMode>(v));
      fx.expect_error(Code::invalid_argument, {"charge_mode", std::to_string(v)},
                      [&] { fx.engine.create<wo::Subtype>(admin, p); });
      wo::Patch<wo::Subtype> u;
      u.set(&wo::Subtype::charge_mode, static_cast<wo::ChargeMode>(v));
      fx.expect_error(Code::invalid_argument, {"charge_mode", std::to_string(v)},
                      [&] { fx.engine.update<wo::Subtype>(admin, fx.a.free, u); });
    }
  }
  SUBCASE("tenant_kind on create and update") {
    for (const std::int32_t v : {5, 2, -1}) {
      CAPTURE(v);
      auto p = fx.valid_patch<wo::Tenant>(fx.a);
      p.set(&wo::Tenant::tenant_kind, static_cast<wo::TenantKind>(v));
      fx.expect_error(Code::invalid_argument, {"tenant_kind", std::to_string(v)},
                      [&] { fx.engine.create<wo::Tenant>(admin, p); });
      wo::Patch<wo::Tenant> u;
      u.set(&wo::Tenant::tenant_kind, static_cast<wo::TenantKind>(v));
      fx.expect_error(Code::invalid_argument, {"tenant_kind", std::to_string(v)},
                      [&] { fx.engine.update<wo::Tenant>(admin, fx.a.person, u); });
    }
  }
  SUBCASE("movement_kind") {
    for (const std::int32_t v : {9, 5, -1}) {
      CAPTURE(v);
      auto p = fx.valid_patch<wo::StockMovement>(fx.a);
      p.set(&wo::StockMovement::movement_kind, static_cast<wo::MovementKind>(v));
      fx.expect_error(Code::invalid_argument, {"movement_kind", std::to_string(v)},
                      [&] { fx.engine.create<wo::StockMovement>(admin, p); });
    }
  }
  SUBCASE("payment channel") {
    for (const std::int32_t v : {9, 6, -1}) {
      CAPTURE(v);
      fx.expect_error(Code::invalid_argument, {"channel", std::to_string(v)},
                      [&] { fx.engine.set_channel_enabled(admin, static_cast<wo::Channel>(v), true); });
    }
  }
  SUBCASE("staff roles outside admin|dispatcher|technician") {
    for (const std::int32_t v : {8, 9, -1, 1 << 20}) {
      CAPTURE(v);
      auto p = fx.valid_patch<wo::Staff>(fx.a);
      p.set(&wo::Staff::roles, v);
      fx.expect_error(Code::invalid_argument, {"roles", std::to_string(v)},
                      [&] { fx.engine.create<wo::Staff>(admin, p); });
      wo::Patch<wo::Staff> u;
      u.set(&wo::Staff::roles, v);
      fx.expect_error(Code::invalid_argument, {"roles", std::to_string(v)},
                      [&] { fx.engine.update<wo::Staff>(admin, fx.a.technician, u); });
    }
  }
}

// The refusal itself works, but the message shows the roles after the engine added the admin
// bit (9), not the value the caller gave (8): rules §9 wants the field and *the* value.
TEST_CASE("org create: invalid first-admin roles are refused naming the value given") {
  Fixture fx;
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Gamma")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  for (const std::int32_t roles : {8, 16}) {
    CAPTURE(roles);
    wo::Patch<wo::Staff> first;
    first.set(&wo::Staff::name, std::string("Boss")).set(&wo::Staff::phone, std::string("13911112222"))
        .set(&wo::Staff::roles, roles);
    fx.expect_error(Code::invalid_argument, {"roles", std::to_string(roles)},
                    [&] { fx.engine.create_org(wo::Actor::system(), org, first); });
  }
}

TEST_CASE("negative money is invalid_argument naming field and value") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  for (const std::int64_t v : {std::int64_t{-1}, std::int64_t{-500}, std::numeric_limits<std::int64_t>::min()}) {
    CAPTURE(v);
    const std::string shown = std::to_string(v);
    {
      auto p = fx.valid_patch<wo::ServiceSpec>(fx.a);
      p.set(&wo::ServiceSpec::price, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"price", shown}, [&] { fx.engine.create<wo::ServiceSpec>(admin, p); });
      wo::Patch<wo::ServiceSpec> u;
      u.set(&wo::ServiceSpec::price, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"price", shown},
                      [&] { fx.engine.update<wo::ServiceSpec>(admin, fx.a.after_spec, u); });
    }
    {
      auto p = fx.valid_patch<wo::ServiceItem>(fx.a);
      p.set(&wo::ServiceItem::price, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"price", shown}, [&] { fx.engine.create<wo::ServiceItem>(admin, p); });
      wo::Patch<wo::ServiceItem> u;
      u.set(&wo::ServiceItem::price, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"price", shown},
                      [&] { fx.engine.update<wo::ServiceItem>(admin, fx.a.callout, u); });
    }
    {
      auto p = fx.valid_patch<wo::Material>(fx.a);
      p.set(&wo::Material::unit_price, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"unit_price", shown},
                      [&] { fx.engine.create<wo::Material>(admin, p); });
      wo::Patch<wo::Material> u;
      u.set(&wo::Material::unit_price, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"unit_price", shown},
                      [&] { fx.engine.update<wo::Material>(admin, fx.a.pipe, u); });
    }
    {
      auto p = fx.valid_patch<wo::LaborRate>(fx.a);
      p.set(&wo::LaborRate::rate, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"rate", shown}, [&] { fx.engine.create<wo::LaborRate>(admin, p); });
      wo::Patch<wo::LaborRate> u;
      u.set(&wo::LaborRate::rate, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"rate", shown},
                      [&] { fx.engine.update<wo::LaborRate>(admin, fx.a.plumbing_dept_rate, u); });
    }
    {
      auto p = fx.valid_patch<wo::LaborItem>(fx.a);
      p.set(&wo::LaborItem::default_rate, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"default_rate", shown},
                      [&] { fx.engine.create<wo::LaborItem>(admin, p); });
      wo::Patch<wo::LaborItem> u;
      u.set(&wo::LaborItem::default_rate, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"default_rate", shown},
                      [&] { fx.engine.update<wo::LaborItem>(admin, fx.a.plumbing_labor, u); });
    }
    {
      auto p = fx.valid_patch<wo::Subtype>(fx.a);
      p.set(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_deposit).set(&wo::Subtype::deposit_fixed, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"deposit_fixed", shown},
                      [&] { fx.engine.create<wo::Subtype>(admin, p); });
      wo::Patch<wo::Subtype> u;
      u.set(&wo::Subtype::deposit_fixed, wo::Money{v});
      fx.expect_error(Code::invalid_argument, {"deposit_fixed", shown},
                      [&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_fixed, u); });
    }
  }
  // Zero is a price (a free spec, a free item).
  auto zero = fx.valid_patch<wo::ServiceItem>(fx.a);
  zero.set(&wo::ServiceItem::price, wo::Money{0});
  fx.expect_ok([&] { fx.engine.create<wo::ServiceItem>(admin, zero); });
}

TEST_CASE("deposit rules") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  auto deposit_subtype = [&] {
    auto p = fx.valid_patch<wo::Subtype>(fx.a);
    p.set(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_deposit);
    return p;
  };

  SUBCASE("deposit_bps must be 1..10000") {
    for (const std::int64_t bps : {std::int64_t{0}, std::int64_t{10001}, std::int64_t{-5}, i64_max}) {
      CAPTURE(bps);
      auto p = deposit_subtype();
      p.set(&wo::Subtype::deposit_bps, bps);
      fx.expect_error(Code::invalid_argument, {"deposit_bps", std::to_string(bps)},
                      [&] { fx.engine.create<wo::Subtype>(admin, p); });
      wo::Patch<wo::Subtype> u;
      u.set(&wo::Subtype::deposit_bps, bps);
      fx.expect_error(Code::invalid_argument, {"deposit_bps", std::to_string(bps)},
                      [&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_bps, u); });
    }
    for (const std::int64_t bps : {std::int64_t{1}, std::int64_t{10000}}) {
      auto p = deposit_subtype();
      p.set(&wo::Subtype::deposit_bps, bps);
      fx.expect_ok([&] { fx.engine.create<wo::Subtype>(admin, p); });
    }
  }
  SUBCASE("exactly one of deposit_fixed and deposit_bps for prepay_deposit") {
    auto both = deposit_subtype();
    both.set(&wo::Subtype::deposit_fixed, wo::Money{1000}).set(&wo::Subtype::deposit_bps, std::int64_t{2000});
    fx.expect_error(Code::invalid_argument, {"deposit_fixed", "deposit_bps"},
                    [&] { fx.engine.create<wo::Subtype>(admin, both); });
    const auto neither = deposit_subtype();
    fx.expect_error(Code::invalid_argument, {"deposit_fixed", "deposit_bps"},
                    [&] { fx.engine.create<wo::Subtype>(admin, neither); });
    // Adding bps to the fixed-deposit subtype makes two rules.
    wo::Patch<wo::Subtype> add_bps;
    add_bps.set(&wo::Subtype::deposit_bps, std::int64_t{2000});
    fx.expect_error(Code::invalid_argument, {"deposit_fixed", "deposit_bps"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_fixed, add_bps); });
    // Clearing the only rule leaves none.
    wo::Patch<wo::Subtype> clear;
    clear.set(&wo::Subtype::deposit_bps, std::optional<std::int64_t>{});
    fx.expect_error(Code::invalid_argument, {"deposit_fixed", "deposit_bps"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_bps, clear); });
    // Switching rule kinds in one update is fine.
    wo::Patch<wo::Subtype> swap;
    swap.set(&wo::Subtype::deposit_bps, std::optional<std::int64_t>{}).set(&wo::Subtype::deposit_fixed, wo::Money{100});
    fx.expect_ok([&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_bps, swap); });
  }
  SUBCASE("a deposit rule on a mode other than prepay_deposit") {
    for (const auto mode : {wo::ChargeMode::free, wo::ChargeMode::after_completion, wo::ChargeMode::prepay_full}) {
      const std::string mode_name = wo::EnumRange<wo::ChargeMode>::names[static_cast<int>(mode)];
      CAPTURE(mode_name);
      auto fixed = fx.valid_patch<wo::Subtype>(fx.a);
      fixed.set(&wo::Subtype::charge_mode, mode).set(&wo::Subtype::deposit_fixed, wo::Money{1000});
      fx.expect_error(Code::invalid_argument, {"deposit", mode_name}, [&] { fx.engine.create<wo::Subtype>(admin, fixed); });
      auto bps = fx.valid_patch<wo::Subtype>(fx.a);
      bps.set(&wo::Subtype::charge_mode, mode).set(&wo::Subtype::deposit_bps, std::int64_t{5000});
      fx.expect_error(Code::invalid_argument, {"deposit", mode_name}, [&] { fx.engine.create<wo::Subtype>(admin, bps); });
    }
    // Switching a deposit subtype to another mode without clearing its rule.
    wo::Patch<wo::Subtype> to_full;
    to_full.set(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_full);
    fx.expect_error(Code::invalid_argument, {"deposit", "prepay_full"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_fixed, to_full); });
    // Giving a deposit to a free subtype.
    wo::Patch<wo::Subtype> add_deposit;
    add_deposit.set(&wo::Subtype::deposit_fixed, wo::Money{100});
    fx.expect_error(Code::invalid_argument, {"deposit", "free"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.free, add_deposit); });
  }
  SUBCASE("a fixed deposit above an active spec's price") {
    // Door lock has specs of 12000 and 5000: a deposit of 5001 is more than the cheaper one.
    wo::Patch<wo::Subtype> too_high;
    too_high.set(&wo::Subtype::deposit_fixed, wo::Money{5001});
    fx.expect_error(Code::invalid_argument, {"deposit_fixed", "5001", "5000"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_fixed, too_high); });
    wo::Patch<wo::Subtype> equal;
    equal.set(&wo::Subtype::deposit_fixed, wo::Money{5000});
    fx.expect_ok([&] { fx.engine.update<wo::Subtype>(admin, fx.a.deposit_fixed, equal); });
    // Turning the after-completion subtype (spec 5000) into a deposit subtype with deposit 6000.
    wo::Patch<wo::Subtype> convert;
    convert.set(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_deposit).set(&wo::Subtype::deposit_fixed, wo::Money{6000});
    fx.expect_error(Code::invalid_argument, {"deposit_fixed", "6000", "5000"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.after_completion, convert); });
  }
  SUBCASE("a spec price below the fixed deposit") {
    auto cheap = fx.valid_patch<wo::ServiceSpec>(fx.a);
    cheap.set(&wo::ServiceSpec::subtype_id, fx.a.deposit_fixed).set(&wo::ServiceSpec::price, wo::Money{1999});
    fx.expect_error(Code::invalid_argument, {"price", "1999", "2000"},
                    [&] { fx.engine.create<wo::ServiceSpec>(admin, cheap); });
    wo::Patch<wo::ServiceSpec> lower;
    lower.set(&wo::ServiceSpec::price, wo::Money{1999});
    fx.expect_error(Code::invalid_argument, {"price", "1999", "2000"},
                    [&] { fx.engine.update<wo::ServiceSpec>(admin, fx.a.deposit_fixed_spec2, lower); });
    // Equal to the deposit is allowed; a bps deposit never limits the price.
    cheap.set(&wo::ServiceSpec::price, wo::Money{2000});
    fx.expect_ok([&] { fx.engine.create<wo::ServiceSpec>(admin, cheap); });
    auto bps_spec = fx.valid_patch<wo::ServiceSpec>(fx.a);
    bps_spec.set(&wo::ServiceSpec::subtype_id, fx.a.deposit_bps).set(&wo::ServiceSpec::price, wo::Money{1});
    fx.expect_ok([&] { fx.engine.create<wo::ServiceSpec>(admin, bps_spec); });
  }
}

// A deactivated spec is not checked when the fixed deposit is raised, so reactivating it must
// check its price against the deposit, or the subtype ends up with an active spec priced below
// its deposit ("never more than the spec price", rules §2).
TEST_CASE("reactivating a spec priced below the subtype's fixed deposit is refused") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  const wo::SubtypeId st = fx.add_subtype(fx.a, fx.a.home_repair, "Window", wo::ChargeMode::after_completion);
  const wo::ServiceSpecId cheap = fx.add_spec(fx.a, st, "Re-seal", 1000);
  fx.add_spec(fx.a, st, "Replace pane", 8000);
  fx.engine.set_active<wo::ServiceSpec>(admin, cheap, false);
  wo::Patch<wo::Subtype> deposit;
  deposit.set(&wo::Subtype::charge_mode, wo::ChargeMode::prepay_deposit).set(&wo::Subtype::deposit_fixed, wo::Money{3000});
  REQUIRE(fx.expect_ok([&] { fx.engine.update<wo::Subtype>(admin, st, deposit); }));
  fx.expect_error(Code::invalid_argument, {"price", "1000", "3000"},
                  [&] { fx.engine.set_active<wo::ServiceSpec>(admin, cheap, true); });
  CHECK_FALSE(fx.engine.get<wo::ServiceSpec>(admin, cheap).active);
}

TEST_CASE("invalid phones are invalid_argument naming field and value") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  for (const std::string bad : {"abc", "12", "+", "138x0000000", "1+3800000000", "++8613800000000",
                                "123456789012345678901", "138/0000/0000", "１３８００００００００"}) {
    CAPTURE(bad);
    auto staff = fx.valid_patch<wo::Staff>(fx.a);
    staff.set(&wo::Staff::phone, bad);
    fx.expect_error(Code::invalid_argument, {"phone", bad}, [&] { fx.engine.create<wo::Staff>(admin, staff); });
    auto contact = fx.valid_patch<wo::Contact>(fx.a);
    contact.set(&wo::Contact::phone, bad);
    fx.expect_error(Code::invalid_argument, {"phone", bad}, [&] { fx.engine.create<wo::Contact>(admin, contact); });
    wo::Patch<wo::Contact> u;
    u.set(&wo::Contact::phone, bad);
    fx.expect_error(Code::invalid_argument, {"phone", bad},
                    [&] { fx.engine.update<wo::Contact>(admin, fx.a.person_contact2, u); });
    wo::Patch<wo::Staff> su;
    su.set(&wo::Staff::phone, bad);
    fx.expect_error(Code::invalid_argument, {"phone", bad},
                    [&] { fx.engine.update<wo::Staff>(admin, fx.a.technician, su); });
  }
  // The first admin's phone on org create.
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Gamma")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  wo::Patch<wo::Staff> first;
  first.set(&wo::Staff::name, std::string("Boss")).set(&wo::Staff::phone, std::string("call me"));
  fx.expect_error(Code::invalid_argument, {"phone", "call me"},
                  [&] { fx.engine.create_org(wo::Actor::system(), org, first); });
  // 3 and 20 digits are the bounds.
  auto shortest = fx.valid_patch<wo::Contact>(fx.a);
  shortest.set(&wo::Contact::phone, std::string("110"));
  fx.expect_ok([&] { fx.engine.create<wo::Contact>(admin, shortest); });
  auto longest = fx.valid_patch<wo::Contact>(fx.a);
  longest.set(&wo::Contact::phone, std::string("+12345678901234567890"));
  fx.expect_ok([&] { fx.engine.create<wo::Contact>(admin, longest); });
}

TEST_CASE("duplicate phones after normalisation are a conflict within a tenant / an org") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  // person_contact was stored from "138 0000 0001".
  for (const std::string same : {"13800000001", "138-0000-0001", "(138) 0000.0001"}) {
    CAPTURE(same);
    auto p = fx.valid_patch<wo::Contact>(fx.a);
    p.set(&wo::Contact::phone, same);
    fx.expect_error(Code::conflict, {"phone", "13800000001"}, [&] { fx.engine.create<wo::Contact>(admin, p); });
  }
  wo::Patch<wo::Contact> u;
  u.set(&wo::Contact::phone, std::string("138 0000-0001"));
  fx.expect_error(Code::conflict, {"phone", "13800000001"},
                  [&] { fx.engine.update<wo::Contact>(admin, fx.a.person_contact2, u); });
  // The same phone under another tenant of the org is fine (a person may rent twice).
  auto other_tenant = fx.valid_patch<wo::Contact>(fx.a);
  other_tenant.set(&wo::Contact::tenant_id, fx.a.company).set(&wo::Contact::phone, std::string("13800000001"));
  fx.expect_ok([&] { fx.engine.create<wo::Contact>(admin, other_tenant); });
  // A contact keeping its own phone is not a duplicate of itself.
  wo::Patch<wo::Contact> own;
  own.set(&wo::Contact::phone, std::string("138-0000-0001"));
  fx.expect_ok([&] { fx.engine.update<wo::Contact>(admin, fx.a.person_contact, own); });

  // Staff phones are unique per org ("139 0000 0003" is the technician's).
  auto staff = fx.valid_patch<wo::Staff>(fx.a);
  staff.set(&wo::Staff::phone, std::string("139 0000 0003"));
  fx.expect_error(Code::conflict, {"phone", "13900000003"}, [&] { fx.engine.create<wo::Staff>(admin, staff); });
  wo::Patch<wo::Staff> su;
  su.set(&wo::Staff::phone, std::string("139-0000-0003"));
  fx.expect_error(Code::conflict, {"phone", "13900000003"},
                  [&] { fx.engine.update<wo::Staff>(admin, fx.a.electrician, su); });
}

TEST_CASE("duplicate names are a conflict naming field and value") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  {
    wo::Patch<wo::Department> p;
    p.set(&wo::Department::name, std::string("Maintenance"));
    fx.expect_error(Code::conflict, {"name", "Maintenance"}, [&] { fx.engine.create<wo::Department>(admin, p); });
    fx.expect_error(Code::conflict, {"name", "Maintenance"},
                    [&] { fx.engine.update<wo::Department>(admin, fx.a.external, p); });
    fx.expect_ok([&] { fx.engine.update<wo::Department>(admin, fx.a.maintenance, p); });  // its own name
  }
  {
    wo::Patch<wo::Position> p;
    p.set(&wo::Position::name, std::string("Plumber"));
    fx.expect_error(Code::conflict, {"name", "Plumber"}, [&] { fx.engine.create<wo::Position>(admin, p); });
    fx.expect_error(Code::conflict, {"name", "Plumber"}, [&] { fx.engine.update<wo::Position>(admin, fx.a.desk, p); });
  }
  {
    auto p = fx.valid_patch<wo::OrderType>(fx.a);
    p.set(&wo::OrderType::name, std::string("Public repair"));
    fx.expect_error(Code::conflict, {"name", "Public repair"}, [&] { fx.engine.create<wo::OrderType>(admin, p); });
    wo::Patch<wo::OrderType> u;
    u.set(&wo::OrderType::name, std::string("Public repair"));
    fx.expect_error(Code::conflict, {"name", "Public repair"},
                    [&] { fx.engine.update<wo::OrderType>(admin, fx.a.home_repair, u); });
  }
  {
    auto p = fx.valid_patch<wo::Subtype>(fx.a);
    p.set(&wo::Subtype::order_type_id, fx.a.home_repair).set(&wo::Subtype::name, std::string("Door lock"));
    fx.expect_error(Code::conflict, {"name", "Door lock"}, [&] { fx.engine.create<wo::Subtype>(admin, p); });
    wo::Patch<wo::Subtype> u;
    u.set(&wo::Subtype::name, std::string("Door lock"));
    fx.expect_error(Code::conflict, {"name", "Door lock"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.prepay_full, u); });
    // The same subtype name under another order type is fine.
    p.set(&wo::Subtype::order_type_id, fx.a.public_repair);
    fx.expect_ok([&] { fx.engine.create<wo::Subtype>(admin, p); });
  }
  {
    auto p = fx.valid_patch<wo::LaborItem>(fx.a);
    p.set(&wo::LaborItem::name, std::string("Plumbing labor"));
    fx.expect_error(Code::conflict, {"name", "Plumbing labor"}, [&] { fx.engine.create<wo::LaborItem>(admin, p); });
    wo::Patch<wo::LaborItem> u;
    u.set(&wo::LaborItem::name, std::string("Plumbing labor"));
    fx.expect_error(Code::conflict, {"name", "Plumbing labor"},
                    [&] { fx.engine.update<wo::LaborItem>(admin, fx.a.electrical_labor, u); });
  }
  {
    auto p = fx.valid_patch<wo::Material>(fx.a);
    p.set(&wo::Material::sku, std::string("PIPE-20"));
    fx.expect_error(Code::conflict, {"sku", "PIPE-20"}, [&] { fx.engine.create<wo::Material>(admin, p); });
  }
  {  // one rate rule per (labor item, department, position), also with no position
    wo::Patch<wo::LaborRate> dept_only;
    dept_only.set(&wo::LaborRate::labor_item_id, fx.a.plumbing_labor).set(&wo::LaborRate::department_id, fx.a.maintenance)
        .set(&wo::LaborRate::rate, wo::Money{1});
    fx.expect_error(Code::conflict, {"labor_item_id", "department_id"},
                    [&] { fx.engine.create<wo::LaborRate>(admin, dept_only); });
    wo::Patch<wo::LaborRate> with_pos = dept_only;
    with_pos.set(&wo::LaborRate::position_id, fx.a.plumber);
    fx.expect_error(Code::conflict, {"labor_item_id", "position_id"},
                    [&] { fx.engine.create<wo::LaborRate>(admin, with_pos); });
    with_pos.set(&wo::LaborRate::position_id, fx.a.electrician_pos);
    fx.expect_ok([&] { fx.engine.create<wo::LaborRate>(admin, with_pos); });
  }
  // Names are per org: org B already holds every one of these names (the fixture builds both
  // orgs alike), and creating one more in org B that exists only in org A works.
  wo::Patch<wo::Department> only_a;
  only_a.set(&wo::Department::name, std::string("Only in A"));
  REQUIRE(fx.expect_ok([&] { fx.engine.create<wo::Department>(admin, only_a); }));
  fx.expect_ok([&] { fx.engine.create<wo::Department>(fx.b.as_admin(), only_a); });
}

TEST_CASE("unknown ids and another org's ids as references are not_found naming field and id") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  const std::int64_t unknown = 987654;
  auto check = [&]<class T>(wo::Patch<T> p, const std::string& field, std::int64_t id) {
    CAPTURE(T::kind);
    CAPTURE(field);
    fx.expect_error(Code::not_found, {field, std::to_string(id)}, [&] { fx.engine.create<T>(admin, p); });
  };
  for (const bool other_org : {false, true}) {
    CAPTURE(other_org);
    auto pick = [&](auto b_id) {
      decltype(b_id) id = b_id;
      if (!other_org) id.value = unknown;
      return id;
    };
    {
      auto p = fx.valid_patch<wo::Staff>(fx.a);
      const auto d = pick(fx.b.maintenance);
      check(p.set(&wo::Staff::department_id, d), "department_id", d.value);
      p = fx.valid_patch<wo::Staff>(fx.a);
      const auto pos = pick(fx.b.plumber);
      check(p.set(&wo::Staff::position_id, pos), "position_id", pos.value);
      wo::Patch<wo::Staff> u;
      u.set(&wo::Staff::department_id, d);
      fx.expect_error(Code::not_found, {"department_id", std::to_string(d.value)},
                      [&] { fx.engine.update<wo::Staff>(admin, fx.a.technician, u); });
    }
    {
      auto p = fx.valid_patch<wo::Contact>(fx.a);
      const auto t = pick(fx.b.person);
      check(p.set(&wo::Contact::tenant_id, t), "tenant_id", t.value);
    }
    {
      auto p = fx.valid_patch<wo::OrderType>(fx.a);
      const auto d = pick(fx.b.maintenance);
      check(p.set(&wo::OrderType::department_id, d), "department_id", d.value);
      p = fx.valid_patch<wo::OrderType>(fx.a);
      const auto pos = pick(fx.b.plumber);
      check(p.set(&wo::OrderType::position_id, pos), "position_id", pos.value);
      wo::Patch<wo::OrderType> u;
      u.set(&wo::OrderType::position_id, pos);
      fx.expect_error(Code::not_found, {"position_id", std::to_string(pos.value)},
                      [&] { fx.engine.update<wo::OrderType>(admin, fx.a.public_repair, u); });
    }
    {
      auto p = fx.valid_patch<wo::Subtype>(fx.a);
      const auto t = pick(fx.b.public_repair);
      check(p.set(&wo::Subtype::order_type_id, t), "order_type_id", t.value);
    }
    {
      auto p = fx.valid_patch<wo::ServiceSpec>(fx.a);
      const auto s = pick(fx.b.after_completion);
      check(p.set(&wo::ServiceSpec::subtype_id, s), "subtype_id", s.value);
    }
    {
      auto p = fx.valid_patch<wo::ServiceItem>(fx.a);
      const auto s = pick(fx.b.after_completion);
      check(p.set(&wo::ServiceItem::subtype_id, s), "subtype_id", s.value);
    }
    {
      auto p = fx.valid_patch<wo::LaborRate>(fx.a);
      const auto item = pick(fx.b.electrical_labor);
      check(p.set(&wo::LaborRate::labor_item_id, item), "labor_item_id", item.value);
      p = fx.valid_patch<wo::LaborRate>(fx.a);
      const auto d = pick(fx.b.maintenance);
      check(p.set(&wo::LaborRate::department_id, d), "department_id", d.value);
      p = fx.valid_patch<wo::LaborRate>(fx.a);
      const auto pos = pick(fx.b.electrician_pos);
      check(p.set(&wo::LaborRate::position_id, pos), "position_id", pos.value);
    }
    {
      auto p = fx.valid_patch<wo::StockMovement>(fx.a);
      const auto m = pick(fx.b.pipe);
      check(p.set(&wo::StockMovement::material_id, m), "material", m.value);
    }
    // Records addressed by id in update / set_active / get.
    const auto dept = pick(fx.b.external);
    wo::Patch<wo::Department> rename;
    rename.set(&wo::Department::name, std::string("Renamed"));
    fx.expect_error(Code::not_found, {"department", std::to_string(dept.value)},
                    [&] { fx.engine.update<wo::Department>(admin, dept, rename); });
    fx.expect_error(Code::not_found, {"department", std::to_string(dept.value)},
                    [&] { fx.engine.set_active<wo::Department>(admin, dept, false); });
    fx.expect_error(Code::not_found, {"department", std::to_string(dept.value)},
                    [&] { fx.engine.get<wo::Department>(admin, dept); });
    const auto item = pick(fx.b.plumbing_labor);
    fx.expect_error(Code::not_found, {"labor_item", std::to_string(item.value)},
                    [&] { fx.engine.resolve_labor_rate(admin, item, fx.a.technician); });
    const auto staff = pick(fx.b.technician);
    fx.expect_error(Code::not_found, {"staff", std::to_string(staff.value)},
                    [&] { fx.engine.resolve_labor_rate(admin, fx.a.plumbing_labor, staff); });
  }
}

// rules §7/§9: a reference to another org's record is not found, whatever that record holds.
// check_rules(ServiceSpec) loads the subtype before the generic reference check, so org B's
// fixed-deposit subtype leaks through as a price error.
TEST_CASE("a spec under another org's deposit subtype is not_found, not a price error") {
  Fixture fx;
  auto p = fx.valid_patch<wo::ServiceSpec>(fx.a);
  p.set(&wo::ServiceSpec::subtype_id, fx.b.deposit_fixed).set(&wo::ServiceSpec::price, wo::Money{1});
  fx.expect_error(Code::not_found, {"subtype_id", std::to_string(fx.b.deposit_fixed.value)},
                  [&] { fx.engine.create<wo::ServiceSpec>(fx.a.as_admin(), p); });
}

TEST_CASE("org create and update: bad time zone, unknown currency, engine-set fields") {
  Fixture fx;
  wo::Patch<wo::Staff> admin;
  admin.set(&wo::Staff::name, std::string("Boss")).set(&wo::Staff::phone, std::string("13911112222"));
  auto org_with_tz = [](std::string tz) {
    wo::Patch<wo::Org> p;
    p.set(&wo::Org::name, std::string("Gamma")).set(&wo::Org::time_zone, std::move(tz));
    return p;
  };
  for (const std::string tz : {"Mars/Olympus", "UTC+8", "Asia/Shang hai", "", "asia/nowhere"}) {
    CAPTURE(tz);
    const auto p = org_with_tz(tz);
    fx.expect_error(Code::invalid_argument, {"time_zone", "'" + tz + "'"},
                    [&] { fx.engine.create_org(wo::Actor::system(), p, admin); });
  }
  for (const std::string currency : {"RMB", "", "CNYY", "XYZ"}) {
    CAPTURE(currency);
    auto p = org_with_tz("Asia/Shanghai");
    p.set(&wo::Org::currency, currency);
    fx.expect_error(Code::invalid_argument, {"currency", "'" + currency + "'"},
                    [&] { fx.engine.create_org(wo::Actor::system(), p, admin); });
  }
  {
    auto p = org_with_tz("Asia/Shanghai");
    p.set(&wo::Org::id, wo::OrgId{77});
    fx.expect_error(Code::invalid_argument, {"id"}, [&] { fx.engine.create_org(wo::Actor::system(), p, admin); });
    auto q = org_with_tz("Asia/Shanghai");
    q.set(&wo::Org::created_at, wo::from_unix_ms(1));
    fx.expect_error(Code::invalid_argument, {"created_at"}, [&] { fx.engine.create_org(wo::Actor::system(), q, admin); });
  }
  {  // the first admin cannot have a department or position: the org has none yet
    auto p = org_with_tz("Asia/Shanghai");
    wo::Patch<wo::Staff> with_dept = admin;
    with_dept.set(&wo::Staff::department_id, fx.a.maintenance);
    fx.expect_error(Code::invalid_argument, {"department"},
                    [&] { fx.engine.create_org(wo::Actor::system(), p, with_dept); });
  }
  // A valid org with JPY (0 minor units) and another zone works.
  auto jpy = org_with_tz("Asia/Tokyo");
  jpy.set(&wo::Org::currency, std::string("JPY"));
  wo::NewOrg created;
  REQUIRE(fx.expect_ok([&] { created = fx.engine.create_org(wo::Actor::system(), jpy, admin); }));
  const wo::Actor boss = wo::Actor::staff(created.admin);
  CHECK(fx.engine.get_org(boss, created.org).currency == "JPY");

  // update_org: bad zone, currency is fixed, id and created_at are the engine's.
  wo::Patch<wo::Org> bad_tz;
  bad_tz.set(&wo::Org::time_zone, std::string("Europe/Atlantis"));
  fx.expect_error(Code::invalid_argument, {"time_zone", "Europe/Atlantis"},
                  [&] { fx.engine.update_org(fx.a.as_admin(), fx.a.org, bad_tz); });
  wo::Patch<wo::Org> currency;
  currency.set(&wo::Org::currency, std::string("USD"));
  fx.expect_error(Code::invalid_argument, {"currency"}, [&] { fx.engine.update_org(fx.a.as_admin(), fx.a.org, currency); });
  wo::Patch<wo::Org> blank;
  blank.set(&wo::Org::name, std::string(" "));
  fx.expect_error(Code::invalid_argument, {"name"}, [&] { fx.engine.update_org(fx.a.as_admin(), fx.a.org, blank); });
  wo::Patch<wo::Org> ok;
  ok.set(&wo::Org::time_zone, std::string("Asia/Hong_Kong"));
  fx.expect_ok([&] { fx.engine.update_org(fx.a.as_admin(), fx.a.org, ok); });
  CHECK(fx.engine.get_org(fx.a.as_admin(), fx.a.org).time_zone == "Asia/Hong_Kong");
}

// create<Staff> refuses engine-set fields; create_org's first-admin patch must do the same
// instead of silently dropping them.
TEST_CASE("org create: engine-set fields in the first admin's patch are invalid_argument") {
  Fixture fx;
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Gamma")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  auto base = [] {
    wo::Patch<wo::Staff> p;
    p.set(&wo::Staff::name, std::string("Boss")).set(&wo::Staff::phone, std::string("13911112222"));
    return p;
  };
  {
    auto p = base();
    p.set(&wo::Staff::active, false);
    fx.expect_error(Code::invalid_argument, {"active"}, [&] { fx.engine.create_org(wo::Actor::system(), org, p); });
  }
  {
    auto p = base();
    p.set(&wo::Staff::id, wo::StaffId{4242});
    fx.expect_error(Code::invalid_argument, {"id"}, [&] { fx.engine.create_org(wo::Actor::system(), org, p); });
  }
  {
    auto p = base();
    p.set(&wo::Staff::org_id, fx.a.org);
    fx.expect_error(Code::invalid_argument, {"org_id"}, [&] { fx.engine.create_org(wo::Actor::system(), org, p); });
  }
}

TEST_CASE("engine-set fields and fixed fields are invalid_argument naming the field") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  SUBCASE("internal fields on create") {
    {
      auto p = fx.valid_patch<wo::Department>(fx.a);
      p.set(&wo::Department::id, wo::DepartmentId{5000});
      fx.expect_error(Code::invalid_argument, {"id"}, [&] { fx.engine.create<wo::Department>(admin, p); });
    }
    {
      auto p = fx.valid_patch<wo::Department>(fx.a);
      p.set(&wo::Department::org_id, fx.b.org);
      fx.expect_error(Code::invalid_argument, {"org_id"}, [&] { fx.engine.create<wo::Department>(admin, p); });
    }
    {
      auto p = fx.valid_patch<wo::Tenant>(fx.a);
      p.set(&wo::Tenant::active, false);
      fx.expect_error(Code::invalid_argument, {"active"}, [&] { fx.engine.create<wo::Tenant>(admin, p); });
    }
    {
      auto p = fx.valid_patch<wo::Staff>(fx.a);
      p.set(&wo::Staff::active, true);
      fx.expect_error(Code::invalid_argument, {"active"}, [&] { fx.engine.create<wo::Staff>(admin, p); });
    }
    {
      auto p = fx.valid_patch<wo::Material>(fx.a);
      p.set(&wo::Material::stock, wo::Qty{5000});
      fx.expect_error(Code::invalid_argument, {"stock"}, [&] { fx.engine.create<wo::Material>(admin, p); });
    }
    {
      auto p = fx.valid_patch<wo::StockMovement>(fx.a);
      p.set(&wo::StockMovement::staff_id, fx.a.technician);
      fx.expect_error(Code::invalid_argument, {"staff_id"}, [&] { fx.engine.create<wo::StockMovement>(admin, p); });
      auto q = fx.valid_patch<wo::StockMovement>(fx.a);
      q.set(&wo::StockMovement::order_id, wo::OrderId{1});
      fx.expect_error(Code::invalid_argument, {"order_id"}, [&] { fx.engine.create<wo::StockMovement>(admin, q); });
      auto r = fx.valid_patch<wo::StockMovement>(fx.a);
      r.set(&wo::StockMovement::created_at, wo::from_unix_ms(5));
      fx.expect_error(Code::invalid_argument, {"created_at"}, [&] { fx.engine.create<wo::StockMovement>(admin, r); });
    }
  }
  SUBCASE("internal fields on update") {
    wo::Patch<wo::Material> stock;
    stock.set(&wo::Material::stock, wo::Qty{1});
    fx.expect_error(Code::invalid_argument, {"stock"}, [&] { fx.engine.update<wo::Material>(admin, fx.a.pipe, stock); });
    wo::Patch<wo::Position> active;
    active.set(&wo::Position::active, false);
    fx.expect_error(Code::invalid_argument, {"active"}, [&] { fx.engine.update<wo::Position>(admin, fx.a.desk, active); });
    wo::Patch<wo::Tenant> org_id;
    org_id.set(&wo::Tenant::org_id, fx.b.org);
    fx.expect_error(Code::invalid_argument, {"org_id"}, [&] { fx.engine.update<wo::Tenant>(admin, fx.a.person, org_id); });
    wo::Patch<wo::ServiceItem> id;
    id.set(&wo::ServiceItem::id, wo::ServiceItemId{999});
    fx.expect_error(Code::invalid_argument, {"id"}, [&] { fx.engine.update<wo::ServiceItem>(admin, fx.a.callout, id); });
  }
  SUBCASE("fixed fields on update") {
    wo::Patch<wo::Contact> tenant;
    tenant.set(&wo::Contact::tenant_id, fx.a.company);
    fx.expect_error(Code::invalid_argument, {"tenant_id"},
                    [&] { fx.engine.update<wo::Contact>(admin, fx.a.person_contact, tenant); });
    wo::Patch<wo::Subtype> type;
    type.set(&wo::Subtype::order_type_id, fx.a.public_repair);
    fx.expect_error(Code::invalid_argument, {"order_type_id"},
                    [&] { fx.engine.update<wo::Subtype>(admin, fx.a.prepay_full, type); });
    wo::Patch<wo::Material> sku;
    sku.set(&wo::Material::sku, std::string("PIPE-25"));
    fx.expect_error(Code::invalid_argument, {"sku"}, [&] { fx.engine.update<wo::Material>(admin, fx.a.pipe, sku); });
    wo::Patch<wo::ServiceSpec> subtype;
    subtype.set(&wo::ServiceSpec::subtype_id, fx.a.after_completion);
    fx.expect_error(Code::invalid_argument, {"subtype_id"},
                    [&] { fx.engine.update<wo::ServiceSpec>(admin, fx.a.full_spec, subtype); });
    wo::Patch<wo::LaborRate> dept;
    dept.set(&wo::LaborRate::department_id, fx.a.external);
    fx.expect_error(Code::invalid_argument, {"department_id"},
                    [&] { fx.engine.update<wo::LaborRate>(admin, fx.a.plumbing_dept_rate, dept); });
    wo::Patch<wo::LaborRate> pos;
    pos.set(&wo::LaborRate::position_id, fx.a.plumber);
    fx.expect_error(Code::invalid_argument, {"position_id"},
                    [&] { fx.engine.update<wo::LaborRate>(admin, fx.a.plumbing_dept_rate, pos); });
    // Even the unchanged value: fixed means "never given after creation".
    wo::Patch<wo::Material> same_sku;
    same_sku.set(&wo::Material::sku, std::string("PIPE-20"));
    fx.expect_error(Code::invalid_argument, {"sku"}, [&] { fx.engine.update<wo::Material>(admin, fx.a.pipe, same_sku); });
  }
}

TEST_CASE("work-order settings: negative values and auto_rating_score outside 1..5") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  using S = wo::OrderSettings;
  const std::vector<std::pair<std::int32_t S::*, std::string>> fields = {
      {&S::grab_limit, "grab_limit"},
      {&S::prepay_timeout_min, "prepay_timeout_min"},
      {&S::accept_timeout_min, "accept_timeout_min"},
      {&S::rating_timeout_days, "rating_timeout_days"},
      {&S::reopen_window_days, "reopen_window_days"},
  };
  for (const auto& [member, name] : fields) {
    CAPTURE(name);
    wo::Patch<S> p;
    p.set(member, std::int32_t{-1});
    fx.expect_error(Code::invalid_argument, {name, "-1"}, [&] { fx.engine.update_settings(admin, p); });
    wo::Patch<S> zero;
    zero.set(member, std::int32_t{0});
    fx.expect_ok([&] { fx.engine.update_settings(admin, zero); });
  }
  for (const std::int32_t score : {0, 6, -3}) {
    CAPTURE(score);
    wo::Patch<S> p;
    p.set(&S::auto_rating_score, score);
    fx.expect_error(Code::invalid_argument, {"auto_rating_score", std::to_string(score)},
                    [&] { fx.engine.update_settings(admin, p); });
  }
  {  // one bad field refuses the whole patch
    wo::Patch<S> p;
    p.set(&S::grab_limit, std::int32_t{3}).set(&S::auto_rating_score, std::int32_t{6});
    fx.expect_error(Code::invalid_argument, {"auto_rating_score"}, [&] { fx.engine.update_settings(admin, p); });
  }
  {
    wo::Patch<S> p;
    p.set(&S::id, fx.b.org);
    fx.expect_error(Code::invalid_argument, {"id"}, [&] { fx.engine.update_settings(admin, p); });
  }
  for (const std::int32_t score : {1, 5}) {
    wo::Patch<S> p;
    p.set(&S::auto_rating_score, score);
    fx.expect_ok([&] { fx.engine.update_settings(admin, p); });
    CHECK(fx.engine.get_settings(admin).auto_rating_score == score);
  }
}

TEST_CASE("list: non-filter fields and page limits are invalid_argument") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  fx.expect_error(Code::invalid_argument, {"name"},
                  [&] { fx.engine.list<wo::Department>(admin, {{"name", wo::Value{std::string("Maintenance")}}}, {}, 10); });
  fx.expect_error(Code::invalid_argument, {"org_id"},
                  [&] { fx.engine.list<wo::Tenant>(admin, {{"org_id", wo::Value{fx.b.org.value}}}, {}, 10); });
  fx.expect_error(Code::invalid_argument, {"unit_price"},
                  [&] { fx.engine.list<wo::Material>(admin, {{"unit_price", wo::Value{std::int64_t{1500}}}}, {}, 10); });
  fx.expect_error(Code::invalid_argument, {"no_such_field"},
                  [&] { fx.engine.list<wo::Staff>(admin, {{"no_such_field", wo::Value{std::int64_t{1}}}}, {}, 10); });
  fx.expect_error(Code::invalid_argument, {"id"},
                  [&] { fx.engine.list<wo::Staff>(admin, {{"id", wo::Value{std::int64_t{1}}}}, {}, 10); });
  for (const int limit : {0, 201, -1}) {
    CAPTURE(limit);
    fx.expect_error(Code::invalid_argument, {"limit", std::to_string(limit)},
                    [&] { fx.engine.list<wo::Department>(admin, {}, {}, limit); });
    fx.expect_error(Code::invalid_argument, {"limit", std::to_string(limit)},
                    [&] { fx.engine.list_orgs(wo::Actor::system(), {}, limit); });
  }
  CHECK(fx.engine.list<wo::Department>(admin, {}, {}, 200).size() == 2);
  CHECK(fx.engine.list<wo::Department>(admin, {}, {}, 1).size() == 1);
  CHECK(fx.engine.list<wo::Department>(admin, {{"active", wo::Value{std::int64_t{1}}}}, {}, 200).size() == 2);
}

// rules §9 "every input is checked ... unknown enum values": a filter value is an input too, and
// is checked like one (row_mapping's from_value), instead of silently matching nothing.
TEST_CASE("list: filter values of the wrong kind or out of range are invalid_argument") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  fx.expect_error(Code::invalid_argument, {"tenant_kind", "5"},
                  [&] { fx.engine.list<wo::Tenant>(admin, {{"tenant_kind", wo::Value{std::int64_t{5}}}}, {}, 10); });
  fx.expect_error(Code::invalid_argument, {"active", "yes"},
                  [&] { fx.engine.list<wo::Tenant>(admin, {{"active", wo::Value{std::string("yes")}}}, {}, 10); });
  fx.expect_error(Code::invalid_argument, {"charge_mode", "9"},
                  [&] { fx.engine.list<wo::Subtype>(admin, {{"charge_mode", wo::Value{std::int64_t{9}}}}, {}, 10); });
}

TEST_CASE("stock movements: bad quantities and kinds, stock never negative, material unchanged") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  auto movement = [&](wo::MovementKind kind, std::int64_t qty) {
    wo::Patch<wo::StockMovement> p;
    p.set(&wo::StockMovement::material_id, fx.a.pipe).set(&wo::StockMovement::movement_kind, kind)
        .set(&wo::StockMovement::qty, wo::Qty{qty});
    return p;
  };
  auto stock = [&] { return fx.engine.get<wo::Material>(admin, fx.a.pipe).stock.milli; };
  REQUIRE(stock() == catalog_test::pipe_stock);

  for (const std::int64_t qty : {std::int64_t{0}, std::int64_t{-5}}) {
    const auto p = movement(wo::MovementKind::requisition, qty);
    fx.expect_error(Code::invalid_argument, {"qty", std::to_string(qty)},
                    [&] { fx.engine.create<wo::StockMovement>(admin, p); });
    CHECK(stock() == catalog_test::pipe_stock);
  }
  {
    const auto p = movement(wo::MovementKind::adjustment, 0);
    fx.expect_error(Code::invalid_argument, {"qty"}, [&] { fx.engine.create<wo::StockMovement>(admin, p); });
  }
  {  // one thousandth more than in stock
    const auto p = movement(wo::MovementKind::adjustment, -(catalog_test::pipe_stock + 1));
    fx.expect_error(Code::out_of_stock, {"PIPE-20", std::to_string(catalog_test::pipe_stock)},
                    [&] { fx.engine.create<wo::StockMovement>(admin, p); });
    CHECK(stock() == catalog_test::pipe_stock);
  }
  {  // tape has no stock at all
    auto p = movement(wo::MovementKind::adjustment, -1);
    p.set(&wo::StockMovement::material_id, fx.a.tape);
    fx.expect_error(Code::out_of_stock, {"TAPE"}, [&] { fx.engine.create<wo::StockMovement>(admin, p); });
  }
  for (const auto kind : {wo::MovementKind::reserve, wo::MovementKind::release, wo::MovementKind::consume}) {
    const auto p = movement(kind, kind == wo::MovementKind::release ? 1000 : -1000);
    const std::string name = wo::EnumRange<wo::MovementKind>::names[static_cast<int>(kind)];
    fx.expect_error(Code::invalid_argument, {"movement_kind", name}, [&] { fx.engine.create<wo::StockMovement>(admin, p); });
    CHECK(stock() == catalog_test::pipe_stock);
  }
  // Exactly down to zero is allowed, and the movement is recorded with who did it.
  const auto all = movement(wo::MovementKind::adjustment, -catalog_test::pipe_stock);
  wo::StockMovementId id;
  REQUIRE(fx.expect_ok([&] { id = fx.engine.create<wo::StockMovement>(admin, all); }));
  CHECK(stock() == 0);
  const auto recorded = fx.engine.get<wo::StockMovement>(admin, id);
  CHECK(recorded.qty.milli == -catalog_test::pipe_stock);
  REQUIRE(recorded.staff_id.has_value());
  CHECK(*recorded.staff_id == fx.a.admin);
  CHECK(wo::to_unix_ms(recorded.created_at) == catalog_test::fixture_now_ms);
}

// rules §6/§9: overflow anywhere is an error, never a wrapped (or, in SQLite, REAL) number, and
// like every refusal its message names the field (qty) and the value.
TEST_CASE("stock movements: a requisition that would overflow the stock is refused") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  wo::Patch<wo::StockMovement> p;
  p.set(&wo::StockMovement::material_id, fx.a.pipe).set(&wo::StockMovement::movement_kind, wo::MovementKind::requisition)
      .set(&wo::StockMovement::qty, wo::Qty{i64_max});
  fx.expect_error(Code::overflow, {"qty"}, [&] { fx.engine.create<wo::StockMovement>(admin, p); });
  fx.expect_ok([&] { CHECK(fx.engine.get<wo::Material>(admin, fx.a.pipe).stock.milli == catalog_test::pipe_stock); });
}

TEST_CASE("the last active admin can neither be deactivated nor lose the admin role") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  const std::string id = std::to_string(fx.a.admin.value);
  fx.expect_error(Code::invalid_state, {"admin", id}, [&] { fx.engine.set_active<wo::Staff>(admin, fx.a.admin, false); });
  wo::Patch<wo::Staff> demote;
  demote.set(&wo::Staff::roles, std::int32_t{wo::role_dispatcher | wo::role_technician});
  fx.expect_error(Code::invalid_state, {"admin", id}, [&] { fx.engine.update<wo::Staff>(admin, fx.a.admin, demote); });
  // Keeping the admin role while adding others is fine.
  wo::Patch<wo::Staff> more;
  more.set(&wo::Staff::roles, std::int32_t{wo::all_roles});
  fx.expect_ok([&] { fx.engine.update<wo::Staff>(admin, fx.a.admin, more); });

  // An inactive second admin does not count.
  const wo::StaffId second = fx.add_staff(fx.a, "Second admin", "13977770000", wo::role_admin);
  fx.engine.set_active<wo::Staff>(admin, second, false);
  fx.expect_error(Code::invalid_state, {"admin", id}, [&] { fx.engine.set_active<wo::Staff>(admin, fx.a.admin, false); });
  fx.expect_error(Code::invalid_state, {"admin", id}, [&] { fx.engine.update<wo::Staff>(admin, fx.a.admin, demote); });

  // With an active second admin the first may step down; then the second is the last one.
  fx.engine.set_active<wo::Staff>(admin, second, true);
  REQUIRE(fx.expect_ok([&] { fx.engine.update<wo::Staff>(admin, fx.a.admin, demote); }));
  const wo::Actor second_actor = wo::Actor::staff(second);
  fx.expect_error(Code::invalid_state, {"admin", std::to_string(second.value)},
                  [&] { fx.engine.set_active<wo::Staff>(second_actor, second, false); });
  wo::Patch<wo::Staff> demote_second;
  demote_second.set(&wo::Staff::roles, std::int32_t{wo::role_dispatcher});
  fx.expect_error(Code::invalid_state, {"admin", std::to_string(second.value)},
                  [&] { fx.engine.update<wo::Staff>(second_actor, second, demote_second); });
  // Org B's only admin is protected independently of org A's admins.
  fx.expect_error(Code::invalid_state, {"admin"},
                  [&] { fx.engine.set_active<wo::Staff>(fx.b.as_admin(), fx.b.admin, false); });
}

TEST_CASE("the last active spec of a prepaid subtype cannot be deactivated") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  // prepay_full has two specs: the first may go, the second is then the last.
  REQUIRE(fx.expect_ok([&] { fx.engine.set_active<wo::ServiceSpec>(admin, fx.a.full_spec, false); }));
  fx.expect_error(Code::invalid_state, {std::to_string(fx.a.full_spec2.value)},
                  [&] { fx.engine.set_active<wo::ServiceSpec>(admin, fx.a.full_spec2, false); });
  // Bringing the first back frees the second.
  REQUIRE(fx.expect_ok([&] { fx.engine.set_active<wo::ServiceSpec>(admin, fx.a.full_spec, true); }));
  fx.expect_ok([&] { fx.engine.set_active<wo::ServiceSpec>(admin, fx.a.full_spec2, false); });
  // The deposit subtype with a single spec.
  fx.expect_error(Code::invalid_state, {std::to_string(fx.a.deposit_bps_spec.value)},
                  [&] { fx.engine.set_active<wo::ServiceSpec>(admin, fx.a.deposit_bps_spec, false); });
  // Specs are optional for other modes: the after-completion subtype's only spec may go.
  fx.expect_ok([&] { fx.engine.set_active<wo::ServiceSpec>(admin, fx.a.after_spec, false); });
}
