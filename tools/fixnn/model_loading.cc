#include "tools/fixnn/model_loading.h"

#include <fmt/format.h>

#include <cctype>
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

namespace {

// Reads the model (and the project file naming it, or given with -c), unconfigured.
Result<LoadedModel> ReadModelArg(const std::string& model, const std::string& weights,
                                 const std::string& config_path) {
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
  return out;
}

Status ConfigureLoaded(LoadedModel& loaded, const config::ProjectConfig& project,
                       bool hls4ml_compatible, const std::string& where) {
  passes::ConfigureOptions options =
      hls4ml_compatible ? passes::ConfigureOptions::Hls4ml() : passes::ConfigureOptions();
  options.reuse.io_stream = project.io_type == config::IOType::kStream;
  if (Status s = passes::Configure(loaded.graph, project.hls, options); !s.ok()) {
    return where.empty() ? s : Error(fmt::format("{}: {}", where, s.error().message()));
  }
  return Status::Ok();
}

// Applies the command line's settings to `project`.
Status ApplyOverrides(const ConfigOverrides& o, config::ProjectConfig& project) {
  config::LayerConfig& model = project.hls.model;
  if (!o.precision.empty()) {
    Result<config::PrecisionSpec> spec = config::ParsePrecisionSpec(o.precision);
    if (!spec.ok()) return Error(fmt::format("--precision: {}", spec.error().message()));
    model.precision["default"] = *spec;
  }
  // ReuseFactor and Strategy replace the value of every entry that sets one, as a user giving
  // them on the command line means the whole model.
  auto every_entry = [&project](auto&& set) {
    set(project.hls.model, true);
    for (auto& [name, entry] : project.hls.by_type) set(entry, false);
    for (auto& [name, entry] : project.hls.by_name) set(entry, false);
  };
  if (o.reuse_factor != 0) {
    if (o.reuse_factor < 0) return Error("--reuse: the reuse factor must be at least 1");
    every_entry([&o](config::LayerConfig& e, bool always) {
      if (always || e.reuse_factor) e.reuse_factor = o.reuse_factor;
    });
  }
  if (!o.strategy.empty()) {
    std::optional<config::Strategy> s = config::ParseEnum<config::Strategy>(o.strategy);
    if (!s) {
      return Error(fmt::format("--strategy: '{}' is not one of {}", o.strategy,
                               config::EnumChoices<config::Strategy>()));
    }
    every_entry([s](config::LayerConfig& e, bool always) {
      if (always || e.strategy) e.strategy = *s;
    });
  }
  if (!o.io_type.empty()) {
    if (o.io_type == "io_parallel") {
      project.io_type = config::IOType::kParallel;
    } else if (o.io_type == "io_stream") {
      project.io_type = config::IOType::kStream;
    } else {
      return Error(fmt::format("--io-type: '{}' is not one of io_parallel, io_stream", o.io_type));
    }
  }
  if (!o.backend.empty()) {
    std::string lower;
    for (char c : o.backend)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "vivado") {
      project.backend = config::Backend::kVivado;
    } else if (lower == "vitis") {
      project.backend = config::Backend::kVitis;
    } else {
      return Error(fmt::format("--backend: '{}' is not one of vitis, vivado", o.backend));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<LoadedModel> LoadModelArg(const std::string& model, const std::string& weights,
                                 const std::string& config_path, bool hls4ml_compatible) {
  Result<LoadedModel> out = ReadModelArg(model, weights, config_path);
  if (!out.ok() || !out->project) return out;
  const std::string where = IsYamlPath(model) ? model : config_path;
  if (Status s = ConfigureLoaded(*out, *out->project, hls4ml_compatible, where); !s.ok()) {
    return s.error();
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
                                        const std::string& config_path, bool hls4ml_compatible,
                                        const ConfigOverrides& overrides) {
  Result<LoadedModel> loaded = ReadModelArg(model, weights, config_path);
  if (!loaded.ok()) return loaded.error();
  const bool from_file = loaded->project.has_value();
  config::ProjectConfig project = loaded->project.value_or(config::ProjectConfig{});
  if (!from_file) {
    Result<config::HlsConfig> hls =
        config::ConfigFromGraph(loaded->graph, config::Granularity::kName,
                                overrides.precision.empty() ? "fixed<16,6>" : overrides.precision,
                                overrides.reuse_factor > 0 ? overrides.reuse_factor : 1);
    if (!hls.ok()) return hls.error();
    project.hls = std::move(hls).value();
  }
  if (Status s = ApplyOverrides(overrides, project); !s.ok()) return s.error();
  const std::string where = !from_file ? "" : IsYamlPath(model) ? model : config_path;
  if (Status s = ConfigureLoaded(*loaded, project, hls4ml_compatible, where); !s.ok()) {
    return s.error();
  }
  if (!IsYamlPath(model)) {  // the project names the model it was made from
    const std::string abs_model = fs::absolute(model).string();
    project.keras_model = project.keras_json = project.keras_h5 = "";
    if (fs::path(model).extension() == ".json") {
      project.keras_json = abs_model;
      project.keras_h5 = weights.empty() ? "" : fs::absolute(weights).string();
    } else {
      project.keras_model = abs_model;
    }
  }
  loaded->project = std::move(project);
  return loaded;
}

}  // namespace fixnn::cli
