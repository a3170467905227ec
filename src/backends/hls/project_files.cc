#include "backends/hls/project_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "backends/hls/cpp_text.h"

namespace fixnn::backends::hls {
namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "hls::stream<fixnn::packet<input1_t, 16> >"
std::string StreamType(const Port& port) {
  return fmt::format("hls::stream<fixnn::packet<{}, {}> >", port.type_name, port.packet);
}

// "input1_t input1[N_INPUT1], result1_t out1[N_OUTPUT1]"; io_stream: "hls::stream<...>& input1,
// ..."
std::string Signature(const ProjectSpec& p) {
  std::vector<std::string> args;
  if (p.io_stream) {
    for (const Port& port : p.inputs) args.push_back(StreamType(port) + "& " + port.array);
    for (const Port& port : p.outputs) args.push_back(StreamType(port) + "& " + port.array);
    return fmt::format("{}", fmt::join(args, ", "));
  }
  for (const Port& port : p.inputs) {
    args.push_back(fmt::format("{} {}[{}]", port.type_name, port.array, port.size_macro));
  }
  for (const Port& port : p.outputs) {
    args.push_back(fmt::format("{} {}[{}]", port.type_name, port.array, port.size_macro));
  }
  return fmt::format("{}", fmt::join(args, ", "));
}

// The statements that run the top function on arrays named as the ports (declared by the
// caller), with `indent`; io_stream: through streams, a packet per position.
std::string CallTop(const ProjectSpec& p, const std::string& indent) {
  std::vector<std::string> args;
  for (const Port& port : p.inputs) args.push_back(port.array);
  for (const Port& port : p.outputs) args.push_back(port.array);
  if (!p.io_stream) return fmt::format("{}{}({});\n", indent, p.name, fmt::join(args, ", "));
  std::string s;
  for (const Port& port : p.inputs) {
    s += fmt::format(
        "{0}{1} {2}_stream(\"{2}\");\n{0}fixnn::write_tensor<{3}, {4}, {5}>({2}, {2}_stream);\n",
        indent, StreamType(port), port.array, port.type_name, port.size / port.packet, port.packet);
  }
  for (const Port& port : p.outputs) {
    s += fmt::format("{0}{1} {2}_stream(\"{2}\");\n", indent, StreamType(port), port.array);
  }
  for (std::string& a : args) a += "_stream";
  s += fmt::format("{}{}({});\n", indent, p.name, fmt::join(args, ", "));
  for (const Port& port : p.outputs) {
    s += fmt::format("{0}fixnn::read_tensor<{1}, {2}, {3}>({4}_stream, {4});\n", indent,
                     port.type_name, port.size / port.packet, port.packet, port.array);
  }
  return s;
}

int64_t TotalSize(const std::vector<Port>& ports) {
  int64_t n = 0;
  for (const Port& port : ports) n += port.size;
  return n;
}

}  // namespace

std::string TopHeader(const ProjectSpec& p) {
  const std::string guard = Upper(p.name) + "_H_";
  return fmt::format(
      "// The top function of the HLS project '{0}'.\n"
      "#ifndef {1}\n#define {1}\n\n"
      "#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n\n#include \"defines.h\"\n\n"
      "void {0}({2});\n\n"
      "#ifndef __SYNTHESIS__\n"
      "// C simulation: reads the weights kept in .txt files (dir: their folder; NULL: "
      "firmware/weights\n// or weights, whichever holds them). Call it once before {0}; false "
      "when a file is missing.\n"
      "bool {0}_load_weights(const char* dir);\n"
      "#endif\n\n"
      "#endif  // {1}\n",
      p.name, guard, Signature(p));
}

