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

# A recurrent model, streamed, checked against the emulator.
expect_run(0 out err convert ${DATA}/keras/k3_lstm/model.keras -o ${WORK}/lstm --io-type io_stream
           --check --check-samples 200)
expect_contains("${err}" "against the emulator on 200 inputs: 400 values, 0 differ")

# A layer the writer or the emulator refuses is named, and no folder is left.
expect_run(1 out err convert ${DATA}/keras/k3_reshape_permute_flatten/model.keras -o ${WORK}/permute
           --io-type io_stream)
expect_contains("${err}" "layer 'permute_21' (Permute): the HLS writer does not handle Permute")
if(EXISTS ${WORK}/permute)
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

# The project folder stands for its model: predict with the emulator and with the project's
# C++ (built with g++) give the same file; every layer traced; CSV out; the estimate.
set(x ${DATA}/keras/qk_jet_tagging_mlp/input.npy)
expect_run(0 out err predict ${WORK}/prj -i ${x} -o ${WORK}/emu.npy --trace ${WORK}/trace)
expect_contains("${err}" "traced 7 layer outputs")
expect_run(0 out err predict ${WORK}/prj --csim -i ${x} -o ${WORK}/csim.npy)
file(SHA256 ${WORK}/emu.npy emu_sum)
file(SHA256 ${WORK}/csim.npy csim_sum)
if(NOT emu_sum STREQUAL csim_sum)
  message(FATAL_ERROR "predict --csim differs from the emulator")
endif()
foreach(layer fc1 relu1 fc2 relu2 output softmax)
  if(NOT EXISTS ${WORK}/trace/${layer}.npy)
    message(FATAL_ERROR "no trace of ${layer}")
  endif()
endforeach()
expect_run(1 out err predict ${WORK}/prj -i ${x} -o ${WORK}/t2 --trace ${WORK}/trace)
expect_contains("${err}" "the folder exists; use --force")
expect_run(1 out err predict ${model} --csim -i ${x} -o ${WORK}/c.npy)
expect_contains("${err}" "give the project folder")
expect_run(0 out err predict ${WORK}/prj -i ${x} -o ${WORK}/y.csv)
file(STRINGS ${WORK}/y.csv rows)
list(LENGTH rows n)
if(NOT n EQUAL 64)
  message(FATAL_ERROR "y.csv: ${n} rows, expected 64")
endif()
expect_run(0 out err report ${WORK}/prj)
expect_contains("${out}" "Estimate (not a synthesis result)")
# Float against fixed on data; the Keras outputs as one-hot labels give the float model 100 %.
expect_run(0 out err report ${model} -d ${x} --labels ${DATA}/keras/qk_jet_tagging_mlp/output.npy)
expect_contains("${out}" "Float against fixed point on 64 samples")
expect_contains("${out}" "Accuracy: float 100.00 %")
expect_run(0 out err report ${model} --json)
expect_contains("${out}" "\"estimate\": true")
expect_run(0 out err profile ${model} -d ${x})
expect_contains("${out}" "out of range")
expect_contains("${out}" "ap_fixed<6,1,AP_RND_CONV,AP_SAT>")
expect_run(1 out err profile ${model} -d ${DATA}/cli/input_nan.npy)
expect_contains("${err}" "input_nan.npy")

# Command-line settings reach the project: ReuseFactor, Strategy, precision.
expect_run(0 out err convert ${model} -o ${WORK}/rf --reuse 4 --strategy Resource
           --precision "ap_fixed<18,8>" --check --check-samples 100)
file(READ ${WORK}/rf/firmware/parameters.h params)
expect_contains("${params}" "reuse_factor = 4")
expect_contains("${params}" "fixnn::resource")
expect_run(1 out err convert ${model} -o ${WORK}/bad --strategy Fast)
expect_contains("${err}" "--strategy: 'Fast' is not one of")

# fixnn build: a clear error when no HLS tool is found; with one (a stand-in script that
# records its arguments and leaves a synthesis report), the switches reach build_prj.tcl and
# the report is printed.
set(ENV{PATH} "/usr/bin:/bin")
expect_run(1 out err build ${WORK}/prj)
expect_contains("${err}" "neither vitis_hls nor vivado_hls is on PATH")
expect_run(1 out err build ${WORK}/nowhere)
expect_contains("${err}" "nowhere: no such project folder")
file(MAKE_DIRECTORY ${WORK}/bin)
file(WRITE ${WORK}/bin/vitis_hls "#!/bin/sh
echo \"$@\" > tool_args.txt
mkdir -p myproject_prj/solution1/syn/report
cp ${reports}/vivado_hls_2020_1_hls4ml/myproject_csynth.xml myproject_prj/solution1/syn/report/
")
file(CHMOD ${WORK}/bin/vitis_hls PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ENV{PATH} "${WORK}/bin:/usr/bin:/bin")
expect_run(0 out err build ${WORK}/prj --synth --cosim)
file(READ ${WORK}/prj/tool_args.txt args)
expect_contains("${args}" "-f build_prj.tcl -tclargs reset=0 csim=0 synth=1 cosim=1 export=0 vsynth=0")
expect_contains("${out}" "Vivado HLS")
file(WRITE ${WORK}/bin/vitis_hls "#!/bin/sh\nexit 3\n")
expect_run(1 out err build ${WORK}/prj)
expect_contains("${err}" "vitis_hls failed (exit 3)")
