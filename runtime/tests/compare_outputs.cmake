# Runs the API sample built against fixnn's headers and against the vendor
# headers, and fails unless both print exactly the same text.
# Inputs: FIXNN_BIN, VENDOR_BIN, OUT_DIR.
foreach(side FIXNN VENDOR)
  execute_process(COMMAND ${${side}_BIN} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${${side}_BIN} exited with ${rc}")
  endif()
  set(${side}_OUT "${out}")
  file(WRITE "${OUT_DIR}/ap_api_sample.${side}.txt" "${out}")
endforeach()

if(FIXNN_OUT STREQUAL "")
  message(FATAL_ERROR "the API sample printed nothing")
endif()
if(NOT FIXNN_OUT STREQUAL VENDOR_OUT)
  find_program(DIFF_TOOL diff)
  if(DIFF_TOOL)
    execute_process(COMMAND ${DIFF_TOOL} -u "${OUT_DIR}/ap_api_sample.VENDOR.txt"
                            "${OUT_DIR}/ap_api_sample.FIXNN.txt")
  endif()
  message(FATAL_ERROR "fixnn and vendor outputs differ (see ${OUT_DIR}/ap_api_sample.*.txt)")
endif()
string(LENGTH "${FIXNN_OUT}" chars)
message(STATUS "outputs identical (${chars} characters)")
