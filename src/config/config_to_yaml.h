// Writes configurations back as YAML that LoadProjectConfig / ParseHlsConfig read to an equal
// value (positions aside).
#pragma once

#include <string>

#include "config/hls_config.h"
#include "config/project_config.h"

namespace fixnn::config {

// The HLSConfig mapping: Model, LayerType, LayerName (and Flows / Optimizers /
// SkipOptimizers when set). A Precision with only "default" is written as a single string.
std::string ToYaml(const HlsConfig& config);

// The whole project file, HLSConfig included. Paths are written as held (absolute after
// loading).
std::string ToYaml(const ProjectConfig& config);

}  // namespace fixnn::config
