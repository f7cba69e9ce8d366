// The demo the README runs: builds a realistic property-management org in a SQLite file
// through the C++ API and prints a readable summary of it.
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

using namespace wo;

namespace {

template <class T, class... Fields>
decltype(T::id) add(Engine& engine, const Actor& actor, Fields&&... fields) {
  Patch<T> patch;
  (patch.set(fields.first, fields.second), ...);
  return engine.create<T>(actor, patch);
}

template <class M, class T, class V>
std::pair<M T::*, M> f(M T::*member, V value) {
  return {member, M(std::move(value))};
}

std::string yuan(Money m) { return fmt::format("¥{}.{:02}", m.minor / 100, m.minor % 100); }

struct DemoOrg {
  OrgId id;
  Actor admin;
};

DemoOrg build_org(Engine& engine) {
  Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Sunrise Property Management (朝阳物业)"))
      .set(&wo::Org::time_zone, std::string("Asia/Shanghai"))
      .set(&wo::Org::currency, std::string("CNY"));
  Patch<Staff> first_admin;
  first_admin.set(&Staff::name, std::string("Wang Li (王丽)")).set(&Staff::phone, std::string("+86 138 0000 0001"));
  const NewOrg created = engine.create_org(Actor::system(), org, first_admin);
  const Actor admin = Actor::staff(created.admin);

  const auto maintenance = add<Department>(engine, admin, f(&Department::name, "Maintenance (维修部)"));
  const auto contractor = add<Department>(engine, admin, f(&Department::name, "External contractor (外包)"));
  const auto plumber = add<Position>(engine, admin, f(&Position::name, "Plumber (水工)"));
  const auto electrician = add<Position>(engine, admin, f(&Position::name, "Electrician (电工)"));
  const auto supervisor = add<Position>(engine, admin, f(&Position::name, "Supervisor (主管)"));

  add<Staff>(engine, admin, f(&Staff::name, "Zhao Min (赵敏)"), f(&Staff::phone, "139-0000-0002"),
             f(&Staff::department_id, std::optional{maintenance}), f(&Staff::position_id, std::optional{supervisor}),
             f(&Staff::roles, role_dispatcher));
  for (auto [name, phone, dept, pos] : {std::tuple{"Li Qiang (李强)", "13900000003", maintenance, plumber},
                                        std::tuple{"Chen Gang (陈刚)", "13900000004", maintenance, plumber},
                                        std::tuple{"Sun Hao (孙浩)", "13900000005", contractor, plumber},
                                        std::tuple{"Zhou Jie (周杰)", "13900000006", maintenance, electrician}})
    add<Staff>(engine, admin, f(&Staff::name, name), f(&Staff::phone, phone), f(&Staff::department_id, std::optional{dept}),
               f(&Staff::position_id, std::optional{pos}), f(&Staff::roles, role_technician));

  const auto zhang = add<Tenant>(engine, admin, f(&Tenant::name, "Zhang Wei (张伟)"), f(&Tenant::tenant_kind, TenantKind::person));
  add<Contact>(engine, admin, f(&Contact::tenant_id, zhang), f(&Contact::name, "Zhang Wei (张伟)"),
               f(&Contact::phone, "+86 (137) 0000-0001"));
  const auto bakery = add<Tenant>(engine, admin, f(&Tenant::name, "Golden Bakery Ltd. (金麦面包)"),
                                  f(&Tenant::tenant_kind, TenantKind::company));
  add<Contact>(engine, admin, f(&Contact::tenant_id, bakery), f(&Contact::name, "Liu Yang (刘洋)"), f(&Contact::phone, "13700000002"));
  add<Contact>(engine, admin, f(&Contact::tenant_id, bakery), f(&Contact::name, "Ma Lin (马琳)"), f(&Contact::phone, "13700000003"));

  const auto household = add<OrderType>(engine, admin, f(&OrderType::name, "Household repair (室内报修)"),
                                        f(&OrderType::department_id, maintenance), f(&OrderType::position_id, plumber));
  const auto electric = add<OrderType>(engine, admin, f(&OrderType::name, "Electrical (电路报修)"),
                                       f(&OrderType::department_id, maintenance), f(&OrderType::position_id, electrician));
  const auto pipes = add<Subtype>(engine, admin, f(&Subtype::order_type_id, household), f(&Subtype::name, "Pipes and faucets (水管水龙头)"),
                                  f(&Subtype::charge_mode, ChargeMode::prepay_deposit), f(&Subtype::deposit_fixed, std::optional{Money{2000}}),
                                  f(&Subtype::consumables_enabled, true));
  add<ServiceSpec>(engine, admin, f(&ServiceSpec::subtype_id, pipes), f(&ServiceSpec::name, "Replace faucet (更换龙头)"), f(&ServiceSpec::price, Money{5000}));
  add<ServiceSpec>(engine, admin, f(&ServiceSpec::subtype_id, pipes), f(&ServiceSpec::name, "Clear blocked drain (疏通下水)"), f(&ServiceSpec::price, Money{8000}));
  add<ServiceItem>(engine, admin, f(&ServiceItem::subtype_id, pipes), f(&ServiceItem::name, "Call-out fee (上门费)"), f(&ServiceItem::price, Money{2000}));
  const auto lock = add<Subtype>(engine, admin, f(&Subtype::order_type_id, household), f(&Subtype::name, "Door lock (门锁)"),
                                 f(&Subtype::charge_mode, ChargeMode::prepay_full));
  add<ServiceSpec>(engine, admin, f(&ServiceSpec::subtype_id, lock), f(&ServiceSpec::name, "Replace lock cylinder (换锁芯)"), f(&ServiceSpec::price, Money{12000}));
  add<Subtype>(engine, admin, f(&Subtype::order_type_id, electric), f(&Subtype::name, "Sockets and switches (插座开关)"),
               f(&Subtype::charge_mode, ChargeMode::after_completion), f(&Subtype::consumables_enabled, true));
  add<Subtype>(engine, admin, f(&Subtype::order_type_id, electric), f(&Subtype::name, "Public lighting (公共照明)"),
               f(&Subtype::charge_mode, ChargeMode::free));

  const auto plumbing_labor = add<LaborItem>(engine, admin, f(&LaborItem::name, "Plumbing labor (水工工时)"),
                                             f(&LaborItem::default_rate, std::optional{Money{6000}}));
  add<LaborRate>(engine, admin, f(&LaborRate::labor_item_id, plumbing_labor), f(&LaborRate::department_id, maintenance), f(&LaborRate::rate, Money{8000}));
  add<LaborRate>(engine, admin, f(&LaborRate::labor_item_id, plumbing_labor), f(&LaborRate::department_id, contractor), f(&LaborRate::rate, Money{12000}));
  add<LaborRate>(engine, admin, f(&LaborRate::labor_item_id, plumbing_labor), f(&LaborRate::department_id, maintenance),
                 f(&LaborRate::position_id, std::optional{supervisor}), f(&LaborRate::rate, Money{10000}));

  for (auto [sku, name, unit, price, stock] : {std::tuple{"PIPE-20", "PPR pipe 20mm (PPR管)", "m", 1250, 50000},
                                               std::tuple{"FAUCET-A", "Faucet, chrome (镀铬龙头)", "pcs", 4500, 12000},
                                               std::tuple{"TAPE-PTFE", "PTFE tape (生料带)", "roll", 300, 40000}}) {
    const auto m = add<Material>(engine, admin, f(&Material::sku, sku), f(&Material::name, name), f(&Material::unit, unit),
                                 f(&Material::unit_price, Money{price}));
    add<StockMovement>(engine, admin, f(&StockMovement::material_id, m), f(&StockMovement::movement_kind, MovementKind::requisition),
                       f(&StockMovement::qty, Qty{stock}), f(&StockMovement::note, std::optional<std::string>("opening stock (期初领用)")));
  }

  Patch<OrderSettings> settings;
  settings.set(&OrderSettings::grab_limit, 3).set(&OrderSettings::prepay_timeout_min, 30).set(&OrderSettings::reopen_window_days, 7);
  engine.update_settings(admin, settings);
  for (auto c : {Channel::wechat, Channel::alipay, Channel::cash}) engine.set_channel_enabled(admin, c, true);
  return {created.org, admin};
}

template <class T, class Print>
void print_all(Engine& engine, const Actor& actor, const char* title, Print print) {
  fmt::print("\n{}\n", title);
  for (decltype(T::id) after{};;) {
    auto page = engine.list<T>(actor, {}, after, max_page_size);
    for (const auto& r : page) print(r);
    if (page.size() < static_cast<std::size_t>(max_page_size)) break;
    after = page.back().id;
  }
}

void print_summary(Engine& engine, const DemoOrg& org) {
  const auto o = engine.get_org(org.admin, org.id);
  fmt::print("Org {} — {} — zone {}, currency {}\n", o.id.value, o.name, o.time_zone, o.currency);
  print_all<Department>(engine, org.admin, "Departments", [](const Department& d) { fmt::print("  {:>3}  {}\n", d.id.value, d.name); });
  print_all<Position>(engine, org.admin, "Positions", [](const Position& p) { fmt::print("  {:>3}  {}\n", p.id.value, p.name); });
  print_all<Staff>(engine, org.admin, "Staff", [](const Staff& s) {
    std::string roles;
    if (s.roles & role_admin) roles += "admin ";
    if (s.roles & role_dispatcher) roles += "dispatcher ";
    if (s.roles & role_technician) roles += "technician ";
    fmt::print("  {:>3}  {:<22} {:<15} dept {:<3} pos {:<3} {}\n", s.id.value, s.name, s.phone,
               s.department_id ? std::to_string(s.department_id->value) : "-",
               s.position_id ? std::to_string(s.position_id->value) : "-", roles);
  });
  print_all<Tenant>(engine, org.admin, "Tenants and contacts", [&](const Tenant& t) {
    fmt::print("  {:>3}  {} ({})\n", t.id.value, t.name, EnumRange<TenantKind>::names[static_cast<int>(t.tenant_kind)]);
    for (const auto& c : engine.list<Contact>(org.admin, {{"tenant_id", Value{t.id.value}}}, {}, max_page_size))
      fmt::print("         contact {:>3}  {:<16} {}\n", c.id.value, c.name, c.phone);
  });
  print_all<Subtype>(engine, org.admin, "Order types and subtypes", [&](const Subtype& s) {
    const auto type = engine.get<OrderType>(org.admin, s.order_type_id);
    std::string deposit;
    if (s.deposit_fixed) deposit = " deposit " + yuan(*s.deposit_fixed);
    if (s.deposit_bps) deposit = fmt::format(" deposit {}.{:02}%", *s.deposit_bps / 100, *s.deposit_bps % 100);
    fmt::print("  {} / {} — {}{}{}\n", type.name, s.name, EnumRange<ChargeMode>::names[static_cast<int>(s.charge_mode)],
               deposit, s.consumables_enabled ? ", consumables" : "");
    for (const auto& spec : engine.list<ServiceSpec>(org.admin, {{"subtype_id", Value{s.id.value}}}, {}, max_page_size))
      fmt::print("      spec  {:<32} {}\n", spec.name, yuan(spec.price));
    for (const auto& item : engine.list<ServiceItem>(org.admin, {{"subtype_id", Value{s.id.value}}}, {}, max_page_size))
      fmt::print("      item  {:<32} {}\n", item.name, yuan(item.price));
  });
  fmt::print("\nLabor rates (per hour) for each technician\n");
  const auto items = engine.list<LaborItem>(org.admin, {}, {}, max_page_size);
  for (const auto& s : engine.list<Staff>(org.admin, {}, {}, max_page_size)) {
    if (!(s.roles & role_technician)) continue;
    for (const auto& item : items)
      fmt::print("  {:<22} {:<26} {}\n", s.name, item.name, yuan(engine.resolve_labor_rate(org.admin, item.id, s.id)));
  }
  print_all<Material>(engine, org.admin, "Materials", [](const Material& m) {
    fmt::print("  {:<10} {:<26} {} per {:<5} stock {}.{:03} {}\n", m.sku, m.name, yuan(m.unit_price), m.unit,
               m.stock.milli / 1000, m.stock.milli % 1000, m.unit);
  });
  const auto s = engine.get_settings(org.admin);
  fmt::print("\nWork-order settings: grab {} (limit {}), prepay timeout {} min, accept timeout {} min, "
             "rating timeout {} days (auto score {}), reopen window {} days\n",
             s.grab_enabled ? "on" : "off", s.grab_limit, s.prepay_timeout_min, s.accept_timeout_min,
             s.rating_timeout_days, s.auto_rating_score, s.reopen_window_days);
  std::string channels;
  for (const auto& c : engine.list_channels(org.admin))
    if (c.enabled) channels += std::string(EnumRange<Channel>::names[static_cast<int>(c.channel)]) + " ";
  fmt::print("Payment channels enabled: {}\n", channels);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "demo.db";
  try {
    Engine engine(open_sqlite_store(path));
    const DemoOrg org = build_org(engine);
    print_summary(engine, org);
    fmt::print("\nDatabase: {} (schema version {})\n", path, engine.store().schema_version());
  } catch (const Error& e) {
    std::fprintf(stderr, "demo failed: %s (code %d)\n", e.what(), static_cast<int>(e.code()));
    return 1;
  }
  return 0;
}
