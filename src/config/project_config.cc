#include "config/project_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "config/yaml_reader.h"

namespace fixnn::config {

namespace fs = std::filesystem;
using internal::Check;
using internal::NormalizeKey;
using internal::YamlReader;

std::string_view ToString(IOType v) {
  switch (v) {
    case IOType::kParallel:
      return "io_parallel";
    case IOType::kStream:
      return "io_stream";
    case IOType::kSerial:
      return "io_serial";
  }
  return "?";
}

namespace {

constexpr std::pair<Backend, std::string_view> kBackends[] = {
    {Backend::kVivado, "Vivado"},     {Backend::kVivadoAccelerator, "VivadoAccelerator"},
    {Backend::kVitis, "Vitis"},       {Backend::kQuartus, "Quartus"},
    {Backend::kCatapult, "Catapult"}, {Backend::kSymbolicExpression, "SymbolicExpression"},
    {Backend::kOneAPI, "oneAPI"},     {Backend::kLibero, "Libero"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// Settings of other backends that fixnn keeps as written.
constexpr std::string_view kBackendOptions[] = {
    "Technology",        "ASICLibs",    "FIFO",           "FPGAFamily",  "SmartHLSPath",
    "HyperoptHandshake", "MaximumSize", "HLSIncludePath", "HLSLibsPath", "DontCopyNNET",
};

constexpr std::string_view kModelKeys[] = {"KerasJson", "KerasH5", "KerasModel", "OnnxModel",
                                           "PytorchModel"};

class ProjectParser {
 public:
  ProjectParser(const std::string& file, fs::path base_dir)
      : r_(file), base_dir_(std::move(base_dir)) {}

  Result<ProjectConfig> Parse(const YAML::Node& root) {
    ProjectConfig c;
    c.origin = SourcePos{r_.file(), 0};
    if (!root.IsDefined() || root.IsNull()) {
      return Error(r_.file() +
                   ": the file is empty; expected settings such as KerasH5, "
                   "OutputDir and HLSConfig");
    }
    if (!root.IsMap()) {
      return r_.Fail(root, "",
                     fmt::format("expected a mapping of settings (KerasH5, OutputDir, "
                                 "HLSConfig, ...), found {}",
                                 internal::DescribeNode(root)));
    }
    std::optional<bool> top_trace_output;
    Status s = r_.ForEachEntry(
        root, "", NormalizeKey, "",
        [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
          key_pos_[NormalizeKey(key)] = {key, r_.Pos(k)};
          return Entry(c, key, k, v, top_trace_output);
        });
    if (!s.ok()) return s.error();
    if (Status check = CheckModels(c); !check.ok()) return check.error();
    if (top_trace_output.has_value()) {
      const std::optional<bool>& model = c.hls.options.trace_output;
      if (model.has_value() && *model != *top_trace_output) {
        return r_.Fail(Where("traceoutput"), "TraceOutput",
                       "disagrees with HLSConfig.Model.TraceOutput");
      }
      c.hls.options.trace_output = top_trace_output;
    }
    return c;
  }

 private:
  Status Entry(ProjectConfig& c, const std::string& key, const YAML::Node& k, const YAML::Node& v,
               std::optional<bool>& top_trace_output) {
    const std::string norm = NormalizeKey(key);
    if (norm == "hlsconfig") {
      Result<HlsConfig> hls = ParseHlsConfig(v, r_.file());
      if (!hls.ok()) return hls.error();
      c.hls = std::move(hls).value();
      return Status::Ok();
    }
    if (v.IsNull()) return Status::Ok();  // `InputData: null`, as hls4ml writes it
    struct PathKey {
      std::string_view name;
      std::string* out;
    };
    const PathKey paths[] = {
        {"KerasJson", &c.keras_json},
        {"KerasH5", &c.keras_h5},
        {"KerasModel", &c.keras_model},
        {"OnnxModel", &c.onnx_model},
        {"PytorchModel", &c.pytorch_model},
        {"InputData", &c.input_data},
        {"OutputPredictions", &c.output_predictions},
    };
    for (const PathKey& p : paths) {
      if (norm == NormalizeKey(p.name)) return ReadPath(v, key, *p.out);
    }
    const PathKey strings[] = {
        {"OutputDir", &c.output_dir}, {"ProjectDir", &c.project_dir},
        {"Version", &c.version},      {"Stamp", &c.stamp},
        {"Board", &c.board},
    };
    for (const PathKey& p : strings) {
      if (norm == NormalizeKey(p.name)) return ReadString(v, key, *p.out);
    }
    if (norm == "projectname") {
      if (Status s = ReadString(v, key, c.project_name); !s.ok()) return s;
      if (!IsIdentifier(c.project_name)) {
        return r_.Fail(v, key,
                       fmt::format("'{}' is not a C identifier; the project name is the top "
                                   "function's name (letters, digits and _)",
                                   c.project_name));
      }
      return Status::Ok();
    }
    if (norm == "part" || norm == "xilinxpart") {
      std::string part;
      if (Status s = ReadString(v, key, part); !s.ok()) return s;
      if (!c.part.empty() && c.part != part) {
        return r_.Fail(v, key,
                       fmt::format("'{}' disagrees with '{}' given before; Part and XilinxPart "
                                   "name the same setting",
                                   part, c.part));
      }
      c.part = part;
      return Status::Ok();
    }
    if (norm == "clockperiod") {
      Result<double> period = r_.Double(v, key);
      if (!period.ok()) return period.error();
      if (!(*period > 0) || !std::isfinite(*period)) {
        return r_.Fail(v, key, fmt::format("must be a positive number of ns, found {}", *period));
      }
      c.clock_period = *period;
      return Status::Ok();
    }
    if (norm == "clockuncertainty") return ReadUncertainty(v, key, c.clock_uncertainty);
    if (norm == "iotype") {
      Result<std::string> text = r_.String(v, key);
      if (!text.ok()) return text.error();
      for (IOType t : {IOType::kParallel, IOType::kStream, IOType::kSerial}) {
        if (Lower(*text) == ToString(t)) {
          c.io_type = t;
          return Status::Ok();
        }
      }
      return r_.Fail(v, key, fmt::format("'{}' is not one of io_parallel, io_stream", *text));
    }
    if (norm == "backend") {
      Result<std::string> text = r_.String(v, key);
      if (!text.ok()) return text.error();
      for (const auto& [b, name] : kBackends) {
        if (Lower(*text) == Lower(name)) {
          c.backend = b;
          return Status::Ok();
        }
      }
      std::vector<std::string_view> names;
      for (const auto& entry : kBackends) names.push_back(entry.second);
      return r_.Fail(
          v, key,
          fmt::format("unknown backend '{}'; hls4ml's are {}", *text, fmt::join(names, ", ")));
    }
    if (norm == "traceoutput") {
      Result<bool> trace = r_.Bool(v, key);
      if (!trace.ok()) return trace.error();
      top_trace_output = *trace;
      return Status::Ok();
    }
    if (norm == "writerconfig") return ReadWriter(v, key, c.writer);
    if (norm == "acceleratorconfig") return ReadAccelerator(v, key, c);
    if (norm == "inputshape") return ReadInputShape(v, key, c.input_shapes);
    for (std::string_view option : kBackendOptions) {
      if (norm == NormalizeKey(option)) {
        Result<std::string> text = r_.String(v, key);
        if (!text.ok()) return text.error();
        c.backend_options[std::string(option)] = *text;
        return Status::Ok();
      }
    }
    std::vector<std::string_view> known = {
        "KerasJson",    "KerasH5",           "KerasModel", "OnnxModel",   "PytorchModel",
        "InputData",    "OutputPredictions", "OutputDir",  "ProjectName", "ProjectDir",
        "Part",         "XilinxPart",        "Board",      "ClockPeriod", "ClockUncertainty",
        "IOType",       "Backend",           "Version",    "Stamp",       "TraceOutput",
        "WriterConfig", "AcceleratorConfig", "InputShape", "HLSConfig"};
    known.insert(known.end(), std::begin(kBackendOptions), std::end(kBackendOptions));
    return r_.Fail(k, "", fmt::format("unknown key '{}'{}", key, internal::DidYouMean(key, known)));
  }

  Status ReadString(const YAML::Node& v, const std::string& path, std::string& out) {
    Result<std::string> text = r_.String(v, path);
    if (!text.ok()) return text.error();
    out = *text;
    return Status::Ok();
  }

  // A relative path is taken from the configuration file's folder. When no file is there, the
  // first existing one of: the working directory (hls4ml's rule), then the folder's ancestors
  // (hls4ml writes its config into OutputDir, naming files from where it ran).
  Status ReadPath(const YAML::Node& v, const std::string& path, std::string& out) {
    Result<std::string> text = r_.String(v, path);
    if (!text.ok()) return text.error();
    if (text->empty()) return r_.Fail(v, path, "the path is empty");
    const fs::path written(*text);
    auto absolute = [](const fs::path& p) {
      std::error_code ec;
      fs::path abs = fs::absolute(p, ec);
      return (ec ? p : abs).lexically_normal();
    };
    if (written.is_absolute()) {
      out = written.lexically_normal().string();
      return Status::Ok();
    }
    const fs::path primary = absolute(base_dir_ / written);
    std::vector<fs::path> candidates = {primary, absolute(written)};
    for (fs::path dir = absolute(base_dir_); dir.has_relative_path(); dir = dir.parent_path()) {
      candidates.push_back(absolute(dir.parent_path() / written));
    }
    out = primary.string();
    for (const fs::path& candidate : candidates) {
      std::error_code ec;
      if (fs::exists(candidate, ec)) {
        out = candidate.string();
        break;
      }
    }
    return Status::Ok();
  }

  // A number of ns, or a percentage of the clock period ("12.5%").
  Status ReadUncertainty(const YAML::Node& v, const std::string& path, std::string& out) {
    Result<std::string> text = r_.String(v, path);
    if (!text.ok()) return text.error();
    std::string number = *text;
    if (!number.empty() && number.back() == '%') number.pop_back();
    double value = 0;
    std::istringstream in(number);
    in >> value;
    if (number.empty() || !in.eof() || in.fail() || value < 0) {
      return r_.Fail(v, path,
                     fmt::format("expected a time in ns (0.5) or a percentage of the clock "
                                 "period (12.5%), found '{}'",
                                 *text));
    }
    out = *text;
    return Status::Ok();
  }

  Status ReadWriter(const YAML::Node& node, const std::string& path, WriterConfig& w) {
    return r_.ForEachEntry(
        node, path, NormalizeKey, "",
        [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
          const std::string norm = NormalizeKey(key);
          const std::string p = path + "." + key;
          if (v.IsNull()) return Status::Ok();
          std::optional<bool>* flag = nullptr;
          if (norm == "writeweightstxt") flag = &w.write_weights_txt;
          if (norm == "writetar") flag = &w.write_tar;
          if (norm == "writeemulationconstants") flag = &w.write_emulation_constants;
          if (flag != nullptr) {
            Result<bool> b = r_.Bool(v, p);
            if (!b.ok()) return b.error();
            *flag = *b;
            return Status::Ok();
          }
          if (norm == "namespace") {
            Result<std::string> s = r_.String(v, p);
            if (!s.ok()) return s.error();
            w.namespace_name = *s;
            return Status::Ok();
          }
          if (norm == "tboutputstream") {
            Result<std::string> s = r_.String(v, p);
            if (!s.ok()) return s.error();
            if (*s != "stdout" && *s != "file" && *s != "both") {
              return r_.Fail(v, p, fmt::format("'{}' is not one of stdout, file, both", *s));
            }
            w.tb_output_stream = *s;
            return Status::Ok();
          }
          return r_.Fail(k, path,
                         fmt::format("unknown key '{}'{}", key,
                                     internal::DidYouMean(
                                         key, {"Namespace", "WriteWeightsTxt", "WriteTar",
                                               "TBOutputStream", "WriteEmulationConstants"})));
        });
  }

  Status ReadAccelerator(const YAML::Node& node, const std::string& path, ProjectConfig& c) {
    AcceleratorConfig a;
    Status s = r_.ForEachEntry(
        node, path, NormalizeKey, "",
        [&](const std::string& key, const YAML::Node& k, const YAML::Node& v) -> Status {
          const std::string norm = NormalizeKey(key);
          const std::string p = path + "." + key;
          if (v.IsNull()) return Status::Ok();
          if (norm == "precision") {
            return r_.ForEachEntry(
                v, p, NormalizeKey, "",
                [&](const std::string& pk, const YAML::Node& pkn, const YAML::Node& pv) -> Status {
                  std::optional<std::string>* out = nullptr;
                  if (NormalizeKey(pk) == "input") out = &a.input_precision;
                  if (NormalizeKey(pk) == "output") out = &a.output_precision;
                  if (out == nullptr) {
                    return r_.Fail(pkn, p,
                                   fmt::format("unknown key '{}'; expected Input or "
                                               "Output",
                                               pk));
                  }
                  Result<std::string> text = r_.String(pv, p + "." + pk);
                  if (!text.ok()) return text.error();
                  *out = *text;
                  return Status::Ok();
                });
          }
          std::optional<std::string>* out = nullptr;
          if (norm == "board") out = &a.board;
          if (norm == "interface") out = &a.interface;
          if (norm == "driver") out = &a.driver;
          if (norm == "platform") out = &a.platform;
          if (out == nullptr) {
            return r_.Fail(k, path,
                           fmt::format("unknown key '{}'{}", key,
                                       internal::DidYouMean(key, {"Board", "Interface", "Driver",
                                                                  "Platform", "Precision"})));
          }
          Result<std::string> text = r_.String(v, p);
          if (!text.ok()) return text.error();
          *out = *text;
          return Status::Ok();
        });
    if (!s.ok()) return s;
    c.accelerator = a;
    return Status::Ok();
  }

  // [16] for one input, [[16], [8, 8, 3]] for several.
  Status ReadInputShape(const YAML::Node& v, const std::string& path,
                        std::vector<std::vector<int64_t>>& out) {
    auto shape = [&](const YAML::Node& n, const std::string& p) -> Result<std::vector<int64_t>> {
      if (!n.IsSequence()) {
        return r_.Fail(
            n, p,
            fmt::format("expected a list of dimensions, found {}", internal::DescribeNode(n)));
      }
      std::vector<int64_t> dims;
      for (size_t i = 0; i < n.size(); ++i) {
        Result<int64_t> d = r_.Int(n[i], fmt::format("{}[{}]", p, i), Check::kPositive);
        if (!d.ok()) return d.error();
        dims.push_back(*d);
      }
      return dims;
    };
    if (v.IsSequence() && v.size() > 0 && v[0].IsSequence()) {
      for (size_t i = 0; i < v.size(); ++i) {
        Result<std::vector<int64_t>> s = shape(v[i], fmt::format("{}[{}]", path, i));
        if (!s.ok()) return s.error();
        out.push_back(*s);
      }
      return Status::Ok();
    }
    Result<std::vector<int64_t>> s = shape(v, path);
    if (!s.ok()) return s.error();
    out.push_back(*s);
    return Status::Ok();
  }

  SourcePos Where(const std::string& norm_key) const {
    auto it = key_pos_.find(norm_key);
    return it == key_pos_.end() ? SourcePos{r_.file(), 0} : it->second.second;
  }

  // One model, given whole: KerasJson needs KerasH5 for its weights.
  Status CheckModels(const ProjectConfig& c) {
    std::vector<std::string_view> given;
    if (!c.keras_json.empty() || !c.keras_h5.empty()) {
      given.push_back(!c.keras_json.empty() ? "KerasJson" : "KerasH5");
    }
    if (!c.keras_model.empty()) given.push_back("KerasModel");
    if (!c.onnx_model.empty()) given.push_back("OnnxModel");
    if (!c.pytorch_model.empty()) given.push_back("PytorchModel");
    if (given.size() > 1) {
      return r_.Fail(Where(NormalizeKey(given[1])), "",
                     fmt::format("more than one model is given ({}); give one of {}",
                                 fmt::join(given, ", "), fmt::join(kModelKeys, ", ")));
    }
    if (!c.keras_json.empty() && c.keras_h5.empty()) {
      return r_.Fail(Where("kerasjson"), "KerasJson",
                     "the architecture needs its weights: add KerasH5");
    }
    return Status::Ok();
  }

  YamlReader r_;
  fs::path base_dir_;
  std::map<std::string, std::pair<std::string, SourcePos>> key_pos_;
};

}  // namespace

std::string_view ToString(Backend v) {
  for (const auto& [b, name] : kBackends) {
    if (b == v) return name;
  }
  return "?";
}

Result<ProjectConfig> ParseProjectConfig(std::string_view yaml_text, const std::string& file_name,
                                         const fs::path& base_dir) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    return ProjectParser(file_name, base_dir).Parse(root);
  } catch (const YAML::ParserException& e) {
    return Error(fmt::format("{}:{}: malformed YAML: {}", file_name, e.mark.line + 1, e.msg));
  } catch (const YAML::Exception& e) {
    return Error(fmt::format("{}:{}: {}", file_name, e.mark.line + 1, e.msg));
  }
}

Result<ProjectConfig> LoadProjectConfig(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(
        fmt::format("{}: cannot read the configuration: {}", path.string(), std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  fs::path base = path.parent_path();
  if (base.empty()) base = ".";
  return ParseProjectConfig(text.str(), path.string(), base);
}

}  // namespace fixnn::config
