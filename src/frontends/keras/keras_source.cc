#include "frontends/keras/keras_source.h"

#include <fmt/format.h>

#include <filesystem>

#include "io/file_format.h"
#include "io/hdf5_file.h"
#include "io/zip_archive.h"

namespace fixnn::frontends::keras {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMaxJsonBytes = size_t{256} << 20;

Result<json> ParseJson(const std::string& text, const std::string& where) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(fmt::format("{}: not valid JSON", where));
  return j;
}

int MajorOf(const std::string& version) {
  if (version.empty()) return 2;
  return version[0] == '3' ? 3 : 2;
}

// Checks the top of a model description and fills the version fields.
Status SetModel(KerasSource& src, json model, const std::string& where) {
  if (!model.is_object() || !model.contains("class_name") || !model["class_name"].is_string() ||
      !model.contains("config")) {
    return Error(fmt::format("{}: not a Keras model description (no class_name/config)", where));
  }
  if (src.keras_version.empty() && model.contains("keras_version") &&
      model["keras_version"].is_string()) {
    src.keras_version = model["keras_version"].get<std::string>();
  }
  // Keras 3 writes "module" and "registered_name" beside class_name; Keras 2 does not.
  if (src.keras_version.empty() && model.contains("module")) src.keras_version = "3";
  src.keras_major = MajorOf(src.keras_version);
  src.model = std::move(model);
  return Status::Ok();
}

Result<KerasSource> FromHdf5(const std::string& path) {
  Result<io::Hdf5File> file = io::Hdf5File::Open(path);
  if (!file.ok()) return file.error();
  if (!file->HasAttribute("/", "model_config")) {
    return Error(
        fmt::format("{}: an HDF5 file without a model architecture (a weights-only file); give the "
                    "architecture JSON and this file as its weights",
                    path));
  }
  Result<std::string> config = file->ReadStringAttribute("/", "model_config");
  if (!config.ok()) return config.error();
  Result<json> model = ParseJson(*config, path + ": attribute model_config");
  if (!model.ok()) return model.error();
  KerasSource src;
  src.file_name = path;
  if (file->HasAttribute("/", "keras_version")) {
    Result<std::string> v = file->ReadStringAttribute("/", "keras_version");
    if (v.ok()) src.keras_version = *v;
  }
  if (Status s = SetModel(src, std::move(model).value(), path); !s.ok()) return s.error();
  if (!file->Exists("model_weights")) {
    return Error(fmt::format("{}: the file has a model_config but no model_weights group", path));
  }
  src.weights = MakeLegacyStore(std::move(file).value(), "model_weights", path);
  return src;
}

Result<KerasSource> FromZip(const std::string& path) {
  Result<io::ZipArchive> zip = io::ZipArchive::Open(path);
  if (!zip.ok()) return zip.error();
  Result<std::string> config = zip->Read("config.json", kMaxJsonBytes);
  if (!config.ok()) {
    return Error(fmt::format("{}: not a Keras archive ({})", path, config.error().message()));
  }
  Result<json> model = ParseJson(*config, path + ": config.json");
  if (!model.ok()) return model.error();
  KerasSource src;
  src.file_name = path;
  if (Result<std::string> meta = zip->Read("metadata.json", 1 << 20); meta.ok()) {
    json m = json::parse(*meta, nullptr, false);
    if (m.is_object() && m.contains("keras_version") && m["keras_version"].is_string()) {
      src.keras_version = m["keras_version"].get<std::string>();
    }
  }
  if (src.keras_version.empty()) src.keras_version = "3";
  if (Status s = SetModel(src, std::move(model).value(), path + ": config.json"); !s.ok()) {
    return s.error();
  }
  Result<std::string> weights = zip->Read("model.weights.h5", size_t{4} << 30);
  if (!weights.ok()) {
    return Error(fmt::format("{}: the archive has no model.weights.h5 ({})", path,
                             weights.error().message()));
  }
  Result<io::Hdf5File> h5 =
      io::Hdf5File::OpenImage(std::move(weights).value(), path + ": model.weights.h5");
  if (!h5.ok()) return h5.error();
  src.weights = MakeVarsStore(std::move(h5).value(), path + ": model.weights.h5");
  return src;
}

// A weights file for a JSON architecture: legacy weights-only, Keras 3 vars, or full model.
Result<std::unique_ptr<WeightStore>> OpenWeights(const std::string& path) {
  Result<io::FileFormat> format = io::DetectFileFormat(path);
  if (!format.ok()) return format.error();
  if (*format != io::FileFormat::kHdf5) {
    return Error(fmt::format("{}: the weights file is not HDF5", path));
  }
  Result<io::Hdf5File> file = io::Hdf5File::Open(path);
  if (!file.ok()) return file.error();
  if (file->Exists("model_weights") && file->HasAttribute("/", "model_config")) {
    return MakeLegacyStore(std::move(file).value(), "model_weights", path);
  }
  if (file->HasAttribute("/", "layer_names")) {
    return MakeLegacyStore(std::move(file).value(), "", path);
  }
  if (file->Exists("layers") || file->Exists("vars")) {
    return MakeVarsStore(std::move(file).value(), path);
  }
  return Error(
      fmt::format("{}: no Keras weights in this HDF5 file (no layer_names attribute, "
                  "no layers group)",
                  path));
}

}  // namespace

std::string FindWeightsBeside(const std::string& json_path) {
  fs::path p(json_path);
  fs::path dir = p.parent_path();
  std::string stem = p.stem().string();
  for (const std::string& candidate :
       {stem + "_weights.h5", stem + ".weights.h5", std::string("model_weights.h5"),
        std::string("model.weights.h5")}) {
    if (fs::exists(dir / candidate)) return (dir / candidate).string();
  }
  return "";
}

namespace {

Result<KerasSource> FromJson(const std::string& path, const std::string& weights_path) {
  Result<std::string> text = io::ReadTextFile(path, kMaxJsonBytes);
  if (!text.ok()) return text.error();
  Result<json> model = ParseJson(*text, path);
  if (!model.ok()) return model.error();
  KerasSource src;
  src.file_name = path;
  if (Status s = SetModel(src, std::move(model).value(), path); !s.ok()) return s.error();
  std::string weights = weights_path.empty() ? FindWeightsBeside(path) : weights_path;
  if (weights.empty()) {
    return Error(
        fmt::format("{}: a model architecture without weights; give the weights file "
                    "(none of <name>_weights.h5, <name>.weights.h5, model_weights.h5, "
                    "model.weights.h5 is beside it)",
                    path));
  }
  Result<std::unique_ptr<WeightStore>> store = OpenWeights(weights);
  if (!store.ok()) return store.error();
  src.weights = std::move(store).value();
  return src;
}

}  // namespace

Result<KerasSource> OpenKerasSource(const std::string& path, const std::string& weights_path) {
  Result<io::FileFormat> format = io::DetectFileFormat(path);
  if (!format.ok()) return format.error();
  switch (*format) {
    case io::FileFormat::kHdf5:
      if (!weights_path.empty()) {
        return Error(fmt::format("{}: a full-model file takes no separate weights file", path));
      }
      return FromHdf5(path);
    case io::FileFormat::kZip:
      return FromZip(path);
    case io::FileFormat::kJson:
      return FromJson(path, weights_path);
    default:
      return Error(
          fmt::format("{}: not a Keras model (expected a .keras archive, an HDF5 model or a JSON "
                      "architecture)",
                      path));
  }
}

}  // namespace fixnn::frontends::keras
