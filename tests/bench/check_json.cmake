# The smoke tests of wo_bench (cmake -DWO_BENCH=path [-DWO_BENCH_CASE=lifecycle|slots] -P
# check_json.cmake): a short run must exit 0 and print on stdout exactly the expected number of
# lines, each a flat JSON object with the documented fields, in order. Timings are not checked:
# benchmarks are not pass/fail.
#   lifecycle (the default): `wo_bench lifecycle --orders 20`, one line.
#   slots: `wo_bench slots --existing 50 --queries 3 --bookings 8`, two lines.
if(NOT WO_BENCH)
  message(FATAL_ERROR "usage: cmake -DWO_BENCH=<path to wo_bench> [-DWO_BENCH_CASE=lifecycle|slots] -P check_json.cmake")
endif()
if(NOT WO_BENCH_CASE)
  set(WO_BENCH_CASE lifecycle)
endif()

# Runs wo_bench with the given arguments; sets `lines_var` to the list of its stdout lines,
# which must be exactly `expected` lines, each ending in a newline.
function(run_bench lines_var expected)
  execute_process(COMMAND ${WO_BENCH} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "stderr of wo_bench ${ARGN}:\n${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wo_bench ${ARGN} exited with ${rc}")
  endif()
  string(REGEX REPLACE "\n$" "" body "${out}")
  if(body STREQUAL out OR out MATCHES ";")
    message(FATAL_ERROR "stdout does not end in a newline or holds a ';':\n${out}")
  endif()
  string(REPLACE "\n" ";" lines "${body}")
  list(LENGTH lines count)
  if(NOT count EQUAL expected)
    message(FATAL_ERROR "stdout has ${count} lines, expected ${expected}:\n${out}")
  endif()
  set(${lines_var} "${lines}" PARENT_SCOPE)
endfunction()

# One flat JSON object of numbers and strings and nothing else (string(JSON) would ignore
# trailing text), with "bench" equal to `bench`, `fields` fields in all, and each of the
# remaining arguments a positive number.
function(check_line line bench fields)
  message(STATUS "stdout: ${line}")
  if(NOT line MATCHES [=[^{"[a-z_]+":("[^"\]*"|-?[0-9]+(\.[0-9]+)?)(,"[a-z_]+":("[^"\]*"|-?[0-9]+(\.[0-9]+)?))*}$]=])
    message(FATAL_ERROR "stdout is not one flat JSON object of numbers and strings: ${line}")
  endif()
  string(JSON name ERROR_VARIABLE json_error GET "${line}" bench)
  if(json_error)
    message(FATAL_ERROR "stdout is not valid JSON (${json_error}): ${line}")
  endif()
  if(NOT name STREQUAL bench)
    message(FATAL_ERROR "\"bench\" is '${name}', expected '${bench}'")
  endif()
  string(JSON count ERROR_VARIABLE json_error LENGTH "${line}")
  if(json_error OR NOT count EQUAL fields)
    message(FATAL_ERROR "expected ${fields} fields, got '${count}' ${json_error}: ${line}")
  endif()
  foreach(key ${ARGN})
    string(JSON type ERROR_VARIABLE json_error TYPE "${line}" ${key})
    if(json_error OR NOT type STREQUAL "NUMBER")
      message(FATAL_ERROR "\"${key}\" is missing or not a number (${type} ${json_error}): ${line}")
    endif()
    string(JSON value GET "${line}" ${key})
    if(NOT value GREATER 0)
      message(FATAL_ERROR "\"${key}\" is ${value}, expected a positive number: ${line}")
    endif()
  endforeach()
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
else()
  message(FATAL_ERROR "unknown WO_BENCH_CASE '${WO_BENCH_CASE}' (lifecycle or slots)")
endif()
