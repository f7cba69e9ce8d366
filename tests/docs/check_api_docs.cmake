# SPDX-License-Identifier: MIT
# The C API reference (cmake -DSOURCE_DIR=<repository> -DOUTPUT_DIR=<dir> [-DDOXYGEN=<path>]
# -P check_api_docs.cmake): `tools/api-docs OUTPUT_DIR` must exit 0 with nothing on stderr (no
# Doxygen warning) and print the path of index.html; the page of workorder.h must document
# every WO_API function of the header, each with its own section, with the text of its comment.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR OR NOT OUTPUT_DIR)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -DOUTPUT_DIR=<dir> [-DDOXYGEN=<path>] -P check_api_docs.cmake")
endif()
if(DOXYGEN)
  set(ENV{DOXYGEN} "${DOXYGEN}")
endif()

file(REMOVE_RECURSE "${OUTPUT_DIR}")
execute_process(COMMAND "${SOURCE_DIR}/tools/api-docs" "${OUTPUT_DIR}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message(STATUS "tools/api-docs ${OUTPUT_DIR}: exit ${rc}\nstdout: ${out}stderr: ${err}")
if(NOT rc STREQUAL "0" OR NOT err STREQUAL "")
  message(FATAL_ERROR "tools/api-docs failed or Doxygen warned (exit ${rc}):\n${err}")
endif()
if(NOT out STREQUAL "${OUTPUT_DIR}/html/index.html\n" OR NOT EXISTS "${OUTPUT_DIR}/html/index.html")
  message(FATAL_ERROR "expected tools/api-docs to print ${OUTPUT_DIR}/html/index.html, got: ${out}")
endif()

set(page "${OUTPUT_DIR}/html/workorder_8h.html")
if(NOT EXISTS "${page}")
  message(FATAL_ERROR "no page for workorder.h: ${page}")
endif()
file(READ "${page}" html)

# Every function the header declares, as tools/abi/check-calls.py finds them: the name on a
# line starting with WO_API.
file(STRINGS "${SOURCE_DIR}/capi/include/workorder.h" declarations REGEX "^WO_API ")
set(missing "")
set(count 0)
foreach(line IN LISTS declarations)
  if(NOT line MATCHES "(wo_[a-z0-9_]+)\\(")
    message(FATAL_ERROR "no function name in: ${line}")
  endif()
  math(EXPR count "${count} + 1")
  string(FIND "${html}" ">${CMAKE_MATCH_1}()<" at)  # the title of the function's section
  if(at EQUAL -1)
    list(APPEND missing ${CMAKE_MATCH_1})
  endif()
endforeach()
if(count LESS 100 OR missing)
  message(FATAL_ERROR "${count} WO_API functions in workorder.h; without a section in ${page}: ${missing}")
endif()

# The comments themselves: a function's, a status code's and the file's.
foreach(text "wo_order_submit" "wo_errmsg" "The message of the last failed call on this thread"
             "Submits an order" "no such record, or the actor may not see it" "Every fallible function returns")
  string(FIND "${html}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${page} does not contain '${text}'")
  endif()
endforeach()
message(STATUS "${count} functions documented in ${page}")