std::string TopSource(const ProjectSpec& p) {
  std::string s = fmt::format(
      "// The top function of the HLS project '{0}': the model's layers in order, {1}.\n"
      "#include \"{0}.h\"\n\n#include \"parameters.h\"\n\n",
      p.name, p.io_stream ? "io_stream" : "io_parallel");
  for (const ConstArray& a : p.arrays) s += fmt::format("#include \"weights/{}.h\"\n", a.name);
  s += "\n#ifndef __SYNTHESIS__\n#include \"fixnn/fixnn_weights.h\"\n\n";
  s += fmt::format("bool {}_load_weights(const char* dir) {{\n", p.name);
  s += "  static bool loaded = false;\n  if (loaded) return true;\n  bool ok = true;\n";
  bool first = true;
  for (size_t i = 0; i < p.arrays.size(); ++i) {
    if (!p.array_has_txt[i]) continue;
    const ConstArray& a = p.arrays[i];
    if (first) {
      s += fmt::format(
          "  const std::string d = dir != NULL ? dir : fixnn::default_weights_dir(\"{}.txt\");\n",
          a.name);
      first = false;
    }
    s += fmt::format("  ok = ok && fixnn::load_weights_from_txt({0}, {1}, d, \"{0}.txt\");\n",
                     a.name, a.values.size());
  }
  if (first) s += "  (void)dir;\n";
  s += "  loaded = ok;\n  return ok;\n}\n#endif\n\n";
  if (p.io_stream) {
    s += p.functions;
    s += fmt::format("void {}({}) {{\n", p.name, Signature(p));
    std::vector<std::string> ports;
    for (const Port& port : p.inputs) ports.push_back(port.array);
    for (const Port& port : p.outputs) ports.push_back(port.array);
    s += fmt::format("#pragma HLS INTERFACE axis port = {}\n#pragma HLS DATAFLOW\n\n",
                     fmt::join(ports, ", "));
    return s + p.body + "}\n";
  }
  s += fmt::format("void {}({}) {{\n", p.name, Signature(p));
  for (const Port& port : p.inputs) {
    s += fmt::format("#pragma HLS ARRAY_RESHAPE variable = {} complete dim = 0\n", port.array);
  }
  for (const Port& port : p.outputs) {
    s += fmt::format("#pragma HLS ARRAY_PARTITION variable = {} complete dim = 0\n", port.array);
  }
  std::vector<std::string> ports;
  for (const Port& port : p.inputs) ports.push_back(port.array);
  for (const Port& port : p.outputs) ports.push_back(port.array);
  s += fmt::format("#pragma HLS INTERFACE ap_vld port = {}\n#pragma HLS PIPELINE\n\n",
                   fmt::join(ports, ", "));
  s += p.body;
  s += "\n";
  for (const Port& port : p.outputs) {
    s += fmt::format("  fixnn::copy_out<{}, {}>({}, {});\n", port.type_name, port.size_macro,
                     port.source, port.array);
  }
  return s + "}\n";
}

std::string DefinesHeader(const ProjectSpec& p) {
  std::string s =
      "// Sizes of the top function's ports and every type of the project.\n"
      "#ifndef DEFINES_H_\n#define DEFINES_H_\n\n#include \"ap_fixed.h\"\n#include "
      "\"ap_int.h\"\n\n";
  if (p.io_stream) s += "#include \"fixnn/fixnn_stream.h\"\n\n";
  for (const Port& port : p.inputs) {
    s += fmt::format("#define {} {}  // input '{}'\n", port.size_macro, port.size, port.tensor);
  }
  for (const Port& port : p.outputs) {
    s += fmt::format("#define {} {}  // output '{}'\n", port.size_macro, port.size, port.tensor);
  }
  s += "\n";
  for (const Typedef& t : p.typedefs) {
    s += fmt::format("typedef {} {};\n", TypeName(t.type, t.fixed_form), t.name);
  }
  return s + "\n#endif  // DEFINES_H_\n";
}

std::string ParametersHeader(const ProjectSpec& p) {
  std::string s =
      "// Every layer's configuration: sizes, settings and internal types.\n"
      "#ifndef PARAMETERS_H_\n#define PARAMETERS_H_\n\n#include \"defines.h\"\n"
      "#include \"fixnn/fixnn_common.h\"\n";
  for (const std::string& h : p.headers) s += fmt::format("#include \"fixnn/{}\"\n", h);
  s += "\n";
  for (const std::string& c : p.configs) s += c + "\n";
  return s + "#endif  // PARAMETERS_H_\n";
}

std::string WeightHeader(const ConstArray& a, bool has_txt) {
  const std::string guard = fmt::format("WEIGHTS_{}_H_", Upper(a.name));
  std::string s = fmt::format("// {}\n#ifndef {}\n#define {}\n\n", a.comment, guard, guard);
  std::string init = fmt::format("{} {}[{}] = {{", a.type_name, a.name, a.values.size());
  for (size_t i = 0; i < a.values.size(); ++i) {
    init += (i % 8 == 0 ? "\n    " : " ") + a.values[i] + (i + 1 < a.values.size() ? "," : "");
  }
  init += "};\n";
  if (has_txt) {
    s += fmt::format(
        "#ifndef __SYNTHESIS__\n// C simulation reads {0}.txt (the top function's _load_weights).\n"
        "{1} {0}[{2}];\n#else\n{3}#endif\n",
        a.name, a.type_name, a.values.size(), init);
  } else {
    s += "static const " + init;
  }
  return s + fmt::format("\n#endif  // {}\n", guard);
}

