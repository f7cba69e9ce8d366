# SPDX-License-Identifier: MIT
# Checks of a program's command line, for `cmake -P` scripts (examples/check_args.cmake,
# tests/bench/check_args.cmake). Before including, set PROGRAM (the executable), NAME (how it
# names itself in its messages) and WORK_DIR (a scratch directory). Each run starts in an empty
# WORK_DIR, so a file the program creates is seen.

# Runs PROGRAM with ARGN; the exit code must be `expected_rc`. Sets shown (the arguments), out,
# err and left (the files it left behind) in the caller.
function(run_program expected_rc)
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  execute_process(COMMAND "${PROGRAM}" ${ARGN} WORKING_DIRECTORY "${WORK_DIR}"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  file(GLOB files LIST_DIRECTORIES true RELATIVE "${WORK_DIR}" "${WORK_DIR}/*")
  string(JOIN " " shown ${ARGN})
  message(STATUS "${NAME} ${shown}: exit ${rc}, files [${files}]\n  stderr: ${err}")
  if(NOT rc STREQUAL expected_rc)
    message(FATAL_ERROR "${NAME} ${shown} exited with '${rc}', expected ${expected_rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(shown "${shown}" PARENT_SCOPE)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
  set(left "${files}" PARENT_SCOPE)
endfunction()

# Help: exit 0, stdout starts with `usage` and holds each of `mentions` (a list), stderr empty,
# no file.
function(expect_help usage mentions)
  run_program(0 ${ARGN})
  if(NOT out MATCHES "^${usage}" OR NOT err STREQUAL "")
    message(FATAL_ERROR "${NAME} ${shown}: expected '${usage}...' on stdout and nothing on stderr\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  foreach(text ${mentions})
    string(FIND "${out}" "${text}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${NAME} ${shown}: the help does not mention '${text}':\n${out}")
    endif()
  endforeach()
  if(NOT left STREQUAL "")
    message(FATAL_ERROR "${NAME} ${shown} created: ${left}")
  endif()
endfunction()

# A refused command line: exit 2, nothing on stdout, on stderr exactly an error line that
# holds `bad` and one usage line, and no file.
function(expect_refused bad)
  run_program(2 ${ARGN})
  string(FIND "${err}" "${bad}" named)
  if(NOT out STREQUAL "" OR NOT err MATCHES "^${NAME}[^\n]*\nusage: ${NAME} [^\n]*\n$" OR named EQUAL -1)
    message(FATAL_ERROR "${NAME} ${shown}: expected an error naming '${bad}' and a usage line on stderr only\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  if(NOT left STREQUAL "")
    message(FATAL_ERROR "${NAME} ${shown} created: ${left}")
  endif()
endfunction()
