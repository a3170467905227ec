# `fixnn predict` from the command line: outputs written (never over a file without --force),
# every bad input refused with exit status 1, a message naming the file or layer, and no
# output file left behind.
# Variables: FIXNN (the command), DATA (tests/data), WORK (a scratch folder).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(model ${DATA}/keras/k3_seq_dense/model.keras)

function(expect_run rc_expected out_var err_var)
  execute_process(COMMAND ${FIXNN} predict ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL rc_expected)
    message(FATAL_ERROR "fixnn predict ${ARGN}: exit ${rc}, expected ${rc_expected}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()

function(expect_contains text fragment)
  string(FIND "${text}" "${fragment}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "expected '${fragment}' in:\n${text}")
  endif()
endfunction()

# Outputs and the overflow report.
expect_run(0 out err ${model} -i ${DATA}/keras/k3_seq_dense/input.npy -o ${WORK}/y.npy --overflow)
expect_contains("${err}" "predicted 64 samples in")
expect_contains("${out}" "values out of range in the run (64 samples)")
if(NOT EXISTS ${WORK}/y.npy)
  message(FATAL_ERROR "no output file")
endif()
file(SHA256 ${WORK}/y.npy first)

# An existing output is kept without --force, replaced with it.
expect_run(1 out err ${model} -i ${DATA}/keras/k3_seq_dense/input.npy -o ${WORK}/y.npy)
expect_contains("${err}" "y.npy: the file exists; use --force")
expect_run(0 out err ${model} -i ${DATA}/keras/k3_seq_dense/input.npy -o ${WORK}/y.npy --force -j 3)
file(SHA256 ${WORK}/y.npy again)
if(NOT first STREQUAL again)
  message(FATAL_ERROR "the outputs changed between runs")
endif()

# Bad inputs: refused, named, no output written.
foreach(case IN ITEMS "input_nan.npy|input_nan.npy: sample 4, element 7: nan"
                      "input_inf.npy|input_inf.npy: sample 2, element 3: -inf"
                      "input_wrong_shape.npy|does not hold samples of input"
                      "input_truncated.npy|input_truncated.npy: truncated data")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 file)
  list(GET parts 1 fragment)
  expect_run(1 out err ${model} -i ${DATA}/cli/${file} -o ${WORK}/bad.npy)
  expect_contains("${err}" "${fragment}")
  if(EXISTS ${WORK}/bad.npy)
    message(FATAL_ERROR "${file}: an output file was left behind")
  endif()
endforeach()

# Wrong number of inputs; a model the emulator refuses names the layer.
expect_run(1 out err ${model} -i ${DATA}/keras/k3_seq_dense/input.npy
           -i ${DATA}/keras/k3_seq_dense/input.npy -o ${WORK}/bad.npy)
expect_contains("${err}" "give one -i file for each")
expect_run(1 out err ${DATA}/keras/k2_conv1d_pool/model.h5 -i ${DATA}/keras/k2_conv1d_pool/input.npy
           -o ${WORK}/bad.npy -o ${WORK}/bad2.npy)
expect_contains("${err}" "layer 'c_dil'")
if(EXISTS ${WORK}/bad.npy)
  message(FATAL_ERROR "an output file was left behind")
endif()
