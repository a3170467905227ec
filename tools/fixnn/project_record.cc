#include "tools/fixnn/project_record.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fixnn::cli {

namespace fs = std::filesystem;

std::string ProjectConfigFileName() { return "hls4ml_config.yml"; }
std::string ProjectRecordFileName() { return "fixnn_project.json"; }

std::string ProjectRecordText(const config::ProjectConfig& project, bool hls4ml_compatible) {
  nlohmann::json j;
  j["config"] = ProjectConfigFileName();
  j["project_name"] = project.project_name;
  j["hls4ml_compatible"] = hls4ml_compatible;
  return j.dump(2) + "\n";
}

Result<ProjectRecord> ReadProjectRecord(const fs::path& dir) {
  const fs::path file = dir / ProjectRecordFileName();
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error(fmt::format(
        "{}: not a project written by fixnn convert (it has no {}); give a model file instead",
        dir.string(), ProjectRecordFileName()));
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("config") || !j["config"].is_string() ||
      !j.contains("project_name") || !j["project_name"].is_string()) {
    return Error(fmt::format("{}: not a fixnn project record (damaged?)", file.string()));
  }
  ProjectRecord r;
  r.config_file = fs::absolute(dir / j["config"].get<std::string>()).string();
  r.project_name = j["project_name"].get<std::string>();
  r.hls4ml_compatible = j.value("hls4ml_compatible", false);
  if (!fs::is_regular_file(r.config_file)) {
    return Error(fmt::format("{}: names {}, which is missing", file.string(), r.config_file));
  }
  return r;
}

}  // namespace fixnn::cli
