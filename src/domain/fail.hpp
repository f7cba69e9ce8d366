// SPDX-License-Identifier: MIT
// Throwing helpers for the core: messages are formatted once, here.
#pragma once
#include <fmt/format.h>

#include "workorder/errors.hpp"

namespace wo {

template <class... Args>
[[noreturn]] void fail(Code code, fmt::format_string<Args...> format, Args&&... args) {
  throw Error(code, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace wo
