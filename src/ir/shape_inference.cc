#include "ir/shape_inference.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>
#include <variant>

namespace fixnn::ir {
namespace {

// What one node sees: its input shapes, and where its output shapes go.
struct Ctx {
  const Node& node;
  std::vector<Shape> in;
  std::vector<Shape> out;

  Error Fail(const std::string& what) const {
    return Error(fmt::format("layer '{}': {}", node.name, what));
  }
};

Status CheckArity(const Ctx& c, size_t min_inputs, size_t max_inputs, size_t outputs) {
  size_t n = c.in.size();
  if (n < min_inputs || n > max_inputs) {
    std::string want = min_inputs == max_inputs ? std::to_string(min_inputs)
                       : max_inputs == SIZE_MAX ? fmt::format("at least {}", min_inputs)
                                                : fmt::format("{} to {}", min_inputs, max_inputs);
    return c.Fail(fmt::format("{} takes {} input(s), got {}", OpName(c.node.kind()), want, n));
  }
  if (c.node.outputs.size() != outputs) {
    return c.Fail(fmt::format("{} has {} output(s), got {}", OpName(c.node.kind()), outputs,
                              c.node.outputs.size()));
  }
  return Status::Ok();
}

Status CheckRank(const Ctx& c, const Shape& s, size_t rank, const char* what) {
  if (s.size() != rank) {
    return c.Fail(fmt::format("{} expects an input of rank {} (without the batch axis), got {}",
                              what, rank, ToString(s)));
  }
  return Status::Ok();
}

// Requires weight `name` with exactly `expected` shape.
Status CheckWeight(const Ctx& c, const std::string& name, const Shape& expected) {
  const Weight* w = c.node.FindWeight(name);
  if (w == nullptr) return c.Fail(fmt::format("weight '{}' is missing", name));
  if (w->shape != expected) {
    return c.Fail(fmt::format("weight '{}' has shape {}, expected {}", name, ToString(w->shape),
                              ToString(expected)));
  }
  return Status::Ok();
}

// A per-channel weight ([C]) that may also be a single value for all channels ([1] or []).
Status CheckChannelWeight(const Ctx& c, const std::string& name, int64_t channels) {
  const Weight* w = c.node.FindWeight(name);
  if (w == nullptr) return c.Fail(fmt::format("weight '{}' is missing", name));
  int64_t n = NumElements(w->shape);
  if (w->shape.size() > 1 || (n != channels && n != 1)) {
    return c.Fail(fmt::format("weight '{}' has shape {}, expected [{}] or [1]", name,
                              ToString(w->shape), channels));
  }
  return Status::Ok();
}

// Keras axis (batch axis 0, negative from the end) -> index into the batchless shape.
Result<size_t> KerasAxis(const Ctx& c, int64_t axis, size_t rank, const char* what) {
  int64_t r = static_cast<int64_t>(rank);
  int64_t a = axis < 0 ? r + axis : axis - 1;
  if (a < 0 || a >= r) {
    return c.Fail(fmt::format("{} {} is out of range for an input of rank {} (plus the batch axis)",
                              what, axis, rank));
  }
  return static_cast<size_t>(a);
}

// Spatial attribute vector: empty means `fill` on every axis; otherwise one entry per axis.
Result<std::vector<int64_t>> SpatialParam(const Ctx& c, const std::vector<int64_t>& v, size_t rank,
                                          int64_t fill, const char* what) {
  if (v.empty()) return std::vector<int64_t>(rank, fill);
  if (v.size() != rank) {
    return c.Fail(fmt::format("{} has {} entries for {} spatial axes", what, v.size(), rank));
  }
  for (int64_t x : v) {
    if (x <= 0)
      return c.Fail(fmt::format("{} must be positive, got [{}]", what, fmt::join(v, ", ")));
  }
  return v;
}

// Output length of a sliding window (Keras compute_conv_output_shape and
// compute_pooling_output_shape): valid: floor((n - d*(k-1) - 1) / s) + 1; same and causal:
// floor((n - 1) / s) + 1.
Result<int64_t> WindowOutput(const Ctx& c, int64_t n, int64_t k, int64_t s, int64_t d,
                             Padding padding) {
  if (padding != Padding::kValid) return (n - 1) / s + 1;
  int64_t span = d * (k - 1) + 1;
  if (n < span) {
    return c.Fail(fmt::format("a window of {} (kernel {}, dilation {}) does not fit an axis of {}",
                              span, k, d, n));
  }
  return (n - span) / s + 1;
}

// Spatial output sizes of a convolution or pooling over input [spatial..., C].
Result<Shape> Window(const Ctx& c, const std::vector<int64_t>& kernel,
                     const std::vector<int64_t>& strides_attr,
                     const std::vector<int64_t>& dilation_attr, Padding padding,
                     bool strides_default_kernel) {
  size_t rank = kernel.size();
  if (rank == 0) return c.Fail("the kernel/pool size is empty");
  if (Status s = CheckRank(c, c.in[0], rank + 1, OpName(c.node.kind()).data()); !s.ok()) {
    return s.error();
  }
  if (padding == Padding::kCausal && rank != 1) {
    return c.Fail("causal padding is only defined for 1D windows");
  }
  auto k = SpatialParam(c, kernel, rank, 1, "kernel size");
  if (!k) return k.error();
  auto s = SpatialParam(c, strides_default_kernel && strides_attr.empty() ? kernel : strides_attr,
                        rank, 1, "strides");
  if (!s) return s.error();
  auto d = SpatialParam(c, dilation_attr, rank, 1, "dilation");
  if (!d) return d.error();
  Shape out;
  for (size_t i = 0; i < rank; ++i) {
    auto o = WindowOutput(c, c.in[0][i], (*k)[i], (*s)[i], (*d)[i], padding);
    if (!o) return o.error();
    out.push_back(*o);
  }
  return out;
}

Shape Concat(Shape a, const Shape& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Status Infer(Ctx& c, const InputAttrs&) {
  // Input tensors carry their shape from Graph::AddInput.
  (void)c;
  return Status::Ok();
}

Status Infer(Ctx& c, const DenseAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  const Shape& x = c.in[0];
  if (x.empty()) return c.Fail("Dense needs an input with at least one axis");
  if (a.units <= 0) return c.Fail(fmt::format("units must be positive, got {}", a.units));
  if (Status s = CheckWeight(c, "kernel", {x.back(), a.units}); !s.ok()) return s;
  if (a.use_bias) {
    if (Status s = CheckWeight(c, "bias", {a.units}); !s.ok()) return s;
  }
  Shape y = x;
  y.back() = a.units;
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const ConvAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  auto sp = Window(c, a.kernel, a.strides, a.dilation, a.padding, false);
  if (!sp) return sp.error();
  int64_t cin = c.in[0].back();
  if (a.filters <= 0) return c.Fail(fmt::format("filters must be positive, got {}", a.filters));
  if (a.groups <= 0 || cin % a.groups != 0 || a.filters % a.groups != 0) {
    return c.Fail(fmt::format("groups {} must divide the input channels {} and the filters {}",
                              a.groups, cin, a.filters));
  }
  if (Status s = CheckWeight(c, "kernel", Concat(a.kernel, {cin / a.groups, a.filters})); !s.ok()) {
    return s;
  }
  if (a.use_bias) {
    if (Status s = CheckWeight(c, "bias", {a.filters}); !s.ok()) return s;
  }
  c.out = {Concat(*sp, {a.filters})};
  return Status::Ok();
}

Status Infer(Ctx& c, const DepthwiseConvAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  auto sp = Window(c, a.kernel, a.strides, a.dilation, a.padding, false);
  if (!sp) return sp.error();
  int64_t cin = c.in[0].back();
  if (a.depth_multiplier <= 0) {
    return c.Fail(fmt::format("depth_multiplier must be positive, got {}", a.depth_multiplier));
  }
  Shape kernel = Concat(a.kernel, {cin, a.depth_multiplier});
  if (Status s = CheckWeight(c, "depthwise_kernel", kernel); !s.ok()) return s;
  if (a.use_bias) {
    if (Status s = CheckWeight(c, "bias", {cin * a.depth_multiplier}); !s.ok()) return s;
  }
  c.out = {Concat(*sp, {cin * a.depth_multiplier})};
  return Status::Ok();
}

Status Infer(Ctx& c, const SeparableConvAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  auto sp = Window(c, a.kernel, a.strides, a.dilation, a.padding, false);
  if (!sp) return sp.error();
  int64_t cin = c.in[0].back();
  if (a.depth_multiplier <= 0 || a.filters <= 0) {
    return c.Fail(fmt::format("depth_multiplier ({}) and filters ({}) must be positive",
                              a.depth_multiplier, a.filters));
  }
  Shape dw = Concat(a.kernel, {cin, a.depth_multiplier});
  if (Status s = CheckWeight(c, "depthwise_kernel", dw); !s.ok()) return s;
  Shape pw(a.kernel.size(), 1);
  pw.push_back(cin * a.depth_multiplier);
  pw.push_back(a.filters);
  if (Status s = CheckWeight(c, "pointwise_kernel", pw); !s.ok()) return s;
  if (a.use_bias) {
    if (Status s = CheckWeight(c, "bias", {a.filters}); !s.ok()) return s;
  }
  c.out = {Concat(*sp, {a.filters})};
  return Status::Ok();
}

Status Infer(Ctx& c, const PoolAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (a.padding == Padding::kCausal) return c.Fail("pooling does not take causal padding");
  auto sp = Window(c, a.pool, a.strides, {}, a.padding, true);
  if (!sp) return sp.error();
  c.out = {Concat(*sp, {c.in[0].back()})};
  return Status::Ok();
}

Status Infer(Ctx& c, const GlobalPoolAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (a.spatial_rank <= 0) return c.Fail("spatial_rank must be positive");
  size_t rank = static_cast<size_t>(a.spatial_rank);
  if (Status s = CheckRank(c, c.in[0], rank + 1, "GlobalPool"); !s.ok()) return s;
  Shape y = a.keepdims ? Shape(rank, 1) : Shape{};
  y.push_back(c.in[0].back());
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const BatchNormAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  auto axis = KerasAxis(c, a.axis, c.in[0].size(), "axis");
  if (!axis) return axis.error();
  int64_t ch = c.in[0][*axis];
  if (a.scale) {
    if (Status s = CheckWeight(c, "gamma", {ch}); !s.ok()) return s;
  }
  if (a.center) {
    if (Status s = CheckWeight(c, "beta", {ch}); !s.ok()) return s;
  }
  if (Status s = CheckWeight(c, "moving_mean", {ch}); !s.ok()) return s;
  if (Status s = CheckWeight(c, "moving_variance", {ch}); !s.ok()) return s;
  c.out = {c.in[0]};
  return Status::Ok();
}

Status Infer(Ctx& c, const ActivationAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (a.fn == ActivationFn::kSoftmax) {
    auto axis = KerasAxis(c, a.axis, c.in[0].size(), "softmax axis");
    if (!axis) return axis.error();
  }
  c.out = {c.in[0]};
  return Status::Ok();
}

Status Infer(Ctx& c, const PReLUAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  Shape alpha = c.in[0];
  for (int64_t ax : a.shared_axes) {
    if (ax < 1 || ax > static_cast<int64_t>(alpha.size())) {
      return c.Fail(
          fmt::format("shared axis {} is out of range for an input of rank {}", ax, alpha.size()));
    }
    alpha[ax - 1] = 1;
  }
  if (Status s = CheckWeight(c, "alpha", alpha); !s.ok()) return s;
  c.out = {c.in[0]};
  return Status::Ok();
}

Status Infer(Ctx& c, const FlattenAttrs&) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  c.out = {{NumElements(c.in[0])}};
  return Status::Ok();
}

Status Infer(Ctx& c, const ReshapeAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  int64_t total = NumElements(c.in[0]);
  Shape y = a.shape;
  int64_t known = 1;
  int unknown = -1;
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (y[i] <= 0) {
      return c.Fail(fmt::format("target shape {} has an invalid entry", ToString(a.shape)));
    } else {
      known *= y[i];
    }
  }
  if (unknown >= 0) {
    if (total % known != 0) {
      return c.Fail(fmt::format("cannot reshape {} ({} elements) into {}", ToString(c.in[0]), total,
                                ToString(a.shape)));
    }
    y[unknown] = total / known;
  } else if (known != total) {
    return c.Fail(fmt::format("cannot reshape {} ({} elements) into {}", ToString(c.in[0]), total,
                              ToString(a.shape)));
  }
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const PermuteAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  const Shape& x = c.in[0];
  std::vector<int64_t> sorted = a.dims;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> want(x.size());
  std::iota(want.begin(), want.end(), 1);
  if (sorted != want) {
    return c.Fail(
        fmt::format("dims [{}] are not a permutation of 1..{}", fmt::join(a.dims, ", "), x.size()));
  }
  Shape y;
  for (int64_t d : a.dims) y.push_back(x[d - 1]);
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const ZeroPaddingAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (Status s = CheckRank(c, c.in[0], a.pads.size() + 1, "ZeroPadding"); !s.ok()) return s;
  Shape y = c.in[0];
  for (size_t i = 0; i < a.pads.size(); ++i) {
    if (a.pads[i].first < 0 || a.pads[i].second < 0) return c.Fail("negative padding");
    y[i] += a.pads[i].first + a.pads[i].second;
  }
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const CroppingAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (Status s = CheckRank(c, c.in[0], a.crops.size() + 1, "Cropping"); !s.ok()) return s;
  Shape y = c.in[0];
  for (size_t i = 0; i < a.crops.size(); ++i) {
    if (a.crops[i].first < 0 || a.crops[i].second < 0) return c.Fail("negative cropping");
    y[i] -= a.crops[i].first + a.crops[i].second;
    if (y[i] <= 0) {
      return c.Fail(fmt::format("cropping ({}, {}) removes all of axis {} of size {}",
                                a.crops[i].first, a.crops[i].second, i + 1, c.in[0][i]));
    }
  }
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const UpSamplingAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (Status s = CheckRank(c, c.in[0], a.size.size() + 1, "UpSampling"); !s.ok()) return s;
  Shape y = c.in[0];
  for (size_t i = 0; i < a.size.size(); ++i) {
    if (a.size[i] <= 0) return c.Fail("upsampling size must be positive");
    y[i] *= a.size[i];
  }
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const MergeAttrs& a) {
  if (a.kind == MergeKind::kSubtract) {
    if (Status s = CheckArity(c, 2, 2, 1); !s.ok()) return s;
  } else if (Status s = CheckArity(c, 1, SIZE_MAX, 1); !s.ok()) {
    return s;
  }
  for (size_t i = 1; i < c.in.size(); ++i) {
    if (c.in[i] != c.in[0]) {
      return c.Fail(fmt::format("{} needs inputs of equal shapes, got {} and {}", ToString(a.kind),
                                ToString(c.in[0]), ToString(c.in[i])));
    }
  }
  c.out = {c.in[0]};
  return Status::Ok();
}

Status Infer(Ctx& c, const ConcatenateAttrs& a) {
  if (Status s = CheckArity(c, 1, SIZE_MAX, 1); !s.ok()) return s;
  auto axis = KerasAxis(c, a.axis, c.in[0].size(), "concatenation axis");
  if (!axis) return axis.error();
  Shape y = c.in[0];
  for (size_t i = 1; i < c.in.size(); ++i) {
    const Shape& x = c.in[i];
    bool match = x.size() == y.size();
    for (size_t d = 0; match && d < x.size(); ++d) match = d == *axis || x[d] == y[d];
    if (!match) {
      return c.Fail(fmt::format(
          "Concatenate on axis {} needs inputs equal on every other axis, got {} and {}", a.axis,
          ToString(c.in[0]), ToString(x)));
    }
    y[*axis] += x[*axis];
  }
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const DotAttrs& a) {
  if (Status s = CheckArity(c, 2, 2, 1); !s.ok()) return s;
  if (a.axes.size() != 2) {
    return c.Fail(fmt::format("Dot needs two axes, got [{}]", fmt::join(a.axes, ", ")));
  }
  size_t ax[2];
  for (int i = 0; i < 2; ++i) {
    auto r = KerasAxis(c, a.axes[i], c.in[i].size(), "Dot axis");
    if (!r) return r.error();
    ax[i] = *r;
  }
  if (c.in[0][ax[0]] != c.in[1][ax[1]]) {
    return c.Fail(fmt::format("Dot axes {} of {} and {} of {} differ in size", a.axes[0],
                              ToString(c.in[0]), a.axes[1], ToString(c.in[1])));
  }
  // Keras Dot: the remaining axes of input 0, then those of input 1; [1] if none remain.
  Shape y;
  for (int i = 0; i < 2; ++i) {
    for (size_t d = 0; d < c.in[i].size(); ++d) {
      if (d != ax[i]) y.push_back(c.in[i][d]);
    }
  }
  if (y.empty()) y = {1};
  c.out = {y};
  return Status::Ok();
}

Status Infer(Ctx& c, const EmbeddingAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  if (a.input_dim <= 0 || a.output_dim <= 0) {
    return c.Fail(fmt::format("input_dim ({}) and output_dim ({}) must be positive", a.input_dim,
                              a.output_dim));
  }
  if (Status s = CheckWeight(c, "embeddings", {a.input_dim, a.output_dim}); !s.ok()) return s;
  c.out = {Concat(c.in[0], {a.output_dim})};
  return Status::Ok();
}

Status Infer(Ctx& c, const ScaleAttrs& a) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  int64_t ch = c.in[0].empty() ? 1 : c.in[0].back();
  if (Status s = CheckChannelWeight(c, "scale", ch); !s.ok()) return s;
  if (a.use_bias) {
    if (Status s = CheckChannelWeight(c, "bias", ch); !s.ok()) return s;
  }
  c.out = {c.in[0]};
  return Status::Ok();
}

