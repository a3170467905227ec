# `fixnn report --html`: the jet-tagging MLP on its inputs, with the Keras model's own outputs
# as labels. Without CHROMIUM: the document's sections, --force, reproducible bytes, refusals.
# With CHROMIUM (a headless Chromium): the page loads without console errors or uncaught
# exceptions and renders to a non-trivial screenshot; a page with a script error is caught the
# same way, so that the check can fail.
# Variables: FIXNN (the command), DATA (tests/data), WORK (a scratch folder), CHROMIUM.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(case ${DATA}/keras/qk_jet_tagging_mlp)
set(model ${case}/model.h5)

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
    message(FATAL_ERROR "expected '${fragment}' in the report")
  endif()
endfunction()

function(expect_count text fragment expected)
  string(REPLACE "${fragment}" "\n@@\n" marked "${text}")
  string(REGEX MATCHALL "\n@@\n" hits "${marked}")
  list(LENGTH hits n)
  if(NOT n EQUAL expected)
    message(FATAL_ERROR "expected ${expected} x '${fragment}' in the report, found ${n}")
  endif()
endfunction()

set(report ${WORK}/report.html)
expect_run(0 out err report ${model} --data ${case}/input.npy --labels ${case}/output.npy
           --html ${report})
expect_contains("${err}" "wrote ${report}")
expect_contains("${out}" "Accuracy: float")

if(NOT CHROMIUM)
  file(READ ${report} html)
  expect_contains("${html}" "<!DOCTYPE html>")
  expect_contains("${html}" "<title>fixnn report: jet_tagging_mlp</title>")
  # The graph: one box per node (input, 3 Dense, 2 QActivation, softmax), six edges.
  expect_contains("${html}" "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\"")
  expect_count("${html}" "<g class=\"node" 7)
  expect_count("${html}" "<g class=\"edge\">" 6)
  # The layer table, with the estimate and the overflow counts; the saturating ReLUs in red.
  foreach(layer x fc1 relu1 fc2 relu2 output softmax)
    expect_contains("${html}" "<tr><td>${layer}</td>")
  endforeach()
  expect_contains("${html}" "Estimate (not a synthesis result)")
  expect_contains("${html}" "title=\"outputs 168, weights 0\">168</td>")
  # Distributions: every weight (3 kernels, 3 biases) and output (7) against its type's range.
  expect_count("${html}" "class=\"range-band\"" 13)
  expect_contains("${html}" "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"profile\"")
  # Float against fixed point, and ROC curves for the four classes the labels hold.
  expect_contains("${html}" "320 of 320 values")
  expect_contains("${html}" "<h2 id=\"roc\">ROC curves</h2>")
  expect_count("${html}" ": AUC float " 4)
  expect_contains("${html}" "No curve for class 3")
  expect_contains("${html}" "Accuracy, fixed point")
  # Nothing fetched from elsewhere.
  foreach(bad "<link" "src=\"" "@import" "url(http")
    string(FIND "${html}" "${bad}" pos)
    if(NOT pos EQUAL -1)
      message(FATAL_ERROR "the report refers to an outside resource: '${bad}'")
    endif()
  endforeach()

  # An existing file is kept without --force; the same inputs give the same bytes.
  file(SHA256 ${report} before)
  expect_run(1 out err report ${model} --html ${report})
  expect_contains("${err}" "the file exists; use --force to replace it")
  file(SHA256 ${report} after)
  if(NOT before STREQUAL after)
    message(FATAL_ERROR "a refused --html changed the file")
  endif()
  expect_run(0 out err report ${model} --data ${case}/input.npy --labels ${case}/output.npy
             --html ${WORK}/again.html)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${report} ${WORK}/again.html
                  RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "two reports of the same inputs differ")
  endif()
  # Without data: the graph and the table, no data sections.
  expect_run(0 out err report ${model} --html ${report} --force)
  file(READ ${report} html)
  expect_count("${html}" "<g class=\"node" 7)
  string(FIND "${html}" "id=\"roc\"" pos)
  if(NOT pos EQUAL -1)
    message(FATAL_ERROR "a report without data has a ROC section")
  endif()
  # A project folder with a synthesis report: its figures beside the estimate's.
  expect_run(0 out err convert ${model} -o ${WORK}/prj)
  set(report_dir ${WORK}/prj/myproject_prj/solution1/syn/report)
  file(MAKE_DIRECTORY ${report_dir})
  file(COPY ${DATA}/hls_reports/vivado_hls_2020_1_hls4ml/myproject_csynth.xml
       DESTINATION ${report_dir})
  expect_run(0 out err report ${WORK}/prj --html ${WORK}/prj.html)
  file(READ ${WORK}/prj.html html)
  expect_contains("${html}" "<th class=\"num\">Synthesis (Vivado HLS 2020.1, myproject)</th>")
  expect_contains("${html}" "Totals: estimate and synthesis report")
  # A synthesis report file alone has no model to draw.
  file(GLOB xml ${DATA}/hls_reports/*/*_csynth.xml)
  list(GET xml 0 xml)
  expect_run(1 out err report ${xml} --html ${WORK}/synth.html)
  expect_contains("${err}" "--html needs the model")
  if(EXISTS ${WORK}/synth.html)
    message(FATAL_ERROR "a refused --html left a file")
  endif()
  return()
endif()

# Loads `page` in headless Chromium, screenshot into `png`; the log into `log_var`.
function(load_page page png log_var)
  execute_process(
    COMMAND ${CHROMIUM} --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0
            --no-first-run --user-data-dir=${WORK}/profile --screenshot=${png}
            --window-size=1400,3000 file://${page}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "chromium: exit ${rc}\n${out}\n${err}")
  endif()
  set(${log_var} "${out}\n${err}" PARENT_SCOPE)
endfunction()

# Console messages (console.error, uncaught exceptions) are logged as ":CONSOLE".
function(console_lines log out_var)
  string(REGEX MATCHALL "[^\n]*(:CONSOLE|Uncaught)[^\n]*" lines "${log}")
  set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()

# The check catches a broken page.
file(WRITE ${WORK}/broken.html
     "<!DOCTYPE html><html><body><p>x</p><script>no_such_function();</script></body></html>\n")
load_page(${WORK}/broken.html ${WORK}/broken.png log)
console_lines("${log}" lines)
if(lines STREQUAL "")
  message(FATAL_ERROR "chromium logged no console error for a page with a script error:\n${log}")
endif()

load_page(${report} ${WORK}/report.png log)
console_lines("${log}" lines)
if(NOT lines STREQUAL "")
  message(FATAL_ERROR "the report logged console messages:\n${lines}")
endif()
if(NOT EXISTS ${WORK}/report.png)
  message(FATAL_ERROR "chromium wrote no screenshot")
endif()
file(READ ${WORK}/report.png magic LIMIT 8 HEX)
if(NOT magic STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "the screenshot is not a PNG (${magic})")
endif()
# A 1400 x 3000 page of tables and plots compresses to hundreds of kB; a blank one to a few.
file(SIZE ${WORK}/report.png size)
if(size LESS 100000)
  message(FATAL_ERROR "the screenshot is only ${size} bytes: the page looks empty")
endif()
message(STATUS "screenshot ${WORK}/report.png (${size} bytes)")
