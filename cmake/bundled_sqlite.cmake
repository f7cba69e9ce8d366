# SPDX-License-Identifier: MIT
# wo_sqlite: the SQLite the library is built with.
#
# WO_BUNDLE_SQLITE=ON (the default) links SQLite's static archive (libsqlite3.a) into the
# library, so libworkorder.so needs no libsqlite3 at run time and a host that loads its own
# SQLite (Python's sqlite3, sqlite-jdbc) can never have its copy and ours mixed up: the version
# script (capi/abi/workorder.map) makes every symbol but wo_* local, SQLite's included.
# Debian's archive is compiled as position-independent executable code: it links into a shared
# object only because its symbols become local there (a relocation against a symbol that
# another module could interpose is what -fPIE code cannot carry).
# WO_BUNDLE_SQLITE=OFF links the system's shared libsqlite3 instead.
option(WO_BUNDLE_SQLITE "Link SQLite statically into libworkorder, its symbols private" ON)

add_library(wo_sqlite INTERFACE)
if(WO_BUNDLE_SQLITE)
  get_filename_component(wo_sqlite_dir "${SQLite3_LIBRARY}" DIRECTORY)
  find_library(WO_SQLITE_ARCHIVE NAMES libsqlite3.a HINTS "${wo_sqlite_dir}" REQUIRED)
  target_include_directories(wo_sqlite INTERFACE ${SQLite3_INCLUDE_DIRS})
  target_link_libraries(wo_sqlite INTERFACE ${WO_SQLITE_ARCHIVE} Threads::Threads ${CMAKE_DL_LIBS} m)
  message(STATUS "SQLite: ${WO_SQLITE_ARCHIVE}, linked in (WO_BUNDLE_SQLITE)")
else()
  target_link_libraries(wo_sqlite INTERFACE SQLite::SQLite3)
endif()
