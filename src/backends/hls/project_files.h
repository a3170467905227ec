// The text of a generated project's files other than the per-layer code: the top function's
// header and source, defines.h, parameters.h, weight headers and data files, the testbench,
// the bridge that `compile` loads, the HLS and Vivado scripts and the README.
#pragma once

#include <string>
#include <vector>

#include "backends/hls/layer_emitter.h"
#include "config/project_config.h"

namespace fixnn::backends::hls {

// A port of the top function.
struct Port {
  std::string array;       // "input1", "out1"
  std::string type_name;   // "input1_t", "result1_t"
  std::string size_macro;  // "N_INPUT1"
  int64_t size = 0;
  std::string tensor;  // the graph's tensor name
  std::string source;  // outputs: the array the layer computing it writes
  int64_t packet = 0;  // io_stream: values per packet (the last axis)
};

// Everything the project's files are made from.
struct ProjectSpec {
  std::string name;  // the top function's name
  std::vector<Port> inputs, outputs;
  std::vector<Typedef> typedefs;     // in order, without duplicates
  std::vector<std::string> configs;  // parameters.h structs
  std::vector<ConstArray> arrays;
  std::vector<bool> array_has_txt;  // per array: also a .txt file read in C simulation
  bool io_stream = false;
  std::string functions;             // io_stream: the layers' functions, before the top
  std::string body;                  // the top function's statements
  std::vector<std::string> headers;  // fixnn/*.h templates used
  std::string part;
  double clock_period = 5.0;
  std::string clock_uncertainty;
};

std::string TopHeader(const ProjectSpec& p);
std::string TopSource(const ProjectSpec& p);
std::string DefinesHeader(const ProjectSpec& p);
std::string ParametersHeader(const ProjectSpec& p);
std::string WeightHeader(const ConstArray& a, bool has_txt);
std::string WeightTxt(const ConstArray& a);
std::string Testbench(const ProjectSpec& p);
std::string Bridge(const ProjectSpec& p);
std::string BuildTcl(const ProjectSpec& p);
std::string VivadoSynthTcl(const ProjectSpec& p);
std::string Readme(const ProjectSpec& p);

}  // namespace fixnn::backends::hls
