# The smoke test of wo_bench (cmake -DWO_BENCH=path -P check_json.cmake): a short lifecycle
# run must exit 0 and print exactly one line on stdout, a JSON object with the documented
# fields. Timings are not checked: benchmarks are not pass/fail.
if(NOT WO_BENCH)
  message(FATAL_ERROR "usage: cmake -DWO_BENCH=<path to wo_bench> -P check_json.cmake")
endif()

execute_process(COMMAND ${WO_BENCH} lifecycle --orders 20
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message(STATUS "stderr of wo_bench:\n${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "wo_bench lifecycle exited with ${rc}")
endif()

# Exactly one line (ending in a newline), holding one flat JSON object of numbers and
# strings and nothing else: string(JSON) below parses it, but it would ignore trailing text.
string(REGEX REPLACE "\n$" "" line "${out}")
if(line STREQUAL out OR line MATCHES "\n")
  message(FATAL_ERROR "stdout is not exactly one line:\n${out}")
endif()
message(STATUS "stdout: ${line}")
if(NOT line MATCHES [=[^{"[a-z_]+":("[^"\]*"|-?[0-9]+(\.[0-9]+)?)(,"[a-z_]+":("[^"\]*"|-?[0-9]+(\.[0-9]+)?))*}$]=])
  message(FATAL_ERROR "stdout is not one flat JSON object of numbers and strings: ${line}")
endif()

string(JSON bench ERROR_VARIABLE json_error GET "${line}" bench)
if(json_error)
  message(FATAL_ERROR "stdout is not valid JSON (${json_error}): ${line}")
endif()
if(NOT bench STREQUAL "lifecycle")
  message(FATAL_ERROR "\"bench\" is '${bench}', expected 'lifecycle'")
endif()

string(JSON count ERROR_VARIABLE json_error LENGTH "${line}")
if(json_error OR NOT count EQUAL 6)
  message(FATAL_ERROR "expected 6 fields, got '${count}' ${json_error}: ${line}")
endif()

foreach(key orders lib_orders_per_s raw_orders_per_s ratio peak_rss_kb)
  string(JSON type ERROR_VARIABLE json_error TYPE "${line}" ${key})
  if(json_error OR NOT type STREQUAL "NUMBER")
    message(FATAL_ERROR "\"${key}\" is missing or not a number (${type} ${json_error}): ${line}")
  endif()
  string(JSON value GET "${line}" ${key})
  if(NOT value GREATER 0)
    message(FATAL_ERROR "\"${key}\" is ${value}, expected a positive number: ${line}")
  endif()
endforeach()

string(JSON orders GET "${line}" orders)
if(NOT orders EQUAL 20)
  message(FATAL_ERROR "\"orders\" is ${orders}, expected 20: ${line}")
endif()
