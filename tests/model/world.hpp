// SPDX-License-Identifier: MIT
// Shared helpers of the model tests: building catalog records in one line, printing codes,
// and catching an engine call's outcome as a code.
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "support/fields.hpp"
#include "support/string_makers.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/order.hpp"

namespace model_test {

// Creates a catalog record of type T from (member, value) pairs: add<T>(engine, actor, f(&T::name, "Li")).
using test_support::add;
using test_support::f;

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
