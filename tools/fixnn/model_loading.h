// What the model commands share: reading a model (or a project file naming one) with its
// configuration applied, and writing output files safely.
#pragma once

#include <optional>
#include <string>

#include "config/project_config.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::cli {

bool IsYamlPath(const std::string& path);

// A model given directly, or through a project file's KerasModel / KerasJson + KerasH5.
struct LoadedModel {
  ir::Graph graph;
  std::optional<config::ProjectConfig> project;
};

// Command-line settings that replace the configuration's (hls4ml's convert options): the
// Model entry's default precision, ReuseFactor and Strategy, the I/O style and the backend.
// Unset members keep what the configuration (or the generated one) says.
struct ConfigOverrides {
  std::string precision;
  int64_t reuse_factor = 0;
  std::string strategy;
  std::string io_type;  // io_parallel, io_stream
  std::string backend;  // Vivado, Vitis (any case)
};

// `model` is a model file or a project .yml; `weights` a weights file for a JSON architecture;
// `config_path` a project/configuration .yml for a model file. With a configuration the graph
// comes back configured (passes::Configure).
// `hls4ml_compatible` configures as hls4ml 1.3.0 does where fixnn chooses otherwise
// (BatchNorm folding, linear activations: passes::ConfigureOptions::Hls4ml()).
Result<LoadedModel> LoadModelArg(const std::string& model, const std::string& weights,
                                 const std::string& config_path, bool hls4ml_compatible = false);

// LoadModelArg, then, for a model given without a configuration, hls4ml's default one
// (config_from_keras_model with granularity 'name': every type 'auto') applied.
// The project settings come back too: the project file's, or defaults naming the model, with
// `overrides` applied; the graph is configured with them.
Result<LoadedModel> LoadConfiguredModel(const std::string& model, const std::string& weights,
                                        const std::string& config_path, bool hls4ml_compatible,
                                        const ConfigOverrides& overrides = {});

// Writes `text` to `path` through a temporary file beside it, so that a failure never leaves
// a partial file; an existing file is replaced only with `force`.
Status WriteFileAtomically(const std::string& path, const std::string& text, bool force);

}  // namespace fixnn::cli
