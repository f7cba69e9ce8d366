// SPDX-License-Identifier: MIT
// The outcome of a call that may throw, caught instead of ending the test case: whether it
// threw, and the wo::Code and message it threw with (anything that is not a wo::Error is
// marked `foreign` and reported as internal).
#pragma once
#include <exception>
#include <string>

#include "workorder/errors.hpp"

namespace test_support {

struct Outcome {
  bool threw = false;
  bool foreign = false;  // threw something that is not a wo::Error
  wo::Code code = wo::Code::ok;
  std::string message;
};

template <class F>
Outcome capture(F&& call) {
  Outcome out;
  try {
    call();
  } catch (const wo::Error& e) {
    out.threw = true;
    out.code = e.code();
    out.message = e.what();
  } catch (const std::exception& e) {
    out.threw = true;
    out.foreign = true;
    out.code = wo::Code::internal;
    out.message = std::string("non-wo exception: ") + e.what();
  }
  return out;
}

}  // namespace test_support
