#include "config/hls_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <span>

#include "config/layer_classes.h"
#include "config/yaml_reader.h"

namespace fixnn::config {

using fixed::FixedType;
using internal::NormalizeKey;

std::string SourcePos::ToString() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}", file, line);
}

SourcePos KeyPositions::Find(std::string_view key, const SourcePos& fallback) const {
  auto it = positions_.find(key);
  return it == positions_.end() ? fallback : it->second;
}

// ---------------------------------------------------------------------------------------------
// Precision strings

std::string PrecisionSpec::ToString() const { return type ? type->ToString() : "auto"; }

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsFloatType(std::string_view text) {
  for (std::string_view f : {"float", "double", "half", "bfloat16"}) {
    if (text == f) return true;
  }
  for (std::string_view p : {"ap_float", "ac_std_float", "std_float", "ac_float"}) {
    if (StartsWith(text, p)) return true;
  }
  return false;
}

// ac_fixed<W,I[,S[,Q[,O]]]> and ac_int<W[,S]> (Algorithmic C types, as hls4ml's Catapult and
// oneAPI backends write them). The modes mean what the same-named ap_fixed modes mean.
Result<FixedType> ParseAcType(std::string_view text) {
  auto fail = [&](const std::string& what) {
    return Error(fmt::format("invalid type '{}': {}", text, what));
  };
  const size_t open = text.find('<');
  if (open == std::string_view::npos || text.back() != '>') {
    return fail("expected ac_fixed<W,I[,S[,Q[,O]]]> or ac_int<W[,S]>");
  }
  const std::string_view name = Trim(text.substr(0, open));
  const bool is_fixed = name == "ac_fixed";
  if (!is_fixed && name != "ac_int") {
    return fail(fmt::format("unknown type name '{}'; expected ac_fixed or ac_int", name));
  }
  std::vector<std::string_view> args;
  std::string_view rest = text.substr(open + 1, text.size() - open - 2);
  while (true) {
    const size_t comma = rest.find(',');
    args.push_back(Trim(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  const size_t max_args = is_fixed ? 5 : 2;
  const size_t min_args = is_fixed ? 2 : 1;
  if (args.size() < min_args || args.size() > max_args) {
    return fail(fmt::format("{} takes {} to {} parameters, found {}", name, min_args, max_args,
                            args.size()));
  }
  auto number = [&](std::string_view arg, std::string_view what) -> Result<int> {
    int v = 0;
    auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), v);
    if (ec != std::errc() || ptr != arg.data() + arg.size()) {
      return fail(fmt::format("the {} must be an integer, found '{}'", what, arg));
    }
    return v;
  };
  Result<int> width = number(args[0], "width");
  if (!width.ok()) return width.error();
  int integer = *width;
  size_t next = 1;
  if (is_fixed) {
    Result<int> i = number(args[1], "integer bits");
    if (!i.ok()) return i.error();
    integer = *i;
    next = 2;
  }
  bool is_signed = true;
  if (args.size() > next) {
    const std::string s = Lower(args[next]);
    if (s == "false" || s == "0") {
      is_signed = false;
    } else if (s != "true" && s != "1") {
      return fail(fmt::format("the signedness must be true or false, found '{}'", args[next]));
    }
    ++next;
  }
  FixedType t = is_signed ? FixedType::Fixed(*width, integer) : FixedType::UFixed(*width, integer);
  t.integer_spelling = !is_fixed;
  if (args.size() > next) {
    static constexpr std::array<std::pair<std::string_view, fixed::Rounding>, 7> kRounding = {{
        {"TRN", fixed::Rounding::kTrn},
        {"TRN_ZERO", fixed::Rounding::kTrnZero},
        {"RND", fixed::Rounding::kRnd},
        {"RND_ZERO", fixed::Rounding::kRndZero},
        {"RND_MIN_INF", fixed::Rounding::kRndMinInf},
        {"RND_INF", fixed::Rounding::kRndInf},
        {"RND_CONV", fixed::Rounding::kRndConv},
    }};
    std::string_view q = args[next];
    if (StartsWith(q, "AC_")) q.remove_prefix(3);
    auto it = std::find_if(kRounding.begin(), kRounding.end(),
                           [&](const auto& e) { return e.first == q; });
    if (it == kRounding.end()) {
      return fail(
          fmt::format("rounding mode '{}' is not supported; use one of AC_TRN, "
                      "AC_TRN_ZERO, AC_RND, AC_RND_ZERO, AC_RND_MIN_INF, AC_RND_INF, "
                      "AC_RND_CONV",
                      args[next]));
    }
    t.rounding = it->second;
    ++next;
  }
  if (args.size() > next) {
    static constexpr std::array<std::pair<std::string_view, fixed::Overflow>, 4> kOverflow = {{
        {"WRAP", fixed::Overflow::kWrap},
        {"SAT", fixed::Overflow::kSat},
        {"SAT_ZERO", fixed::Overflow::kSatZero},
        {"SAT_SYM", fixed::Overflow::kSatSym},
    }};
    std::string_view o = args[next];
    if (StartsWith(o, "AC_")) o.remove_prefix(3);
    auto it = std::find_if(kOverflow.begin(), kOverflow.end(),
                           [&](const auto& e) { return e.first == o; });
    if (it == kOverflow.end()) {
      return fail(fmt::format(
          "overflow mode '{}' is not supported; use one of AC_WRAP, AC_SAT, AC_SAT_ZERO, "
          "AC_SAT_SYM",
          args[next]));
    }
    t.overflow = it->second;
  }
  if (Status s = t.Validate(); !s.ok()) return fail(s.error().message());
  return t;
}

}  // namespace

