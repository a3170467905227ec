# Runs `fixnn show MODEL` and checks how it ends:
#   EXPECT_EXIT=1 (a damaged file): exit status 1, "fixnn show: " and the file's name on stderr;
#   EXPECT_EXIT=0 (a control): exit status 0 and a graph on stdout.
# A signal, a timeout, an uncaught exception or a sanitizer report fails either way.
#   cmake -DFIXNN=<fixnn> -DMODEL=<file> -DEXPECT_EXIT=1 [-DBLAMED=<name>] -P run_show.cmake
# BLAMED is what stderr must name when it is not MODEL's file name (a file beside it).
foreach(var FIXNN MODEL EXPECT_EXIT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_show.cmake: -D${var}=... is required")
  endif()
endforeach()

# Sanitizers exit with 1 by default, which would pass for a clean refusal.
set(ENV{ASAN_OPTIONS} "$ENV{ASAN_OPTIONS}:exitcode=86")
set(ENV{UBSAN_OPTIONS} "$ENV{UBSAN_OPTIONS}:exitcode=87:print_stacktrace=1")

execute_process(
  COMMAND "${FIXNN}" show "${MODEL}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 60)

get_filename_component(name "${MODEL}" NAME)
if(DEFINED BLAMED)
  set(name "${BLAMED}")
endif()
set(problems "")
if(NOT rc STREQUAL "${EXPECT_EXIT}")
  string(APPEND problems "exit status '${rc}', expected ${EXPECT_EXIT}; ")
endif()
foreach(marker "AddressSanitizer" "LeakSanitizer" "runtime error:" "terminate called"
               "Segmentation fault")
  string(FIND "${err}" "${marker}" at)
  if(NOT at EQUAL -1)
    string(APPEND problems "stderr has '${marker}'; ")
  endif()
endforeach()
if(EXPECT_EXIT STREQUAL "1")
  string(FIND "${err}" "fixnn show: " at)
  if(NOT at EQUAL 0)
    string(APPEND problems "stderr does not start with 'fixnn show: '; ")
  endif()
  string(FIND "${err}" "${name}" at)
  if(at EQUAL -1)
    string(APPEND problems "stderr does not name ${name}; ")
  endif()
elseif(out STREQUAL "")
  string(APPEND problems "nothing on stdout; ")
endif()

if(NOT problems STREQUAL "")
  message(FATAL_ERROR "fixnn show ${MODEL}: ${problems}\n--- stderr ---\n${err}")
endif()
message(STATUS "fixnn show ${name}: exit ${rc}: ${err}")
