# `fixnn convert` and `fixnn report` from the command line: a project written, checked against
# the emulator with g++, never over a folder without --force; refusals name the layer and
# leave no folder; reports read from the real tools' files, damaged ones refused.
# Variables: FIXNN (the command), DATA (tests/data), WORK (a scratch folder).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(model ${DATA}/keras/qk_jet_tagging_mlp/model.h5)

function(expect_run rc_expected out_var err_var)
  execute_process(COMMAND ${FIXNN} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL rc_expected)
    message(FATAL_ERROR "fixnn ${ARGN}: exit ${rc}, expected ${rc_expected}\n${out}\n${err}")
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

# A project with testbench data, built with g++ and compared with the emulator.
expect_run(0 out err convert ${model} -o ${WORK}/prj --tb-input ${DATA}/keras/qk_jet_tagging_mlp/input.npy
           --check --project-name jets --part xcu250-figd2104-2L-e --clock-period 4)
expect_contains("${err}" "wrote ${WORK}/prj")
expect_contains("${err}" "against the emulator on 64 inputs: 320 values, 0 differ")
foreach(f firmware/jets.cpp firmware/jets.h firmware/defines.h firmware/parameters.h
          jets_test.cpp build_prj.tcl README.md tb_data/tb_input_features.dat
          tb_data/tb_output_predictions.dat)
  if(NOT EXISTS ${WORK}/prj/${f})
    message(FATAL_ERROR "the project has no ${f}")
  endif()
endforeach()
file(READ ${WORK}/prj/build_prj.tcl tcl)
expect_contains("${tcl}" "xcu250-figd2104-2L-e")

# An existing folder is kept without --force, replaced with it; random inputs for --check.
expect_run(1 out err convert ${model} -o ${WORK}/prj)
expect_contains("${err}" "the folder exists; use force (--force)")
expect_run(0 out err convert ${model} -o ${WORK}/prj --force --check --check-samples 200)
expect_contains("${err}" "against the emulator on 200 inputs: 1000 values, 0 differ")

# A layer the writer or the emulator refuses is named, and no folder is left.
expect_run(1 out err convert ${DATA}/keras/k3_lstm/model.keras -o ${WORK}/lstm)
expect_contains("${err}" "layer '")
if(EXISTS ${WORK}/lstm)
  message(FATAL_ERROR "a refused model left a folder")
endif()
expect_run(1 out err convert ${model})
expect_contains("${err}" "give the project folder with -o")

# Reports: a project folder layout and a single file; JSON; damaged files refused.
set(reports ${DATA}/hls_reports)
set(report_dir ${WORK}/synth/myproject_prj/solution1/syn/report)
file(MAKE_DIRECTORY ${report_dir})
file(COPY ${reports}/vivado_hls_2020_1_hls4ml/myproject_csynth.xml
          ${reports}/vivado_hls_2020_1_hls4ml/myproject_csynth.rpt DESTINATION ${report_dir})
expect_run(0 out err report ${WORK}/synth)
expect_contains("${out}" "Vivado HLS")
expect_run(0 out err report ${reports}/vivado_hls_2020_1_hls4ml/myproject_csynth.xml --json)
expect_contains("${out}" "latency")
file(WRITE ${WORK}/broken.xml "<profile><ReportVersion>")
expect_run(1 out err report ${WORK}/broken.xml)
expect_contains("${err}" "broken.xml")
expect_run(1 out err report ${WORK}/nowhere)
expect_contains("${err}" "nowhere")
