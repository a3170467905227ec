// Conv, DepthwiseConv and SeparableConv (1D and 2D, channels last), as hls4ml's io_parallel
// code computes them (docs/hls4ml-numerics.md, sections 5 and 6).
//
// Conv: per output pixel, the receptive field as one row ordered (kh, kw, c), a literal 0 for
// each padded tap; then the pixel is a Dense (section 4) against the (kh*kw*C) x F kernel:
//   acc = accum_t(bias_f)
//   for i in the strategy's order: acc = accum_t(acc + accum_t(row_i * w_if))
//   y_f = result_t(acc)
// Latency sums i ascending; Resource with RF < kh*kw*C sums i = r + k*RF (r outer).
// DepthwiseConv (Latency only): per pixel and channel c, over the taps t in order:
//   acc = accum_t(bias_c); acc = accum_t(acc + accum_t(x_tc * w_tc)); y_c = result_t(acc)
// SeparableConv: the depthwise stage (no bias: hls4ml's zero bias, cast into accum_t, is 0)
// into depthwise_result_t, then a 1x1 Conv with the pointwise kernel, the bias and
// pointwise_accum_t.
// Padding: 'same' splits TensorFlow's total padding, the smaller half before; 'causal' pads
// k-1 before. A padded tap is the product 0: it is cast and summed like any other.
// Where accum_t provably holds every product and partial sum exactly (as hls4ml's inferred
// accumulators do), the int64 path sums without those casts, which would change nothing.
// With LayerSettings::exponent_products a quantized_po2 kernel's products (each stage's own) are
// hls4ml's weight_exponential (exponent_product.h), mantissas of its r_t cast into accum_t.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "emulator/exponent_product.h"
#include "emulator/kernel.h"
#include "emulator/mac.h"
#include "fixed/fixed_value.h"
#include "fixed/quantize_array.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::WideInt;

// The sliding window of one node.
struct Window {
  std::vector<int64_t> kernel, strides, dilation;
  ir::Padding padding = ir::Padding::kValid;
};

// Sizes and offsets of a 1D or 2D window over [h, w, chan] (1D: h = 1).
struct Geometry {
  int64_t in_h = 1, in_w = 1, chan = 1;
  int64_t k_h = 1, k_w = 1, s_h = 1, s_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t out_h = 1, out_w = 1;

  int64_t pixels() const { return out_h * out_w; }
  int64_t taps() const { return k_h * k_w; }
};

// Where each output pixel reads its im2col row from.
struct Gather {
  int64_t row = 0;  // values per row
  // Per pixel: the input index of the row's first value when the row is a contiguous run of
  // the input (read in place), else -1 (gathered through `offsets`).
  std::vector<int64_t> base;
  std::vector<int64_t> first;    // per gathered pixel: its start in `offsets`
  std::vector<int32_t> offsets;  // input index per row value, -1 for a padded tap

  // Pixel p's row: a pointer into x, or `scratch` filled from x.
  template <class M>
  const M* Row(const M* x, int64_t p, M* scratch) const {
    const size_t i = static_cast<size_t>(p);
    if (base[i] >= 0) return x + base[i];
    const int32_t* off = offsets.data() + first[i];
    for (int64_t k = 0; k < row; ++k) scratch[k] = off[k] >= 0 ? x[off[k]] : M(0);
    return scratch;
  }
};

// The output size along one axis and the padding before it, as hls4ml's converters compute
// them.
struct Axis {
  int64_t out = 0, pad_before = 0;
};

