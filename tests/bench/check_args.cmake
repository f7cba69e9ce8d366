# SPDX-License-Identifier: MIT
# The command line of wo_bench (cmake -DWO_BENCH=<path to wo_bench> -DWORK_DIR=<scratch dir>
# -P check_args.cmake). Each case runs in WORK_DIR, emptied first, with TMPDIR pointing there
# too (where temporary databases would go):
#   --help, -h and help list the benchmarks, <benchmark> --help shows one: on stdout, exit 0,
#   no file;
#   no benchmark, an unknown benchmark or option, a missing or bad value, an extra argument,
#   or an option where a value should be: one error line naming the argument and one
#   "usage: wo_bench ..." line on stderr, exit 2, no file;
#   --db ./-x.db is a path like any other: the benchmark runs on that file.
cmake_minimum_required(VERSION 3.25)
if(NOT WO_BENCH OR NOT WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DWO_BENCH=<path to wo_bench> -DWORK_DIR=<scratch dir> -P check_args.cmake")
endif()
set(ENV{TMPDIR} "${WORK_DIR}")

set(PROGRAM "${WO_BENCH}")
set(NAME wo_bench)
include(${CMAKE_CURRENT_LIST_DIR}/../support/command_line.cmake)

set(all_benchmarks "lifecycle;slots;scale;tick")
expect_help("usage: wo_bench " "${all_benchmarks}" --help)
expect_help("usage: wo_bench " "${all_benchmarks}" -h)
expect_help("usage: wo_bench " "${all_benchmarks}" help)
expect_help("usage: wo_bench lifecycle " "--orders;--db" lifecycle --help)
expect_help("usage: wo_bench lifecycle " "--orders;--db" lifecycle --orders 5 -h)
expect_help("usage: wo_bench slots " "--existing;--queries;--bookings;--db" slots --help)
expect_help("usage: wo_bench scale " "--orders;--db;--keep;--months;--tenants;--measure" scale --help)
expect_help("usage: wo_bench tick " "--orders;--db" tick --help)

expect_refused("no benchmark")                               # no arguments at all
expect_refused("'--bogus'" --bogus)
expect_refused("'nosuch'" nosuch)
expect_refused("'--bogus'" lifecycle --bogus)
expect_refused("'-x'" lifecycle -x)
expect_refused("'extra'" lifecycle extra)
expect_refused("'extra'" lifecycle --orders 5 extra)
expect_refused("--orders" lifecycle --orders)                # missing value
expect_refused("'abc'" lifecycle --orders abc)
expect_refused("'5x'" lifecycle --orders 5x)
expect_refused("'0'" lifecycle --orders 0)                   # out of range
expect_refused("--db" lifecycle --db --orders 5)             # never a file named --orders
expect_refused("--db" lifecycle --db=)
expect_refused("'-x'" lifecycle --db=-x)
expect_refused("'abc'" slots --queries abc)
expect_refused("--bookings" slots --existing 5 --bookings)
expect_refused("'abc'" scale --orders abc)
expect_refused("--keep" scale --keep=1)
expect_refused("--keep" scale --keep)                        # only with --db postgresql://
expect_refused("--orders" scale --measure x.db --orders 100) # --measure only reads
expect_refused("'120001'" tick --orders 120001)              # past the clock's room
expect_refused("SQLite" tick --db postgresql:///x)

# A path starting with '-' is still a path when written ./-x.
run_program(0 lifecycle --orders 1 --db ./-x.db)
if(NOT "-x.db" IN_LIST left OR NOT "-x-raw.db" IN_LIST left OR NOT out MATCHES "^{\"bench\":\"lifecycle\"")
  message(FATAL_ERROR "wo_bench ${shown}: expected a run on -x.db and -x-raw.db; files [${left}]\nstdout:\n${out}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