Result<PrecisionSpec> ParsePrecisionSpec(std::string_view text) {
  const std::string_view t = Trim(text);
  if (Lower(t) == "auto") return PrecisionSpec::Auto();
  if (IsFloatType(t)) {
    return Error(fmt::format(
        "floating-point type '{}' is not supported: fixnn computes in fixed point; give a type "
        "such as ap_fixed<16,6>",
        t));
  }
  Result<FixedType> type = StartsWith(t, "ac_") ? ParseAcType(t) : fixed::ParseFixedType(t);
  if (!type.ok()) return type.error();
  return PrecisionSpec::Of(*type);
}

const std::vector<std::string_view>& KnownPrecisionKeys() {
  static const std::vector<std::string_view> kKeys = {
      "default", "maximum", "result", "accum", "weight", "bias", "table", "exp_table", "inv_table",
      "inv_inp", "recurrent_weight", "recurrent_bias", "state", "forward_weight", "forward_bias",
      "forward_recurrent_weight", "forward_recurrent_bias", "backward_weight", "backward_bias",
      "backward_recurrent_weight", "backward_recurrent_bias", "depthwise", "pointwise",
      "depthwise_accum", "pointwise_accum", "depthwise_result", "dw_output", "embeddings", "param",
      "scale", "slope", "shift",
      // QBatchNormalization quantizers, as config_from_keras_model names them
      "mean", "variance", "beta", "gamma",
      // GarNet and SymbolicExpression
      "edge_weight", "edge_weight_aggr", "aggr", "norm", "expr"};
  return kKeys;
}

// ---------------------------------------------------------------------------------------------
// Enums

namespace {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;  // the first entry of a value is its canonical spelling
};

constexpr EnumName<Strategy> kStrategyNames[] = {
    {Strategy::kLatency, "Latency"},
    {Strategy::kResource, "Resource"},
    {Strategy::kResourceUnrolled, "ResourceUnrolled"},
    {Strategy::kDistributedArithmetic, "DistributedArithmetic"},
    {Strategy::kDistributedArithmetic, "DA"},
};
constexpr EnumName<Implementation> kImplementationNames[] = {
    {Implementation::kLatency, "latency"},         {Implementation::kStable, "stable"},
    {Implementation::kArgmax, "argmax"},           {Implementation::kLegacy, "legacy"},
    {Implementation::kIm2col, "im2col"},           {Implementation::kWinograd, "winograd"},
    {Implementation::kCombination, "combination"},
};
constexpr EnumName<ConvImplementation> kConvImplementationNames[] = {
    {ConvImplementation::kLineBuffer, "LineBuffer"},
    {ConvImplementation::kEncoded, "Encoded"},
};
constexpr EnumName<ResizeAlgorithm> kResizeAlgorithmNames[] = {
    {ResizeAlgorithm::kNearest, "nearest"},
    {ResizeAlgorithm::kBilinear, "bilinear"},
};
constexpr EnumName<RecurrentDirection> kDirectionNames[] = {
    {RecurrentDirection::kForward, "forward"},
    {RecurrentDirection::kBackward, "backward"},
};
constexpr EnumName<TimeStepLoopParallelism> kTimeStepNames[] = {
    {TimeStepLoopParallelism::kOff, "Off"},
    {TimeStepLoopParallelism::kUnroll, "Unroll"},
    {TimeStepLoopParallelism::kPipeline, "Pipeline"},
};
constexpr EnumName<PipelineStyle> kPipelineStyleNames[] = {
    {PipelineStyle::kAuto, "auto"},
    {PipelineStyle::kPipeline, "pipeline"},
    {PipelineStyle::kDataflow, "dataflow"},
};
constexpr EnumName<ChannelsLastConversion> kChannelsLastNames[] = {
    {ChannelsLastConversion::kFull, "full"},
    {ChannelsLastConversion::kInternal, "internal"},
    {ChannelsLastConversion::kOff, "off"},
};