std::string WeightTxt(const ConstArray& a) {
  return fmt::format("{}\n", fmt::join(a.values, ", "));
}

std::string Testbench(const ProjectSpec& p) {
  std::string s = fmt::format(
      "// Testbench of '{0}': runs every line of tb_data/tb_input_features.dat (one sample per\n"
      "// line: the inputs' values in order, separated by spaces or commas) and writes the\n"
      "// outputs to tb_data/csim_results.log, one line per sample (%.17g, exact for every\n"
      "// double). When tb_data/tb_output_predictions.dat exists, compares with it exactly and\n"
      "// fails on a difference.\n"
      "#include <cstdio>\n#include <cstdlib>\n#include <fstream>\n#include <sstream>\n"
      "#include <string>\n#include <vector>\n\n#include \"firmware/{0}.h\"\n\n"
      "namespace {{\n\n"
      "bool ParseLine(std::string line, std::vector<double>& values) {{\n"
      "  for (size_t i = 0; i < line.size(); i++) {{\n"
      "    if (line[i] == ',') line[i] = ' ';\n"
      "  }}\n"
      "  std::istringstream in(line);\n"
      "  values.clear();\n"
      "  std::string token;\n"
      "  while (in >> token) {{\n"
      "    char* end = NULL;\n"
      "    values.push_back(std::strtod(token.c_str(), &end));\n"
      "    if (*end != '\\0') return false;\n"
      "  }}\n"
      "  return true;\n"
      "}}\n\n"
      "}}  // namespace\n\n"
      "int main() {{\n"
      "#ifndef __SYNTHESIS__\n"
      "  if (!{0}_load_weights(NULL)) return 1;\n"
      "#endif\n"
      "  std::ifstream fin(\"tb_data/tb_input_features.dat\");\n"
      "  std::ifstream fexpected(\"tb_data/tb_output_predictions.dat\");\n"
      "  std::ofstream fout(\"tb_data/csim_results.log\");\n"
      "  if (!fin) {{\n"
      "    std::fprintf(stderr, \"tb_data/tb_input_features.dat not found\\n\");\n"
      "    return 1;\n"
      "  }}\n"
      "  std::string line;\n"
      "  std::vector<double> x, expected;\n"
      "  long samples = 0, mismatches = 0;\n"
      "  while (std::getline(fin, line)) {{\n"
      "    if (!ParseLine(line, x)) {{\n"
      "      std::fprintf(stderr, \"sample %ld: not a list of numbers\\n\", samples);\n"
      "      return 1;\n"
      "    }}\n"
      "    if (x.empty()) continue;\n"
      "    if (x.size() != {1}) {{\n"
      "      std::fprintf(stderr, \"sample %ld: %zu values, expected {1}\\n\", samples, "
      "x.size());\n"
      "      return 1;\n"
      "    }}\n",
      p.name, TotalSize(p.inputs));
  int64_t offset = 0;
  for (const Port& port : p.inputs) {
    s += fmt::format(
        "    {0} {1}[{2}];\n"
        "    for (int i = 0; i < {2}; i++) {1}[i] = {0}(x[{3} + i]);\n",
        port.type_name, port.array, port.size_macro, offset);
    offset += port.size;
  }
  for (const Port& port : p.outputs) {
    s += fmt::format("    {} {}[{}];\n", port.type_name, port.array, port.size_macro);
  }
  s += CallTop(p, "    ");
  s += "    std::vector<double> y;\n";
  for (const Port& port : p.outputs) {
    s += fmt::format("    for (int i = 0; i < {}; i++) y.push_back({}[i].to_double());\n",
                     port.size_macro, port.array);
  }
  s += fmt::format(
      "    for (size_t i = 0; i < y.size(); i++) {{\n"
      "      char text[40];\n"
      "      std::snprintf(text, sizeof text, \"%.17g\", y[i]);\n"
      "      fout << text << (i + 1 < y.size() ? \" \" : \"\\n\");\n"
      "    }}\n"
      "    if (fexpected && std::getline(fexpected, line) && ParseLine(line, expected)) {{\n"
      "      if (expected.size() != y.size()) {{\n"
      "        mismatches += {0};\n"
      "      }} else {{\n"
      "        for (size_t i = 0; i < y.size(); i++) mismatches += y[i] != expected[i];\n"
      "      }}\n"
      "    }}\n"
      "    samples++;\n"
      "  }}\n"
      "  std::printf(\"%ld samples\", samples);\n"
      "  if (fexpected) std::printf(\", %ld values differ from tb_output_predictions.dat\", "
      "mismatches);\n"
      "  std::printf(\"\\n\");\n"
      "  return mismatches == 0 ? 0 : 2;\n"
      "}}\n",
      TotalSize(p.outputs));
  return s;
}