Result<Axis> AxisOf(BuildContext& ctx, int64_t n, int64_t k, int64_t s, ir::Padding padding) {
  Axis a;
  switch (padding) {
    case ir::Padding::kValid:
      if (n < k) return ctx.Fail(fmt::format("a kernel of {} does not fit an axis of {}", k, n));
      a.out = (n - k) / s + 1;
      return a;
    case ir::Padding::kSame: {
      a.out = (n + s - 1) / s;
      a.pad_before = std::max<int64_t>((a.out - 1) * s + k - n, 0) / 2;
      return a;
    }
    case ir::Padding::kCausal: {
      a.out = (n + s - 1) / s;
      a.pad_before = k - 1;
      // hls4ml's Keras 2 converter pads max(k - s, 0) (or max(k - n % s, 0)) instead: the two
      // agree only for stride 1 and a few shapes.
      const int64_t keras2 = std::max<int64_t>(k - (n % s == 0 ? s : n % s), 0);
      if (keras2 != a.pad_before) {
        return ctx.Fail(fmt::format(
            "causal padding with stride {} and kernel {} is refused: hls4ml's Keras 2 converter "
            "pads {} before, its Keras 3 converter {}",
            s, k, keras2, a.pad_before));
      }
      return a;
    }
  }
  return a;
}

// The geometry of a window over input shape `in` producing `out` with `out_chan` channels.
Result<Geometry> MakeGeometry(BuildContext& ctx, const Window& w, const ir::Shape& in,
                              const ir::Shape& out, int64_t out_chan) {
  const size_t rank = w.kernel.size();
  if (rank != 1 && rank != 2) {
    return ctx.NotHandled(fmt::format("{}-D convolutions (hls4ml has 1D and 2D)", rank));
  }
  if (w.strides.size() != rank || (!w.dilation.empty() && w.dilation.size() != rank)) {
    return ctx.Fail(fmt::format("expected {} strides and dilation rates", rank));
  }
  for (int64_t d : w.dilation) {
    if (d != 1) {
      return ctx.Fail(
          fmt::format("dilation_rate {} is refused: hls4ml's io_parallel convolution ignores or "
                      "rejects dilation",
                      d));
    }
  }
  if (in.size() != rank + 1 || out.size() != rank + 1) {
    return ctx.Fail(
        fmt::format("input {} and output {} are not [spatial..., channels] of a {}-D "
                    "convolution",
                    ir::ToString(in), ir::ToString(out), rank));
  }
  Geometry g;
  g.chan = in.back();
  std::vector<Axis> axes;
  for (size_t i = 0; i < rank; ++i) {
    if (w.kernel[i] < 1 || w.strides[i] < 1) {
      return ctx.Fail("kernel sizes and strides must be positive");
    }
    Result<Axis> a = AxisOf(ctx, in[i], w.kernel[i], w.strides[i], w.padding);
    if (!a.ok()) return a.error();
    if (a->out != out[i]) {
      return ctx.Fail(fmt::format("output shape {} does not follow from input {}",
                                  ir::ToString(out), ir::ToString(in)));
    }
    axes.push_back(*a);
  }
  if (out.back() != out_chan) {
    return ctx.Fail(
        fmt::format("output shape {} does not end in {} channels", ir::ToString(out), out_chan));
  }
  const size_t wi = rank - 1;  // the width axis
  g.in_w = in[wi];
  g.k_w = w.kernel[wi];
  g.s_w = w.strides[wi];
  g.pad_left = axes[wi].pad_before;
  g.out_w = axes[wi].out;
  if (rank == 2) {
    g.in_h = in[0];
    g.k_h = w.kernel[0];
    g.s_h = w.strides[0];
    g.pad_top = axes[0].pad_before;
    g.out_h = axes[0].out;
  }
  return g;
}

// Per output pixel, the im2col row in hls4ml's order (kh, kw, c): the input index of each
// value, -1 for a padded tap.
std::vector<int64_t> TapOffsets(const Geometry& g) {
  std::vector<int64_t> off;
  off.reserve(static_cast<size_t>(g.pixels() * g.taps() * g.chan));
  for (int64_t oh = 0; oh < g.out_h; ++oh) {
    for (int64_t ow = 0; ow < g.out_w; ++ow) {
      for (int64_t kh = 0; kh < g.k_h; ++kh) {
        for (int64_t kw = 0; kw < g.k_w; ++kw) {
          const int64_t ih = oh * g.s_h - g.pad_top + kh;
          const int64_t iw = ow * g.s_w - g.pad_left + kw;
          const bool inside = ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w;
          for (int64_t c = 0; c < g.chan; ++c) {
            off.push_back(inside ? (ih * g.in_w + iw) * g.chan + c : -1);
          }
        }
      }
    }
  }
  return off;
}