template <typename E>
std::span<const EnumName<E>> Names();
template <>
std::span<const EnumName<Strategy>> Names() {
  return kStrategyNames;
}
template <>
std::span<const EnumName<Implementation>> Names() {
  return kImplementationNames;
}
template <>
std::span<const EnumName<ConvImplementation>> Names() {
  return kConvImplementationNames;
}
template <>
std::span<const EnumName<ResizeAlgorithm>> Names() {
  return kResizeAlgorithmNames;
}
template <>
std::span<const EnumName<RecurrentDirection>> Names() {
  return kDirectionNames;
}
template <>
std::span<const EnumName<TimeStepLoopParallelism>> Names() {
  return kTimeStepNames;
}
template <>
std::span<const EnumName<PipelineStyle>> Names() {
  return kPipelineStyleNames;
}
template <>
std::span<const EnumName<ChannelsLastConversion>> Names() {
  return kChannelsLastNames;
}

template <typename E>
std::string_view NameOf(E v) {
  for (const EnumName<E>& e : Names<E>()) {
    if (e.value == v) return e.name;
  }
  return "?";
}

}  // namespace

template <typename E>
std::optional<E> ParseEnum(std::string_view text) {
  const std::string want = NormalizeKey(Trim(text));
  for (const EnumName<E>& e : Names<E>()) {
    if (NormalizeKey(e.name) == want) return e.value;
  }
  return std::nullopt;
}

