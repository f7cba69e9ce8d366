// SPDX-License-Identifier: MIT
// How doctest prints the library's values in a failed check: a code by number and meaning, a
// status or action by name, money in fen and quantities in thousandths (doctest alone would
// print the bare enum number, or nothing useful for the structs).
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "workorder/errors.hpp"
#include "workorder/money.hpp"
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
template <>
struct StringMaker<wo::Action> {
  static String convert(wo::Action a) { return String(wo::name_of(a)); }
};
template <>
struct StringMaker<wo::Money> {
  static String convert(wo::Money m) { return String((std::to_string(m.minor) + " fen").c_str()); }
};
template <>
struct StringMaker<wo::Qty> {
  static String convert(wo::Qty q) { return String((std::to_string(q.milli) + " milli").c_str()); }
};
}  // namespace doctest