// The gather of rows `natural` ([pixel][row], hls4ml's order) with row value k taken from
// natural position order[k].
Result<Gather> MakeGather(BuildContext& ctx, const std::vector<int64_t>& natural, int64_t pixels,
                          int64_t row, const std::vector<int64_t>& order, int64_t input_size) {
  if (input_size > std::numeric_limits<int32_t>::max()) {
    return ctx.NotHandled(fmt::format("an input of {} values", input_size));
  }
  Gather g;
  g.row = row;
  g.base.assign(static_cast<size_t>(pixels), -1);
  g.first.assign(static_cast<size_t>(pixels), 0);
  std::vector<int64_t> permuted(static_cast<size_t>(row));
  for (int64_t p = 0; p < pixels; ++p) {
    bool contiguous = true;
    for (int64_t k = 0; k < row; ++k) {
      const int64_t v = natural[static_cast<size_t>(p * row + order[static_cast<size_t>(k)])];
      permuted[static_cast<size_t>(k)] = v;
      contiguous = contiguous && v >= 0 && v == permuted[0] + k;
    }
    if (contiguous) {
      g.base[static_cast<size_t>(p)] = permuted[0];
      continue;
    }
    g.first[static_cast<size_t>(p)] = static_cast<int64_t>(g.offsets.size());
    for (int64_t v : permuted) g.offsets.push_back(static_cast<int32_t>(v));
  }
  return g;
}

template <class M>
struct ConvStage {
  using A = Arith<M>;

  Gather gather;
  int64_t pixels = 0, n_in = 0, n_out = 0;
  std::vector<M> weights;  // [j * n_in + k]: filter j's weight of row value k (summation order)
  std::vector<M> acc0;     // per filter: the bias in accum_t
  MacPlans plans;
  // ExactWeights in the same layout (int64 path only; empty otherwise).
  std::vector<int64_t> exact_weights;
  // Exponent products: the weights in the same layout (empty: plain products).
  std::vector<ExponentWeight> exponent_weights;
  ExponentProduct exponent;

  void Run(const M* x, M* y, M* scratch, Workspace<M>& ws) const {
    if constexpr (std::is_same_v<M, std::int64_t>) {
      if (!exact_weights.empty()) return RunExact(x, y, scratch, ws);
    }
    if (!exponent_weights.empty()) {
      const SiteCounter wraps = exponent.site >= 0 ? ws.Counter(exponent.site) : nullptr;
      return RunWith(x, y, scratch, ws, [&](const M& v, size_t i) {
        return exponent.Multiply(v, exponent_weights[i], wraps);
      });
    }
    RunWith(x, y, scratch, ws, [this](const M& v, size_t i) { return A::Mul(v, weights[i]); });
  }

  // product(v, i): row value v times weight i of the [j * n_in + k] layout.
  template <class Product>
  void RunWith(const M* x, M* y, M* scratch, Workspace<M>& ws, Product product) const {
    const SiteCounter product_count = ws.Counter(plans.product_site);
    const SiteCounter sum_count = ws.Counter(plans.sum_site);
    const SiteCounter result_count = ws.Counter(plans.result_site);
    for (int64_t p = 0; p < pixels; ++p) {
      const M* row = gather.Row(x, p, scratch);
      M* yp = y + p * n_out;
      for (int64_t j = 0; j < n_out; ++j) {
        const size_t w = static_cast<size_t>(j * n_in);
        M acc = acc0[static_cast<size_t>(j)];
        for (int64_t k = 0; k < n_in; ++k) {
          const M prod =
              A::Cast(product(row[k], w + static_cast<size_t>(k)), plans.product, product_count);
          acc = A::Cast(A::Widen(acc) + A::Widen(prod), plans.sum, sum_count);
        }
        yp[j] = A::Cast(A::Widen(acc), plans.result, result_count);
      }
    }
  }

