// SPDX-License-Identifier: MIT
// Create, update, (de)activate, get and list for every catalog record, written once over
// the records' field lists. Each call is one transaction.
#include <limits>

#include "domain/fail.hpp"
#include "domain/text.hpp"
#include "engine/catalog_rules.hpp"
#include "engine/row_mapping.hpp"
#include "workorder/phone.hpp"

namespace wo {
namespace {

template <class X> struct is_string_field : std::false_type {};
template <> struct is_string_field<std::string> : std::true_type {};
template <> struct is_string_field<std::optional<std::string>> : std::true_type {};
template <class X> struct is_money_field : std::false_type {};
template <> struct is_money_field<Money> : std::true_type {};
template <> struct is_money_field<std::optional<Money>> : std::true_type {};
template <class X> struct is_ref_field : is_id<X> {};
template <class X> struct is_ref_field<std::optional<X>> : is_id<X> {};
template <class X> struct ref_tag { using type = typename X::tag; };
template <class X> struct ref_tag<std::optional<X>> { using type = typename X::tag; };

// Text is valid UTF-8 of bounded length; enums are in range; money is never negative.
template <class T>
void check_fields(const T& rec) {
  reflect(rec, [&](std::string_view name, const auto& v, unsigned flags) {
    using X = std::decay_t<decltype(v)>;
    if constexpr (is_string_field<X>::value) {
      const std::size_t max = (flags & long_text) ? long_text_max : short_text_max;
      if constexpr (is_optional<X>::value) {
        if (v) check_text(name, *v, max, false);
      } else {
        check_text(name, v, max, (flags & required) != 0);
      }
    } else if constexpr (std::is_enum_v<X>) {
      const auto i = static_cast<std::int64_t>(v);
      if (i < 0 || i >= static_cast<std::int64_t>(std::size(EnumRange<X>::names)))
        fail(Code::invalid_argument, "{} has unknown value {}", name, i);
    } else if constexpr (is_money_field<X>::value) {
      std::optional<Money> m{v};
      if (m && m->minor < 0) fail(Code::invalid_argument, "{} must not be negative, got {}", name, m->minor);
    }
  });
}

// Every id a record refers to exists in the same org.
template <class T>
void check_refs(Transaction& tx, const T& rec) {
  static const std::vector<std::string_view> org_col{"org_id"};
  reflect(rec, [&](std::string_view name, const auto& v, unsigned flags) {
    using X = std::decay_t<decltype(v)>;
    if constexpr (is_ref_field<X>::value) {
      if (name == "id" || (flags & internal)) return;
      std::optional<std::int64_t> id;
      if constexpr (is_optional<X>::value) {
        if (v) id = v->value;
      } else {
        id = v.value;
      }
      if (!id) return;
      using Tag = typename ref_tag<X>::type;
      auto row = tx.find(Tag::table, org_col, *id);
      if (!row || std::get<std::int64_t>((*row)[0]) != rec.org_id.value)
        fail(Code::not_found, "{} {} not found", name, *id);
    }
  });
}

template <class T>
void check_unique(Transaction& tx, const T& rec) {
  const auto key = unique_key<T>();
  if (key.empty()) return;
  std::vector<Condition> where{{"org_id", Value{rec.org_id.value}}};
  std::string shown;
  reflect(rec, [&](std::string_view name, const auto& v, unsigned) {
    for (auto k : key)
      if (k == name) {
        where.push_back({name, to_value(v)});
        if (!shown.empty()) shown += ", ";
        shown += fmt::format("{} {}", name, describe_value(to_value(v)));
      }
  });
  static const std::vector<std::string_view> id_col{"id"};
  for (const auto& row : tx.select(table_of<T>, id_col, where, 0, 2))
    if (std::get<std::int64_t>(row[0]) != rec.id.value)
      fail(Code::conflict, "a {} with {} already exists", T::kind, shown);
}

// Fails with invalid_argument if the patch sets a field it may not.
template <class T>
void check_patch(const Patch<T>& patch, bool creating) {
  int i = 0;
  reflect(patch.values(), [&](std::string_view name, const auto&, unsigned flags) {
    const bool set = (patch.mask() >> i++) & 1u;
    if (set && (flags & internal)) fail(Code::invalid_argument, "{} is set by the engine and cannot be given", name);
    if (set && !creating && (flags & fixed)) fail(Code::invalid_argument, "{} cannot be changed after creation", name);
    if (!set && creating && (flags & required)) fail(Code::invalid_argument, "{} is required", name);
  });
}

// Loads a record the actor may see; anything else is not found.
template <class T>
T load_visible(Transaction& tx, const Who& who, std::int64_t id) {
  auto row = tx.find(table_of<T>, columns<T>(), id);
  if (row) {
    T rec = from_row<T>(*row);
    bool visible = rec.org_id == who.org && !who.is_system();
    if (who.is_contact()) {
      visible = visible && contact_readable<T>;
      if constexpr (std::is_same_v<T, Tenant>) visible = visible && rec.id == who.tenant;
      if constexpr (std::is_same_v<T, Contact>) visible = visible && rec.tenant_id == who.tenant;
    }
    if (visible) return rec;
  }
  fail(Code::not_found, "{} {} not found", T::kind, id);
}

template <class T>
void validate_and_check(Transaction& tx, const Who& who, T& rec, const T* before) {
  check_fields(rec);
  check_rules(tx, who, rec, before);
  check_refs(tx, rec);
  check_unique(tx, rec);
}

}  // namespace

template <class T>
decltype(T::id) Engine::create(const Actor& actor, const Patch<T>& fields) {
  decltype(T::id) id;
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_role(who, writers<T>, fmt::format("create a {}", T::kind));
    check_patch(fields, true);
    T rec{};
    fields.apply_to(rec);
    rec.org_id = who.org;
    validate_and_check(tx, who, rec, static_cast<const T*>(nullptr));
    id.value = insert_record(tx, table_of<T>, rec);
  });
  return id;
}

