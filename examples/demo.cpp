// SPDX-License-Identifier: MIT
// The demo the README runs: builds a realistic property-management org in a SQLite file
// through the C++ API and prints a readable summary of it.
//   usage: wo_demo [PATH]    (PATH defaults to demo.db; wo_demo --help says more)
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

#include <date/tz.h>

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
  Actor dispatcher, li_qiang, chen_gang, zhou_jie, zhang_wei, liu_yang;
  SubtypeId pipes, public_lighting, burst_pipe;
  ServiceSpecId replace_faucet;
  ServiceItemId call_out;
  LaborItemId plumbing_labor;
  MaterialId pipe, faucet;
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

  DemoOrg ids{created.org, admin};
  ids.dispatcher = Actor::staff(add<Staff>(engine, admin, f(&Staff::name, "Zhao Min (赵敏)"), f(&Staff::phone, "139-0000-0002"),
             f(&Staff::department_id, std::optional{maintenance}), f(&Staff::position_id, std::optional{supervisor}),
             f(&Staff::roles, role_dispatcher)));
  std::vector<Actor> technicians;
  for (auto [name, phone, dept, pos] : {std::tuple{"Li Qiang (李强)", "13900000003", maintenance, plumber},
                                        std::tuple{"Chen Gang (陈刚)", "13900000004", maintenance, plumber},
                                        std::tuple{"Sun Hao (孙浩)", "13900000005", contractor, plumber},
                                        std::tuple{"Zhou Jie (周杰)", "13900000006", maintenance, electrician}})
    technicians.push_back(Actor::staff(add<Staff>(engine, admin, f(&Staff::name, name), f(&Staff::phone, phone),
                                                  f(&Staff::department_id, std::optional{dept}),
                                                  f(&Staff::position_id, std::optional{pos}), f(&Staff::roles, role_technician))));
  ids.li_qiang = technicians[0];
  ids.chen_gang = technicians[1];
  ids.zhou_jie = technicians[3];

  const auto zhang = add<Tenant>(engine, admin, f(&Tenant::name, "Zhang Wei (张伟)"), f(&Tenant::tenant_kind, TenantKind::person));
  ids.zhang_wei = Actor::contact(add<Contact>(engine, admin, f(&Contact::tenant_id, zhang), f(&Contact::name, "Zhang Wei (张伟)"),
                                              f(&Contact::phone, "+86 (137) 0000-0001")));
  const auto bakery = add<Tenant>(engine, admin, f(&Tenant::name, "Golden Bakery Ltd. (金麦面包)"),
                                  f(&Tenant::tenant_kind, TenantKind::company));
  ids.liu_yang = Actor::contact(add<Contact>(engine, admin, f(&Contact::tenant_id, bakery), f(&Contact::name, "Liu Yang (刘洋)"),
                                             f(&Contact::phone, "13700000002")));
  add<Contact>(engine, admin, f(&Contact::tenant_id, bakery), f(&Contact::name, "Ma Lin (马琳)"), f(&Contact::phone, "13700000003"));

  const auto household = add<OrderType>(engine, admin, f(&OrderType::name, "Household repair (室内报修)"),
                                        f(&OrderType::department_id, maintenance), f(&OrderType::position_id, plumber));
  const auto electric = add<OrderType>(engine, admin, f(&OrderType::name, "Electrical (电路报修)"),
                                       f(&OrderType::department_id, maintenance), f(&OrderType::position_id, electrician));
  const auto pipes = ids.pipes = add<Subtype>(engine, admin, f(&Subtype::order_type_id, household), f(&Subtype::name, "Pipes and faucets (水管水龙头)"),
                                  f(&Subtype::charge_mode, ChargeMode::prepay_deposit), f(&Subtype::deposit_fixed, std::optional{Money{2000}}),
                                  f(&Subtype::consumables_enabled, true));
  ids.replace_faucet = add<ServiceSpec>(engine, admin, f(&ServiceSpec::subtype_id, pipes), f(&ServiceSpec::name, "Replace faucet (更换龙头)"), f(&ServiceSpec::price, Money{5000}));
  add<ServiceSpec>(engine, admin, f(&ServiceSpec::subtype_id, pipes), f(&ServiceSpec::name, "Clear blocked drain (疏通下水)"), f(&ServiceSpec::price, Money{8000}));
  ids.call_out = add<ServiceItem>(engine, admin, f(&ServiceItem::subtype_id, pipes), f(&ServiceItem::name, "Call-out fee (上门费)"), f(&ServiceItem::price, Money{2000}));
  const auto lock = add<Subtype>(engine, admin, f(&Subtype::order_type_id, household), f(&Subtype::name, "Door lock (门锁)"),
                                 f(&Subtype::charge_mode, ChargeMode::prepay_full));
  add<ServiceSpec>(engine, admin, f(&ServiceSpec::subtype_id, lock), f(&ServiceSpec::name, "Replace lock cylinder (换锁芯)"), f(&ServiceSpec::price, Money{12000}));
  add<Subtype>(engine, admin, f(&Subtype::order_type_id, electric), f(&Subtype::name, "Sockets and switches (插座开关)"),
               f(&Subtype::charge_mode, ChargeMode::after_completion), f(&Subtype::consumables_enabled, true));
  ids.public_lighting = add<Subtype>(engine, admin, f(&Subtype::order_type_id, electric), f(&Subtype::name, "Public lighting (公共照明)"),
               f(&Subtype::charge_mode, ChargeMode::free));
  // Urgent repairs are dispatched by the system (rules §4) and promised a response within 30
  // business minutes and a fix within 4 business hours (rules §11).
  const auto urgent = add<OrderType>(engine, admin, f(&OrderType::name, "Urgent repair (紧急抢修)"),
                                     f(&OrderType::department_id, maintenance), f(&OrderType::position_id, plumber),
                                     f(&OrderType::dispatch_strategy, DispatchStrategy::least_loaded));
  ids.burst_pipe = add<Subtype>(engine, admin, f(&Subtype::order_type_id, urgent), f(&Subtype::name, "Burst pipe (爆管)"),
                                f(&Subtype::charge_mode, ChargeMode::free), f(&Subtype::response_target_min, std::optional{30}),
                                f(&Subtype::resolution_target_min, std::optional{240}));

  const auto plumbing_labor = ids.plumbing_labor = add<LaborItem>(engine, admin, f(&LaborItem::name, "Plumbing labor (水工工时)"),
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
    if (std::string_view(sku) == "PIPE-20") ids.pipe = m;
    if (std::string_view(sku) == "FAUCET-A") ids.faucet = m;
    add<StockMovement>(engine, admin, f(&StockMovement::material_id, m), f(&StockMovement::movement_kind, MovementKind::requisition),
                       f(&StockMovement::qty, Qty{stock}), f(&StockMovement::note, std::optional<std::string>("opening stock (期初领用)")));
  }

  Patch<OrderSettings> settings;
  settings.set(&OrderSettings::grab_limit, 3).set(&OrderSettings::prepay_timeout_min, 30).set(&OrderSettings::reopen_window_days, 7)
      .set(&OrderSettings::business_hours, std::string("mon-fri 09:00-18:00"));
  engine.update_settings(admin, settings);
  for (auto c : {Channel::wechat, Channel::alipay, Channel::cash}) engine.set_channel_enabled(admin, c, true);
  return ids;
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
    std::string service;
    if (s.response_target_min) service += fmt::format(", respond within {} min", *s.response_target_min);
    if (s.resolution_target_min) service += fmt::format(", resolve within {} min", *s.resolution_target_min);
    if (type.dispatch_strategy != DispatchStrategy::manual) service += fmt::format(", dispatched {}", name_of(type.dispatch_strategy));
    fmt::print("  {} / {} — {}{}{}{}\n", type.name, s.name, EnumRange<ChargeMode>::names[static_cast<int>(s.charge_mode)],
               deposit, s.consumables_enabled ? ", consumables" : "", service);
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
  fmt::print("Business hours: {}; service-level warning at {}% of a target\n",
             s.business_hours.empty() ? "around the clock" : s.business_hours, s.sla_warning_percent);
  std::string channels;
  for (const auto& c : engine.list_channels(org.admin))
    if (c.enabled) channels += std::string(EnumRange<Channel>::names[static_cast<int>(c.channel)]) + " ";
  fmt::print("Payment channels enabled: {}\n", channels);
}

