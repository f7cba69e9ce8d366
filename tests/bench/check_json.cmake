# SPDX-License-Identifier: MIT
# The smoke tests of wo_bench (cmake -DWO_BENCH=path [-DWO_BENCH_CASE=lifecycle|slots|scale|tick]
# [-DWO_BENCH_DB=postgresql://...] -P check_json.cmake): a short run must exit 0 and print on
# stdout exactly the expected number of lines, each a flat JSON object with the documented
# fields, in order. Timings are not checked: benchmarks are not pass/fail. WO_BENCH_DB runs the
# benchmark on that PostgreSQL server (--db), each run in fresh schemas it drops again.
#   lifecycle (the default): `wo_bench lifecycle --orders 20`, one line.
#   slots: `wo_bench slots --existing 50 --queries 3 --bookings 8`, two lines.
#   scale: `wo_bench scale --orders 2000`, eight lines (its own checks of the seeded data run too).
#   tick: `wo_bench tick --orders 300`, one line (SQLite only).
if(NOT WO_BENCH)
  message(FATAL_ERROR "usage: cmake -DWO_BENCH=<path to wo_bench> [-DWO_BENCH_CASE=lifecycle|slots|scale|tick] -P check_json.cmake")
endif()
if(NOT WO_BENCH_CASE)
  set(WO_BENCH_CASE lifecycle)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/json_lines.cmake)

# Runs wo_bench with the given arguments; sets `lines_var` to the list of its stdout lines,
# which must be exactly `expected` lines, each ending in a newline.
function(run_bench lines_var expected)
  set(args ${ARGN})
  set(shown "${ARGN}")  # the server URI may hold a password: never in the output
  if(WO_BENCH_DB)
    list(APPEND args --db ${WO_BENCH_DB})
    string(APPEND shown " --db <WO_BENCH_DB>")
  endif()
  execute_process(COMMAND ${WO_BENCH} ${args} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "stderr of wo_bench ${shown}:\n${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wo_bench ${shown} exited with ${rc}")
  endif()
  json_lines(lines "${out}" ${expected})
  set(${lines_var} "${lines}" PARENT_SCOPE)
endfunction()

# `key` of the JSON object `line` must equal `expected`.
function(check_equal line key expected)
  string(JSON value GET "${line}" ${key})
  if(NOT value EQUAL expected)
    message(FATAL_ERROR "\"${key}\" is ${value}, expected ${expected}: ${line}")
  endif()
endfunction()

if(WO_BENCH_CASE STREQUAL "lifecycle")
  run_bench(lines 1 lifecycle --orders 20)
  check_line("${lines}" lifecycle 6 orders lib_orders_per_s raw_orders_per_s ratio peak_rss_kb)
  check_equal("${lines}" orders 20)
elseif(WO_BENCH_CASE STREQUAL "tick")
  run_bench(lines 1 tick --orders 300)
  check_line("${lines}" tick 6 orders lib_orders_per_s raw_orders_per_s ratio idle_tick_ms)
  check_equal("${lines}" orders 300)
elseif(WO_BENCH_CASE STREQUAL "slots")
  run_bench(lines 2 slots --existing 50 --queries 3 --bookings 8)
  list(GET lines 0 availability)
  list(GET lines 1 booking)
  check_line("${availability}" slots_availability 7
             slots_per_query bookings queries ms_per_query raw_ms_per_query ratio)
  check_equal("${availability}" slots_per_query 1008)
  check_equal("${availability}" bookings 50)
  check_equal("${availability}" queries 3)
  check_line("${booking}" slots_booking 7
             processes bookings single_process_per_s four_process_per_s ratio slot_full)
  check_equal("${booking}" processes 4)
  check_equal("${booking}" bookings 8)
elseif(WO_BENCH_CASE STREQUAL "scale")
  run_bench(lines 8 scale --orders 2000)
  list(GET lines 0 seed)
  check_line("${seed}" scale_seed 7 orders templates child_rows seconds orders_per_s db_mb)
  check_equal("${seed}" orders 2000)
  # Lines 1, 2 and 5 are list pages: page 1 and deep, the engine and the raw query.
  function(check_list index bench)
    list(GET lines ${index} line)
    check_line("${line}" ${bench} 10 orders page_size page first_page_ms deep_page_ms ratio raw_first_page_ms raw_deep_page_ms walk_max_ms)
    check_equal("${line}" page_size 50)
  endfunction()
  check_list(1 scale_list)
  check_list(2 scale_list_status)
  check_list(5 scale_tech_all)
  list(GET lines 1 list_all)
  check_equal("${list_all}" page 40)  # 2000 orders in pages of 50: the walk ends on page 40
  list(GET lines 3 todo)
  check_line("${todo}" scale_todo 5 contact_orders ms raw_ms)
  list(GET lines 4 tasks)
  check_line("${tasks}" scale_my_tasks 5 ms raw_ms)
  list(GET lines 6 dashboard)
  check_line("${dashboard}" scale_dashboard 5 month_orders month_ms year_orders year_ms)
  check_equal("${dashboard}" year_orders 2000)
  list(GET lines 7 export)
  check_line("${export}" scale_export 5 rows ms rows_per_s peak_rss_kb)
else()
  message(FATAL_ERROR "unknown WO_BENCH_CASE '${WO_BENCH_CASE}' (lifecycle, slots or scale)")
endif()
