// SPDX-License-Identifier: MIT
// Converts record fields to and from scalar Values, for storage rows and for C ABI records
// and inputs. from_value is where an input's type, enum range and integer range are checked.
#pragma once
#include <array>
#include <concepts>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "domain/fail.hpp"
#include "domain/text.hpp"
#include "workorder/fields.hpp"
#include "workorder/store.hpp"

namespace wo {

template <class X>
Value to_value(const X& x) {
  if constexpr (is_optional<X>::value) {
    return x ? to_value(*x) : Value{};
  } else if constexpr (std::same_as<X, std::string>) {
    return x;
  } else if constexpr (std::is_enum_v<X>) {
    return static_cast<std::int64_t>(x);
  } else if constexpr (is_id<X>::value) {
    return x.value;
  } else if constexpr (std::same_as<X, Money>) {
    return x.minor;
  } else if constexpr (std::same_as<X, Qty>) {
    return x.milli;
  } else if constexpr (std::same_as<X, Timestamp>) {
    return to_unix_ms(x);
  } else {
    static_assert(std::integral<X>);
    return static_cast<std::int64_t>(x);
  }
}

inline std::string describe_value(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return "'" + printable(std::get<std::string>(v)) + "'";
}

template <class X>
void from_value(std::string_view field, const Value& v, X& out) {
  if constexpr (is_optional<X>::value) {
    if (std::holds_alternative<std::monostate>(v)) {
      out.reset();
    } else {
      typename X::value_type inner{};
      from_value(field, v, inner);
      out = std::move(inner);
    }
  } else if constexpr (std::same_as<X, std::string>) {
    auto* s = std::get_if<std::string>(&v);
    if (!s) fail(Code::invalid_argument, "{} must be text, got {}", field, describe_value(v));
    out = *s;
  } else {
    auto* p = std::get_if<std::int64_t>(&v);
    if (!p) fail(Code::invalid_argument, "{} must be an integer, got {}", field, describe_value(v));
    const std::int64_t i = *p;
    if constexpr (std::is_enum_v<X>) {
      constexpr auto count = static_cast<std::int64_t>(std::size(EnumRange<X>::names));
      if (i < 0 || i >= count) fail(Code::invalid_argument, "{} has unknown value {}", field, i);
      out = static_cast<X>(i);
    } else if constexpr (is_id<X>::value) {
      if (i <= 0) fail(Code::invalid_argument, "{} {} is not a valid id", field, i);
      out.value = i;
    } else if constexpr (std::same_as<X, Money>) {
      out.minor = i;
    } else if constexpr (std::same_as<X, Qty>) {
      out.milli = i;
    } else if constexpr (std::same_as<X, Timestamp>) {
      out = from_unix_ms(i);
    } else if constexpr (std::same_as<X, bool>) {
      if (i != 0 && i != 1) fail(Code::invalid_argument, "{} must be 0 or 1, got {}", field, i);
      out = i == 1;
    } else {
      static_assert(std::integral<X>);
      if (i < std::numeric_limits<X>::min() || i > std::numeric_limits<X>::max())
        fail(Code::invalid_argument, "{} value {} is out of range", field, i);
      out = static_cast<X>(i);
    }
  }
}

// Column names of T in field order (static string literals).
template <class T>
const std::vector<std::string_view>& columns() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    T probe{};
    reflect(probe, [&](std::string_view n, auto&, unsigned) { v.push_back(n); });
    return v;
  }();
  return names;
}

template <class T>
Row to_row(const T& record) {
  Row row;
  reflect(record, [&](std::string_view, const auto& field, unsigned) { row.push_back(to_value(field)); });
  return row;
}

template <class T>
T from_row(const Row& row) {
  T record{};
  std::size_t i = 0;
  reflect(record, [&](std::string_view name, auto& field, unsigned) { from_value(name, row.at(i++), field); });
  return record;
}

// Columns of T without the leading id (what an insert or a full update writes).
template <class T>
const std::vector<std::string_view>& columns_without_id() {
  static const std::vector<std::string_view> names(columns<T>().begin() + 1, columns<T>().end());
  return names;
}

template <class T>
Row values_without_id(const T& record) {
  Row row = to_row(record);
  row.erase(row.begin());
  return row;
}

// Inserts every field but the id (the store assigns it) and returns the new id.
template <class T>
std::int64_t insert_record(Transaction& tx, std::string_view table, const T& record) {
  return tx.insert(table, columns_without_id<T>(), values_without_id(record));
}

// Inserts every field but the id when nobody needs the new id (Transaction::append).
template <class T>
void append_record(Transaction& tx, std::string_view table, const T& record) {
  tx.append(table, columns_without_id<T>(), values_without_id(record));
}

// The flags of a field by name; -1 if T has no such field.
template <class T>
long field_flags(std::string_view name) {
  long flags = -1;
  T probe{};
  reflect(probe, [&](std::string_view n, auto&, unsigned f) {
    if (n == name) flags = f;
  });
  return flags;
}

// The field's static name (stable storage for string_view), or empty if unknown.
template <class T>
std::string_view field_name(std::string_view name) {
  for (auto n : columns<T>())
    if (n == name) return n;
  return {};
}

}  // namespace wo
