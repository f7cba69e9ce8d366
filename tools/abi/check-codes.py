#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails unless every function of the C header that returns a status lists its codes.

usage: check-codes.py capi/include/workorder.h

For each `WO_API int wo_name(` declaration, the `/** ... */` comment right before it must end
with a "Returns ..." list that names WO_OK and WO_EINTERNAL (any call can run out of memory),
and every `WO_*` code named anywhere in the comment must be a status code of the header (a
`wo_status` entry) and appear in that list. The C tests check at run time that each status
they see is one the comment names (tests/capi/capi_support.c); this keeps the lists whole.
Functions that return a number rather than a status are named in NOT_STATUS.
"""
import re
import sys

NOT_STATUS = {"wo_libversion_number"}  # returns the version number


def main(path):
    text = open(path, encoding="utf-8").read()
    enum = re.search(r"typedef WO_ENUM\(wo_status\) \{(.*?)\} wo_status;", text, re.S)
    codes = set(re.findall(r"\b(WO_[A-Z]+) = \d+", enum.group(1)))
    problems = []
    decls = re.finditer(r"(/\*\*(?:(?!\*/).)*?\*/)\s*\nWO_API\s+int\s+(wo_\w+)\(", text, re.S)
    count = 0
    for m in decls:
        comment, name = m.group(1), m.group(2)
        if name in NOT_STATUS:
            continue
        count += 1
        named = set(re.findall(r"\bWO_E[A-Z]+\b|\bWO_OK\b|\bWO_DONE\b", comment))
        returns = comment[comment.rfind("Returns"):] if "Returns" in comment else ""
        listed = set(re.findall(r"\bWO_E[A-Z]+\b|\bWO_OK\b|\bWO_DONE\b", returns))
        if not returns:
            problems.append(f"{name}: no 'Returns ...' list")
            continue
        for missing in sorted({"WO_OK", "WO_EINTERNAL"} - listed):
            problems.append(f"{name}: the Returns list does not name {missing}")
        for unknown in sorted(named - codes):
            problems.append(f"{name}: {unknown} is not a status code")
        for stray in sorted((named & codes) - listed):
            problems.append(f"{name}: {stray} is named in the comment but not in its Returns list")
    if count == 0:
        problems.append("no WO_API int functions found: is this the header?")
    for p in problems:
        print(p)
    print(f"{count} functions checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
