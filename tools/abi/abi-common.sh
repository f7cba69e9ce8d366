# SPDX-License-Identifier: MIT
# Shared by update-abi.sh and check-abi.sh (sourced, POSIX sh; the caller sets abi_tools to
# the directory of this file first). Defines:
#   abi_root          the source tree (two levels above this file)
#   abi_dir           capi/abi, where the baseline lives
#   abi_exported LIB  every defined dynamic symbol as "TYPE NAME" (version suffix dropped),
#                     without the version-definition symbol WORKORDER_0 (type A)
#   abi_functions LIB the sorted names of the exported functions (type T): workorder.symbols
#   abi_dump LIB OUT  the libabigail ABI of LIB, in the reproducible form of workorder.abi
#   abi_need_tools    exits 77 (ctest: skipped) when abidw/abidiff are missing

abi_root=$(cd "${abi_tools:?set abi_tools to tools/abi before sourcing abi-common.sh}/../.." && pwd)
abi_dir=$abi_root/capi/abi
abi_headers=$abi_root/capi/include
if [ ! -f "$abi_headers/workorder.h" ] || [ ! -d "$abi_dir" ]; then
  echo "error: $abi_root does not look like the source tree (no capi/include/workorder.h)" >&2
  exit 2
fi

abi_need_tools() {
  for tool in nm abidw abidiff; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIPPED: $tool not found (Debian: apt-get install abigail-tools binutils)" >&2
      exit 77
    fi
  done
}

abi_exported() {
  nm -D --defined-only "$1" | awk '!($2 == "A" && $3 == "WORKORDER_0") { sub(/@.*/, "", $3); print $2, $3 }'
}

abi_functions() {
  abi_exported "$1" | awk '$1 == "T" { print $2 }' | LC_ALL=C sort
}

# Reproducible: no corpus path, no source locations, no compilation directory, no DT_NEEDED
# (which names the C++ runtime and SQLite versions, not our ABI), hash type ids (stable when
# unrelated types come and go), only the interfaces the library exports (wo_* functions and
# the types they reach) and only types declared in capi/include (the handles stay opaque).
# abidw records each translation unit's path as the compiler saw it; the source root is cut
# off so the file does not depend on where the tree is checked out.
abi_dump() {
  abidw --headers-dir "$abi_headers" --drop-private-types --exported-interfaces-only \
    --no-corpus-path --no-show-locs --no-comp-dir-path --no-elf-needed --type-id-style hash \
    --out-file "$2.tmp" "$1" || return 1
  abi_real_root=$(cd "$abi_root" && pwd -P)
  sed -e "s|path='$abi_root/|path='|" -e "s|path='$abi_real_root/|path='|" "$2.tmp" > "$2" && rm -f "$2.tmp"
}