template <class T>
void Engine::update(const Actor& actor, decltype(T::id) id, const Patch<T>& fields) {
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, fmt::format("update a {}", T::kind));
    tx.lock(table_of<T>, id.value);
    const T before = load_visible<T>(tx, who, id.value);
    require_role(who, writers<T>, fmt::format("update a {}", T::kind));
    check_patch(fields, false);
    T rec = before;
    fields.apply_to(rec);
    validate_and_check(tx, who, rec, &before);
    tx.update(table_of<T>, id.value, columns_without_id<T>(), values_without_id(rec));
  });
}

template <class T>
void Engine::set_active(const Actor& actor, decltype(T::id) id, bool active) {
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, fmt::format("{} a {}", active ? "activate" : "deactivate", T::kind));
    tx.lock(table_of<T>, id.value);
    T rec = load_visible<T>(tx, who, id.value);
    require_role(who, writers<T>, fmt::format("{} a {}", active ? "activate" : "deactivate", T::kind));
    if (!active && rec.active) check_deactivate(tx, rec);
    if (active && !rec.active) check_rules(tx, who, rec, &rec);  // e.g. a spec priced below today's deposit
    static const std::vector<std::string_view> cols{"active"};
    tx.update(table_of<T>, id.value, cols, Row{Value{std::int64_t{active}}});
  });
}

template <class T>
T Engine::get(const Actor& actor, decltype(T::id) id) {
  T rec{};
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, fmt::format("read a {}", T::kind));
    rec = load_visible<T>(tx, who, id.value);
  });
  return rec;
}

template <class T>
std::vector<T> Engine::list(const Actor& actor, const Filter& filters, decltype(T::id) after, int limit) {
  if (limit < 1 || limit > max_page_size)
    fail(Code::invalid_argument, "limit {} must be between 1 and {}", limit, max_page_size);
  std::vector<Condition> where;
  // Named references, not a structured binding: the lambda below captures them, which clang
  // before 16 cannot do with bindings.
  for (const auto& entry : filters) {
    const std::string& name = entry.first;
    const Value& value = entry.second;
    const long flags = field_flags<T>(name);
    if (flags < 0 || !(flags & filter)) fail(Code::invalid_argument, "{} is not a filter of {}", name, T::kind);
    // The value must be one the field can hold (type, enum range, 0/1), as for an input.
    T probe{};
    reflect(probe, [&](std::string_view n, auto& field, unsigned) {
      if (n == name) from_value(n, value, field);
    });
    // Phones match after normalisation, as they were stored.
    if (name == "phone" && std::holds_alternative<std::string>(value))
      where.push_back({field_name<T>(name), Value{normalize_phone("phone", std::get<std::string>(value))}});
    else
      where.push_back({field_name<T>(name), value});
  }
  std::vector<T> page;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_org(who, fmt::format("list {} records", T::kind));
    if (who.is_contact() && !contact_readable<T>)
      fail(Code::forbidden, "contact {} cannot list {} records", who.id, T::kind);
    where.push_back({"org_id", Value{who.org.value}});
    if constexpr (std::is_same_v<T, Tenant>) {
      if (who.is_contact()) where.push_back({"id", Value{who.tenant.value}});
    }
    if constexpr (std::is_same_v<T, Contact>) {
      if (who.is_contact()) where.push_back({"tenant_id", Value{who.tenant.value}});
    }
    for (auto& row : tx.select(table_of<T>, columns<T>(), where, after.value, limit))
      page.push_back(from_row<T>(row));
  });
  return page;
}