const char* who_is(const DemoOrg& org, ActorKind kind, std::int64_t id) {
  if (kind == ActorKind::system) return "system";
  if (kind == ActorKind::contact) return id == org.liu_yang.id ? "tenant Liu Yang" : "tenant Zhang Wei";
  if (id == org.admin.id) return "admin Wang Li";
  if (id == org.dispatcher.id) return "dispatcher Zhao Min";
  if (id == org.li_qiang.id) return "technician Li Qiang";
  if (id == org.chen_gang.id) return "technician Chen Gang";
  if (id == org.zhou_jie.id) return "technician Zhou Jie";
  return "staff";
}

// An instant as the org's local time, to the minute ("%F %R"; "%a %F %R" adds the weekday).
std::string local_time(Timestamp t, const char* format = "%F %R") {
  const auto local = date::make_zoned("Asia/Shanghai", t).get_local_time();
  return date::format(format, date::floor<std::chrono::minutes>(local));
}

// Whom the system's events are for (an automatic assignment, a service-level alert).
std::string addressee(const DemoOrg& org, const OrderEvent& e) {
  if (e.actor_kind != ActorKind::system) return "";
  if (e.concerns == Audience::dispatchers) return " — for the dispatchers";
  if (e.concerns == Audience::staff && e.concerns_id) return fmt::format(" — for {}", who_is(org, ActorKind::staff, *e.concerns_id));
  return "";
}

