#include "tools/fixnn/model_loading.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "config/config_from_graph.h"
#include "frontends/keras/keras_frontend.h"
#include "passes/configure.h"

namespace fixnn::cli {

namespace fs = std::filesystem;

bool IsYamlPath(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  return ext == ".yml" || ext == ".yaml";
}

Result<LoadedModel> LoadModelArg(const std::string& model, const std::string& weights,
                                 const std::string& config_path, bool hls4ml_compatible) {
  LoadedModel out;
  std::string model_path = model;
  std::string weights_path = weights;
  std::string project_path = config_path;
  if (IsYamlPath(model)) {
    if (!config_path.empty()) {
      return Error(
          fmt::format("{}: give either a project file or a model with -c, not both", model));
    }
    project_path = model;
  }
  if (!project_path.empty()) {
    Result<config::ProjectConfig> project = config::LoadProjectConfig(project_path);
    if (!project.ok()) return project.error();
    out.project = std::move(project).value();
    if (IsYamlPath(model)) {
      if (!out.project->keras_model.empty()) {
        model_path = out.project->keras_model;
      } else if (!out.project->keras_json.empty()) {
        model_path = out.project->keras_json;
        weights_path = out.project->keras_h5;
      } else if (!out.project->keras_h5.empty()) {
        model_path = out.project->keras_h5;
      } else {
        return Error(fmt::format(
            "{}: the project names no Keras model (KerasModel, KerasJson + KerasH5 or KerasH5)",
            project_path));
      }
    }
  }
  frontends::keras::KerasLoadOptions load;
  load.weights_path = weights_path;
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel(model_path, load);
  if (!graph.ok()) return graph.error();
  out.graph = std::move(graph).value();
  if (out.project) {
    passes::ConfigureOptions options =
        hls4ml_compatible ? passes::ConfigureOptions::Hls4ml() : passes::ConfigureOptions();
    options.reuse.io_stream = out.project->io_type == config::IOType::kStream;
    if (Status s = passes::Configure(out.graph, out.project->hls, options); !s.ok()) {
      return Error(fmt::format("{}: {}", project_path, s.error().message()));
    }
  }
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& text, bool force) {
  if (fs::exists(path) && !force) {
    return Error(fmt::format("{}: the file exists; use --force to replace it", path));
  }
  fs::path tmp = fs::path(path).concat(".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return Error(fmt::format("{}: cannot write the file", path));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Error(fmt::format("{}: cannot write the file ({})", path, ec.message()));
  }
  return Status::Ok();
}

Result<LoadedModel> LoadConfiguredModel(const std::string& model, const std::string& weights,
                                        const std::string& config_path, bool hls4ml_compatible) {
  Result<LoadedModel> loaded = LoadModelArg(model, weights, config_path, hls4ml_compatible);
  if (!loaded.ok()) return loaded.error();
  if (loaded->project) return loaded;
  Result<config::HlsConfig> hls =
      config::ConfigFromGraph(loaded->graph, config::Granularity::kName);
  if (!hls.ok()) return hls.error();
  const passes::ConfigureOptions options =
      hls4ml_compatible ? passes::ConfigureOptions::Hls4ml() : passes::ConfigureOptions();
  if (Status s = passes::Configure(loaded->graph, *hls, options); !s.ok()) return s.error();
  return loaded;
}

}  // namespace fixnn::cli
