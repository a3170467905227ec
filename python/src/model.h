// A configured model as the Python package holds it: the graph with every type set, its
// emulator, the project settings, and, after compile(), the HLS project built with g++.
#pragma once

#include <nanobind/nanobind.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrays.h"
#include "backends/hls/compile.h"
#include "config/project_config.h"
#include "emulator/emulator.h"
#include "ir/graph.h"

namespace fixnn::python {

class Model {
 public:
  // Creates the emulator: a graph the emulator refuses is an error here, naming the layer.
  Model(ir::Graph configured, config::ProjectConfig project, bool hls4ml_compatible);

  // The emulator's outputs, one array per graph output.
  nb::list Predict(const std::vector<InArray>& inputs) const;
  // (outputs, {layer name: array [N, layer output shape...]}) for every node, inputs included.
  nb::tuple Trace(const std::vector<InArray>& inputs) const;
  // {"samples", "run": [site...], "setup": [site...], "text"}: the values that wrapped or
  // saturated, per layer and cast site.
  nb::dict Overflow(const std::vector<InArray>& inputs) const;

  // Writes the HLS project to project.output_dir (replacing it), with testbench data when
  // inputs are given. Returns the folder.
  std::string Write(const std::vector<InArray>& tb_inputs);
  // Builds the project Write wrote with g++ and loads the library; `ap_include_dir` empty:
  // fixnn's headers.
  void Compile(const std::string& ap_include_dir);
  // The compiled project's outputs (after Compile), shaped as Predict's.
  nb::list PredictCompiled(const std::vector<InArray>& inputs) const;
  bool compiled() const { return compiled_.has_value(); }

  // Every node: name, class, op, inputs/outputs, output shape and type, weights with their
  // values and types, internal types; each type as {"type", "min", "max", "lsb"}.
  nb::list Layers() const;
  // The project settings (OutputDir, ProjectName, Part, ClockPeriod, IOType, Backend), and
  // the inputs' and outputs' names and shapes.
  nb::dict Info() const;
  // The project file (hls4ml's YAML) for these settings and configuration.
  std::string ConfigYaml() const;

  void set_output_dir(const std::string& dir) { project_.output_dir = dir; }

 private:
  ir::Graph graph_;
  config::ProjectConfig project_;
  bool hls4ml_compatible_;
  std::shared_ptr<emulator::Emulator> emulator_;
  std::optional<backends::hls::CompiledProject> compiled_;
};

}  // namespace fixnn::python