// One service-level clock of an order (rules §11), in business minutes.
std::string service_clock(std::optional<std::int32_t> target, std::optional<Timestamp> due, ServiceState state,
                          std::int64_t used_ms, std::int32_t alerts) {
  if (!target) return "no target";
  static constexpr const char* sent[] = {"", ", warning sent", ", breach reported"};
  alerts = std::clamp(alerts, 0, 2);
  return fmt::format("{} of {} min used, due {}: {}{}", used_ms / 60000, *target,
                     due ? local_time(*due, "%a %F %R") : "unknown", name_of(state), sent[alerts]);
}

void print_service_levels(const Order& o, const char* indent) {
  fmt::print("{}response    {}\n", indent,
             service_clock(o.response_target_min, o.response_due, o.response_state, o.response_used_ms, o.response_alerts));
  fmt::print("{}resolution  {}\n", indent,
             service_clock(o.resolution_target_min, o.resolution_due, o.resolution_state, o.resolution_used_ms,
                           o.resolution_alerts));
}

void print_order(Engine& engine, const DemoOrg& org, OrderId id) {
  const Order o = engine.get_order(org.admin, id);
  const Bill b = engine.get_bill(org.admin, id);
  fmt::print("\nOrder {} — {} — status {}\n  {}\n", o.number, o.address, name_of(o.status), o.description);
  fmt::print("\n  Timeline\n");
  for (const auto& e : engine.timeline(org.admin, id, 0, max_page_size)) {
    std::string details = e.details.value_or("");
    if ((e.action == Action::sla_warning || e.action == Action::sla_breach) && e.amount)
      details += fmt::format(" (target {} min)", *e.amount);
    fmt::print("    {}  {:<15} {:<21} {:>19} → {:<19} {}{}\n", local_time(e.at), name_of(e.action),
               who_is(org, e.actor_kind, e.actor_id), e.from_status ? name_of(*e.from_status) : "",
               e.to_status ? name_of(*e.to_status) : "", details, addressee(org, e));
  }
  if (o.response_target_min || o.resolution_target_min) {
    fmt::print("\n  Service levels (business minutes)\n");
    print_service_levels(o, "    ");
  }
  fmt::print("\n  Bill\n");
  if (o.spec_id) fmt::print("    {:<46} {:>10}\n", "spec: " + engine.get<ServiceSpec>(org.admin, *o.spec_id).name, yuan(o.spec_price));
  for (const auto& l : engine.lines(org.admin, id)) {
    if (l.removed) continue;
    fmt::print("    {:<46} {:>10}\n", fmt::format("{} {} × {}.{:03} @ {}", name_of(l.line_kind), l.name, l.qty.milli / 1000,
                                                 l.qty.milli % 1000, yuan(l.unit_price)), yuan(l.amount));
  }
  fmt::print("    {:<46} {:>10}\n    {:<46} {:>10}\n", "total", yuan(b.total), "owed by the tenant", yuan(b.owed));
  for (const auto& p : engine.payments(org.admin, id))
    fmt::print("    {:<46} {:>10}\n", fmt::format("{} via {} ({})", name_of(p.payment_kind), name_of(p.channel),
                                                 p.provider_txn_id.value_or("-")), yuan(p.amount));
  fmt::print("    {:<46} {:>10}\n", "balance", yuan(b.balance));
  if (o.rating) fmt::print("  Rating: {} / 5 — {}\n", *o.rating, o.rating_comment.value_or(""));
}

