#include "frontends/keras/weight_store.h"

#include <fmt/format.h>

#include <algorithm>

namespace fixnn::frontends::keras {
namespace {

std::vector<std::string> SplitPath(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t slash = s.find('/', start);
    if (slash == std::string::npos) slash = s.size();
    if (slash > start) parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// "kernel:0" -> "kernel"
std::string StripIndex(const std::string& s) {
  size_t colon = s.rfind(':');
  return colon == std::string::npos ? s : s.substr(0, colon);
}

class LegacyStore : public WeightStore {
 public:
  LegacyStore(io::Hdf5File file, std::string prefix, std::string file_name)
      : file_(std::move(file)), prefix_(std::move(prefix)), file_name_(std::move(file_name)) {}

  Result<StoredWeights> Get(const LayerRef& layer, const std::string& sub) const override {
    std::string group =
        prefix_.empty() ? layer.top_level_name : prefix_ + "/" + layer.top_level_name;
    StoredWeights out;
    out.named = true;
    if (!file_.Exists(group)) return out;  // layers without weights may have no group
    if (!file_.HasAttribute(group, "weight_names")) return out;
    Result<std::vector<std::string>> names = file_.ReadStringListAttribute(group, "weight_names");
    if (!names.ok()) return names.error();
    const bool nested = layer.name != layer.top_level_name;
    // "forward_layer/cell" -> "forward"; "cell" -> no filter.
    std::string sub_filter;
    if (sub.rfind("forward", 0) == 0) sub_filter = "forward";
    if (sub.rfind("backward", 0) == 0) sub_filter = "backward";
    for (const std::string& full : *names) {
      std::vector<std::string> parts = SplitPath(full);
      if (parts.empty()) continue;
      std::vector<std::string> dirs(parts.begin(), parts.end() - 1);
      if (nested && std::find(dirs.begin(), dirs.end(), layer.name) == dirs.end()) continue;
      if (!sub_filter.empty()) {
        // The forward layer's weights sit under "forward_<name>"; the backward layer's under
        // "backward_<name>", or under its own name when the model gave one.
        bool forward = std::any_of(dirs.begin(), dirs.end(),
                                   [](const std::string& d) { return d.rfind("forward", 0) == 0; });
        if (forward != (sub_filter == "forward")) continue;
      }
      Result<io::Array> array = file_.ReadDataset(group + "/" + full);
      if (!array.ok()) return array.error();
      std::string path;
      for (size_t i = 0; i < dirs.size(); ++i) path += (i ? "/" : "") + dirs[i];
      out.names.push_back(StripIndex(parts.back()));
      out.paths.push_back(path);
      out.arrays.push_back(std::move(array).value());
    }
    return out;
  }
  const std::string& file_name() const override { return file_name_; }

 private:
  io::Hdf5File file_;
  std::string prefix_;
  std::string file_name_;
};

class VarsStore : public WeightStore {
 public:
  VarsStore(io::Hdf5File file, std::string file_name)
      : file_(std::move(file)), file_name_(std::move(file_name)) {}

  Result<StoredWeights> Get(const LayerRef& layer, const std::string& sub) const override {
    std::string group = layer.object_path + (sub.empty() ? "" : "/" + sub) + "/vars";
    StoredWeights out;
    if (!file_.Exists(group)) return out;
    for (int i = 0;; ++i) {
      std::string path = group + "/" + std::to_string(i);
      if (!file_.Exists(path)) break;
      Result<io::Array> array = file_.ReadDataset(path);
      if (!array.ok()) return array.error();
      out.names.emplace_back();
      out.paths.emplace_back();
      out.arrays.push_back(std::move(array).value());
    }
    return out;
  }
  const std::string& file_name() const override { return file_name_; }

 private:
  io::Hdf5File file_;
  std::string file_name_;
};

}  // namespace

std::unique_ptr<WeightStore> MakeLegacyStore(io::Hdf5File file, std::string prefix,
                                             std::string file_name) {
  return std::make_unique<LegacyStore>(std::move(file), std::move(prefix), std::move(file_name));
}

std::unique_ptr<WeightStore> MakeVarsStore(io::Hdf5File file, std::string file_name) {
  return std::make_unique<VarsStore>(std::move(file), std::move(file_name));
}

}  // namespace fixnn::frontends::keras
