// SPDX-License-Identifier: MIT
// expect_error / expect_ok for a fixture whose database can be snapshot: a refused call must
// throw the expected wo::Code, with a message naming what was wrong, and change nothing. A
// fixture derives from Expectations<itself> and has a member `Snapshot snapshot()`.
#pragma once
#include <doctest/doctest.h>

#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include "support/outcome.hpp"
#include "support/snapshot.hpp"
#include "support/string_makers.hpp"
#include "workorder/errors.hpp"

namespace test_support {

template <class Fixture>
class Expectations {
 public:
  // Asserts the call throws wo::Error with `code`, a message containing every needle, and
  // leaves the database exactly as it was.
  template <class F>
  Outcome expect_error(wo::Code code, std::vector<std::string> needles, F&& call,
                       std::source_location loc = std::source_location::current()) {
    INFO("expect_error called at ", where(loc));
    const Snapshot before = self().snapshot();
    Outcome out = capture(std::forward<F>(call));
    INFO("message: ", out.message);
    CHECK_MESSAGE(out.threw, "the call succeeded; expected ", doctest::toString(code));
    CHECK_FALSE(out.foreign);
    CHECK(out.code == code);
    for (const auto& n : needles)
      CHECK_MESSAGE(out.message.find(n) != std::string::npos, "message '", out.message, "' lacks '", n, "'");
    CHECK(diff(before, self().snapshot()) == "");
    return out;
  }

  // The same without checking the message.
  template <class F>
  Outcome expect_error(wo::Code code, F&& call, std::source_location loc = std::source_location::current()) {
    return expect_error(code, {}, std::forward<F>(call), loc);
  }

  // Asserts the call succeeds (reporting the error otherwise).
  template <class F>
  bool expect_ok(F&& call, std::source_location loc = std::source_location::current()) {
    INFO("expect_ok called at ", where(loc));
    Outcome out = capture(std::forward<F>(call));
    CHECK_MESSAGE(!out.threw, "unexpected error ", doctest::toString(out.code), ": ", out.message);
    return !out.threw;
  }

 private:
  Fixture& self() { return static_cast<Fixture&>(*this); }
  static std::string where(const std::source_location& loc) {
    return std::string(loc.file_name()) + ":" + std::to_string(loc.line());
  }
};

}  // namespace test_support
