// The one list of ops and their typed attributes. Every op a frontend can produce is here;
// shape inference, the float reference executor, and (later) passes, emulator and backends
// switch over the same variant.
//
// Conventions: tensors are channels-last and exclude the batch axis. Spatial attributes hold
// one entry per spatial axis (1 for 1D, 2 for 2D). Weights are named as in the op comment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ir/quantizer.h"

namespace fixnn::ir {

enum class Padding { kValid, kSame, kCausal };

// y = x . kernel + bias over the last axis. Weights: kernel [in, units], bias [units].
struct DenseAttrs {
  int64_t units = 0;
  bool use_bias = true;
};

// Convolution over `kernel.size()` spatial axes. Weights: kernel [k..., in/groups, filters],
// bias [filters].
struct ConvAttrs {
  int64_t filters = 0;
  std::vector<int64_t> kernel, strides, dilation;
  Padding padding = Padding::kValid;
  int64_t groups = 1;
  bool use_bias = true;
};

// Per-channel convolution. Weights: depthwise_kernel [k..., in, depth_multiplier], bias
// [in * depth_multiplier].
struct DepthwiseConvAttrs {
  int64_t depth_multiplier = 1;
  std::vector<int64_t> kernel, strides, dilation;
  Padding padding = Padding::kValid;
  bool use_bias = true;
};

// Depthwise then 1x1 pointwise convolution. Weights: depthwise_kernel [k..., in, dm],
// pointwise_kernel [1..., in*dm, filters], bias [filters].
struct SeparableConvAttrs {
  int64_t filters = 0;
  int64_t depth_multiplier = 1;
  std::vector<int64_t> kernel, strides, dilation;
  Padding padding = Padding::kValid;
  bool use_bias = true;
};

enum class PoolKind { kMax, kAverage };

// QKeras average pooling: y = average * area * q(1 / area), q the average_quantizer, area the
// full pool area (GlobalPool: the number of spatial positions).
struct PoolAttrs {
  PoolKind kind = PoolKind::kMax;
  std::vector<int64_t> pool, strides;
  Padding padding = Padding::kValid;  // kSame: average over the in-bounds elements only
  std::optional<Quantizer> average_quantizer;
};

// Pool over all spatial axes. keepdims keeps them with size 1.
struct GlobalPoolAttrs {
  PoolKind kind = PoolKind::kMax;
  int64_t spatial_rank = 1;
  bool keepdims = false;
  std::optional<Quantizer> average_quantizer;
};

// y = gamma * (x - mean) / sqrt(var + epsilon) + beta on `axis` (a Keras axis: the batch is
// axis 0, negative counts from the end).
// Weights: gamma, beta, moving_mean, moving_variance (gamma/beta absent when scale/center is off).
struct BatchNormAttrs {
  int64_t axis = -1;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
};

enum class ActivationFn {
  kLinear,
  kReLU,
  kLeakyReLU,
  kThresholdedReLU,
  kELU,
  kSELU,
  kSigmoid,
  kHardSigmoid,
  kTanh,
  kSoftmax,
  kSoftplus,
  kSoftsign,
  kSwish,
  kExponential,
  kHardTanh,
  kGELU,
  kHardSilu,
  kMish,
};

std::string_view ToString(ActivationFn fn);

// Elementwise activation (softmax: along `axis`, a Keras axis: the batch is axis 0, negative
// counts from the end).
// ReLU: y = x >= threshold ? min(x, max_value) : alpha * (x - threshold), alpha being Keras'
//       negative_slope (max_value < 0: no cap). LeakyReLU uses alpha as the slope; ELU uses
//       alpha; ThresholdedReLU uses threshold (theta).
// HardSilu: x * relu6(x + 3) / 6. Mish: x * tanh(softplus(x)). HardTanh: clip(x, -1, 1).
// HardSigmoid: y = clip(alpha * x + 0.5, 0, 1); alpha is 0.2 in Keras 2, 1/6 in Keras 3.
// GELU: exact (erf) unless `approximate` (tanh form).
struct ActivationAttrs {
  ActivationFn fn = ActivationFn::kLinear;
  double alpha = 0.0;
  double max_value = -1.0;
  double threshold = 0.0;
  int64_t axis = -1;  // softmax
  bool approximate = false;
};

// y = x >= 0 ? x : alpha * x, alpha a weight of shape input shape with shared_axes set to 1.
struct PReLUAttrs {
  std::vector<int64_t> shared_axes;  // 1-based, as Keras writes them (axis 0 is the batch)
};

struct FlattenAttrs {};

// Target shape without the batch axis; at most one -1.
struct ReshapeAttrs {
  std::vector<int64_t> shape;
};

// Permutation of the non-batch axes, 1-based as Keras writes it.
struct PermuteAttrs {
  std::vector<int64_t> dims;
};

// Per spatial axis: {before, after}.
struct ZeroPaddingAttrs {
  std::vector<std::pair<int64_t, int64_t>> pads;
};

struct CroppingAttrs {
  std::vector<std::pair<int64_t, int64_t>> crops;
};

// Repeat each spatial axis `size` times: nearest neighbour, or (2D only) bilinear with half-pixel
// centres as Keras 3 computes it: source coordinate s = (o + 0.5) / size - 0.5, the two
// neighbours floor(s) and ceil(s) clamped into the input, weighted by s - floor(s).
struct UpSamplingAttrs {
  std::vector<int64_t> size;
  bool bilinear = false;
};

enum class MergeKind { kAdd, kSubtract, kMultiply, kAverage, kMaximum, kMinimum };

std::string_view ToString(MergeKind kind);

// Elementwise over two or more inputs of the same shape (Subtract: exactly two).
struct MergeAttrs {
  MergeKind kind = MergeKind::kAdd;
};

struct ConcatenateAttrs {
  int64_t axis = -1;  // Keras axis: negative from the end, positive counts the batch axis
};

// Keras Dot of two inputs: sum over axes[0] of input 0 and axes[1] of input 1 (1-based,
// the batch axis being 0). normalize: l2-normalize along those axes first.
struct DotAttrs {
  std::vector<int64_t> axes;
  bool normalize = false;
};

// Integer index -> row of the embeddings weight [input_dim, output_dim].
struct EmbeddingAttrs {
  int64_t input_dim = 0;
  int64_t output_dim = 0;
};

// y = x * scale (+ bias), scale/bias per element of the last axis (or one value for all).
// Weights: scale, bias (absent when use_bias is false). Frontends use it for QKeras alpha and
// for BatchNorm that stays a layer.
struct ScaleAttrs {
  bool use_bias = false;
};

// Quantize the input with the node's output quantizer (QActivation(quantized_bits),
// HGQ FixedPointQuantizer). y = quantizer(x).
struct QuantizeAttrs {};

enum class RecurrentCell { kSimpleRNN, kLSTM, kGRU };

std::string_view ToString(RecurrentCell cell);

// One recurrent layer. Weights: kernel [in, G*units], recurrent_kernel [units, G*units],
// bias [G*units] (GRU with reset_after: bias [2, 3*units]), G = 1, 4 (i,f,c,o), 3 (z,r,h).
struct RecurrentAttrs {
  RecurrentCell cell = RecurrentCell::kLSTM;
  int64_t units = 0;
  ActivationAttrs activation{ActivationFn::kTanh};
  ActivationAttrs recurrent_activation{ActivationFn::kSigmoid};
  bool use_bias = true;
  bool return_sequences = false;
  bool return_state = false;
  bool go_backwards = false;
  bool reset_after = true;  // GRU only
  bool unit_forget_bias = true;
  // QKeras QLSTM/QGRU/QSimpleRNN: quantizers that replace the activations (when set, they
  // are applied instead of `activation` / `recurrent_activation`) and quantize the state.
  std::optional<Quantizer> activation_quantizer;
  std::optional<Quantizer> recurrent_activation_quantizer;
  std::optional<Quantizer> state_quantizer;
};

enum class BidirectionalMerge { kConcat, kSum, kMul, kAverage, kNone };

// Two recurrent layers over the same input, the backward one reading time reversed.
// Weights: forward_kernel, forward_recurrent_kernel, forward_bias, backward_...
struct BidirectionalAttrs {
  RecurrentAttrs forward;
  RecurrentAttrs backward;
  BidirectionalMerge merge = BidirectionalMerge::kConcat;
};

struct InputAttrs {};

#define FIXNN_IR_OPS(X)                \
  X(Input, InputAttrs)                 \
  X(Dense, DenseAttrs)                 \
  X(Conv, ConvAttrs)                   \
  X(DepthwiseConv, DepthwiseConvAttrs) \
  X(SeparableConv, SeparableConvAttrs) \
  X(Pool, PoolAttrs)                   \
  X(GlobalPool, GlobalPoolAttrs)       \
  X(BatchNorm, BatchNormAttrs)         \
  X(Activation, ActivationAttrs)       \
  X(PReLU, PReLUAttrs)                 \
  X(Flatten, FlattenAttrs)             \
  X(Reshape, ReshapeAttrs)             \
  X(Permute, PermuteAttrs)             \
  X(ZeroPadding, ZeroPaddingAttrs)     \
  X(Cropping, CroppingAttrs)           \
  X(UpSampling, UpSamplingAttrs)       \
  X(Merge, MergeAttrs)                 \
  X(Concatenate, ConcatenateAttrs)     \
  X(Dot, DotAttrs)                     \
  X(Embedding, EmbeddingAttrs)         \
  X(Scale, ScaleAttrs)                 \
  X(Quantize, QuantizeAttrs)           \
  X(Recurrent, RecurrentAttrs)         \
  X(Bidirectional, BidirectionalAttrs)

#define FIXNN_IR_ATTR_TYPE(name, attrs) attrs,
using OpAttrs = std::variant<FIXNN_IR_OPS(FIXNN_IR_ATTR_TYPE) std::monostate>;
#undef FIXNN_IR_ATTR_TYPE

enum class OpKind {
#define FIXNN_IR_KIND(name, attrs) k##name,
  FIXNN_IR_OPS(FIXNN_IR_KIND)
#undef FIXNN_IR_KIND
};

// The op's name ("Dense", "Conv", ...).
std::string_view OpName(OpKind kind);
OpKind KindOf(const OpAttrs& attrs);

}  // namespace fixnn::ir