  void RunExact(const M* x, M* y, M* scratch, Workspace<M>& ws) const {
    const SiteCounter result_count = ws.Counter(plans.result_site);
    for (int64_t p = 0; p < pixels; ++p) {
      const M* row = gather.Row(x, p, scratch);
      M* yp = y + p * n_out;
      for (int64_t j = 0; j < n_out; ++j) {
        const int64_t* w = exact_weights.data() + j * n_in;
        int64_t acc = acc0[static_cast<size_t>(j)];
        for (int64_t k = 0; k < n_in; ++k) acc += row[k] * w[k];
        yp[j] = A::Cast(A::Widen(acc), plans.result, result_count);
      }
    }
  }
};

// One DepthwiseConv over a whole input: per pixel and channel, the taps in order.
template <class M>
struct DepthwiseStage {
  using A = Arith<M>;

  Gather gather;  // rows in hls4ml's order (tap, channel)
  int64_t pixels = 0, taps = 0, chan = 0;
  std::vector<M> weights;  // [t * chan + c]
  std::vector<M> acc0;     // per channel
  MacPlans plans;
  std::vector<int64_t> exact_weights;            // as ConvStage's
  std::vector<ExponentWeight> exponent_weights;  // as ConvStage's
  ExponentProduct exponent;

  void Run(const M* x, M* y, M* scratch, Workspace<M>& ws) const {
    if constexpr (std::is_same_v<M, std::int64_t>) {
      if (!exact_weights.empty()) return RunExact(x, y, scratch, ws);
    }
    if (!exponent_weights.empty()) {
      const SiteCounter wraps = exponent.site >= 0 ? ws.Counter(exponent.site) : nullptr;
      return RunWith(x, y, scratch, ws, [&](const M& v, size_t i) {
        return exponent.Multiply(v, exponent_weights[i], wraps);
      });
    }
    RunWith(x, y, scratch, ws, [this](const M& v, size_t i) { return A::Mul(v, weights[i]); });
  }

  // product(v, i): row value v times weight i ([t * chan + c]).
  template <class Product>
  void RunWith(const M* x, M* y, M* scratch, Workspace<M>& ws, Product product) const {
    const SiteCounter product_count = ws.Counter(plans.product_site);
    const SiteCounter sum_count = ws.Counter(plans.sum_site);
    const SiteCounter result_count = ws.Counter(plans.result_site);
    for (int64_t p = 0; p < pixels; ++p) {
      const M* row = gather.Row(x, p, scratch);
      M* yp = y + p * chan;
      for (int64_t c = 0; c < chan; ++c) {
        M acc = acc0[static_cast<size_t>(c)];
        for (int64_t t = 0; t < taps; ++t) {
          const int64_t i = t * chan + c;
          const M prod =
              A::Cast(product(row[i], static_cast<size_t>(i)), plans.product, product_count);
          acc = A::Cast(A::Widen(acc) + A::Widen(prod), plans.sum, sum_count);
        }
        yp[c] = A::Cast(A::Widen(acc), plans.result, result_count);
      }
    }
  }

  void RunExact(const M* x, M* y, M* scratch, Workspace<M>& ws) const {
    const SiteCounter result_count = ws.Counter(plans.result_site);
    for (int64_t p = 0; p < pixels; ++p) {
      const M* row = gather.Row(x, p, scratch);
      M* yp = y + p * chan;
      for (int64_t c = 0; c < chan; ++c) {
        int64_t acc = acc0[static_cast<size_t>(c)];
        for (int64_t t = 0; t < taps; ++t) acc += row[t * chan + c] * exact_weights[t * chan + c];
        yp[c] = A::Cast(A::Widen(acc), plans.result, result_count);
      }
    }
  }
};

template <class M>
std::vector<M> ToM(const std::vector<WideInt>& v) {
  std::vector<M> out;
  out.reserve(v.size());
  for (const WideInt& w : v) out.push_back(Arith<M>::FromWideInt(w));
  return out;
}

