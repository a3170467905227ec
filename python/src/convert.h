// Reading a model and configuring it, as `fixnn predict` / `fixnn convert` do, from the
// arguments hls4ml's Python functions take.
#pragma once

#include <nanobind/nanobind.h>

#include <cstdint>
#include <optional>
#include <string>

#include "model.h"

namespace fixnn::python {

struct LoadArgs {
  std::string model;    // .keras, .h5 or .json architecture
  std::string weights;  // weights file for a JSON architecture (empty: found beside it)
  // The HLSConfig mapping as JSON text (hls4ml's dict); nullopt: hls4ml's default, as
  // config_from_keras_model(granularity='name') gives it (every type 'auto').
  std::optional<std::string> hls_config_json;
  bool hls4ml_compatible = false;
  std::string output_dir = "my-hls-test";
  std::string project_name = "myproject";
  std::string part;
  double clock_period = 5.0;
  std::string io_type = "io_parallel";
  std::string backend = "Vivado";
};

Model LoadModel(const LoadArgs& args);

// A project file (hls4ml's YAML naming its model), as `fixnn predict project.yml` reads it.
Model LoadProject(const std::string& path, bool hls4ml_compatible);

// hls4ml's config_from_keras_model: the HLSConfig mapping as a Python dict, precisions in
// hls4ml's spelling ("fixed<16,6>").
nb::object ConfigFromModel(const std::string& model, const std::string& weights,
                           const std::string& granularity, const std::string& default_precision,
                           int64_t default_reuse_factor, const std::string& max_precision);

}  // namespace fixnn::python
