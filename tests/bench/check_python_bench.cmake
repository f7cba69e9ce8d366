# SPDX-License-Identifier: MIT
# The smoke test of python_read_bench.py (cmake -DPYTHON=<python> -DBENCH=<script>
# -DORDERS=<n> -P check_python_bench.cmake, with WORKORDER_LIBRARY and PYTHONPATH set by
# ctest): a short run must exit 0 and print exactly three flat JSON objects — the binding's
# read, sqlite3's read and their ratio — with the documented fields. Timings are not checked.
if(NOT PYTHON OR NOT BENCH OR NOT ORDERS)
  message(FATAL_ERROR "usage: cmake -DPYTHON=<python> -DBENCH=<python_read_bench.py> -DORDERS=<n> -P check_python_bench.cmake")
endif()

execute_process(COMMAND ${PYTHON} ${BENCH} --orders ${ORDERS} --repeat 1
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message(STATUS "stderr:\n${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "python_read_bench.py exited with ${rc}")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/json_lines.cmake)
json_lines(lines "${out}" 3)

# `line` must be a line of check_line with "bench" = python_read_orders, "what" = `what` and
# "orders" = ORDERS.
function(check_read line what fields)
  check_line("${line}" python_read_orders ${fields} ${ARGN})
  string(JSON kind GET "${line}" what)
  string(JSON orders GET "${line}" orders)
  if(NOT kind STREQUAL what OR NOT orders EQUAL ORDERS)
    message(FATAL_ERROR "expected what ${what}, orders ${ORDERS}: ${line}")
  endif()
endfunction()

list(GET lines 0 binding)
list(GET lines 1 sqlite)
list(GET lines 2 ratio)
check_read("${binding}" workorder 6 fields seconds us_per_record)
check_read("${sqlite}" sqlite3 6 fields seconds us_per_record)
check_read("${ratio}" ratio 4 ratio)
