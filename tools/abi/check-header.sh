#!/bin/sh
# SPDX-License-Identifier: MIT
# Compiles the C header alone, warnings as errors: as C99 -pedantic (also with
# -Wstrict-prototypes, so every function without parameters says (void)) and as C++17
# -pedantic (the extern "C" guards), then a file including it twice (the include guard).
#   usage: tools/abi/check-header.sh capi/include/workorder.h
# CC and CXX override gcc and g++.
set -eu
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 path/to/workorder.h" >&2
  exit 2
fi
header=$1
cc=${CC:-gcc}
cxx=${CXX:-g++}
run() {
  echo "+ $*"
  "$@"
}
run "$cc" -std=c99 -pedantic -Werror -Wall -Wextra -Wstrict-prototypes -fsyntax-only -x c "$header"
run "$cxx" -std=c++17 -pedantic -Werror -Wall -Wextra -fsyntax-only -x c++ "$header"
dir=$(cd "$(dirname "$header")" && pwd)
name=$(basename "$header")
printf '#include "%s"\n#include "%s"\nint main(void) { return WO_OK; }\n' "$name" "$name" |
  run "$cc" -std=c99 -pedantic -Werror -Wall -Wextra -fsyntax-only -I "$dir" -x c -
echo "ok: $header compiles alone as C99 and C++17"
