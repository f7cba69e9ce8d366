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

# Runs wo_demo with ARGN in an empty WORK_DIR; the exit code must be `expected_rc`. Sets out,
# err and left (the files it left behind) in the caller.
function(run_demo expected_rc)
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  execute_process(COMMAND "${WO_DEMO}" ${ARGN} WORKING_DIRECTORY "${WORK_DIR}"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  file(GLOB files LIST_DIRECTORIES true RELATIVE "${WORK_DIR}" "${WORK_DIR}/*")
  string(JOIN " " shown ${ARGN})
  message(STATUS "wo_demo ${shown}: exit ${rc}, files [${files}]\n  stderr: ${err}")
  if(NOT rc STREQUAL expected_rc)
    message(FATAL_ERROR "wo_demo ${shown} exited with '${rc}', expected ${expected_rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
  set(left "${files}" PARENT_SCOPE)
endfunction()

function(expect_help)
  run_demo(0 ${ARGN})
  if(NOT out MATCHES "^usage: wo_demo " OR NOT err STREQUAL "")
    message(FATAL_ERROR "wo_demo ${ARGN}: expected the usage on stdout and nothing on stderr\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  if(NOT left STREQUAL "")
    message(FATAL_ERROR "wo_demo ${ARGN} created: ${left}")
  endif()
endfunction()

# A refused command line: exit 2, nothing on stdout, on stderr exactly an error line that
# names `bad` and one usage line, and no file.
function(expect_refused bad)
  run_demo(2 ${ARGN})
  string(FIND "${err}" "'${bad}'" named)
  if(NOT out STREQUAL "" OR NOT err MATCHES "^wo_demo: [^\n]*\nusage: wo_demo [^\n]*\n$" OR named EQUAL -1)
    message(FATAL_ERROR "wo_demo ${ARGN}: expected an error naming '${bad}' and a usage line on stderr only\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  if(NOT left STREQUAL "")
    message(FATAL_ERROR "wo_demo ${ARGN} created: ${left}")
  endif()
endfunction()

expect_help(--help)
expect_help(-h)
expect_help(mine.db --help)
expect_refused(--bogus --bogus)
expect_refused(-x -x)
expect_refused(--help=1 --help=1)
expect_refused(-x mine.db -x)
expect_refused(two.db one.db two.db)

# Still a plain path when it does not start with '-'.
run_demo(0 ./-x.db)
if(NOT "-x.db" IN_LIST left OR NOT out MATCHES "Database: ./-x.db ")
  message(FATAL_ERROR "wo_demo ./-x.db: expected the demo on the file -x.db; files [${left}]\nstdout:\n${out}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
