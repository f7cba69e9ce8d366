# SPDX-License-Identifier: MIT
# What the benchmark smoke tests share (included by check_json.cmake and
# check_python_bench.cmake): a benchmark's stdout as JSON lines, and the check of one line.

# Sets `lines_var` to the lines of `out` (a benchmark's stdout), which must be exactly
# `expected` lines, each ending in a newline.
function(json_lines lines_var out expected)
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