// A paid repair (docs/rules.md §4, §6): deposit, assignment, a rejection, labor + materials + call-out
// fee, finish, the balance paid, a rating.
OrderId paid_repair(Engine& engine, const DemoOrg& org, Timestamp& now) {
  using namespace std::chrono;
  auto at = [&](minutes later) {
    now += later;
    engine.set_clock([t = now] { return t; });
  };
  OrderDraft draft;
  draft.subtype_id = org.pipes;
  draft.spec_id = org.replace_faucet;
  draft.description = "Kitchen faucet leaks and the pipe under the sink drips (厨房龙头漏水，水槽下水管滴水)";
  draft.address = "Building 3, Unit 2, Room 1502 (3栋2单元1502)";
  draft.source_channel = SourceChannel::mini_program;
  draft.attachments = {"photos/leak-1.jpg", "photos/leak-2.jpg"};
  draft.client_token = "zhang-2026-11-27-faucet";
  at(minutes{0});
  const OrderId id = engine.submit(org.zhang_wei, draft);
  at(minutes{3});
  engine.pay_prepayment(org.zhang_wei, id, {Channel::wechat, Money{2000}, "wx-4200001"});
  at(minutes{5});
  engine.assign(org.dispatcher, id, StaffId{org.li_qiang.id});
  at(minutes{12});
  engine.reject(org.li_qiang, id, "On another site all afternoon (下午在其他小区)");
  at(minutes{2});
  engine.assign(org.dispatcher, id, StaffId{org.chen_gang.id});
  at(minutes{4});
  engine.accept(org.chen_gang, id);
  engine.message(org.chen_gang, id, "On my way, about 30 minutes (30分钟内到)");
  at(minutes{70});
  engine.add_line(org.chen_gang, id, {LineKind::labor, org.plumbing_labor.value, Qty{1500}});
  engine.add_line(org.chen_gang, id, {LineKind::material, org.pipe.value, Qty{2500}});
  engine.add_line(org.chen_gang, id, {LineKind::material, org.faucet.value, Qty{1000}});
  engine.add_line(org.chen_gang, id, {LineKind::service_item, org.call_out.value, Qty{1000}});
  at(minutes{5});
  engine.finish(org.chen_gang, id);
  at(minutes{20});
  const Bill bill = engine.get_bill(org.zhang_wei, id);
  engine.pay(org.zhang_wei, id, {Channel::alipay, bill.balance, "ali-2026112700042"});
  at(minutes{60});
  engine.rate(org.zhang_wei, id, 5, std::string("Fast and tidy, thank you (师傅很专业)"));
  return id;
}

// The free public repair: a staff member reports for the org, an eligible technician grabs it.
OrderId free_public_repair(Engine& engine, const DemoOrg& org, Timestamp& now) {
  using namespace std::chrono;
  now += minutes{30};
  engine.set_clock([t = now] { return t; });
  OrderDraft draft;
  draft.subtype_id = org.public_lighting;
  draft.description = "Corridor light on floor 7 is out (7楼走廊灯不亮)";
  draft.address = "Building 3, floor 7 corridor";
  draft.source_channel = SourceChannel::staff_pc;
  const OrderId id = engine.submit(org.dispatcher, draft);
  now += minutes{10};
  engine.set_clock([t = now] { return t; });
  engine.grab(org.zhou_jie, id);
  now += minutes{25};
  engine.set_clock([t = now] { return t; });
  engine.finish(org.zhou_jie, id);
  return id;
}

