// The HLSConfig section of an hls4ml configuration, as fixnn holds it: settings for the whole
// model (Model), for every layer of a class (LayerType) and for single layers (LayerName), and
// how one layer's settings are resolved from the three.
//
// The keys are hls4ml 1.3's: every key hls4ml reads from HLSConfig or turns into a layer
// attribute is accepted, under its PascalCase name or the snake_case spelling hls4ml also
// accepts ("TableSize" / "table_size"). Keys hls4ml would silently ignore are errors here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fixed/fixed_type.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::config {

// Where a setting was written. Positions do not take part in equality: two configurations that
// say the same thing are equal wherever they were written.
struct SourcePos {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown (a dict built in code)

  // "config.yml:12", or "config.yml" when the line is unknown.
  std::string ToString() const;
  friend bool operator==(const SourcePos&, const SourcePos&) { return true; }
};

// Positions of the keys of one entry, by key ("ReuseFactor", "Precision.weight"). Like
// SourcePos, never part of equality.
class KeyPositions {
 public:
  void Set(const std::string& key, SourcePos pos) { positions_[key] = std::move(pos); }
  // The key's position, or `fallback` when the key was not written.
  SourcePos Find(std::string_view key, const SourcePos& fallback) const;
  friend bool operator==(const KeyPositions&, const KeyPositions&) { return true; }

 private:
  std::map<std::string, SourcePos, std::less<>> positions_;
};

// A configured precision: an explicit fixed-point type, or "auto" (left to precision
// inference, capped by HLSConfig.Model.Precision.maximum when given).
struct PrecisionSpec {
  std::optional<fixed::FixedType> type;  // nullopt: auto

  static PrecisionSpec Auto() { return PrecisionSpec{}; }
  static PrecisionSpec Of(const fixed::FixedType& t) { return PrecisionSpec{t}; }
  bool is_auto() const { return !type.has_value(); }
  // "auto" or the vendor spelling, "ap_fixed<16,6>".
  std::string ToString() const;
  friend bool operator==(const PrecisionSpec&, const PrecisionSpec&) = default;
};

// Parses a precision string: "auto" (any case), every spelling fixed::ParseFixedType accepts
// (ap_fixed<16,6>, fixed<16,6,RND,SAT>, ap_uint<4>, ...), and the Catapult/oneAPI ones,
// ac_fixed<W,I[,S[,Q[,O]]]> and ac_int<W[,S]>. Floating-point types are refused with a hint.
Result<PrecisionSpec> ParsePrecisionSpec(std::string_view text);

// Precision keys hls4ml reads (the names of its layers' *_t types), plus "default" (the type
// for every key a level does not name) and "maximum" (Model only: the cap for "auto").
// "state" is fixnn's own: the recurrent cell state.
const std::vector<std::string_view>& KnownPrecisionKeys();

// hls4ml's Strategy: how a layer's multiplications are scheduled.
enum class Strategy { kLatency, kResource, kResourceUnrolled, kDistributedArithmetic };
// Implementation: for Softmax latency/stable/argmax/legacy; for Quartus/Catapult/oneAPI
// convolutions im2col/winograd/combination.
enum class Implementation { kLatency, kStable, kArgmax, kLegacy, kIm2col, kWinograd, kCombination };
enum class ConvImplementation { kLineBuffer, kEncoded };
enum class ResizeAlgorithm { kNearest, kBilinear };
enum class RecurrentDirection { kForward, kBackward };
enum class TimeStepLoopParallelism { kOff, kUnroll, kPipeline };
enum class PipelineStyle { kAuto, kPipeline, kDataflow };
enum class ChannelsLastConversion { kFull, kInternal, kOff };

// The spelling fixnn writes ("Latency", "stable", "LineBuffer", ...), hls4ml's own.
std::string_view ToString(Strategy v);
std::string_view ToString(Implementation v);
std::string_view ToString(ConvImplementation v);
std::string_view ToString(ResizeAlgorithm v);
std::string_view ToString(RecurrentDirection v);
std::string_view ToString(TimeStepLoopParallelism v);
std::string_view ToString(PipelineStyle v);
std::string_view ToString(ChannelsLastConversion v);

// Parses an enum value ignoring case and underscores ("ResourceUnrolled", "resource_unrolled";
// Strategy also takes "DA"). nullopt for an unknown value; EnumChoices lists the valid ones.
template <typename E>
std::optional<E> ParseEnum(std::string_view text);
template <typename E>
std::string EnumChoices();  // "Latency, Resource, ResourceUnrolled, DistributedArithmetic"

