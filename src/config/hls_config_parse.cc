// ParseHlsConfig: the HLSConfig mapping -> HlsConfig, refusing every key hls4ml would not read.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "config/project_config.h"
#include "config/yaml_reader.h"

namespace fixnn::config {

namespace {

using internal::Check;
using internal::NormalizeKey;
using internal::YamlReader;

enum class EntryLevel { kModel, kType, kName };

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> EntryKeyNames(EntryLevel level) {
  std::vector<std::string_view> names = {"Precision"};
#define FIXNN_CONFIG_NAME(key, member, type, check) names.push_back(#key);
  FIXNN_CONFIG_LAYER_FIELDS(FIXNN_CONFIG_NAME)
  if (level == EntryLevel::kModel) {
    FIXNN_CONFIG_MODEL_OPTIONS(FIXNN_CONFIG_NAME)
  }
#undef FIXNN_CONFIG_NAME
  return names;
}

bool IsKnownPrecisionKey(std::string_view key) {
  const auto& keys = KnownPrecisionKeys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

class EntryParser {
 public:
  EntryParser(const YamlReader& r, std::string path, EntryLevel level, ModelOptions* options)
      : r_(r), path_(std::move(path)), level_(level), options_(options) {}

  Result<LayerConfig> Parse(const YAML::Node& key_node, const YAML::Node& node) {
    LayerConfig c;
    c.pos = r_.Pos(key_node);
    if (!node.IsNull() && node.IsDefined() && !node.IsMap()) {
      return r_.Fail(node, path_,
                     fmt::format("expected a mapping of settings (Precision, ReuseFactor, ...), "
                                 "found {}",
                                 internal::DescribeNode(node)));
    }
    Status s = r_.ForEachEntry(node, path_, NormalizeKey, "",
                               [&](const std::string& key, const YAML::Node& k,
                                   const YAML::Node& v) { return Entry(c, key, k, v); });
    if (!s.ok()) return s.error();
    return c;
  }

 private:
  Status Entry(LayerConfig& c, const std::string& key, const YAML::Node& k, const YAML::Node& v) {
    const std::string norm = NormalizeKey(key);
    if (norm == "precision") return PrecisionEntry(c, v);
    if (key.size() > 2 && key.compare(key.size() - 2, 2, "_t") == 0 &&
        IsKnownPrecisionKey(std::string_view(key).substr(0, key.size() - 2))) {
      // hls4ml sets `exp_table_t: T` as the layer's type attribute: Precision.exp_table. It
      // wins over a Precision.exp_table of the same entry (hls4ml reads Precision only for a
      // type attribute not yet set), as in hls4ml's own examples that set table_t on a
      // configuration generated with Precision.table.
      return PrecisionValue(c, key.substr(0, key.size() - 2), k, v, path_ + "." + key,
                            /*type_attribute=*/true);
    }
    const std::string field_path = path_ + "." + key;
    if (norm == "strategy" && v.IsScalar() && LowerCase(v.Scalar()) == "stable") {
      // hls4ml before 0.7 chose the stable softmax with `Strategy: Stable`.
      return SetImplementation(c, Implementation::kStable, k, field_path);
    }
    if (norm == "implementation" && v.IsScalar()) {
      Result<Implementation> impl = r_.Enum<Implementation>(v, field_path);
      if (!impl.ok()) return impl.error();
      return SetImplementation(c, *impl, k, field_path);
    }
#define FIXNN_CONFIG_READ(yaml_key, member, type, check)                                    \
  if (norm == NormalizeKey(#yaml_key)) {                                                    \
    if (v.IsNull()) return Status::Ok();                                                    \
    Result<type> value = r_.Read(v, field_path, Check::check, static_cast<type*>(nullptr)); \
    if (!value.ok()) return value.error();                                                  \
    c.member = *value;                                                                      \
    c.key_pos.Set(#yaml_key, r_.Pos(k));                                                    \
    return Status::Ok();                                                                    \
  }
    FIXNN_CONFIG_LAYER_FIELDS(FIXNN_CONFIG_READ)
#undef FIXNN_CONFIG_READ
#define FIXNN_CONFIG_READ(yaml_key, member, type, check)                                          \
  if (norm == NormalizeKey(#yaml_key)) {                                                          \
    if (options_ == nullptr) {                                                                    \
      return r_.Fail(k, path_, "'" #yaml_key "' is read only in HLSConfig.Model, not per layer"); \
    }                                                                                             \
    if (v.IsNull()) return Status::Ok();                                                          \
    Result<type> value = r_.Read(v, field_path, Check::check, static_cast<type*>(nullptr));       \
    if (!value.ok()) return value.error();                                                        \
    options_->member = *value;                                                                    \
    return Status::Ok();                                                                          \
  }
    FIXNN_CONFIG_MODEL_OPTIONS(FIXNN_CONFIG_READ)
#undef FIXNN_CONFIG_READ
    std::vector<std::string_view> known = EntryKeyNames(level_);
    return r_.Fail(k, path_,
                   fmt::format("unknown key '{}'{}", key, internal::DidYouMean(key, known)));
  }

  Status SetImplementation(LayerConfig& c, Implementation impl, const YAML::Node& k,
                           const std::string& field_path) {
    if (c.implementation.has_value() && *c.implementation != impl) {
      return r_.Fail(
          k, field_path,
          fmt::format("conflicts with Implementation '{}' at line {}", ToString(*c.implementation),
                      c.key_pos.Find("Implementation", c.pos).line));
    }
    c.implementation = impl;
    c.key_pos.Set("Implementation", r_.Pos(k));
    return Status::Ok();
  }

  Status PrecisionEntry(LayerConfig& c, const YAML::Node& v) {
    const std::string path = path_ + ".Precision";
    if (v.IsNull()) return Status::Ok();
    if (v.IsScalar()) return PrecisionValue(c, "default", v, v, path);
    if (!v.IsMap()) {
      return r_.Fail(v, path,
                     fmt::format("expected a type (ap_fixed<16,6>, auto) or a mapping from "
                                 "result/weight/bias/... to types, found {}",
                                 internal::DescribeNode(v)));
    }
    return r_.ForEachEntry(
        v, path, nullptr, "",
        [&](const std::string& key, const YAML::Node& k, const YAML::Node& t) {
          if (!IsKnownPrecisionKey(key)) {
            return Status(r_.Fail(k, path,
                                  fmt::format("unknown precision key '{}'{}", key,
                                              internal::DidYouMean(key, KnownPrecisionKeys()))));
          }
          return PrecisionValue(c, key, k, t, path + "." + key);
        });
  }

  Status PrecisionValue(LayerConfig& c, const std::string& key, const YAML::Node& k,
                        const YAML::Node& v, const std::string& path, bool type_attribute = false) {
    if (key == "maximum" && level_ != EntryLevel::kModel) {
      return r_.Fail(k, path, "the 'auto' cap is read only in HLSConfig.Model.Precision");
    }
    if (v.IsNull()) return Status::Ok();
    Result<std::string> text = r_.String(v, path);
    if (!text.ok()) return text.error();
    Result<PrecisionSpec> spec = ParsePrecisionSpec(*text);
    if (!spec.ok()) return r_.Fail(v, path, spec.error().message());
    if (level_ == EntryLevel::kModel && (key == "default" || key == "maximum") && spec->is_auto()) {
      return r_.Fail(v, path,
                     key == "maximum"
                         ? "the cap for 'auto' must be an explicit type, such as ap_fixed<32,16>"
                         : "the model's default must be an explicit type, such as "
                           "ap_fixed<16,6>: 'auto' has nothing to fall back on");
    }
    const std::string where = "Precision." + key;
    if (c.precision.count(key) != 0 && type_attributes_.count(key) != type_attribute) {
      // One as Precision.<key>, one as <key>_t: the type attribute stands.
      if (type_attribute) {
        c.precision[key] = *spec;
        c.key_pos.Set(where, r_.Pos(k));
        type_attributes_.insert(key);
      }
      return Status::Ok();
    }
    if (c.precision.count(key) != 0) {
      return r_.Fail(k, path,
                     fmt::format("the precision '{}' is given twice (first at line {})", key,
                                 c.key_pos.Find(where, c.pos).line));
    }
    c.precision[key] = *spec;
    c.key_pos.Set(where, r_.Pos(k));
    if (type_attribute) type_attributes_.insert(key);
    return Status::Ok();
  }

  const YamlReader& r_;
  std::set<std::string> type_attributes_;  // precisions given as <key>_t
  std::string path_;
  EntryLevel level_;
  ModelOptions* options_;
};

Status ParseEntries(const YamlReader& r, const YAML::Node& node, const std::string& path,
                    EntryLevel level, std::map<std::string, LayerConfig>& out) {
  const std::string_view note = level == EntryLevel::kName
                                    ? "; hls4ml compares layer names ignoring case"
                                    : "; hls4ml compares layer classes ignoring case";
  return r.ForEachEntry(
      node, path, LowerCase, note,
      [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
        Result<LayerConfig> entry = EntryParser(r, path + "." + key, level, nullptr).Parse(k, v);
        if (!entry.ok()) return entry.error();
        out.emplace(key, std::move(entry).value());
        return Status::Ok();
      });
}

}  // namespace

Result<HlsConfig> ParseHlsConfig(const YAML::Node& node, const std::string& file_name) {
  const YamlReader r(file_name);
  HlsConfig config;
  config.model.pos = r.Pos(node);
  const std::string path = "HLSConfig";
  try {
    SourcePos optimizers_pos;
    Status s = r.ForEachEntry(
        node, path, NormalizeKey, "",
        [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
          const std::string norm = NormalizeKey(key);
          if (norm == "model") {
            Result<LayerConfig> model =
                EntryParser(r, path + "." + key, EntryLevel::kModel, &config.options).Parse(k, v);
            if (!model.ok()) return model.error();
            config.model = std::move(model).value();
            return Status::Ok();
          }
          if (norm == "layertype") {
            return ParseEntries(r, v, path + "." + key, EntryLevel::kType, config.by_type);
          }
          if (norm == "layername") {
            return ParseEntries(r, v, path + "." + key, EntryLevel::kName, config.by_name);
          }
          std::optional<std::vector<std::string>>* list = nullptr;
          if (norm == "flows") list = &config.flows;
          if (norm == "optimizers") list = &config.optimizers;
          if (norm == "skipoptimizers") list = &config.skip_optimizers;
          if (list == nullptr) {
            return r.Fail(
                k, path,
                fmt::format("unknown key '{}'{}", key,
                            internal::DidYouMean(key, {"Model", "LayerType", "LayerName", "Flows",
                                                       "Optimizers", "SkipOptimizers"})));
          }
          if (norm != "flows") optimizers_pos = r.Pos(k);
          if (v.IsNull()) return Status::Ok();
          Result<std::vector<std::string>> names = r.StringList(v, path + "." + key);
          if (!names.ok()) return names.error();
          *list = std::move(names).value();
          return Status::Ok();
        });
    if (!s.ok()) return s.error();
    if (config.optimizers.has_value() && config.skip_optimizers.has_value()) {
      return r.Fail(optimizers_pos, path,
                    "give either Optimizers or SkipOptimizers, not both (hls4ml refuses both)");
    }
  } catch (const YAML::Exception& e) {
    return Error(fmt::format("{}:{}: {}: {}", file_name, e.mark.line + 1, path, e.msg));
  }
  return config;
}

}  // namespace fixnn::config