// An urgent repair (rules §4 automatic dispatch, §11 service levels): the system assigns it on
// submission; the technician is slow to accept, so tick warns at 80 % of the 30-minute response
// target and reports the breach once it is passed; the fix itself is in time.
OrderId urgent_repair(Engine& engine, const DemoOrg& org, Timestamp& now) {
  using namespace std::chrono;
  auto at = [&](minutes later) {
    now += later;
    engine.set_clock([t = now] { return t; });
  };
  auto staff_name = [&](std::optional<StaffId> s) { return s ? engine.get<Staff>(org.admin, *s).name : std::string("nobody"); };
  OrderDraft draft;
  draft.subtype_id = org.burst_pipe;
  draft.description = "A pipe burst in the back kitchen, water on the floor (后厨水管爆裂，地面积水)";
  draft.address = "Building 1, shop 2 (1栋2号商铺)";
  draft.source_channel = SourceChannel::tenant_app;
  at(minutes{24});
  const OrderId id = engine.submit(org.liu_yang, draft);
  Order o = engine.get_order(org.admin, id);
  fmt::print("{} submitted: {}, assigned to {} by the system ({})\n", local_time(now, "%R"), name_of(o.status),
             staff_name(o.assignee_id), name_of(engine.get<OrderType>(org.admin, o.order_type_id).dispatch_strategy));
  for (const minutes later : {minutes{24}, minutes{7}}) {  // 80 % of the target, then past it
    at(later);
    const int alerted = engine.tick(Actor::system(), now);
    o = engine.get_order(org.admin, id);
    fmt::print("{} tick returned {}: response {}\n", local_time(now, "%R"), alerted,
               service_clock(o.response_target_min, o.response_due, o.response_state, o.response_used_ms, o.response_alerts));
  }
  at(minutes{4});
  engine.accept(org.li_qiang, id);
  engine.message(org.li_qiang, id, "Sorry, coming now (马上到)");
  at(minutes{45});
  engine.finish(org.li_qiang, id);
  at(minutes{20});
  engine.rate(org.liu_yang, id, 4, std::string("Fixed well, but we waited (修得好，就是等得久)"));
  return id;
}

std::string minutes_of(const DurationStats& d) {
  if (d.count == 0) return "-";
  return fmt::format("mean {} min, median {} min, p90 {} min ({} orders)", d.mean_ms / 60000, d.median_ms / 60000,
                     d.p90_ms / 60000, d.count);
}

// Service-level attainment (rules §11), "response met 0, breached 1, open 0; resolution ...", of
// the clocks counted (those with a target); "" when none is.
std::string attainment_of(const Attainment& response, const Attainment& resolution) {
  std::string out;
  for (auto [name, a] : {std::pair{"response", response}, std::pair{"resolution", resolution}})
    if (a.met + a.breached + a.open > 0)
      out += fmt::format("{}{} met {}, breached {}, open {}", out.empty() ? "" : "; ", name, a.met, a.breached, a.open);
  return out;
}