// One Conv or DepthwiseConv stage reading tensor `in`, writing `out`, gathering rows in
// scratch buffer `scratch`.
template <class M, class Stage>
class StageKernel final : public Kernel<M> {
 public:
  StageKernel(int in, int out, int scratch, Stage stage)
      : in_(in), out_(out), scratch_(scratch), stage_(std::move(stage)) {}

  void Run(Workspace<M>& ws) const override {
    stage_.Run(ws.tensors[static_cast<size_t>(in_)].data(),
               ws.tensors[static_cast<size_t>(out_)].data(),
               ws.scratch[static_cast<size_t>(scratch_)].data(), ws);
  }

 private:
  int in_, out_, scratch_;
  Stage stage_;
};

// Depthwise into a scratch tensor of depthwise_result_t, then the pointwise Conv.
template <class M>
class SeparableKernel final : public Kernel<M> {
 public:
  SeparableKernel(int in, int out, int dw_scratch, int middle, int pw_scratch,
                  DepthwiseStage<M> depthwise, ConvStage<M> pointwise)
      : in_(in),
        out_(out),
        dw_scratch_(dw_scratch),
        middle_(middle),
        pw_scratch_(pw_scratch),
        depthwise_(std::move(depthwise)),
        pointwise_(std::move(pointwise)) {}

  void Run(Workspace<M>& ws) const override {
    M* middle = ws.scratch[static_cast<size_t>(middle_)].data();
    depthwise_.Run(ws.tensors[static_cast<size_t>(in_)].data(), middle,
                   ws.scratch[static_cast<size_t>(dw_scratch_)].data(), ws);
    pointwise_.Run(middle, ws.tensors[static_cast<size_t>(out_)].data(),
                   ws.scratch[static_cast<size_t>(pw_scratch_)].data(), ws);
  }

 private:
  int in_, out_, dw_scratch_, middle_, pw_scratch_;
  DepthwiseStage<M> depthwise_;
  ConvStage<M> pointwise_;
};

Status RefuseOutputQuantizer(BuildContext& ctx) {
  if (ctx.node().output_quantizer) {
    return ctx.NotHandled(fmt::format("an output quantizer on {}", ir::OpName(ctx.node().kind())));
  }
  return Status::Ok();
}

// Conv stage over `g`: kernel [k..., C, F] in Keras order, sites "bias", "product", "accum"
// and "result".
template <class M>
Result<ConvStage<M>> MakeConvStage(BuildContext& ctx, const Geometry& g, const FixedType& x_type,
                                   int64_t x_size, const ir::Weight* kernel, const ir::Weight* bias,
                                   const FixedType& accum, const FixedType& y_type) {
  ConvStage<M> s;
  s.pixels = g.pixels();
  s.n_in = g.taps() * g.chan;
  if (kernel == nullptr || s.n_in == 0 || kernel->shape.empty() ||
      ir::NumElements(kernel->shape) % s.n_in != 0 ||
      ir::NumElements(kernel->shape) / s.n_in != kernel->shape.back()) {
    return ctx.Fail(fmt::format("expected a kernel [{} x {} x {}, filters]", g.k_h, g.k_w, g.chan));
  }
  s.n_out = kernel->shape.back();
  const int64_t products = s.pixels * s.n_out * s.n_in;
  Result<ExponentMac> exponent = MakeExponentMac(ctx, *kernel, x_type, "", products);
  if (!exponent.ok()) return exponent.error();
  const bool exponent_products = !exponent->weights.empty();
  std::vector<WideInt> w;  // plain products: the stored kernel
  if (!exponent_products) {
    Result<std::vector<WideInt>> stored = StoredWeight(ctx, *kernel);
    if (!stored.ok()) return stored.error();
    w = std::move(stored).value();
  }
  if (Status st = CheckProduct(ctx, x_type, *kernel->precision.type, w, MacLayer::kConv);
      !st.ok()) {
    return st.error();
  }
  Result<std::vector<int64_t>> order = SummationOrder(ctx, s.n_in, MacLayer::kConv);
  if (!order.ok()) return order.error();
  Result<Gather> gather = MakeGather(ctx, TapOffsets(g), s.pixels, s.n_in, *order, x_size);
  if (!gather.ok()) return gather.error();
  s.gather = std::move(gather).value();
  std::vector<WideInt> ordered;
  for (int64_t j = 0; j < s.n_out; ++j) {
    for (int64_t k = 0; k < s.n_in; ++k) {
      const auto i = static_cast<size_t>((*order)[static_cast<size_t>(k)] * s.n_out + j);
      if (exponent_products) {
        s.exponent_weights.push_back(exponent->weights[i]);
      } else {
        ordered.push_back(w[i]);
      }
    }
  }
  s.weights = ToM<M>(ordered);
  Result<std::vector<WideInt>> acc0 = BiasInAccum(ctx, bias, s.n_out, accum, s.pixels);
  if (!acc0.ok()) return acc0.error();
  s.acc0 = ToM<M>(*acc0);
  if (exponent_products) s.exponent = exponent->product;
  if constexpr (std::is_same_v<M, std::int64_t>) {
    const int64_t n = s.n_in;
    std::optional<std::vector<int64_t>> exact =
        exponent_products
            ? std::nullopt
            : ExactWeights(x_type, *kernel->precision.type, accum, ordered, *acc0, n,
                           [n](int64_t j, int64_t k) { return static_cast<size_t>(j * n + k); });
    if (exact) s.exact_weights = std::move(*exact);
  }
  const int64_t results = s.pixels * s.n_out;
  Result<MacPlans> plans =
      exponent_products
          ? MakeMacPlans(ctx, s.exponent.type, accum, y_type, "", "result", products, results)
          : MakeMacPlans(ctx, x_type, *kernel->precision.type, accum, y_type, "", "result",
                         products, results);
  if (!plans.ok()) return plans.error();
  s.plans = *plans;
  return s;
}

