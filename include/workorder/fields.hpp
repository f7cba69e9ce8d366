// SPDX-License-Identifier: MIT
// Field reflection: every record type lists its fields once, in a free function
//   template <class S, class F> void reflect(S& self, F&& f)   // S = T or const T
// calling f(name, member, flags) per field. That one list drives validation, storage columns,
// C ABI records and inputs, so a new field is added in exactly one place.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "workorder/ids.hpp"
#include "workorder/money.hpp"
#include "workorder/time.hpp"

namespace wo {

enum FieldFlag : unsigned {
  plain = 0,
  internal = 1u << 0,   // set by the engine only (ids, org, stock, timestamps, active)
  required = 1u << 1,   // must be given on create
  fixed = 1u << 2,      // may be given on create, never changed afterwards
  filter = 1u << 3,     // usable as an equality filter in lists
  long_text = 1u << 4,  // text up to 2000 characters instead of 200
};

// A stored or transported scalar: NULL, integer or UTF-8 text.
using Value = std::variant<std::monostate, std::int64_t, std::string>;

// Enums that are stored as integers declare their valid range with this trait.
template <class E>
struct EnumRange;  // static constexpr int first, last; static constexpr const char* names[];

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_id : std::false_type {};
template <class Tag> struct is_id<Id<Tag>> : std::true_type {};

// Number of fields of T.
template <class T>
constexpr int field_count() {
  int n = 0;
  T probe{};
  reflect(probe, [&](std::string_view, auto&, unsigned) { ++n; });
  return n;
}

// A partial record: the fields a caller gives for a create or an update. Only fields that
// were set are applied; set() with a name validates the name and the value's kind.
template <class T>
class Patch {
 public:
  // Sets a field by member pointer: patch.set(&Department::name, std::string("Plumbing")).
  template <class M, class V>
  Patch& set(M T::*member, V&& v) {
    value_.*member = std::forward<V>(v);
    mark(&(value_.*member));
    return *this;
  }
  bool has(std::string_view name) const {
    bool found = false;
    int i = 0;
    reflect(value_, [&](std::string_view n, const auto&, unsigned) {
      if (n == name) found = (mask_ >> i) & 1u;
      ++i;
    });
    return found;
  }
  bool empty() const { return mask_ == 0; }
  const T& values() const { return value_; }
  T& values() { return value_; }
  std::uint64_t mask() const { return mask_; }
  void mark_index(int i) { mask_ |= (std::uint64_t{1} << i); }

  // Copies every set field into `target`.
  void apply_to(T& target) const {
    int i = 0;
    reflect(target, [&](std::string_view, auto& dst, unsigned) {
      int j = 0;
      reflect(value_, [&](std::string_view, const auto& src, unsigned) {
        if constexpr (std::is_same_v<std::decay_t<decltype(src)>, std::decay_t<decltype(dst)>>) {
          if (j == i && ((mask_ >> i) & 1u)) dst = src;
        }
        ++j;
      });
      ++i;
    });
  }

 private:
  void mark(const void* address) {
    int i = 0;
    reflect(value_, [&](std::string_view, const auto& field, unsigned) {
      if (static_cast<const void*>(&field) == address) mark_index(i);
      ++i;
    });
  }
  T value_{};
  std::uint64_t mask_ = 0;
};

}  // namespace wo
