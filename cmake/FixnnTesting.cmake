# fixnn_add_test(NAME name SOURCES ... LIBS ... LABELS unit|e2e|interop|corpus)
# Builds a GoogleTest executable and registers it with ctest under the given labels.
include(GoogleTest)

function(fixnn_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