// Stock moves only through recorded movements: hosts record requisitions (+) and
// adjustments (±); the stock bound is a conditional write, so it holds across processes.
template <>
StockMovementId Engine::create<StockMovement>(const Actor& actor, const Patch<StockMovement>& fields) {
  StockMovementId id;
  impl_->store->write([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_role(who, role_admin, "record a stock movement");
    check_patch(fields, true);
    StockMovement m{};
    fields.apply_to(m);
    m.org_id = who.org;
    m.staff_id = StaffId{who.id};
    m.created_at = impl_->now();
    check_fields(m);
    if (m.movement_kind == MovementKind::requisition && m.qty.milli <= 0)
      fail(Code::invalid_argument, "qty {} of a requisition must be positive", m.qty.milli);
    if (m.movement_kind == MovementKind::adjustment && m.qty.milli == 0)
      fail(Code::invalid_argument, "qty of an adjustment must not be 0");
    if (m.movement_kind != MovementKind::requisition && m.movement_kind != MovementKind::adjustment)
      fail(Code::invalid_argument, "movement_kind {} is recorded by orders, not by hand",
           EnumRange<MovementKind>::names[static_cast<int>(m.movement_kind)]);
    const Material material = load_visible<Material>(tx, who, m.material_id.value);
    if (m.qty.milli > 0 && material.stock.milli > std::numeric_limits<std::int64_t>::max() - m.qty.milli)
      fail(Code::overflow, "qty {} would overflow the stock {} of material {}", m.qty.milli, material.stock.milli,
           material.id.value);
    if (!tx.add_bounded("material", material.id.value, "stock", m.qty.milli, 0))
      fail(Code::out_of_stock, "material {} '{}' has stock {} (thousandths); an adjustment of {} would make it negative",
           material.id.value, material.sku, material.stock.milli, m.qty.milli);
    id.value = insert_record(tx, "stock_movement", m);
  });
  return id;
}

#define WO_CATALOG_RECORD(T)                                                                       \
  template decltype(T::id) Engine::create<T>(const Actor&, const Patch<T>&);                       \
  template void Engine::update<T>(const Actor&, decltype(T::id), const Patch<T>&);                 \
  template void Engine::set_active<T>(const Actor&, decltype(T::id), bool);                        \
  template T Engine::get<T>(const Actor&, decltype(T::id));                                        \
  template std::vector<T> Engine::list<T>(const Actor&, const Filter&, decltype(T::id), int);
WO_CATALOG_RECORD(Department)
WO_CATALOG_RECORD(Position)
WO_CATALOG_RECORD(Staff)
WO_CATALOG_RECORD(Tenant)
WO_CATALOG_RECORD(Contact)
WO_CATALOG_RECORD(OrderType)
WO_CATALOG_RECORD(Subtype)
WO_CATALOG_RECORD(ServiceSpec)
WO_CATALOG_RECORD(ServiceItem)
WO_CATALOG_RECORD(LaborItem)
WO_CATALOG_RECORD(LaborRate)
WO_CATALOG_RECORD(Material)
#undef WO_CATALOG_RECORD
template StockMovement Engine::get<StockMovement>(const Actor&, StockMovementId);
template std::vector<StockMovement> Engine::list<StockMovement>(const Actor&, const Filter&, StockMovementId, int);

}  // namespace wo