// Depthwise stage over `g`: kernel [k..., C, 1]; sites `prefix` + "product", "accum" and
// `result_site` (and "bias" with a bias).
template <class M>
Result<DepthwiseStage<M>> MakeDepthwiseStage(BuildContext& ctx, const Geometry& g,
                                             const FixedType& x_type, int64_t x_size,
                                             const ir::Weight* kernel, const ir::Weight* bias,
                                             const FixedType& accum, const FixedType& y_type,
                                             const std::string& prefix,
                                             const std::string& result_site) {
  if (ctx.node().settings.strategy != ir::Strategy::kLatency) {
    return ctx.Fail(
        "a depthwise convolution with a strategy other than Latency is refused: hls4ml's "
        "predict aborts on Resource");
  }
  DepthwiseStage<M> s;
  s.pixels = g.pixels();
  s.taps = g.taps();
  s.chan = g.chan;
  const int64_t row = s.taps * s.chan;
  if (kernel == nullptr || ir::NumElements(kernel->shape) != row) {
    return ctx.Fail(
        fmt::format("expected a depthwise kernel [{} x {} x {}, 1]", g.k_h, g.k_w, g.chan));
  }
  const int64_t products = s.pixels * row;
  Result<ExponentMac> exponent = MakeExponentMac(ctx, *kernel, x_type, prefix, products);
  if (!exponent.ok()) return exponent.error();
  const bool exponent_products = !exponent->weights.empty();
  std::vector<WideInt> w;  // plain products: the stored kernel
  if (!exponent_products) {
    Result<std::vector<WideInt>> stored = StoredWeight(ctx, *kernel);
    if (!stored.ok()) return stored.error();
    w = std::move(stored).value();
  }
  if (Status st = CheckProduct(ctx, x_type, *kernel->precision.type, w, MacLayer::kConv);
      !st.ok()) {
    return st.error();
  }
  std::vector<int64_t> order(static_cast<size_t>(row));
  for (int64_t i = 0; i < row; ++i) order[static_cast<size_t>(i)] = i;
  Result<Gather> gather = MakeGather(ctx, TapOffsets(g), s.pixels, row, order, x_size);
  if (!gather.ok()) return gather.error();
  s.gather = std::move(gather).value();
  s.weights = ToM<M>(w);
  if (exponent_products) {
    s.exponent_weights = std::move(exponent->weights);
    s.exponent = exponent->product;
  }
  Result<std::vector<WideInt>> acc0 = BiasInAccum(ctx, bias, s.chan, accum, s.pixels);
  if (!acc0.ok()) return acc0.error();
  s.acc0 = ToM<M>(*acc0);
  if constexpr (std::is_same_v<M, std::int64_t>) {
    const int64_t chan = s.chan;
    std::optional<std::vector<int64_t>> exact =
        exponent_products ? std::nullopt
                          : ExactWeights(x_type, *kernel->precision.type, accum, w, *acc0, s.taps,
                                         [chan](int64_t c, int64_t t) {
                                           return static_cast<size_t>(t * chan + c);
                                         });
    if (exact) s.exact_weights = std::move(*exact);
  }
  const int64_t results = s.pixels * s.chan;
  Result<MacPlans> plans = exponent_products
                               ? MakeMacPlans(ctx, s.exponent.type, accum, y_type, prefix,
                                              result_site, products, results)
                               : MakeMacPlans(ctx, x_type, *kernel->precision.type, accum, y_type,
                                              prefix, result_site, products, results);
  if (!plans.ok()) return plans.error();
  s.plans = *plans;
  return s;
}