Status Infer(Ctx& c, const QuantizeAttrs&) {
  if (Status s = CheckArity(c, 1, 1, 1); !s.ok()) return s;
  c.out = {c.in[0]};
  return Status::Ok();
}

int64_t Gates(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::kSimpleRNN:
      return 1;
    case RecurrentCell::kLSTM:
      return 4;
    case RecurrentCell::kGRU:
      return 3;
  }
  return 1;
}

// Number of state tensors return_state adds: h (and c for LSTM).
size_t StateCount(RecurrentCell cell) { return cell == RecurrentCell::kLSTM ? 2 : 1; }

// Checks one recurrent layer's weights (names prefixed for Bidirectional) on input [T, in].
Status CheckRecurrent(const Ctx& c, const RecurrentAttrs& a, const std::string& prefix) {
  if (a.units <= 0) return c.Fail(fmt::format("units must be positive, got {}", a.units));
  int64_t in = c.in[0][1];
  int64_t g = Gates(a.cell) * a.units;
  if (Status s = CheckWeight(c, prefix + "kernel", {in, g}); !s.ok()) return s;
  if (Status s = CheckWeight(c, prefix + "recurrent_kernel", {a.units, g}); !s.ok()) return s;
  if (a.use_bias) {
    Shape bias = a.cell == RecurrentCell::kGRU && a.reset_after ? Shape{2, g} : Shape{g};
    if (Status s = CheckWeight(c, prefix + "bias", bias); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Infer(Ctx& c, const RecurrentAttrs& a) {
  size_t outputs = 1 + (a.return_state ? StateCount(a.cell) : 0);
  if (Status s = CheckArity(c, 1, 1, outputs); !s.ok()) return s;
  if (Status s = CheckRank(c, c.in[0], 2, ToString(a.cell).data()); !s.ok()) return s;
  if (Status s = CheckRecurrent(c, a, ""); !s.ok()) return s;
  int64_t t = c.in[0][0];
  c.out = {a.return_sequences ? Shape{t, a.units} : Shape{a.units}};
  for (size_t i = 1; i < outputs; ++i) c.out.push_back({a.units});
  return Status::Ok();
}

Status Infer(Ctx& c, const BidirectionalAttrs& a) {
  const RecurrentAttrs& f = a.forward;
  const RecurrentAttrs& b = a.backward;
  // The two layers may be different cells (Keras backward_layer), but must agree on what
  // they return.
  if (f.return_sequences != b.return_sequences || f.return_state != b.return_state) {
    return c.Fail("the forward and backward layers differ in return_sequences or return_state");
  }
  size_t merged = a.merge == BidirectionalMerge::kNone ? 2 : 1;
  size_t outputs = merged + (f.return_state ? StateCount(f.cell) + StateCount(b.cell) : 0);
  if (Status s = CheckArity(c, 1, 1, outputs); !s.ok()) return s;
  if (Status s = CheckRank(c, c.in[0], 2, "Bidirectional"); !s.ok()) return s;
  if (Status s = CheckRecurrent(c, f, "forward_"); !s.ok()) return s;
  if (Status s = CheckRecurrent(c, b, "backward_"); !s.ok()) return s;
  int64_t t = c.in[0][0];
  auto seq = [&](int64_t units) { return f.return_sequences ? Shape{t, units} : Shape{units}; };
  if (a.merge == BidirectionalMerge::kNone) {
    c.out = {seq(f.units), seq(b.units)};
  } else if (a.merge == BidirectionalMerge::kConcat) {
    c.out = {seq(f.units + b.units)};
  } else {
    if (f.units != b.units) {
      return c.Fail(
          fmt::format("merging forward ({} units) and backward ({} units) needs equal "
                      "units",
                      f.units, b.units));
    }
    c.out = {seq(f.units)};
  }
  for (size_t i = 0; i < StateCount(f.cell) && f.return_state; ++i) c.out.push_back({f.units});
  for (size_t i = 0; i < StateCount(b.cell) && f.return_state; ++i) c.out.push_back({b.units});
  return Status::Ok();
}

Status Infer(Ctx& c, const std::monostate&) { return c.Fail("the node has no op"); }

}  // namespace

Status InferShapes(Graph& graph) {
  for (const Node& node : graph.nodes()) {
    Ctx c{node, {}, {}};
    for (const std::string& name : node.inputs) {
      const Tensor* t = graph.FindTensor(name);
      if (t == nullptr) return c.Fail(fmt::format("input '{}' does not exist", name));
      c.in.push_back(t->shape);
    }
    for (size_t i = 0; i < c.in.size(); ++i) {
      for (int64_t d : c.in[i]) {
        if (d <= 0) {
          return c.Fail(fmt::format("input '{}' has an unknown or empty shape {}", node.inputs[i],
                                    ToString(c.in[i])));
        }
      }
    }
    if (node.is<InputAttrs>()) continue;
    Status s = std::visit([&c](const auto& attrs) { return Infer(c, attrs); }, node.attrs);
    if (!s.ok()) return s;
    assert(c.out.size() == node.outputs.size());
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      graph.FindTensor(node.outputs[i])->shape = c.out[i];
    }
  }
  return Status::Ok();
}

}  // namespace fixnn::ir
