// Shared helpers of the model tests: building catalog records in one line, printing codes,
// and catching an engine call's outcome as a code.
#pragma once
#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/order.hpp"

namespace doctest {
template <>
struct StringMaker<wo::Code> {
  static String convert(wo::Code c) {
    const std::string s = "Code(" + std::to_string(static_cast<int>(c)) + " " + std::string(wo::describe(c)) + ")";
    return String(s.c_str());
  }
};
template <>
struct StringMaker<wo::Status> {
  static String convert(wo::Status s) { return String(wo::name_of(s)); }
};
}  // namespace doctest

namespace model_test {

// A (member, value) pair for add<T>(): f(&Staff::name, "Li").
template <class M, class T, class V>
std::pair<M T::*, M> f(M T::* member, V value) {
  return {member, M(std::move(value))};
}

// Creates a catalog record of type T from (member, value) pairs.
template <class T, class... Fields>
decltype(T::id) add(wo::Engine& engine, const wo::Actor& actor, Fields&&... fields) {
  wo::Patch<T> patch;
  (patch.set(fields.first, fields.second), ...);
  return engine.create<T>(actor, patch);
}

// Runs fn; 0 when it returns, the wo::Code when it throws wo::Error. Anything else propagates.
template <class Fn>
int code_of(Fn&& fn) {
  try {
    fn();
    return 0;
  } catch (const wo::Error& e) {
    return static_cast<int>(e.code());
  }
}

inline std::string code_name(int code) {
  if (code == 0) return "ok";
  return std::string(wo::describe(static_cast<wo::Code>(code))) + " (" + std::to_string(code) + ")";
}

}  // namespace model_test
