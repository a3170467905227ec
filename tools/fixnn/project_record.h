// What `fixnn convert` leaves in a project folder so that later commands (`fixnn predict DIR`,
// `fixnn predict DIR --csim`) compute with the same model and configuration:
// hls4ml_config.yml (the project configuration, naming the model file, as hls4ml writes its
// own) and fixnn_project.json (the choices that are not configuration keys).
#pragma once

#include <filesystem>
#include <string>

#include "config/project_config.h"
#include "support/result.h"

namespace fixnn::cli {

struct ProjectRecord {
  std::string config_file;  // absolute: <dir>/hls4ml_config.yml
  std::string project_name;
  bool hls4ml_compatible = false;
};

// The files' names and texts, to be written with the project.
std::string ProjectConfigFileName();  // "hls4ml_config.yml"
std::string ProjectRecordFileName();  // "fixnn_project.json"
std::string ProjectRecordText(const config::ProjectConfig& project, bool hls4ml_compatible);

// Reads a folder's record. Errors name the folder and say how to make one.
Result<ProjectRecord> ReadProjectRecord(const std::filesystem::path& dir);

}  // namespace fixnn::cli
