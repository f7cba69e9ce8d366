#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails unless the C API tests call every function the C header declares with WO_API.

usage: check-calls.py capi/include/workorder.h tests/capi

Function names are taken from the header's `WO_API ... wo_name(` declarations (comments and
preprocessor lines ignored). A function counts as called when `wo_name(` appears in the code
of a tests/capi/*.c file outside comments and string literals; passing a function by name
(e.g. in a table of function pointers) does not count. Prints the missing names.
"""
import pathlib
import re
import sys

TOKENS = re.compile(
    r'//[^\n]*'                      # line comment
    r'|/\*.*?\*/'                    # block comment
    r'|"(?:\\.|[^"\\\n])*"'          # string literal
    r"|'(?:\\.|[^'\\\n])*'",         # character literal
    re.S)


def code_only(text):
    """The text with comments and string/char literals blanked out."""
    return TOKENS.sub(lambda m: ' ' if m.group(0).startswith('/') else '""', text)


def declared(header_text):
    code = code_only(header_text)
    code = '\n'.join(line for line in code.splitlines() if not line.lstrip().startswith('#'))
    return re.findall(r'\bWO_API\b[^;(]*?\b(wo_\w+)\s*\(', code)


def called(sources):
    names = set()
    for path in sources:
        names.update(re.findall(r'\b(wo_\w+)\s*\(', code_only(path.read_text(encoding='utf-8'))))
    return names


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    header, test_dir = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    functions = declared(header.read_text(encoding='utf-8'))
    sources = sorted(test_dir.glob('*.c'))
    if not functions:
        print(f'error: no WO_API functions found in {header}', file=sys.stderr)
        return 2
    if not sources:
        print(f'error: no *.c files in {test_dir}', file=sys.stderr)
        return 2
    calls = called(sources)
    missing = sorted(set(functions) - calls)
    print(f'{len(functions)} WO_API functions in {header.name}; '
          f'{len(functions) - len(missing)} called from {len(sources)} C files in {test_dir}')
    if missing:
        print(f'{len(missing)} function(s) never called by the C API tests:')
        for name in missing:
            print(f'  {name}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