template <class M>
KernelResult<M> MakeConv(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::ConvAttrs>();
  if (a.groups != 1)
    return ctx.NotHandled(fmt::format("grouped convolutions (groups={})", a.groups));
  const TensorInfo& x = ctx.Tensor(node.inputs.at(0));
  const TensorInfo& y = ctx.Tensor(node.outputs.at(0));
  Result<Geometry> g =
      MakeGeometry(ctx, {a.kernel, a.strides, a.dilation, a.padding}, x.shape, y.shape, a.filters);
  if (!g.ok()) return g.error();
  const ir::Weight* bias = a.use_bias ? node.FindWeight("bias") : nullptr;
  if (a.use_bias && bias == nullptr) return ctx.Fail("expected a bias [filters]");
  Result<FixedType> accum = InternalType(ctx, "accum");
  if (!accum.ok()) return accum.error();
  Result<ConvStage<M>> stage =
      MakeConvStage<M>(ctx, *g, x.type, x.size, node.FindWeight("kernel"), bias, *accum, y.type);
  if (!stage.ok()) return stage.error();
  const int scratch = ctx.AddScratch(stage->n_in);
  return std::unique_ptr<Kernel<M>>(new StageKernel<M, ConvStage<M>>(
      ctx.TensorId(node.inputs[0]), ctx.TensorId(node.outputs[0]), scratch, std::move(*stage)));
}

template <class M>
KernelResult<M> MakeDepthwise(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::DepthwiseConvAttrs>();
  if (a.depth_multiplier != 1) {
    return ctx.Fail(fmt::format(
        "depth_multiplier {} is refused: hls4ml's predict aborts on a depth multiplier above 1",
        a.depth_multiplier));
  }
  const TensorInfo& x = ctx.Tensor(node.inputs.at(0));
  const TensorInfo& y = ctx.Tensor(node.outputs.at(0));
  const int64_t chan = x.shape.empty() ? 0 : x.shape.back();
  Result<Geometry> g =
      MakeGeometry(ctx, {a.kernel, a.strides, a.dilation, a.padding}, x.shape, y.shape, chan);
  if (!g.ok()) return g.error();
  const ir::Weight* bias = a.use_bias ? node.FindWeight("bias") : nullptr;
  if (a.use_bias && bias == nullptr) return ctx.Fail("expected a bias [channels]");
  Result<FixedType> accum = InternalType(ctx, "accum");
  if (!accum.ok()) return accum.error();
  Result<DepthwiseStage<M>> stage =
      MakeDepthwiseStage<M>(ctx, *g, x.type, x.size, node.FindWeight("depthwise_kernel"), bias,
                            *accum, y.type, "", "result");
  if (!stage.ok()) return stage.error();
  const int scratch = ctx.AddScratch(stage->taps * stage->chan);
  return std::unique_ptr<Kernel<M>>(new StageKernel<M, DepthwiseStage<M>>(
      ctx.TensorId(node.inputs[0]), ctx.TensorId(node.outputs[0]), scratch, std::move(*stage)));
}

