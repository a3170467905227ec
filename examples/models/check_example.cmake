# One example model folder: `fixnn predict` writes the emulator's outputs for input.npy, and
# `fixnn report --json` on input.npy / labels.npy gives a float accuracy equal to the
# framework's own (meta.json accuracy_input, from output.npy), so fixnn's float reference
# classifies every sample as the framework did, up to ties.
# Variables: FIXNN (the command), EXAMPLE (the folder), WORK (a scratch folder).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(READ ${EXAMPLE}/meta.json meta)
string(JSON model_file GET "${meta}" model_file)
string(JSON samples GET "${meta}" samples)
string(JSON expected GET "${meta}" accuracy_input)
set(model ${EXAMPLE}/${model_file})

execute_process(COMMAND ${FIXNN} predict ${model} -i ${EXAMPLE}/input.npy -o ${WORK}/fixed.npy
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fixnn predict ${model}: exit ${rc}\n${out}\n${err}")
endif()
string(FIND "${err}" "predicted ${samples} samples in" pos)
if(pos EQUAL -1 OR NOT EXISTS ${WORK}/fixed.npy)
  message(FATAL_ERROR "fixnn predict ${model}: expected ${samples} samples predicted\n${err}")
endif()

execute_process(COMMAND ${FIXNN} report ${model} -d ${EXAMPLE}/input.npy
                        --labels ${EXAMPLE}/labels.npy --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fixnn report ${model}: exit ${rc}\n${out}\n${err}")
endif()
string(JSON n GET "${out}" float_vs_fixed samples)
string(JSON got GET "${out}" float_vs_fixed accuracy_float)
string(JSON fixed GET "${out}" float_vs_fixed accuracy_fixed)
if(NOT n EQUAL samples)
  message(FATAL_ERROR "${model}: report on ${n} samples, meta.json says ${samples}")
endif()
if(NOT got EQUAL expected)
  message(FATAL_ERROR "${model}: fixnn's float accuracy ${got} differs from the framework's "
                      "${expected} (meta.json accuracy_input)")
endif()
message(STATUS "${model}: float accuracy ${got} (framework ${expected}), fixed point ${fixed}")