std::string Bridge(const ProjectSpec& p) {
  std::string sizes;
  for (const Port& port : p.inputs) sizes += fmt::format("{}, ", port.size_macro);
  for (const Port& port : p.outputs) sizes += fmt::format("{}, ", port.size_macro);
  std::string s = fmt::format(
      "// The C entry points fixnn loads to run this project's C++ (built with g++, not for\n"
      "// synthesis): doubles in, doubles out, each value converted as the top function's\n"
      "// ports convert it.\n"
      "#include \"firmware/{0}.h\"\n\n"
      "extern \"C\" {{\n\n"
      "// Elements per sample of every input, then of every output.\n"
      "const long* {0}_io_sizes(int* n_inputs, int* n_outputs) {{\n"
      "  static const long sizes[] = {{{1}}};\n"
      "  *n_inputs = {2};\n"
      "  *n_outputs = {3};\n"
      "  return sizes;\n"
      "}}\n\n"
      "// Reads the weights kept in .txt files from `weights_dir` (NULL: the default). 0: done.\n"
      "int {0}_load(const char* weights_dir) {{ return {0}_load_weights(weights_dir) ? 0 : 1; "
      "}}\n\n"
      "// Runs n samples: inputs[k] holds n * (size of input k) doubles, outputs[k] receives n *\n"
      "// (size of output k). 0: done.\n"
      "int {0}_predict(const double* const* inputs, double* const* outputs, long n) {{\n"
      "  if (!{0}_load_weights(NULL)) return 1;\n"
      "  for (long s = 0; s < n; s++) {{\n",
      p.name, sizes, p.inputs.size(), p.outputs.size());
  for (size_t k = 0; k < p.inputs.size(); ++k) {
    const Port& port = p.inputs[k];
    s += fmt::format(
        "    {0} {1}[{2}];\n"
        "    for (long i = 0; i < {2}; i++) {1}[i] = {0}(inputs[{3}][s * {2} + i]);\n",
        port.type_name, port.array, port.size_macro, k);
  }
  for (const Port& port : p.outputs) {
    s += fmt::format("    {} {}[{}];\n", port.type_name, port.array, port.size_macro);
  }
  s += CallTop(p, "    ");
  for (size_t k = 0; k < p.outputs.size(); ++k) {
    const Port& port = p.outputs[k];
    s += fmt::format(
        "    for (long i = 0; i < {0}; i++) outputs[{1}][s * {0} + i] = {2}[i].to_double();\n",
        port.size_macro, k, port.array);
  }
  return s + "  }\n  return 0;\n}\n\n}  // extern \"C\"\n";
}

