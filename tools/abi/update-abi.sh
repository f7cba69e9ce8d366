#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates the ABI baseline of the C library from a built libworkorder.so:
#   capi/abi/workorder.symbols  the sorted exported function names (nm -D, type T)
#   capi/abi/workorder.abi      the libabigail description (abidw), see abi-common.sh
# Use the default build (RelWithDebInfo: it has the DWARF abidw reads), never a sanitizer
# build. Run it only for a deliberate ABI change (a new function, or a break that also bumps
# WO_ABI_VERSION), and commit both files with that change.
#   usage: tools/abi/update-abi.sh build/default/capi/libworkorder.so
set -eu
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 path/to/libworkorder.so" >&2
  exit 2
fi
lib=$1
abi_tools=$(cd "$(dirname "$0")" && pwd)
. "$abi_tools/abi-common.sh"
abi_need_tools

bad=$(abi_exported "$lib" | awk '$2 !~ /^wo_/')
if [ -n "$bad" ]; then
  echo "error: $lib exports symbols outside the wo_ prefix; fix the build, not the baseline:" >&2
  echo "$bad" >&2
  exit 1
fi
abi_functions "$lib" > "$abi_dir/workorder.symbols"
abi_dump "$lib" "$abi_dir/workorder.abi"
echo "wrote $abi_dir/workorder.symbols ($(wc -l < "$abi_dir/workorder.symbols") functions) and $abi_dir/workorder.abi"
