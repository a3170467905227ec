# `fixnn config` writes a project file that `fixnn show` reads back; a second write without
# --force is refused and leaves the file as it was.
# -DFIXNN=<fixnn> -DMODEL=<model file> -DWORK=<scratch folder> -DGRANULARITY=model|type|name
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(out ${WORK}/config.yml)

execute_process(COMMAND ${FIXNN} config ${MODEL} -g ${GRANULARITY} -o ${out}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fixnn config failed (${rc}): ${err}")
endif()
file(READ ${out} first)
if(NOT first MATCHES "HLSConfig:")
  message(FATAL_ERROR "no HLSConfig in the written file:\n${first}")
endif()

execute_process(COMMAND ${FIXNN} show ${out} RESULT_VARIABLE rc OUTPUT_VARIABLE shown
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fixnn show of the written config failed (${rc}): ${err}")
endif()
if(NOT shown MATCHES "configuration per layer:")
  message(FATAL_ERROR "fixnn show printed no per-layer configuration:\n${shown}")
endif()

execute_process(COMMAND ${FIXNN} config ${MODEL} -g model -o ${out} RESULT_VARIABLE rc
                ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "--force")
  message(FATAL_ERROR "overwriting without --force: exit ${rc}, message: ${err}")
endif()
file(READ ${out} second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "a refused write changed the file")
endif()

execute_process(COMMAND ${FIXNN} config ${MODEL} -g model -o ${out} --force RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "--force did not replace the file (${rc})")
endif()