std::string BuildTcl(const ProjectSpec& p) {
  const std::string part = p.part.empty() ? "xcvu13p-flga2577-2-e" : p.part;
  const std::string uncertainty = p.clock_uncertainty.empty() ? "12.5%" : p.clock_uncertainty;
  return fmt::format(
      "# Builds the HLS project '{0}' with Vitis HLS or Vivado HLS:\n"
      "#   vitis_hls -f build_prj.tcl -tclargs \"csim=1 synth=1 cosim=0 export=0 vsynth=0\"\n"
      "#   vivado_hls -f build_prj.tcl -tclargs \"csim=1 synth=1\"\n"
      "# Switches: reset (new project), csim (C simulation with tb_data), synth, cosim\n"
      "# (C/RTL co-simulation), export (IP catalog), vsynth (Vivado synthesis of the RTL).\n"
      "array set opt {{reset 0 csim 1 synth 1 cosim 0 export 0 vsynth 0}}\n"
      "foreach arg $::argv {{\n"
      "  foreach o [split $arg] {{\n"
      "    set kv [split $o =]\n"
      "    if {{[llength $kv] == 2 && [info exists opt([lindex $kv 0])]}} {{\n"
      "      set opt([lindex $kv 0]) [lindex $kv 1]\n"
      "    }}\n"
      "  }}\n"
      "}}\n\n"
      "set project_name \"{0}\"\n"
      "set part \"{1}\"\n"
      "set clock_period {2}\n"
      "set clock_uncertainty \"{3}\"\n"
      "set vitis [expr {{[string first vitis [string tolower [info nameofexecutable]]] >= 0}}]\n\n"
      "if {{$opt(reset)}} {{\n"
      "  open_project -reset ${{project_name}}_prj\n"
      "}} else {{\n"
      "  open_project ${{project_name}}_prj\n"
      "}}\n"
      "set_top ${{project_name}}\n"
      "add_files firmware/${{project_name}}.cpp -cflags \"-std=c++14\"\n"
      "add_files -tb ${{project_name}}_test.cpp -cflags \"-std=c++14\"\n"
      "add_files -tb firmware/weights\n"
      "add_files -tb tb_data\n"
      "if {{$vitis}} {{\n"
      "  open_solution -reset solution1 -flow_target vivado\n"
      "}} else {{\n"
      "  open_solution -reset solution1\n"
      "}}\n"
      "set_part $part\n"
      "create_clock -period $clock_period -name default\n"
      "set_clock_uncertainty $clock_uncertainty default\n\n"
      "if {{$opt(csim)}} {{\n"
      "  puts \"C simulation\"\n"
      "  csim_design\n"
      "}}\n"
      "if {{$opt(synth)}} {{\n"
      "  puts \"C synthesis\"\n"
      "  csynth_design\n"
      "}}\n"
      "if {{$opt(cosim)}} {{\n"
      "  puts \"C/RTL co-simulation\"\n"
      "  cosim_design -trace_level all\n"
      "}}\n"
      "if {{$opt(export)}} {{\n"
      "  puts \"Export\"\n"
      "  export_design -format ip_catalog\n"
      "}}\n"
      "if {{$opt(vsynth)}} {{\n"
      "  puts \"Vivado synthesis\"\n"
      "  exec vivado -mode batch -source vivado_synth.tcl >@ stdout\n"
      "}}\n"
      "exit\n",
      p.name, part, p.clock_period, uncertainty);
}

std::string VivadoSynthTcl(const ProjectSpec& p) {
  const std::string part = p.part.empty() ? "xcvu13p-flga2577-2-e" : p.part;
  return fmt::format(
      "# Vivado synthesis of the RTL that build_prj.tcl generated (its vsynth switch runs it).\n"
      "set project_name \"{0}\"\n"
      "set part \"{1}\"\n"
      "add_files ${{project_name}}_prj/solution1/syn/verilog\n"
      "synth_design -top ${{project_name}} -part $part\n"
      "report_utilization -file vivado_synth.rpt\n"
      "report_timing_summary -file vivado_timing.rpt\n",
      p.name, part);
}

std::string Readme(const ProjectSpec& p) {
  return fmt::format(
      "# {0}: an HLS project written by fixnn\n\n"
      "The model's layers as synthesizable C++ ({3}), computing bit for bit what\n"
      "`fixnn predict` computes.\n\n"
      "- `firmware/{0}.cpp`, `firmware/{0}.h`: the top function `{0}`.\n"
      "- `firmware/defines.h`: port sizes and every type; `firmware/parameters.h`: each "
      "layer's\n  configuration.\n"
      "- `firmware/weights/`: weights and tables as initialised arrays; large ones also as .txt\n"
      "  files that C simulation reads.\n"
      "- `firmware/fixnn/`: the layer templates. `firmware/ap_types/`: fixnn's ap_fixed.h,\n"
      "  ap_int.h and hls_stream.h for builds with g++ alone (the HLS tools use their own).\n"
      "- `{0}_test.cpp`: testbench, reads `tb_data/tb_input_features.dat`, writes\n"
      "  `tb_data/csim_results.log`, compares with `tb_data/tb_output_predictions.dat` when "
      "present.\n"
      "- `{0}_bridge.cpp`: C entry points for running the C++ from fixnn.\n\n"
      "## Build\n\n"
      "C simulation with g++ alone:\n\n"
      "    g++ -std=c++14 -O2 -Ifirmware -Ifirmware/ap_types firmware/{0}.cpp {0}_test.cpp "
      "-o {0}_tb\n"
      "    ./{0}_tb\n\n"
      "Vitis HLS (or Vivado HLS, same switches):\n\n"
      "    vitis_hls -f build_prj.tcl -tclargs \"csim=1 synth=1 cosim=0 export=0 vsynth=0\"\n\n"
      "Part {1}, clock period {2} ns.\n",
      p.name, p.part.empty() ? "xcvu13p-flga2577-2-e" : p.part, p.clock_period,
      p.io_stream ? "io_stream: hls::stream ports, a packet of the last axis per position, one "
                    "function per layer under DATAFLOW"
                  : "io_parallel");
}

}  // namespace fixnn::backends::hls
