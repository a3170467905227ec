# Vivado synthesis of the RTL that build_prj.tcl generated (its vsynth switch runs it).
set project_name "tiny"
set part "xc7z020clg400-1"
add_files ${project_name}_prj/solution1/syn/verilog
synth_design -top ${project_name} -part $part
report_utilization -file vivado_synth.rpt
report_timing_summary -file vivado_timing.rpt