// Settings that may appear at any level, as X(YamlKey, member, type, check). check is
// kPositive (> 0), kNonNegative (>= 0) or kAny. The defaults that apply when no level sets a
// value are those of ResolvedLayerConfig's accessors.
#define FIXNN_CONFIG_LAYER_FIELDS(X)                                                   \
  X(ReuseFactor, reuse_factor, int64_t, kPositive)                                     \
  X(RecurrentReuseFactor, recurrent_reuse_factor, int64_t, kPositive)                  \
  X(ForwardReuseFactor, forward_reuse_factor, int64_t, kPositive)                      \
  X(BackwardReuseFactor, backward_reuse_factor, int64_t, kPositive)                    \
  X(ForwardRecurrentReuseFactor, forward_recurrent_reuse_factor, int64_t, kPositive)   \
  X(BackwardRecurrentReuseFactor, backward_recurrent_reuse_factor, int64_t, kPositive) \
  X(DepthwiseReuseFactor, depthwise_reuse_factor, int64_t, kPositive)                  \
  X(PointwiseReuseFactor, pointwise_reuse_factor, int64_t, kPositive)                  \
  X(Strategy, strategy, Strategy, kAny)                                                \
  X(Trace, trace, bool, kAny)                                                          \
  X(TableSize, table_size, int64_t, kPositive)                                         \
  X(TableRangePower2, table_range_power2, int64_t, kAny)                               \
  X(Implementation, implementation, Implementation, kAny)                              \
  X(Skip, skip, bool, kAny)                                                            \
  X(Static, recurrent_static, bool, kAny)                                              \
  X(ParallelizationFactor, parallelization_factor, int64_t, kPositive)                 \
  X(ConvImplementation, conv_implementation, ConvImplementation, kAny)                 \
  X(BramFactor, bram_factor, int64_t, kNonNegative)                                    \
  X(Compression, compression, bool, kAny)                                              \
  X(TargetCycles, target_cycles, int64_t, kPositive)                                   \
  X(Direction, direction, RecurrentDirection, kAny)                                    \
  X(Algorithm, algorithm, ResizeAlgorithm, kAny)                                       \
  X(TimeStepLoopParallelism, time_step_loop_parallelism, TimeStepLoopParallelism, kAny)

// Settings read only from HLSConfig.Model (hls4ml reads them nowhere else).
#define FIXNN_CONFIG_MODEL_OPTIONS(X)                                               \
  X(TraceOutput, trace_output, bool, kAny)                                          \
  X(PipelineStyle, pipeline_style, PipelineStyle, kAny)                             \
  X(PipelineInterval, pipeline_interval, int64_t, kPositive)                        \
  X(BitExact, bit_exact, bool, kAny)                                                \
  X(ChannelsLastConversion, channels_last_conversion, ChannelsLastConversion, kAny) \
  X(TransposeOutputs, transpose_outputs, bool, kAny)                                \
  X(AllowDAFallback, allow_da_fallback, bool, kAny)                                 \
  X(AllowV2Fallback, allow_v2_fallback, bool, kAny)

// One entry: HLSConfig.Model, HLSConfig.LayerType.<class> or HLSConfig.LayerName.<layer>.
// Every setting is optional; unset ones come from the next level (see Resolve).
struct LayerConfig {
  SourcePos pos;  // the entry's key (or the Model key)
  // Precision by key ("default", "result", "weight", ...). `Precision: ap_fixed<16,6>` is
  // {"default": ap_fixed<16,6>}; `exp_table_t: T` beside Precision is {"exp_table": T}.
  std::map<std::string, PrecisionSpec> precision;
#define FIXNN_CONFIG_DECLARE_FIELD(key, member, type, check) std::optional<type> member;
  FIXNN_CONFIG_LAYER_FIELDS(FIXNN_CONFIG_DECLARE_FIELD)
#undef FIXNN_CONFIG_DECLARE_FIELD
  KeyPositions key_pos;  // "Precision.<key>" and the YAML keys above

  bool empty() const;
  friend bool operator==(const LayerConfig&, const LayerConfig&) = default;
};

struct ModelOptions {
#define FIXNN_CONFIG_DECLARE_FIELD(key, member, type, check) std::optional<type> member;
  FIXNN_CONFIG_MODEL_OPTIONS(FIXNN_CONFIG_DECLARE_FIELD)
#undef FIXNN_CONFIG_DECLARE_FIELD
  friend bool operator==(const ModelOptions&, const ModelOptions&) = default;
};

