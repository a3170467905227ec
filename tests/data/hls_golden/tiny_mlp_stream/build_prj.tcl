# Builds the HLS project 'tiny' with Vitis HLS or Vivado HLS:
#   vitis_hls -f build_prj.tcl -tclargs "csim=1 synth=1 cosim=0 export=0 vsynth=0"
#   vivado_hls -f build_prj.tcl -tclargs "csim=1 synth=1"
# Switches: reset (new project), csim (C simulation with tb_data), synth, cosim
# (C/RTL co-simulation), export (IP catalog), vsynth (Vivado synthesis of the RTL).
array set opt {reset 0 csim 1 synth 1 cosim 0 export 0 vsynth 0}
foreach arg $::argv {
  foreach o [split $arg] {
    set kv [split $o =]
    if {[llength $kv] == 2 && [info exists opt([lindex $kv 0])]} {
      set opt([lindex $kv 0]) [lindex $kv 1]
    }
  }
}

set project_name "tiny"
set part "xc7z020clg400-1"
set clock_period 10
set clock_uncertainty "12.5%"
set vitis [expr {[string first vitis [string tolower [info nameofexecutable]]] >= 0}]

if {$opt(reset)} {
  open_project -reset ${project_name}_prj
} else {
  open_project ${project_name}_prj
}
set_top ${project_name}
add_files firmware/${project_name}.cpp -cflags "-std=c++14"
add_files -tb ${project_name}_test.cpp -cflags "-std=c++14"
add_files -tb firmware/weights
add_files -tb tb_data
if {$vitis} {
  open_solution -reset solution1 -flow_target vivado
} else {
  open_solution -reset solution1
}
set_part $part
create_clock -period $clock_period -name default
set_clock_uncertainty $clock_uncertainty default

if {$opt(csim)} {
  puts "C simulation"
  csim_design
}
if {$opt(synth)} {
  puts "C synthesis"
  csynth_design
}
if {$opt(cosim)} {
  puts "C/RTL co-simulation"
  cosim_design -trace_level all
}
if {$opt(export)} {
  puts "Export"
  export_design -format ip_catalog
}
if {$opt(vsynth)} {
  puts "Vivado synthesis"
  exec vivado -mode batch -source vivado_synth.tcl >@ stdout
}
exit