// The dashboard (数据看板) of the orders created in [from, to).
void print_dashboard(Engine& engine, const DemoOrg& org, Timestamp from, Timestamp to) {
  const Dashboard d = engine.dashboard(org.admin, from, to);
  fmt::print("orders {}:", d.orders);
  for (std::size_t s = 0; s < d.by_status.size(); ++s)
    if (d.by_status[s]) fmt::print(" {} {}", name_of(static_cast<Status>(s)), d.by_status[s]);
  fmt::print("\n");
  for (const auto& day : d.days) fmt::print("  {}: created {}, completed {}\n", day.date, day.created, day.completed);
  fmt::print("submit to accept: {}\naccept to finish: {}\nsubmit to completion: {}\n", minutes_of(d.submit_to_accept),
             minutes_of(d.accept_to_finish), minutes_of(d.submit_to_complete));
  fmt::print("completion rate {}.{:02}%, reopen rate {}.{:02}%, rating mean {}.{:02} of {} rated\n",
             d.completion_rate_bp / 100, d.completion_rate_bp % 100, d.reopen_rate_bp / 100, d.reopen_rate_bp % 100,
             d.rating_mean_x100 / 100, d.rating_mean_x100 % 100, d.rated);
  fmt::print("billed {}, collected {}, refunded {}, borne by the org {}\n", yuan(d.billed), yuan(d.collected),
             yuan(d.refunded), yuan(d.org_borne));
  for (const auto& s : d.staff) {
    const Staff staff = engine.get<Staff>(org.admin, s.staff_id);
    const std::string a = attainment_of(s.response, s.resolution);
    fmt::print("  {}: finished {}, handling {} min on average, held now {}{}{}\n", staff.name, s.finished,
               s.handling_mean_ms / 60000, s.held_now, a.empty() ? "" : "; ", a);
  }
  const std::string all = attainment_of(d.response, d.resolution);
  fmt::print("service levels: {}\n", all.empty() ? "no order with a target" : all);
  for (const auto& t : d.by_type)
    if (const std::string a = attainment_of(t.response, t.resolution); !a.empty())
      fmt::print("  {}: {}\n", engine.get<OrderType>(org.admin, OrderTypeId{t.id}).name, a);
}

constexpr const char* usage_line = "usage: wo_demo [PATH]\n";

void help() {
  std::fputs(usage_line, stdout);
  std::fputs("\n"
             "Builds a demo property-management org (Sunrise Property Management) in the SQLite\n"
             "database file PATH (default demo.db), runs three repair stories through the C++ API and\n"
             "prints the org, the orders, the dashboard and the order records as CSV.\n"
             "A PATH starting with '-' is refused as an option: write ./-name for such a file.\n"
             "\n"
             "options:\n"
             "  -h, --help   print this help and exit\n",
             stdout);
}

// Reads the command line into `path` (default demo.db). Returns -1 to go on, else the exit
// code: 0 after --help, 2 after a bad argument (reported on stderr). Opens nothing.
int parse_args(int argc, char** argv, std::string& path) {
  auto bad = [](const std::string& message) {
    std::fprintf(stderr, "wo_demo: %s\n%s", message.c_str(), usage_line);
    return 2;
  };
  bool have_path = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      help();
      return 0;
    }
    if (arg.starts_with('-')) return bad(fmt::format("unknown option '{}' (for a file of that name, write ./{})", arg, arg));
    if (arg.empty()) return bad("the database path is empty");
    if (have_path) return bad(fmt::format("unexpected argument '{}': one database path only", arg));
    path = arg;
    have_path = true;
  }
  if (!have_path) path = "demo.db";
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  if (const int code = parse_args(argc, argv, path); code >= 0) return code;
  try {
    Engine engine(open_sqlite_store(path));
    Timestamp now = from_unix_ms(1795748400000);  // Friday 2026-11-27 11:00 in Shanghai
    engine.set_clock([now] { return now; });
    const DemoOrg org = build_org(engine);
    print_summary(engine, org);
    fmt::print("\n=== The paid repair story ===\n");
    print_order(engine, org, paid_repair(engine, org, now));
    fmt::print("\n=== A free public repair, grabbed from the pool ===\n");
    print_order(engine, org, free_public_repair(engine, org, now));
    fmt::print("\n=== An urgent repair, dispatched by the system and answered late ===\n");
    print_order(engine, org, urgent_repair(engine, org, now));
    fmt::print("\n=== Dashboard (数据看板) of today ===\n");
    const Timestamp day_start = from_unix_ms(1795708800000);  // 2026-11-27 00:00 in Shanghai
    print_dashboard(engine, org, day_start, day_start + std::chrono::days{1});
    fmt::print("\n=== Order records (订单记录) as CSV ===\n");
    engine.export_csv(org.admin, {}, [](std::string_view chunk) { std::fwrite(chunk.data(), 1, chunk.size(), stdout); });
    fmt::print("\nDatabase: {} (schema version {})\n", path, engine.schema_version());
  } catch (const Error& e) {
    std::fprintf(stderr, "demo failed: %s (code %d)\n", e.what(), static_cast<int>(e.code()));
    return 1;
  }
  return 0;
}