struct HlsConfig {
  LayerConfig model;
  ModelOptions options;
  // Keys as written. Layer names and classes match ignoring case, as in hls4ml; two keys that
  // differ only in case are refused when parsing.
  std::map<std::string, LayerConfig> by_type;
  std::map<std::string, LayerConfig> by_name;
  // hls4ml's pass pipeline choices (Flows, Optimizers, SkipOptimizers). Kept so a file reads
  // back the same; fixnn runs its own pipeline and does not apply them.
  std::optional<std::vector<std::string>> flows;
  std::optional<std::vector<std::string>> optimizers;
  std::optional<std::vector<std::string>> skip_optimizers;

  friend bool operator==(const HlsConfig&, const HlsConfig&) = default;
};

// A precision as resolved for one layer, with where it came from for messages.
struct ResolvedPrecision {
  PrecisionSpec spec;
  // "HLSConfig.LayerName.fc1.Precision.weight", "HLSConfig.Model.Precision.default", or
  // "built-in default" (fixed<16,6>, what hls4ml's converters set when Model has no Precision).
  std::string origin;
  SourcePos pos;
};

// One layer's settings after resolution.
struct ResolvedLayerConfig {
  std::string layer;
  // The entries that applied, most specific first: "LayerName.fc1", "LayerType.QDense",
  // "LayerType.Dense", "Model".
  std::vector<std::string> applied;
  // Per field, the value of the most specific entry that sets it; `precision` is not used
  // here (see Precision()).
  LayerConfig merged;
  // Per precision key named by any applied entry, hls4ml's choice for it.
  std::map<std::string, ResolvedPrecision> precision;
  // The choice for every other key: the most specific entry's "default".
  ResolvedPrecision default_precision;
  // HLSConfig.Model.Precision.maximum: inference never picks a wider width or more integer
  // bits for an "auto" precision.
  std::optional<fixed::FixedType> auto_maximum;

  // The precision for key ("result", "weight", "accum", ...).
  const ResolvedPrecision& Precision(std::string_view key) const;
  // Where field `key` ("ReuseFactor", ...) was set, or the layer entry's position.
  SourcePos Where(std::string_view key) const;

  // Values with hls4ml's defaults for fields no entry sets.
  int64_t reuse_factor() const { return merged.reuse_factor.value_or(1); }
  Strategy strategy() const { return merged.strategy.value_or(Strategy::kLatency); }
  bool trace() const { return merged.trace.value_or(false); }
  int64_t parallelization_factor() const { return merged.parallelization_factor.value_or(1); }
  ConvImplementation conv_implementation() const {
    return merged.conv_implementation.value_or(ConvImplementation::kLineBuffer);
  }
  bool compression() const { return merged.compression.value_or(false); }
  // Softmax's default; other layers ignore it.
  Implementation implementation() const {
    return merged.implementation.value_or(Implementation::kStable);
  }
  // 1024 for activations and recurrent layers (hls4ml's default; LayerNormalization: 4096).
  int64_t table_size(int64_t op_default = 1024) const {
    return merged.table_size.value_or(op_default);
  }

  std::map<std::string, SourcePos> field_pos;  // filled by Resolve
  SourcePos pos;                               // the most specific applied entry
};

// Resolves `node`'s settings. Order, per field (a LayerName entry with only ReuseFactor still
// takes its Precision from LayerType / Model):
//   LayerName (node name, ignoring case)
//   > LayerType matching the node's source class (the framework's class: "QDense")
//   > LayerType matching hls4ml's layer class ("Dense" also selects QDense, BinaryDense;
//     "Pooling2D" MaxPooling2D and AveragePooling2D; see layer_classes.h)
//   > Model.
// When the node's source is a generic activation layer ("Activation" with softmax), the more
// specific hls4ml class ("Softmax") comes before the source.
// Precision follows hls4ml per key: at each level, the key itself, then that level's
// "default", before moving to the next level.
ResolvedLayerConfig Resolve(const HlsConfig& config, const ir::Node& node);

// Checks that every LayerName entry names a layer of `graph` (ignoring case), and that every
// LayerType key is a layer class fixnn or hls4ml knows or a class present in the graph. The
// error names the file and line: "config.yml:20: HLSConfig.LayerName: no layer named 'fc4' in
// the model (layers: fc1, fc2, ...)". A LayerName "<layer>_linear" is accepted when <layer>
// exists: hls4ml inserts and later removes such linear activations, and its own generated
// configurations name them.
Status CheckAgainstGraph(const HlsConfig& config, const ir::Graph& graph);

}  // namespace fixnn::config
