# SPDX-License-Identifier: MIT
# A wheel (scikit-build-core, bindings/python/pyproject.toml): the library goes into the
# package directory as libworkorder.so.<ABI>, the name the binding loads next to itself
# (bindings/python/workorder/_ffi.py). One real file, not the .so -> .so.N -> .so.N.M.P chain
# of links, which a wheel would hold as three copies. auditwheel then copies in what the
# library needs beyond the manylinux system libraries (libpq, date's tz library).
set_target_properties(workorder PROPERTIES VERSION ${WO_ABI_VERSION})
install(TARGETS workorder LIBRARY DESTINATION workorder NAMELINK_SKIP COMPONENT python)