template <typename E>
std::string EnumChoices() {
  std::vector<std::string_view> names;
  for (const EnumName<E>& e : Names<E>()) {
    if (NameOf(e.value) == e.name) names.push_back(e.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

#define FIXNN_CONFIG_ENUM(E)                                     \
  std::string_view ToString(E v) { return NameOf(v); }           \
  template std::optional<E> ParseEnum<E>(std::string_view text); \
  template std::string EnumChoices<E>();
FIXNN_CONFIG_ENUM(Strategy)
FIXNN_CONFIG_ENUM(Implementation)
FIXNN_CONFIG_ENUM(ConvImplementation)
FIXNN_CONFIG_ENUM(ResizeAlgorithm)
FIXNN_CONFIG_ENUM(RecurrentDirection)
FIXNN_CONFIG_ENUM(TimeStepLoopParallelism)
FIXNN_CONFIG_ENUM(PipelineStyle)
FIXNN_CONFIG_ENUM(ChannelsLastConversion)
#undef FIXNN_CONFIG_ENUM

bool LayerConfig::empty() const {
  bool any = !precision.empty();
#define FIXNN_CONFIG_ANY(key, member, type, check) any = any || member.has_value();
  FIXNN_CONFIG_LAYER_FIELDS(FIXNN_CONFIG_ANY)
#undef FIXNN_CONFIG_ANY
  return !any;
}

// ---------------------------------------------------------------------------------------------
// Resolution

const ResolvedPrecision& ResolvedLayerConfig::Precision(std::string_view key) const {
  auto it = precision.find(std::string(key));
  return it == precision.end() ? default_precision : it->second;
}

SourcePos ResolvedLayerConfig::Where(std::string_view key) const {
  auto it = field_pos.find(std::string(key));
  return it == field_pos.end() ? pos : it->second;
}

namespace {

struct Level {
  const LayerConfig* config;
  std::string origin;  // "LayerName.fc1", "LayerType.Dense", "Model"
};

bool SameName(std::string_view a, std::string_view b) { return Lower(a) == Lower(b); }

template <typename Map>
const typename Map::value_type* FindIgnoringCase(const Map& map, std::string_view key) {
  for (const auto& entry : map) {
    if (SameName(entry.first, key)) return &entry;
  }
  return nullptr;
}

std::vector<Level> LevelsFor(const HlsConfig& config, const ir::Node& node) {
  std::vector<Level> levels;
  if (const auto* e = FindIgnoringCase(config.by_name, node.name)) {
    levels.push_back({&e->second, "LayerName." + e->first});
  }
  for (const std::string& type_key : LayerTypeKeys(node)) {
    const auto* e = FindIgnoringCase(config.by_type, type_key);
    if (e == nullptr) continue;
    const bool seen = std::any_of(levels.begin(), levels.end(),
                                  [&](const Level& l) { return l.config == &e->second; });
    if (!seen) levels.push_back({&e->second, "LayerType." + e->first});
  }
  levels.push_back({&config.model, "Model"});
  return levels;
}

ResolvedPrecision BuiltInDefault() {
  return ResolvedPrecision{PrecisionSpec::Of(FixedType::Fixed(16, 6)), "built-in default", {}};
}

}  // namespace

ResolvedLayerConfig Resolve(const HlsConfig& config, const ir::Node& node) {
  ResolvedLayerConfig out;
  out.layer = node.name;
  const std::vector<Level> levels = LevelsFor(config, node);
  for (const Level& l : levels) out.applied.push_back(l.origin);
  out.pos = levels.front().config->pos;

#define FIXNN_CONFIG_MERGE(key, member, type, check)                     \
  for (const Level& l : levels) {                                        \
    if (l.config->member.has_value()) {                                  \
      out.merged.member = l.config->member;                              \
      out.field_pos[#key] = l.config->key_pos.Find(#key, l.config->pos); \
      break;                                                             \
    }                                                                    \
  }
  FIXNN_CONFIG_LAYER_FIELDS(FIXNN_CONFIG_MERGE)
#undef FIXNN_CONFIG_MERGE

  auto entry = [](const Level& l, const std::string& key) {
    const std::string where = "Precision." + key;
    return ResolvedPrecision{l.config->precision.at(key), "HLSConfig." + l.origin + "." + where,
                             l.config->key_pos.Find(where, l.config->pos)};
  };
  out.default_precision = BuiltInDefault();
  for (const Level& l : levels) {
    if (l.config->precision.count("default") != 0) {
      out.default_precision = entry(l, "default");
      break;
    }
  }
  for (const Level& named : levels) {
    for (const auto& [key, spec] : named.config->precision) {
      if (key == "default" || key == "maximum" || out.precision.count(key) != 0) continue;
      ResolvedPrecision chosen = BuiltInDefault();
      for (const Level& l : levels) {
        if (l.config->precision.count(key) != 0) {
          chosen = entry(l, key);
          break;
        }
        if (l.config->precision.count("default") != 0) {
          chosen = entry(l, "default");
          break;
        }
      }
      out.precision.emplace(key, std::move(chosen));
    }
  }
  if (auto it = config.model.precision.find("maximum"); it != config.model.precision.end()) {
    out.auto_maximum = it->second.type;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checking names against a model

namespace {

std::string ListNames(const std::vector<std::string>& names) {
  constexpr size_t kShown = 20;
  std::vector<std::string> shown(names.begin(), names.begin() + std::min(names.size(), kShown));
  std::string out = fmt::format("{}", fmt::join(shown, ", "));
  if (names.size() > kShown) out += fmt::format(", ... ({} more)", names.size() - kShown);
  return out;
}

}  // namespace

Status CheckAgainstGraph(const HlsConfig& config, const ir::Graph& graph) {
  std::vector<std::string> layer_names;
  std::vector<std::string_view> layer_name_views;
  std::vector<std::string> graph_types;
  for (const ir::Node& node : graph.nodes()) {
    layer_names.push_back(node.name);
    for (std::string& key : LayerTypeKeys(node)) graph_types.push_back(std::move(key));
  }
  for (const std::string& n : layer_names) layer_name_views.push_back(n);
  auto has_layer = [&](std::string_view name) {
    return std::any_of(layer_names.begin(), layer_names.end(),
                       [&](const std::string& n) { return SameName(n, name); });
  };

  for (const auto& [name, entry] : config.by_name) {
    if (has_layer(name)) continue;
    // A nested model's own entry (hls4ml lists it, and applies it to no layer).
    if (std::any_of(graph.container_names.begin(), graph.container_names.end(),
                    [&](const std::string& n) { return SameName(n, name); })) {
      continue;
    }
    constexpr std::string_view kLinear = "_linear";
    if (name.size() > kLinear.size() &&
        SameName(std::string_view(name).substr(name.size() - kLinear.size()), kLinear) &&
        has_layer(std::string_view(name).substr(0, name.size() - kLinear.size()))) {
      continue;
    }
    return Error(
        fmt::format("{}: HLSConfig.LayerName: no layer named '{}' in the model{} "
                    "(layers: {})",
                    entry.pos.ToString(), name, internal::DidYouMean(name, layer_name_views),
                    ListNames(layer_names)));
  }

  for (const auto& [type, entry] : config.by_type) {
    const bool in_graph = std::any_of(graph_types.begin(), graph_types.end(),
                                      [&](const std::string& t) { return SameName(t, type); });
    if (in_graph || Hls4mlClassOf(type).has_value()) continue;
    std::vector<std::string_view> candidates(graph_types.begin(), graph_types.end());
    return Error(
        fmt::format("{}: HLSConfig.LayerType: '{}' is not a layer class fixnn or hls4ml knows{}",
                    entry.pos.ToString(), type, internal::DidYouMean(type, candidates)));
  }
  return Status::Ok();
}

}  // namespace fixnn::config
