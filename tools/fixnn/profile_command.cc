#include "tools/fixnn/profile_command.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/profile.h"
#include "tools/fixnn/array_files.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/model_loading.h"

namespace fixnn::cli {
namespace {

struct ProfileCliOptions {
  std::string model;
  std::string weights;
  std::string config;
  std::vector<std::string> data;
  bool json = false;
  bool hls4ml = false;
};

int Fail(const std::string& message) {
  std::cerr << "fixnn profile: " << message << "\n";
  return kExitUserError;
}

nlohmann::json StatsJson(const analysis::ValueStats& s) {
  return {{"count", s.count},
          {"min", s.min},
          {"max", s.max},
          {"abs",
           {{"min", s.abs.min},
            {"q1", s.abs.q1},
            {"median", s.abs.median},
            {"q3", s.abs.q3},
            {"max", s.abs.max},
            {"nonzero", s.abs.nonzero}}}};
}

nlohmann::json ProfileJson(const analysis::ModelProfile& p) {
  nlohmann::json tensors = nlohmann::json::array();
  for (const analysis::TensorProfile& t : p.tensors) {
    nlohmann::json j = {{"layer", t.layer},
                        {"tensor", t.tensor},
                        {"kind", t.kind},
                        {"float", StatsJson(t.float_values)},
                        {"integer_bits_needed", t.integer_bits_needed},
                        {"out_of_range", t.out_of_range},
                        {"fits", t.fits()}};
    if (t.type) {
      j["type"] = t.type->ToString();
      j["type_range"] = {t.type_min, t.type_max};
    }
    if (t.kind == "output") j["fixed"] = StatsJson(t.fixed_values);
    tensors.push_back(std::move(j));
  }
  return {{"samples", p.samples}, {"tensors", tensors}};
}

int RunProfile(const ProfileCliOptions& opt) {
  Result<LoadedModel> loaded = LoadConfiguredModel(opt.model, opt.weights, opt.config, opt.hls4ml);
  if (!loaded.ok()) return Fail(loaded.error().message());
  Result<std::vector<emulator::Batch>> inputs = ReadModelInputs(opt.data, loaded->graph);
  if (!inputs.ok()) return Fail(inputs.error().message());
  Result<analysis::ModelProfile> profile = analysis::ProfileModel(loaded->graph, *inputs);
  if (!profile.ok()) return Fail(profile.error().message());
  std::cout << (opt.json ? ProfileJson(*profile).dump(2) + "\n"
                         : analysis::FormatProfile(*profile));
  return kExitOk;
}

}  // namespace

void AddProfileCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ProfileCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "Each layer's values on data (floating point and fixed point) against its type's range, "
      "with the integer bits they need and what overflowed");
  cmd->add_option("MODEL", opt->model, "Model file (.keras, .h5, .json) or a project .yml")
      ->required();
  cmd->add_option("-w,--weights", opt->weights, "Weights file for a JSON architecture");
  cmd->add_option("-c,--config", opt->config,
                  "hls4ml-style configuration (default: hls4ml's config_from_keras_model with "
                  "granularity 'name')");
  cmd->add_option("-d,--data", opt->data,
                  "Inputs: .npy / .csv per model input, or one .npz (as fixnn predict -i)")
      ->required();
  cmd->add_flag("--json", opt->json, "Print the profile as JSON");
  cmd->add_flag("--hls4ml-compatible", opt->hls4ml, "Configure as hls4ml 1.3.0 does");
  cmd->callback([opt, &exit_code] { exit_code = RunProfile(*opt); });
}

}  // namespace fixnn::cli