template <class M>
KernelResult<M> MakeSeparable(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::SeparableConvAttrs>();
  if (a.depth_multiplier != 1) {
    return ctx.Fail(fmt::format(
        "depth_multiplier {} is refused: hls4ml's predict aborts on a depth multiplier above 1",
        a.depth_multiplier));
  }
  const TensorInfo& x = ctx.Tensor(node.inputs.at(0));
  const TensorInfo& y = ctx.Tensor(node.outputs.at(0));
  const int64_t chan = x.shape.empty() ? 0 : x.shape.back();
  // The depthwise output has the input's channels on the output's pixels.
  ir::Shape middle_shape = y.shape;
  if (!middle_shape.empty()) middle_shape.back() = chan;
  Result<Geometry> dg =
      MakeGeometry(ctx, {a.kernel, a.strides, a.dilation, a.padding}, x.shape, middle_shape, chan);
  if (!dg.ok()) return dg.error();
  Result<FixedType> dw_accum = InternalType(ctx, "depthwise_accum");
  if (!dw_accum.ok()) return dw_accum.error();
  Result<FixedType> middle = InternalType(ctx, "depthwise_result");
  if (!middle.ok()) return middle.error();
  Result<FixedType> pw_accum = InternalType(ctx, "pointwise_accum");
  if (!pw_accum.ok()) return pw_accum.error();
  Result<DepthwiseStage<M>> dw =
      MakeDepthwiseStage<M>(ctx, *dg, x.type, x.size, node.FindWeight("depthwise_kernel"), nullptr,
                            *dw_accum, *middle, "depthwise_", "depthwise_result");
  if (!dw.ok()) return dw.error();

  // The pointwise stage: a 1x1 Conv over the depthwise output.
  Geometry pg;
  pg.in_h = pg.out_h = dg->out_h;
  pg.in_w = pg.out_w = dg->out_w;
  pg.chan = chan;
  const ir::Weight* bias = a.use_bias ? node.FindWeight("bias") : nullptr;
  if (a.use_bias && bias == nullptr) return ctx.Fail("expected a bias [filters]");
  const ir::Weight* pointwise = node.FindWeight("pointwise_kernel");
  if (pointwise == nullptr || pointwise->shape.empty() || pointwise->shape.back() != a.filters) {
    return ctx.Fail(fmt::format("expected a pointwise kernel [1..., {}, {}]", chan, a.filters));
  }
  Result<ConvStage<M>> pw =
      MakeConvStage<M>(ctx, pg, *middle, pg.pixels() * chan, pointwise, bias, *pw_accum, y.type);
  if (!pw.ok()) return pw.error();
  const int dw_scratch = ctx.AddScratch(dw->taps * dw->chan);
  const int middle_scratch = ctx.AddScratch(pg.pixels() * chan);
  const int pw_scratch = ctx.AddScratch(pw->n_in);
  return std::unique_ptr<Kernel<M>>(new SeparableKernel<M>(
      ctx.TensorId(node.inputs[0]), ctx.TensorId(node.outputs[0]), dw_scratch, middle_scratch,
      pw_scratch, std::move(*dw), std::move(*pw)));
}

}  // namespace

template <class M>
KernelResult<M> MakeConvKernel(BuildContext& ctx) {
  if (Status s = RefuseOutputQuantizer(ctx); !s.ok()) return s.error();
  switch (ctx.node().kind()) {
    case ir::OpKind::kConv:
      return MakeConv<M>(ctx);
    case ir::OpKind::kDepthwiseConv:
      return MakeDepthwise<M>(ctx);
    case ir::OpKind::kSeparableConv:
      return MakeSeparable<M>(ctx);
    default:
      return ctx.Fail("not a convolution");
  }
}

template KernelResult<std::int64_t> MakeConvKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeConvKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
