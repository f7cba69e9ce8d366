# SPDX-License-Identifier: MIT
# The command line of wo_demo (cmake -DWO_DEMO=<path to wo_demo> -DWORK_DIR=<scratch dir>
# -P check_args.cmake). Each case runs in WORK_DIR, emptied first:
#   --help and -h print the usage on stdout, exit 0 and create nothing;
#   an unknown option, a path starting with '-' and a second path print an error line naming
#   the argument and one "usage: wo_demo ..." line on stderr, exit 2 and create nothing;
#   ./-x.db is a path like any other: the demo runs on that file.
cmake_minimum_required(VERSION 3.25)
if(NOT WO_DEMO OR NOT WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DWO_DEMO=<path to wo_demo> -DWORK_DIR=<scratch dir> -P check_args.cmake")
endif()

set(PROGRAM "${WO_DEMO}")
set(NAME wo_demo)
include(${CMAKE_CURRENT_LIST_DIR}/../tests/support/command_line.cmake)

expect_help("usage: wo_demo " "" --help)
expect_help("usage: wo_demo " "" -h)
expect_help("usage: wo_demo " "" mine.db --help)
expect_refused("'--bogus'" --bogus)
expect_refused("'-x'" -x)
expect_refused("'--help=1'" --help=1)
expect_refused("'-x'" mine.db -x)
expect_refused("'two.db'" one.db two.db)

# Still a plain path when it does not start with '-'.
run_program(0 ./-x.db)
if(NOT "-x.db" IN_LIST left OR NOT out MATCHES "Database: ./-x.db ")
  message(FATAL_ERROR "wo_demo ./-x.db: expected the demo on the file -x.db; files [${left}]\nstdout:\n${out}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
