#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks a built libworkorder.so against the committed ABI baseline (docs/architecture.md §3):
#  1. every exported symbol starts with wo_;
#  2. the exported functions are exactly capi/abi/workorder.symbols (any difference fails,
#     additions too: a new function means updating the baseline deliberately);
#  3. abidiff finds no change against capi/abi/workorder.abi. Its exit status is a bit
#     field: 1 error, 2 usage error, 4 ABI change, 8 incompatible ABI change. Bit 8 (a
#     removed function) always fails. Bit 4 fails too: libabigail 2.2 reports a changed
#     return or parameter type (int64_t -> int, a changed struct) with bit 4 alone, and an
#     added function also sets it (already caught by step 2); every change must be reviewed
#     and the baseline updated on purpose.
# Exit status: 0 pass, 1 fail, 77 skipped (abigail-tools not installed).
#   usage: tools/abi/check-abi.sh path/to/libworkorder.so
#   after a deliberate change: tools/abi/update-abi.sh path/to/libworkorder.so
set -u
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 path/to/libworkorder.so" >&2
  exit 2
fi
lib=$1
abi_tools=$(cd "$(dirname "$0")" && pwd)
. "$abi_tools/abi-common.sh"
abi_need_tools
status=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wo-abi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. Only wo_* leaves the library.
abi_exported "$lib" > "$tmp/exported" || { echo "FAIL: nm could not read $lib" >&2; exit 1; }
if [ ! -s "$tmp/exported" ]; then
  echo "FAIL: $lib exports nothing" >&2
  exit 1
fi
awk '$2 !~ /^wo_/' "$tmp/exported" > "$tmp/foreign"
if [ -s "$tmp/foreign" ]; then
  echo "FAIL: exported symbols without the wo_ prefix (type name):"
  sed 's/^/  /' "$tmp/foreign"
  status=1
fi
awk '$1 != "T" && $2 ~ /^wo_/' "$tmp/exported" > "$tmp/nonfunc"
if [ -s "$tmp/nonfunc" ]; then
  echo "FAIL: exported wo_ symbols that are not functions (type name); the ABI has functions only:"
  sed 's/^/  /' "$tmp/nonfunc"
  status=1
fi

# 2. The function list is the committed one.
abi_functions "$lib" > "$tmp/symbols"
if ! diff -u --label capi/abi/workorder.symbols --label "exported by $lib" \
    "$abi_dir/workorder.symbols" "$tmp/symbols" > "$tmp/symbols.diff"; then
  echo "FAIL: the exported functions differ from capi/abi/workorder.symbols (- gone, + new):"
  cat "$tmp/symbols.diff"
  echo "A removed or renamed function breaks the ABI. If the change is deliberate, run"
  echo "  tools/abi/update-abi.sh $lib"
  echo "and commit capi/abi/ with it."
  status=1
else
  echo "ok: $(wc -l < "$tmp/symbols") exported functions, all wo_*, as in capi/abi/workorder.symbols"
fi

# 3. libabigail: types and signatures of everything exported.
abidiff --headers-dir2 "$abi_headers" --drop-private-types --exported-interfaces-only --no-show-locs \
  "$abi_dir/workorder.abi" "$lib" > "$tmp/abidiff" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
  echo "ok: abidiff finds no ABI change against capi/abi/workorder.abi"
else
  if [ $((rc & 3)) -ne 0 ]; then
    echo "FAIL: abidiff could not compare (exit $rc: error/usage); is $lib built with debug info (-g)?"
  elif [ $((rc & 8)) -ne 0 ]; then
    echo "FAIL: abidiff reports an INCOMPATIBLE ABI change (exit $rc):"
  else
    echo "FAIL: abidiff reports an ABI change (exit $rc); if it is deliberate and compatible, run"
    echo "  tools/abi/update-abi.sh $lib"
  fi
  sed 's/^/  /' "$tmp/abidiff"
  status=1
fi
exit $status
